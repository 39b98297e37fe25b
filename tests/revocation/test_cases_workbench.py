"""What waits for whom (我的待办) on revocation cases: the office's steps, a leader's open
vote, the holder's answer with its deadline (第二十三条、第二十四条)."""

import pytest
from django.utils import timezone

from award.workbench import workbench
from revocation.services.cases import case_vote_open
from tests.revocation import case_steps as steps
from tests.revocation.factories import RevocationWorld

pytestmark = pytest.mark.django_db


def titles(user):
    return [item.title for item in workbench.items_for(user)]


def test_workbench_items_follow_the_case():
    world = RevocationWorld()
    case = world.open_case()
    assert "撤销案件待查证" in titles(world.office)
    holder = case.honour.application.applicant
    assert "撤销事项待陈述申辩" not in titles(holder)  # not told before 查证属实
    case = steps.run_to(world, case, "awaiting_answer")
    items = [i for i in workbench.items_for(holder) if i.title == "撤销事项待陈述申辩"]
    assert items and "年" in items[0].detail
    steps.reply(world, case)
    assert "撤销事项待陈述申辩" not in titles(holder)
    steps.send(world, steps.fresh(case))
    case_vote_open(
        case=case, by=world.office, held_on=timezone.localdate(), members_present=world.leaders
    )
    leader = world.leaders[0]
    assert any(case.number in t for t in titles(leader))
    steps.case_ballot_cast(case=case, by=leader, choice="agree")
    assert not any(case.number in t for t in titles(leader))
