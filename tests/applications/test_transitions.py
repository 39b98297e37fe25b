"""Every transition of DESIGN.md §4.2 up to 复核, by role and by state."""

import pytest
from django.core.exceptions import PermissionDenied

from applications.enums import ApplicationState as S
from applications.exceptions import ApplicationTransitionRefused
from applications.models import Application, ApplicationEvent
from applications.models.application import DECISION_STATES, REVIEW_STATES
from applications.services import (
    application_accept,
    application_create,
    application_decline,
    application_recommend,
    application_reject,
    application_return,
    application_submit,
    application_withdraw,
)
from award.enums import CyclePhase, Role
from award.models import AuditEntry, Cycle
from tests.applications.factories import World, advance_cycle, let_deadline_pass, unit_applicant
from tests.factories import county, make_user

pytestmark = pytest.mark.django_db

ACTIONS = {
    "submit": lambda app, by: application_submit(application=app, by=by),
    "recommend": lambda app, by: application_recommend(application=app, by=by, opinion="同意推荐"),
    "return": lambda app, by: application_return(application=app, by=by, reason="请补充材料"),
    "decline": lambda app, by: application_decline(application=app, by=by, reason="条件不符"),
    "accept": lambda app, by: application_accept(application=app, by=by),
    "reject": lambda app, by: application_reject(application=app, by=by, reason="复核不通过"),
    "withdraw": lambda app, by: application_withdraw(application=app, by=by, reason="暂不申报"),
}
LABEL = {
    "submit": "提交申报",
    "recommend": "初审推荐",
    "return": "退回修改",
    "decline": "初审不推荐",
    "accept": "复核通过",
    "reject": "复核不通过",
    "withdraw": "撤回申报",
}
OFFICE_ACTIONS = {"accept", "reject"}

ACTORS = [
    "owner",
    "other_applicant",
    "county_same",
    "county_other",
    "office",
    "auditor",
    "expert",
    "leader",
    "agency",
]


def actor(name: str, world: World):
    return {
        "owner": lambda: world.owner,
        "other_applicant": unit_applicant,
        "county_same": lambda: world.county_user,
        "county_other": lambda: make_user(Role.COUNTY, county=county("371321")),
        "office": lambda: world.office,
        "auditor": lambda: make_user(Role.AUDITOR),
        "expert": lambda: make_user(Role.EXPERT),
        "leader": lambda: make_user(Role.LEADER),
        "agency": lambda: make_user(Role.AGENCY),
    }[name]()


# (action, source state, who may, target state, cycle phase needed)
TRANSITIONS = [
    ("submit", S.DRAFT, "owner", S.SUBMITTED, None),
    ("submit", S.RETURNED, "owner", S.SUBMITTED, None),
    ("recommend", S.SUBMITTED, "county_same", S.RECOMMENDED, None),
    ("return", S.SUBMITTED, "county_same", S.RETURNED, None),
    ("return", S.RECOMMENDED, "office", S.RETURNED, CyclePhase.PRELIMINARY),
    ("decline", S.SUBMITTED, "county_same", S.DECLINED, None),
    ("accept", S.RECOMMENDED, "office", S.ACCEPTED, CyclePhase.PRELIMINARY),
    ("reject", S.RECOMMENDED, "office", S.RECHECK_FAILED, CyclePhase.PRELIMINARY),
    ("withdraw", S.SUBMITTED, "owner", S.WITHDRAWN, None),
    ("withdraw", S.RETURNED, "owner", S.WITHDRAWN, None),
    ("withdraw", S.RECOMMENDED, "owner", S.WITHDRAWN, None),
    ("withdraw", S.ACCEPTED, "owner", S.WITHDRAWN, None),
]
# The other returner holds `return` from another state: refused for the state, not denied.
REFUSED_NOT_DENIED = {("return", S.SUBMITTED, "office"), ("return", S.RECOMMENDED, "county_same")}


def _prepare(world, state, phase):
    application = world.application_in(state)
    if phase is not None and world.cycle.phase != phase:
        advance_cycle(world.cycle, phase, office=world.office)
    return application


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize(
    ("action", "source", "allowed", "target", "phase"),
    TRANSITIONS,
    ids=[f"{a}-from-{s}" for a, s, *_ in TRANSITIONS],
)
def test_role_table(action, source, allowed, target, phase, who):
    world = World()
    application = _prepare(world, source, phase)
    by = actor(who, world)
    if who == allowed:
        done = ACTIONS[action](application, by)
        assert done.state == target
        event = ApplicationEvent.objects.filter(application=application).last()
        assert (event.actor, event.from_state, event.to_state) == (by, source, target)
        assert AuditEntry.objects.filter(
            action=f"application.{event.action}", object_id=str(application.pk)
        ).exists()
        return
    expected = (
        ApplicationTransitionRefused
        if (action, source, who) in REFUSED_NOT_DENIED
        else PermissionDenied
    )
    with pytest.raises(expected):
        ACTIONS[action](application, by)
    application.refresh_from_db()
    assert application.state == source


