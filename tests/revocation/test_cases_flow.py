"""A revocation case from 立案 to 撤销 (第二十三条、第二十四条、第十九条) through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.enums import ApplicationState
from applications.models import Application
from award.fsm import TransitionRefused
from award.models import AuditEntry, Message
from decisions.enums import HonourStatus
from revocation.enums import CaseBallotChoice, CaseState
from revocation.models import CaseBallot, RevocationAnnouncement
from revocation.services.cases import (
    case_ballot_cast,
    case_close,
    case_find_false,
    case_reject,
    case_reply,
    case_revoke,
    case_send,
    case_submit,
)
from tests.revocation import case_steps as steps
from tests.revocation.factories import RevocationWorld

pytestmark = pytest.mark.django_db


def test_full_run_revokes_everywhere():
    """第二十三条: 查证属实 → 陈述申辩 → 领导小组 → 市政府 → 撤销, audited and announced."""
    world = RevocationWorld()
    case = world.open_case(items=(1, 2))
    case = steps.run_to(world, case, "revoked")
    assert case.state == CaseState.REVOKED
    honour = case.honour
    honour.refresh_from_db()
    assert honour.status == HonourStatus.REVOKED
    assert honour.revoked_article == "第二十三条第（一）（二）项"
    assert Application.objects.get(pk=honour.application_id).state == ApplicationState.REVOKED
    announcement = RevocationAnnouncement.objects.get(case=case)
    assert honour.holder_name in announcement.title
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    for action in (
        "revocation.case_find_true",
        "revocation.case_reply",
        "revocation.case_send",
        "revocation.case_vote_open",
        "revocation.case_ballot",
        "revocation.case_vote_close",
        "revocation.case_submit",
        "revocation.case_revoke",
        "revocation.announcement_publish",
        "application.revoke",
    ):
        assert action in actions
    holder = honour.application.applicant
    assert Message.objects.filter(recipient=holder, subject__contains=case.number).count() >= 2


def test_find_false_closes_with_reason():
    world = RevocationWorld()
    case = world.open_case()
    with pytest.raises(ValidationError):
        case_find_false(case=case, by=world.office, reason="")
    case = case_find_false(case=case, by=world.office, reason="举报内容经核实不属实。")
    assert case.state == CaseState.CLOSED and "不属实" in case.closed_reason


def test_answer_deadline_must_leave_working_days():
    world = RevocationWorld()
    case = world.open_case()
    from revocation.services.cases import case_find_true

    with pytest.raises(ValidationError) as refused:
        case_find_true(case=case, by=world.office, findings="查实。", answer_due_on=steps.past(0))
    assert "answer_due_on" in refused.value.message_dict


def test_holder_of_another_case_may_not_answer():
    """Only the holder of this honour states its case (the other honour's holder is refused)."""
    world = RevocationWorld()
    case = steps.run_to(world, world.open_case(), "awaiting_answer")
    other = world.person_honour.application.applicant
    with pytest.raises(PermissionDenied):
        case_reply(case=case, by=other, answer="不是我的案件")
    with pytest.raises(PermissionDenied):
        case_reply(case=case, by=world.office, answer="代为申辩")


def test_no_answer_after_the_deadline_then_office_may_send():
    world = RevocationWorld()
    case = steps.run_to(world, world.open_case(), "awaiting_answer")
    with pytest.raises(TransitionRefused):
        case_send(case=case, by=world.office)  # neither answered nor past the deadline
    type(case).objects.filter(pk=case.pk).update(answer_due_on=steps.past())
    holder = case.honour.application.applicant
    with pytest.raises(TransitionRefused) as refused:
        case_reply(case=case, by=holder, answer="迟到的申辩")
    assert "期限已过" in refused.value.messages[0]
    case = case_send(case=case, by=world.office)
    assert case.state == CaseState.DELIBERATION


def test_answer_only_once():
    world = RevocationWorld()
    case = steps.run_to(world, world.open_case(), "awaiting_answer")
    steps.reply(world, case)
    with pytest.raises(TransitionRefused):
        steps.reply(world, case)


def test_vote_one_ballot_per_member_and_majority():
    world = RevocationWorld()
    case = steps.run_to(world, world.open_case(), "deliberation")
    from django.utils import timezone

    from revocation.services.cases import case_vote_open

    case_vote_open(
        case=case, by=world.office, held_on=timezone.localdate(), members_present=world.leaders
    )
    case_ballot_cast(case=case, by=world.leaders[0], choice=CaseBallotChoice.AGREE)
    with pytest.raises(ValidationError):
        case_ballot_cast(case=case, by=world.leaders[0], choice=CaseBallotChoice.DISAGREE)
    assert CaseBallot.objects.filter(member=world.leaders[0]).count() == 1
    with pytest.raises(PermissionDenied):
        case_ballot_cast(case=case, by=world.office, choice=CaseBallotChoice.AGREE)


def test_quorum_is_required():
    world = RevocationWorld()
    case = steps.run_to(world, world.open_case(), "deliberation")
    from django.utils import timezone

    from revocation.services.cases import case_vote_open

    with pytest.raises(ValidationError) as refused:
        case_vote_open(
            case=case,
            by=world.office,
            held_on=timezone.localdate(),
            members_present=world.leaders[:2],
        )
    assert "法定人数" in refused.value.message_dict["members_present"][0]


def test_no_majority_closes_with_reason():
    """Half is not more than half: 2 同意 of 4 ballots → 领导小组未同意."""
    world = RevocationWorld()
    case = steps.run_to(world, world.open_case(), "deliberation")
    A, D, X = CaseBallotChoice.AGREE, CaseBallotChoice.DISAGREE, CaseBallotChoice.ABSTAIN
    steps.vote(world, case, [A, A, D, X])
    with pytest.raises(TransitionRefused):
        case_submit(case=case, by=world.office)
    case = case_reject(case=case, by=world.office)
    assert case.state == CaseState.CLOSED and case.closed_reason == "领导小组未同意"


def test_revoking_needs_the_decision_and_happens_once():
    world = RevocationWorld()
    case = steps.run_to(world, world.open_case(), "submitted")
    with pytest.raises(ValidationError) as refused:
        case_revoke(case=case, by=world.office, document_number="", decided_on=None, file=None)
    assert set(refused.value.message_dict) == {"document_number", "decided_on", "file"}
    from award.fsm import step_blockers

    assert "尚未记录市政府撤销决定" in step_blockers(case, "revoke", world.office)[0]
    steps.revoke(world, case)
    with pytest.raises(ValidationError):
        steps.revoke(world, case)
    assert RevocationAnnouncement.objects.count() == 1


def test_close_needs_reason_and_open_state():
    world = RevocationWorld()
    case = world.open_case()
    with pytest.raises(ValidationError):
        case_close(case=case, by=world.office, reason=" ")
    case = case_close(case=case, by=world.office, reason="主体已整改，情节轻微。")
    assert case.state == CaseState.CLOSED
    with pytest.raises(TransitionRefused):
        case_close(case=case, by=world.office, reason="再次结案")


def test_the_answer_deadline_counts_working_days():
    """第二十三条: the holder gets at least 5 working days to answer; 2026年10月1日 falls in
    国庆, so the window starts after the holiday. A year whose holidays are not published gets
    a bound long enough whatever they turn out to be."""
    import datetime

    from revocation.services.cases import ANSWER_DAYS_WITHOUT_CALENDAR, earliest_answer_due

    assert earliest_answer_due(datetime.date(2026, 9, 30)) > datetime.date(2026, 10, 12)
    far = datetime.date(2099, 3, 2)
    assert earliest_answer_due(far) == far + datetime.timedelta(days=ANSWER_DAYS_WITHOUT_CALENDAR)
