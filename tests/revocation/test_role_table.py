"""One state × role table for every service action of the revocation floor: each action is
tried, in the state it leaves from, by every role (award.enums.Role), the anonymous visitor,
the honour's holder, a manager of the round's assigned agency and a leader recorded present.
Only the allowed actor succeeds; everyone else gets PermissionDenied and nothing changes (the
row reloaded from the database is the same, no new AuditEntry).

- 第二十三条、第二十四条: revocation cases — the office acts, the holder states their case, a
  leader present votes (the FSM's own state × role table is in test_cases_roles.py, with the
  application's `revoke`).
- 第二十一条: complaints — the office handles each one.
- 第二十五条: periodic assessment — the office plans and decides; the office or the assigned
  agency fills.
- 第十八条: experience sharing — the office asks and publishes; the holder answers or declines;
  a refusal lets the office open a case (第二十三条、第二十四条第（七）项).
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from award.enums import Role
from award.fsm import TransitionRefused, step_check, step_transition, transitions_of
from award.models import AuditEntry
from revocation.enums import (
    AssessmentOutcome,
    CaseBallotChoice,
    CaseState,
    ComplaintState,
    RoundState,
    SharingState,
)
from revocation.models import AssessmentRound, Complaint, RevocationCase, SharingRequest
from revocation.services import assessments, complaints, obligations
from revocation.services import cases as case_services
from tests.revocation import case_steps as steps
from tests.revocation.assessment_helpers import FINDINGS, agency_manager, filled, record_of
from tests.revocation.factories import RevocationWorld
from tests.revocation.sharing_helpers import holder_of
from tests.revocation.test_complaints_office import accepted, file_one

pytestmark = pytest.mark.django_db

OFFICE = Role.OFFICE.value
ACTORS = [
    *(role.value for role in Role),
    "anonymous",
    "holder",
    "assigned_agency",
    "leader_present",
]


@pytest.fixture(scope="module")
def _world_db(django_db_setup, django_db_blocker):
    """One world for the module; each test's changes are rolled back."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        world = RevocationWorld()
        world.experts = world.world.base.review.experts
        world.manager = agency_manager()
        world.other_unit = next(
            h for h in world.honours if h.kind == "unit" and h.pk != world.unit_honour.pk
        )
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def world(_world_db):
    return _world_db


def actor(world, who, user_of_role):
    if who == "anonymous":
        return AnonymousUser()
    if who == "holder":
        return holder_of(world.unit_honour)
    if who == "assigned_agency":
        return world.manager
    if who == "leader_present":
        return world.leaders[0]
    return user_of_role(Role(who))


def snapshot(obj):
    """What must not change on a refusal: the object's row, or its model's row count."""
    if isinstance(obj, type):
        return obj.objects.count()
    row = type(obj).objects.filter(pk=obj.pk).values().get()
    row.pop("updated_at", None)
    return row


def attempt(who, user, allowed, obj, call, action):
    """`user` (`who`) takes the step: done if allowed, else refused with nothing changed."""
    before, entries = snapshot(obj), AuditEntry.objects.count()
    if who in allowed:
        result = call(user)
        assert AuditEntry.objects.filter(action=action, actor=user).exists(), action
        return result
    with pytest.raises(PermissionDenied):
        call(user)
    assert snapshot(obj) == before, (action, who)
    assert AuditEntry.objects.count() == entries, (action, who)
    return None


# Revocation cases (第二十三条、第二十四条) -------------------------------------------------------


def _ballots(world, case, choice, skip=()):
    for leader in world.leaders:
        if leader not in skip:
            case_services.case_ballot_cast(case=case, by=leader, choice=choice)