# (action, who, source states, cycle phase needed)
STATE_TABLE = [
    ("submit", "owner", {S.DRAFT, S.RETURNED}, None),
    ("recommend", "county_same", {S.SUBMITTED}, None),
    ("return", "county_same", {S.SUBMITTED}, None),
    ("return", "office", {S.RECOMMENDED}, CyclePhase.PRELIMINARY),
    ("decline", "county_same", {S.SUBMITTED}, None),
    ("accept", "office", {S.RECOMMENDED}, CyclePhase.PRELIMINARY),
    ("reject", "office", {S.RECOMMENDED}, CyclePhase.PRELIMINARY),
    # A draft is deleted, not withdrawn (application_delete_draft).
    ("withdraw", "owner", {S.SUBMITTED, S.RETURNED, S.RECOMMENDED, S.ACCEPTED}, None),
]


@pytest.mark.parametrize("state", [s for s in S.values if s not in REVIEW_STATES | DECISION_STATES])
@pytest.mark.parametrize(
    ("action", "who", "sources", "phase"),
    STATE_TABLE,
    ids=[f"{a}-by-{w}" for a, w, *_ in STATE_TABLE],
)
def test_state_table(action, who, sources, phase, state):
    world = World()
    application = _prepare(world, state, phase)
    by = actor(who, world)
    if state in sources:
        assert ACTIONS[action](application, by).state != state
        return
    with pytest.raises(ApplicationTransitionRefused) as error:
        ACTIONS[action](application, by)
    assert error.value.messages == [
        f"该申报当前状态为“{S(state).label}”，不能执行“{LABEL[action]}”。"
    ]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.APPLICANT, True),
        (Role.COUNTY, False),
        (Role.OFFICE, False),
        (Role.AUDITOR, False),
        (Role.EXPERT, False),
        (Role.LEADER, False),
        (Role.AGENCY, False),
    ],
)
def test_create_by_role(role, allowed):
    world = World()
    by = world.owner if allowed else make_user(role)
    if allowed:
        application = application_create(cycle=world.cycle, by=by)
        assert application.state == S.DRAFT
        event = application.events.get()
        assert (event.action, event.round, event.to_state) == ("create", 0, S.DRAFT)
    else:
        with pytest.raises(PermissionDenied):
            application_create(cycle=world.cycle, by=by)


def test_first_submission_after_the_deadline_is_refused():
    world = World()
    application = world.application_in(S.DRAFT)
    let_deadline_pass(world.cycle)
    with pytest.raises(ApplicationTransitionRefused) as error:
        application_submit(application=application, by=world.owner)
    assert error.value.messages == [
        "本届申报尚未开始或已经截止，不能提交申报（第十四条第（二）项）。"
    ]


def test_returned_application_may_be_resubmitted_after_the_deadline():
    world = World()
    application = world.application_in(S.RETURNED)
    advance_cycle(world.cycle, CyclePhase.PRELIMINARY, office=world.office)
    assert application_submit(application=application, by=world.owner).state == S.SUBMITTED


def test_recheck_is_rolling_while_applications_are_open():
    world = World()
    application = world.application_in(S.RECOMMENDED)
    assert world.cycle.phase == CyclePhase.ANNOUNCED
    assert application_accept(application=application, by=world.office).state == S.ACCEPTED


def test_recheck_is_refused_once_the_cycle_has_moved_past_it():
    world = World()
    application = world.application_in(S.RECOMMENDED)
    # No step leads here with a recommendation pending (the cycle guard forbids it); the
    # condition still holds on its own.
    Cycle.objects.filter(pk=world.cycle.pk).update(phase=CyclePhase.DELIBERATION)
    with pytest.raises(ApplicationTransitionRefused) as error:
        application_accept(application=Application.objects.get(pk=application.pk), by=world.office)
    assert error.value.messages == [
        "当前评选阶段不能进行复核；复核在申报开始后、专家评审开始前进行（第十四条第（三）项）。"
    ]


@pytest.mark.parametrize(
    ("action", "state", "who", "field", "message"),
    [
        ("recommend", S.SUBMITTED, "county_same", "opinion", "请填写初审推荐意见。"),
        ("return", S.SUBMITTED, "county_same", "reason", "请填写退回修改的原因。"),
        ("decline", S.SUBMITTED, "county_same", "reason", "请填写不予推荐的理由。"),
        ("reject", S.RECOMMENDED, "office", "reason", "请填写复核不通过的理由。"),
        ("withdraw", S.SUBMITTED, "owner", "reason", "请填写撤回原因。"),
    ],
)
def test_opinions_and_reasons_are_required(action, state, who, field, message):
    from django.core.exceptions import ValidationError

    world = World()
    phase = CyclePhase.PRELIMINARY if action in OFFICE_ACTIONS else None
    application = _prepare(world, state, phase)
    call = {
        "recommend": lambda: application_recommend(
            application=application, by=world.county_user, opinion="  "
        ),
        "return": lambda: application_return(
            application=application, by=world.county_user, reason=""
        ),
        "decline": lambda: application_decline(
            application=application, by=world.county_user, reason=" "
        ),
        "reject": lambda: application_reject(application=application, by=world.office, reason=""),
        "withdraw": lambda: application_withdraw(
            application=application, by=world.owner, reason=""
        ),
    }[action]
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.message_dict == {field: [message]}
    application.refresh_from_db()
    assert application.state == state
