"""Every review transition and scoring action by role and by state (DESIGN.md §4.2, §5)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from applications.enums import ApplicationState as S
from applications.exceptions import ApplicationTransitionRefused
from applications.models import ApplicationEvent
from applications.services import application_withdraw
from award.enums import Role
from award.models import AuditEntry
from review.enums import Stage
from review.exceptions import NotAssigned, ReviewRefused
from review.models import Score
from review.services import (
    assignment_create,
    conflict_declare,
    consensus_save,
    review_complete,
    review_start,
    score_correct,
    score_save,
    stage_check_record,
    stage_sign,
    stage_submit,
)
from tests.applications.factories import unit_applicant
from tests.factories import county, make_user
from tests.review.factories import ReviewWorld, items_of, new_expert, other_agency_user

pytestmark = pytest.mark.django_db

ACTORS = [
    "agency_same",
    "agency_other",
    "expert_assigned",
    "expert_unassigned",
    "group_leader",
    "office",
    "county",
    "applicant",
    "auditor",
    "leading_group",
]


def actor(name, world):
    return {
        "agency_same": lambda: world.agency_user,
        "agency_other": other_agency_user,
        "expert_assigned": lambda: world.experts[1].user,
        "expert_unassigned": lambda: new_expert(world.agency_user).user,
        "group_leader": lambda: world.leader.user,
        "office": lambda: world.office,
        "county": lambda: make_user(Role.COUNTY, county=county("371302")),
        "applicant": lambda: world.application.applicant,
        "auditor": lambda: make_user(Role.AUDITOR),
        "leading_group": lambda: make_user(Role.LEADER),
    }[name]()


def _item(world):
    return items_of(world.application)[0]


def _signed_world():
    """In review, 材料评审 signed by the leader."""
    world = ReviewWorld(units=0, individuals=1)
    world.start()
    world.sign(world.application, Stage.MATERIALS)
    return world


def _submitted_world():
    """In review, every expert submitted 材料评审; no consensus yet."""
    world = ReviewWorld(units=0, individuals=1)
    world.start()
    world.score_all(world.application, Stage.MATERIALS, [50] * 5)
    return world


def _all_signed_world():
    world = ReviewWorld(units=0, individuals=1)
    world.start()
    world.pass_checks()
    for stage in (Stage.MATERIALS, Stage.SITE_VISIT, Stage.DEFENCE):
        world.sign(world.application, stage)
    return world


def _assigned_world():
    world = ReviewWorld(units=0, individuals=1)
    world.assign()
    return world


def _in_review_world():
    world = ReviewWorld(units=0, individuals=1)
    world.start()
    return world


def _accepted_ready_world():
    world = _assigned_world()
    world.declare_all()
    return world


# action: (build the world, call(world, by), who may, what the others get, check after)
ACTIONS = {
    "start_review": (
        _accepted_ready_world,
        lambda w, by: review_start(application=w.application, by=by),
        {"agency_same"},
        PermissionDenied,
    ),
    "fail_review": (
        _in_review_world,
        lambda w, by: stage_check_record(
            application=w.application,
            stage=Stage.QUALIFICATION,
            passed=False,
            evidence="营业执照经营期限不足5年",
            reason="不符合第十条第（一）项",
            by=by,
        ),
        {"agency_same"},
        PermissionDenied,
    ),
    "complete_review": (
        _all_signed_world,
        lambda w, by: review_complete(application=w.application, by=by),
        {"agency_same"},
        PermissionDenied,
    ),
    "assignment_create": (
        lambda: ReviewWorld(units=0, individuals=1),
        lambda w, by: assignment_create(application=w.application, group=w.group, by=by),
        {"agency_same"},
        PermissionDenied,
    ),
    "conflict_declare": (
        _assigned_world,
        lambda w, by: conflict_declare(application=w.application, by=by, has_conflict=False),
        {"expert_assigned", "group_leader"},
        NotAssigned,
    ),
    "score_save": (
        _in_review_world,
        lambda w, by: score_save(
            application=w.application,
            stage=Stage.MATERIALS,
            by=by,
            criterion=_item(w),
            percentage=55,
        ),
        {"expert_assigned", "group_leader"},
        NotAssigned,
    ),
    "stage_submit": (
        lambda: _submit_ready_world(),
        lambda w, by: stage_submit(application=w.application, stage=Stage.MATERIALS, by=by),
        {"expert_assigned", "group_leader"},
        NotAssigned,
    ),
    "consensus_save": (
        _submitted_world,
        lambda w, by: consensus_save(
            application=w.application,
            stage=Stage.MATERIALS,
            criterion=_item(w),
            percentage=60,
            by=by,
        ),
        {"group_leader"},
        NotAssigned,
    ),
    "stage_sign": (
        lambda: _agreed_world(),
        lambda w, by: stage_sign(application=w.application, stage=Stage.MATERIALS, by=by),
        {"group_leader"},
        NotAssigned,
    ),
    "score_correct": (
        _signed_world,
        lambda w, by: score_correct(
            application=w.application,
            stage=Stage.MATERIALS,
            criterion=_item(w),
            percentage=65,
            reason="合议记录誊录错误",
            by=by,
        ),
        {"group_leader"},
        NotAssigned,
    ),
}


def _submit_ready_world():
    """In review; experts 1 and the leader scored every item of 材料评审 but not submitted."""
    world = _in_review_world()
    for expert in (world.experts[0], world.experts[1]):
        world.score(world.application, Stage.MATERIALS, expert, 50, submit=False)
    return world


def _agreed_world():
    world = _submitted_world()
    world.agree(world.application, Stage.MATERIALS, 50)
    return world


@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_table(action):
    """Everyone but the allowed actor is refused without changing anything; then the
    allowed one succeeds. Wrong role or someone else's object: PermissionDenied for the
    agency's acts, NotAssigned (a 404) for the experts' acts."""
    build, call, allowed, refusal = ACTIONS[action]
    world = build()
    state_before = world.refresh(world.application).state
    scores_before = Score.objects.count()
    entries_before = AuditEntry.objects.count()
    for who in ACTORS:
        if who in allowed:
            continue
        by = actor(who, world)
        with pytest.raises(refusal):
            call(world, by)
        assert world.refresh(world.application).state == state_before, who
    assert Score.objects.count() == scores_before
    # Making the refused actors' accounts is audited nowhere; the refusals wrote nothing.
    assert (
        AuditEntry.objects.count() - entries_before
        == sum(1 for who in ACTORS if who == "expert_unassigned") * 1
    )
    for who in sorted(allowed):
        call(world, actor(who, world))


def test_not_assigned_is_a_404():
    world = _in_review_world()
    outsider = new_expert(world.agency_user).user
    with pytest.raises(Http404):
        score_save(
            application=world.application,
            stage=Stage.MATERIALS,
            by=outsider,
            criterion=_item(world),
            percentage=50,
        )


@pytest.mark.parametrize(
    ("name", "source", "target"),
    [
        ("start_review", S.ACCEPTED, S.IN_REVIEW),
        ("fail_review", S.IN_REVIEW, S.REVIEW_FAILED),
        ("complete_review", S.IN_REVIEW, S.REVIEWED),
    ],
)
def test_transitions_write_event_and_audit(name, source, target):
    build = {
        "start_review": _accepted_ready_world,
        "fail_review": _in_review_world,
        "complete_review": _all_signed_world,
    }[name]
    world = build()
    ACTIONS[name][1](world, world.agency_user)
    application = world.refresh(world.application)
    assert application.state == target
    event = ApplicationEvent.objects.filter(application=application).last()
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        name,
        source,
        target,
        world.agency_user,
    )
    assert AuditEntry.objects.filter(
        action=f"application.{name}", object_id=str(application.pk)
    ).exists()


# State table: each action from every review state; only its source state lets it run.

STATE_ACTIONS = {
    "start_review": ({S.ACCEPTED}, "开始专家评审"),
    "complete_review": ({S.IN_REVIEW}, "评审完成"),
}


@pytest.mark.parametrize("state", [S.ACCEPTED, S.IN_REVIEW, S.REVIEW_FAILED, S.REVIEWED])
@pytest.mark.parametrize("action", list(STATE_ACTIONS))
def test_state_table(action, state):
    world = ReviewWorld(units=0, individuals=1)
    application = world.review_to(state)
    sources, label = STATE_ACTIONS[action]
    call = {
        "start_review": lambda: review_start(application=application, by=world.agency_user),
        "complete_review": lambda: review_complete(application=application, by=world.agency_user),
    }[action]
    if state in sources:
        with pytest.raises(ApplicationTransitionRefused):  # conditions still unmet here
            call()
        return
    with pytest.raises(ApplicationTransitionRefused) as error:
        call()
    assert error.value.messages == [f"该申报当前状态为“{S(state).label}”，不能执行“{label}”。"]


@pytest.mark.parametrize("state", [S.ACCEPTED, S.REVIEW_FAILED, S.REVIEWED])
def test_scoring_only_in_review(state):
    world = ReviewWorld(units=0, individuals=1)
    application = world.review_to(state)
    if state == S.ACCEPTED:
        world.assign()
        world.declare_all()
    with pytest.raises(ReviewRefused) as error:
        score_save(
            application=application,
            stage=Stage.DEFENCE,
            by=world.experts[1].user,
            criterion=_item(world),
            percentage=50,
        )
    assert error.value.messages == [
        f"该申报当前状态为“{S(state).label}”，不在专家评审中，不能评分。"
    ]


@pytest.mark.parametrize("state", [S.IN_REVIEW, S.REVIEW_FAILED, S.REVIEWED])
def test_withdrawal_stays_closed_once_review_starts(state):
    world = ReviewWorld(units=0, individuals=1)
    application = world.review_to(state)
    with pytest.raises(ApplicationTransitionRefused) as error:
        application_withdraw(application=application, by=application.applicant, reason="不再参评")
    assert error.value.messages == [f"该申报当前状态为“{S(state).label}”，不能执行“撤回申报”。"]


def test_withdrawal_still_open_when_accepted():
    world = ReviewWorld(units=0, individuals=1)
    done = application_withdraw(
        application=world.application, by=world.application.applicant, reason="不再参评"
    )
    assert done.state == S.WITHDRAWN


def test_start_review_waits_for_the_expert_review_phase():
    from award.enums import CyclePhase

    world = ReviewWorld(units=0, individuals=1, cycle_phase=CyclePhase.RECHECK)
    world.assign()
    world.declare_all()
    with pytest.raises(ApplicationTransitionRefused) as error:
        review_start(application=world.application, by=world.agency_user)
    assert error.value.messages == [
        "专家评审须在评选届次进入“专家评审”阶段后进行（第十四条第（四）项）。"
    ]


def test_start_review_explains_what_is_missing():
    world = ReviewWorld(units=0, individuals=1)
    with pytest.raises(ApplicationTransitionRefused) as error:
        review_start(application=world.application, by=world.agency_user)
    assert error.value.messages == ["尚未分配评审组。"]
    world.assign()
    conflict_declare(application=world.application, by=world.experts[0].user, has_conflict=False)
    with pytest.raises(ApplicationTransitionRefused) as error:
        review_start(application=world.application, by=world.agency_user)
    names = "、".join(e.name for e in sorted(world.experts[1:], key=lambda e: (e.name, e.pk)))
    assert error.value.messages == [f"尚有专家未声明有无利害关系：{names}（第二十条）。"]


def test_complete_review_explains_what_is_missing():
    world = _signed_world()
    with pytest.raises(ApplicationTransitionRefused) as error:
        review_complete(application=world.application, by=world.agency_user)
    assert error.value.messages == [
        "以下评审环节尚未完成或未经组长签字确认：舆情调查、资格审查、现场评审、陈述答辩"
        "（第十四条第（四）项）。"
    ]


def test_a_second_applicant_is_nobody_here():
    world = _in_review_world()
    stranger = unit_applicant()
    with pytest.raises(PermissionDenied):
        review_start(application=world.application, by=stranger)