@pytest.mark.parametrize("who", ACTORS)
def test_case_steps_by_role(world, user_of_role, who):
    """第二十三条、第二十四条: every case_* service, in the state it leaves from; the office acts,
    the holder replies, a leader recorded present votes. Whoever else is refused; the step is
    then taken by its actor and the case goes on."""
    user = actor(world, who, user_of_role)
    office, honour = world.office, world.unit_honour
    today = timezone.localdate()

    def step(allowed, obj, action, call):
        done = attempt(who, user, allowed, obj, call, action)
        return done if done is not None else call(default[allowed])

    default = {
        frozenset({OFFICE}): office,
        frozenset({"holder"}): holder_of(honour),
        frozenset({"leader_present"}): world.leaders[0],
    }
    office_only, holder_only = frozenset({OFFICE}), frozenset({"holder"})
    grounds = [world.ground(honour, 1)]

    # 立案 → 查证属实 → 陈述申辩 → 提交审议 → 表决 → 提请市政府 → 撤销
    case = step(
        office_only,
        RevocationCase,
        "revocation.case_open",
        lambda u: case_services.case_open(honour=honour, grounds=grounds, summary="案由", by=u),
    )
    step(
        office_only,
        case,
        "revocation.case_find_true",
        lambda u: case_services.case_find_true(
            case=case, by=u, findings="查实", answer_due_on=case_services.earliest_answer_due()
        ),
    )
    step(
        holder_only,
        case,
        "revocation.case_reply",
        lambda u: case_services.case_reply(case=case, by=u, answer="有异议。"),
    )
    step(
        office_only,
        case,
        "revocation.case_send",
        lambda u: case_services.case_send(case=case, by=u),
    )
    step(
        office_only,
        case,
        "revocation.case_vote_open",
        lambda u: case_services.case_vote_open(
            case=case, by=u, held_on=today, members_present=world.leaders
        ),
    )
    step(
        frozenset({"leader_present"}),
        case,
        "revocation.case_ballot",
        lambda u: case_services.case_ballot_cast(case=case, by=u, choice=CaseBallotChoice.AGREE),
    )
    _ballots(world, case, CaseBallotChoice.AGREE, skip=world.leaders[:1])
    step(
        office_only,
        case,
        "revocation.case_vote_close",
        lambda u: case_services.case_vote_close(case=case, by=u),
    )
    step(
        office_only,
        case,
        "revocation.case_submit",
        lambda u: case_services.case_submit(case=case, by=u),
    )
    step(
        office_only,
        case,
        "revocation.case_revoke",
        lambda u: case_services.case_revoke(
            case=case,
            by=u,
            document_number="临政字〔2026〕99号",
            decided_on=today,
            file=steps.pdf("撤销决定.pdf"),
        ),
    )
    assert steps.fresh(case).state == CaseState.REVOKED

    # 不予撤销，结案 (while investigating) and 查证不属实.
    other = world.other_unit
    for name, service in (
        ("close", case_services.case_close),
        ("find_false", case_services.case_find_false),
    ):
        open_case = world.open_case(other)
        step(
            office_only,
            open_case,
            f"revocation.case_{name}",
            lambda u, c=open_case, s=service: s(case=c, by=u, reason="经查不属实。"),
        )
        assert steps.fresh(open_case).state == CaseState.CLOSED

    # 领导小组未同意，结案.
    person = world.person_honour
    rejected = world.open_case(person)
    steps.find_true(world, rejected)
    steps.reply(world, rejected)
    steps.send(world, rejected)
    steps.vote(world, rejected, [CaseBallotChoice.DISAGREE] * len(world.leaders))
    step(
        office_only,
        rejected,
        "revocation.case_reject",
        lambda u: case_services.case_reject(case=rejected, by=u),
    )
    assert steps.fresh(rejected).state == CaseState.CLOSED


# Complaints (第二十一条) -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ACTORS)
def test_complaint_steps_by_role(world, user_of_role, who):
    """第二十一条: only the office accepts, refuses, links, records, closes, opens a case from
    and disqualifies an expert from a complaint (第二十二条)."""
    user = actor(world, who, user_of_role)
    office = frozenset({OFFICE})
    expert = world.experts[-1]

    def linked(**links):
        complaint = accepted(world)
        return complaints.complaint_link(complaint=complaint, by=world.office, **links)

    table = [
        ("accept", file_one(), lambda c, u: complaints.complaint_accept(complaint=c, by=u)),
        (
            "reject",
            file_one(),
            lambda c, u: complaints.complaint_reject(complaint=c, by=u, reason="不属于受理范围。"),
        ),
        (
            "link",
            accepted(world),
            lambda c, u: complaints.complaint_link(complaint=c, by=u, honour=world.unit_honour),
        ),
        (
            "note",
            accepted(world),
            lambda c, u: complaints.complaint_note_add(complaint=c, by=u, text="已调取记录。"),
        ),
        (
            "close",
            accepted(world),
            lambda c, u: complaints.complaint_close(complaint=c, by=u, result="经查属实。"),
        ),
        (
            "case",
            linked(honour=world.unit_honour),
            lambda c, u: complaints.complaint_open_case(
                complaint=c,
                by=u,
                grounds=[world.ground(world.unit_honour, 1)],
                summary="举报反映。",
            ),
        ),
        (
            "expert",
            linked(expert=expert),
            lambda c, u: complaints.complaint_disqualify_expert(
                complaint=c, by=u, reason="经查实，该专家私下接触申报单位。"
            ),
        ),
    ]
    for name, complaint, call in table:
        attempt(
            who,
            user,
            office,
            complaint,
            lambda u, c=complaint, f=call: f(c, u),
            f"revocation.complaint_{name}",
        )


# Periodic assessment (第二十五条) ----------------------------------------------------------------


@pytest.mark.parametrize("who", ACTORS)
def test_assessment_steps_by_role(world, user_of_role, who):
    """第二十五条: the office plans a round and decides each outcome; the office or a manager
    of the assigned agency fills the findings."""
    user = actor(world, who, user_of_role)
    office = frozenset({OFFICE})

    def plan(u):
        return assessments.round_plan(
            name="2026年度定期评估",
            year=2026,
            due_on=timezone.localdate() + datetime.timedelta(days=30),
            cycles=[world.cycle],
            agency=world.manager.agency,
            by=u,
        )

    round_ = attempt(who, user, office, AssessmentRound, plan, "revocation.assessment_plan")
    round_ = round_ or plan(world.office)
    record = record_of(round_, world.unit_honour)
    attempt(
        who,
        user,
        office | {"assigned_agency"},
        record,
        lambda u: assessments.record_fill(record=record, by=u, **FINDINGS),
        "revocation.assessment_fill",
    )
    other = filled(record_of(round_, world.person_honour), world.office)
    attempt(
        who,
        user,
        office,
        other,
        lambda u: assessments.record_decide(record=other, by=u, outcome=AssessmentOutcome.PASSED),
        "revocation.assessment_decide",
    )


