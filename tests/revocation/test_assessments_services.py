"""Periodic assessment (第二十五条): the office plans, the assigned agency helps, the office
decides 合格 / 约谈 / 不符合条件; 不符合条件 opens a revocation case from the record."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from award.enums import Role
from award.models import AuditEntry, Message
from revocation.enums import AssessmentOutcome, CaseSource, CaseState, RoundState
from revocation.models import AssessmentEvidence
from revocation.services.assessments import record_decide, record_fill, round_plan
from tests.award.sample_files import elf_bytes, minimal_pdf, upload
from tests.revocation.assessment_helpers import (
    FINDINGS,
    agency_manager,
    filled,
    planned,
    record_of,
)
from tests.revocation.factories import RevocationWorld

pytestmark = pytest.mark.django_db

INTERVIEW = {
    "interview_on": datetime.date.today(),
    "interview_attendees": "质量强市办张三、李四；单位质量负责人",
    "interview_minutes": "通报抽查问题，单位承诺整改。",
    "follow_up": "提交整改报告。",
    "follow_up_due": datetime.date.today() + datetime.timedelta(days=30),
}


def test_a_round_holds_a_record_per_active_honour_audited():
    world, round_ = planned()
    assert round_.records.count() == len(world.honours)
    assert round_.state == RoundState.OPEN
    entry = AuditEntry.objects.get(action="revocation.assessment_plan")
    assert entry.article == "第二十五条" and entry.after["records"] == len(world.honours)


def test_an_honour_under_an_open_case_is_not_assessed_again():
    world = RevocationWorld()
    world.open_case(world.unit_honour)
    _, round_ = planned(world)
    assert not round_.records.filter(honour=world.unit_honour).exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.AGENCY, Role.APPLICANT, Role.LEADER])
def test_only_the_office_plans(user_of_role, role):
    world = RevocationWorld()
    with pytest.raises(PermissionDenied):
        round_plan(
            name="x",
            year=2026,
            due_on=timezone.localdate(),
            cycles=[world.cycle],
            by=user_of_role(role),
        )


def test_the_assigned_agency_fills_but_another_agency_and_the_auditor_do_not(user_of_role):
    manager = agency_manager()
    world, round_ = planned(agency=manager.agency)
    record = record_of(round_, world.unit_honour)
    record_fill(
        record=record,
        by=manager,
        proposed_outcome=AssessmentOutcome.INTERVIEW,
        files=[upload("抽查报告.pdf", minimal_pdf())],
        **FINDINGS,
    )
    record.refresh_from_db()
    assert record.lawful == FINDINGS["lawful"]
    assert record.proposed_outcome == AssessmentOutcome.INTERVIEW
    assert AssessmentEvidence.objects.get(record=record).original_name == "抽查报告.pdf"
    for outsider in (agency_manager(), user_of_role(Role.AUDITOR), user_of_role(Role.APPLICANT)):
        with pytest.raises(PermissionDenied):
            record_fill(record=record, by=outsider, **FINDINGS)


def test_the_agency_may_not_decide():
    manager = agency_manager()
    world, round_ = planned(agency=manager.agency)
    record = filled(record_of(round_, world.unit_honour), manager)
    with pytest.raises(PermissionDenied):
        record_decide(record=record, by=manager, outcome=AssessmentOutcome.PASSED)


def test_evidence_is_checked_by_content():
    world, round_ = planned()
    record = record_of(round_, world.unit_honour)
    with pytest.raises(ValidationError) as refused:
        record_fill(
            record=record, by=world.office, files=[upload("报告.pdf", elf_bytes())], **FINDINGS
        )
    assert "files" in refused.value.message_dict
    assert not AssessmentEvidence.objects.exists()


def test_findings_come_before_an_outcome():
    world, round_ = planned()
    record = record_of(round_, world.unit_honour)
    with pytest.raises(ValidationError):
        record_decide(record=record, by=world.office, outcome=AssessmentOutcome.PASSED)


def test_an_interview_needs_its_record_and_tells_the_holder(django_capture_on_commit_callbacks):
    world, round_ = planned()
    record = filled(record_of(round_, world.unit_honour), world.office)
    with pytest.raises(ValidationError) as refused:
        record_decide(record=record, by=world.office, outcome=AssessmentOutcome.INTERVIEW)
    assert {"interview_on", "interview_minutes", "follow_up_due"} <= set(refused.value.message_dict)
    record_decide(record=record, by=world.office, outcome=AssessmentOutcome.INTERVIEW, **INTERVIEW)
    record.refresh_from_db()
    assert record.outcome == AssessmentOutcome.INTERVIEW and record.follow_up == "提交整改报告。"
    holder = world.unit_honour.application.applicant
    message = Message.objects.get(recipient=holder, subject__contains="约谈")
    assert "提交整改报告" in message.body
    with pytest.raises(ValidationError):
        record_decide(record=record, by=world.office, outcome=AssessmentOutcome.PASSED)


def test_unfit_opens_a_revocation_case_from_the_record():
    """第二十五条: 对不符合条件的按程序撤销 — the case is linked to the record."""
    world, round_ = planned()
    record = filled(record_of(round_, world.unit_honour), world.office)
    with pytest.raises(ValidationError) as refused:
        record_decide(record=record, by=world.office, outcome=AssessmentOutcome.UNFIT)
    assert "grounds" in refused.value.message_dict
    ground = world.ground(world.unit_honour, 4)
    record = record_decide(
        record=record, by=world.office, outcome=AssessmentOutcome.UNFIT, grounds=[ground]
    )
    case = record.case
    assert case.source == CaseSource.ASSESSMENT and case.state == CaseState.INVESTIGATING
    assert list(case.grounds.all()) == [ground]
    assert round_.name in case.summary and FINDINGS["lawful"] in case.summary
    entry = AuditEntry.objects.get(action="revocation.assessment_decide")
    assert entry.after["revocation_case"] == case.number


def test_unfit_with_a_ground_of_the_other_kind_decides_nothing():
    world, round_ = planned()
    record = filled(record_of(round_, world.unit_honour), world.office)
    with pytest.raises(ValidationError):
        record_decide(
            record=record,
            by=world.office,
            outcome=AssessmentOutcome.UNFIT,
            grounds=[world.ground(world.person_honour, 1)],
        )
    record.refresh_from_db()
    assert record.outcome == "" and record.case is None


def test_the_round_closes_when_every_record_is_decided():
    world, round_ = planned()
    for honour in world.honours:
        record = filled(record_of(round_, honour), world.office)
        round_.refresh_from_db()
        assert round_.state == RoundState.OPEN
        record_decide(record=record, by=world.office, outcome=AssessmentOutcome.PASSED)
    round_.refresh_from_db()
    assert round_.state == RoundState.CLOSED and round_.closed_at is not None
    assert AuditEntry.objects.filter(action="revocation.assessment_close").count() == 1
