"""The cycle waits for applications: no 复核 before 初审 ends, no expert review before 复核."""

import pytest

from applications.enums import ApplicationState as S
from applications.services import (
    application_accept,
    application_decline,
    application_recommend,
    application_return,
    application_submit,
)
from award.enums import CyclePhase, Role
from award.services.cycles import (
    CycleTransitionRefused,
    cycle_transition,
    cycle_transition_blockers,
)
from tests.applications.factories import (
    World,
    advance_cycle,
    complete_application,
    sign_declarations,
    unit_applicant,
)
from tests.factories import county, make_user

pytestmark = pytest.mark.django_db

NOT_REVIEWED = "{county}尚有{count}件申报未完成初审（第十四条第（三）项）。"


def _submitted(world, code):
    owner = unit_applicant(county=county(code))
    return application_submit(application=complete_application(owner, world.cycle), by=owner)


def test_begin_recheck_is_blocked_per_county_until_preliminary_review_ends():
    world = World()
    lanshan = [_submitted(world, "371302") for _ in range(2)]
    yinan = _submitted(world, "371321")
    advance_cycle(world.cycle, CyclePhase.PRELIMINARY, office=world.office)

    with pytest.raises(CycleTransitionRefused) as error:
        cycle_transition(cycle=world.cycle, name="begin_recheck", by=world.office)
    assert error.value.messages == [
        NOT_REVIEWED.format(county="兰山区", count=2),
        NOT_REVIEWED.format(county="沂南县", count=1),
    ]

    application_recommend(application=lanshan[0], by=world.county_user, opinion="推荐")
    application_decline(application=lanshan[1], by=world.county_user, reason="不推荐")
    assert cycle_transition_blockers(world.cycle, "begin_recheck") == [
        NOT_REVIEWED.format(county="沂南县", count=1)
    ]
    yinan_coordinator = make_user(Role.COUNTY, county=county("371321"))
    application_return(application=yinan, by=yinan_coordinator, reason="补充材料")
    # A returned application waits for its applicant, not for the county: no blocker.
    cycle_transition(cycle=world.cycle, name="begin_recheck", by=world.office)
    assert world.cycle.phase == CyclePhase.RECHECK


def test_begin_expert_review_waits_for_recheck():
    world = World()
    application = world.application_in(S.RECOMMENDED)
    advance_cycle(world.cycle, CyclePhase.RECHECK, office=world.office)
    blockers = cycle_transition_blockers(world.cycle, "begin_expert_review")
    assert "尚有1件县区推荐的申报未完成复核（第十四条第（三）项）。" in blockers
    application_accept(application=application, by=world.office)
    assert not [
        b for b in cycle_transition_blockers(world.cycle, "begin_expert_review") if "申报" in b
    ]


def test_begin_expert_review_waits_for_resubmissions_at_the_county():
    world = World()
    application = world.application_in(S.RECOMMENDED)
    advance_cycle(world.cycle, CyclePhase.RECHECK, office=world.office)
    application_return(application=application, by=world.office, reason="补充证明")
    application_submit(application=sign_declarations(application), by=world.owner)
    blockers = cycle_transition_blockers(world.cycle, "begin_expert_review")
    assert "兰山区尚有1件重新提交的申报未完成初审（第十四条第（三）项）。" in blockers