# Experience sharing (第十八条) -------------------------------------------------------------------


@pytest.mark.parametrize("who", ACTORS)
def test_sharing_steps_by_role(world, user_of_role, who):
    """第十八条: the office asks and publishes; only the holder answers or declines; on a
    written refusal only the office opens a case (第二十三条、第二十四条第（七）项)."""
    user = actor(world, who, user_of_role)
    office, holder = frozenset({OFFICE}), frozenset({"holder"})
    honour = world.unit_honour

    def ask(u):
        return obligations.sharing_request(
            honour=honour,
            topic="卓越绩效管理经验",
            due_on=timezone.localdate() + datetime.timedelta(days=14),
            by=u,
        )

    first = attempt(who, user, office, SharingRequest, ask, "revocation.sharing_request")
    first = first or ask(world.office)
    answered = attempt(
        who,
        user,
        holder,
        first,
        lambda u: obligations.sharing_answer(request=first, by=u, title="经验", material="正文"),
        "revocation.sharing_answer",
    )
    answered = answered or obligations.sharing_answer(
        request=first, by=holder_of(honour), title="经验", material="正文"
    )
    attempt(
        who,
        user,
        office,
        answered,
        lambda u: obligations.sharing_publish(request=answered, by=u),
        "revocation.sharing_publish",
    )
    second = ask(world.office)
    declined = attempt(
        who,
        user,
        holder,
        second,
        lambda u: obligations.sharing_decline(request=second, by=u, reason="涉及商业机密。"),
        "revocation.sharing_decline",
    )
    declined = declined or obligations.sharing_decline(
        request=second, by=holder_of(honour), reason="涉及商业机密。"
    )
    attempt(
        who,
        user,
        office,
        declined,
        lambda u: obligations.sharing_case_open(request=declined, by=u, summary="书面拒绝。"),
        "revocation.case_open",
    )


# The FSM graphs themselves: every state × every transition × every actor ------------------------

# model → (its states, its FSM field, transition → (the states it leaves from, who may take it))
GRAPHS = {
    Complaint: (
        ComplaintState,
        "handling",
        {
            "accept": ({ComplaintState.RECEIVED}, OFFICE),
            "reject": ({ComplaintState.RECEIVED}, OFFICE),
            "close": ({ComplaintState.INVESTIGATING}, OFFICE),
        },
    ),
    SharingRequest: (
        SharingState,
        "state",
        {
            "answer": ({SharingState.REQUESTED}, "holder"),
            "decline": ({SharingState.REQUESTED}, "holder"),
            "publish": ({SharingState.ANSWERED}, OFFICE),
        },
    ),
    AssessmentRound: (RoundState, "state", {"close": ({RoundState.OPEN}, OFFICE)}),
}


def _object_of(world, model):
    if model is Complaint:
        return file_one()
    if model is SharingRequest:
        return obligations.sharing_request(
            honour=world.unit_honour,
            topic="卓越绩效管理经验",
            due_on=timezone.localdate() + datetime.timedelta(days=14),
            by=world.office,
        )
    return assessments.round_plan(
        name="2026年度定期评估",
        year=2026,
        due_on=timezone.localdate(),
        cycles=[world.cycle],
        by=world.office,
    )


@pytest.mark.parametrize("model", list(GRAPHS), ids=lambda m: m.__name__)
def test_state_by_role_graph(world, user_of_role, model):
    """第二十一条 (complaints), 第十八条 (sharing), 第二十五条 (assessment rounds): in every
    state, award.fsm.step_check refuses every transition to whoever may never take it
    (PermissionDenied) and, to its actor, every transition that does not leave that state
    (TransitionRefused); from its source state the actor is held back by no state."""
    states, field, table = GRAPHS[model]
    assert {t.name for t in transitions_of(model)} == set(table)
    obj = _object_of(world, model)
    users = {who: actor(world, who, user_of_role) for who in ACTORS}
    for state in states.values:
        model.objects.filter(pk=obj.pk).update(**{field: state})
        current = model.objects.get(pk=obj.pk)
        for name, (sources, allowed) in table.items():
            for who, user in users.items():
                if who != allowed:
                    with pytest.raises(PermissionDenied):
                        step_check(current, name, user)
                elif state in sources:
                    assert step_transition(current, name) is not None, (name, state)
                    try:  # a condition (an honour revoked, records undecided) may hold it
                        step_check(current, name, user)
                    except TransitionRefused as refused:
                        assert all(e.code == "condition" for e in refused.error_list), name
                else:
                    with pytest.raises(TransitionRefused):
                        step_check(current, name, user)
