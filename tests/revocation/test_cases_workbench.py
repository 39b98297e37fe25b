"""What waits for whom (我的待办) on revocation cases: the office's steps, a leader's open
vote, the holder's answer with its deadline (第二十三条、第二十四条)."""

import pytest
from django.utils import timezone

from award.workbench import workbench
from revocation.services.cases import case_find_false, case_vote_open
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


def test_a_complaints_case_decided_asks_the_office_to_answer_the_complaint():
    """第二十一条: once the case a complaint opened is decided, the office is reminded to close
    the complaint with its result; closing it clears the reminder."""
    from revocation.services.complaints import (
        complaint_accept,
        complaint_close,
        complaint_link,
        complaint_open_case,
    )
    from tests.revocation.test_complaints_office import file_one

    world = RevocationWorld()
    complaint = complaint_accept(complaint=file_one(), by=world.office)
    complaint_link(complaint=complaint, by=world.office, honour=world.unit_honour)
    case = complaint_open_case(
        complaint=complaint,
        by=world.office,
        grounds=[world.ground(world.unit_honour, 1)],
        summary="举报反映数据造假。",
    )
    reminder = "撤销案件已办结，请答复举报投诉"
    assert reminder not in titles(world.office)
    case_find_false(case=case, by=world.office, reason="经核查，举报反映的情况不属实。")
    assert reminder in titles(world.office)
    complaint_close(complaint=complaint, by=world.office, result="经核查，反映的情况不属实。")
    assert reminder not in titles(world.office)
