"""Periodic assessment of the winners (第二十五条): 质量强市办组织或者聘请第三方机构协助实施
定期评估，主要评估守法经营、示范引领、持续改进; 问题轻微的约谈; 不符合条件的按程序撤销.

The office plans a round and decides each record's outcome; an agency assigned to the round
may fill the findings and propose an outcome, never decide it. 不符合条件 opens a revocation
case from the record (revocation.services.cases.case_open, source 定期评估).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from award.fsm import step_blockers, step_check, step_run
from award.models import Agency, User
from award.permissions import is_agency_manager, is_office, is_staff_reader
from award.services.audit import audit_record, download_record
from award.services.notifications import notify
from award.services.submissions import submission_claim, submission_made
from award.text import refuse_bad_model_text
from decisions.enums import HonourStatus
from decisions.models import Honour
from decisions.selectors.honours import PUBLISHED_PHASES
from decisions.services.approval import chinese_date
from revocation.enums import AssessmentOutcome, CaseSource, RoundState
from revocation.models import AssessmentEvidence, AssessmentRecord, AssessmentRound
from revocation.models.assessments import ARTICLE
from revocation.models.cases import OPEN_CASE_STATES
from revocation.services.cases import case_open
from revocation.services.files import check_files, store_files

FINDINGS = ("lawful", "leadership", "improvement")


def may_view_record(record: AssessmentRecord, user) -> bool:
    """The office, the auditor, and managers of the agency assigned to the record's round."""
    return is_staff_reader(user) or is_agency_manager(record.round.agency, user)


def may_fill_record(record: AssessmentRecord, user) -> bool:
    """While undecided: the office, or a manager of the round's assigned agency."""
    if record.is_decided or record.round.state != RoundState.OPEN:
        return False
    return is_office(user) or is_agency_manager(record.round.agency, user)


def round_plan(
    *,
    name: str,
    year: int,
    due_on: datetime.date,
    cycles,
    by: User,
    agency: Agency | None = None,
    submission_token=None,
) -> AssessmentRound:
    """Plan a round covering the active honours of the published `cycles` (those not already
    under an open revocation case): one record per honour, optionally assisted by `agency`.
    Office only (PermissionDenied). Audited `revocation.assessment_plan`."""
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以组织定期评估。"))
    cycles = list(cycles)
    typed = refuse_bad_model_text(AssessmentRound, {"name": name or ""})
    errors = {}
    if not typed["name"]:
        errors["name"] = [_("请填写评估名称。")]
    if not year:
        errors["year"] = [_("请填写评估年度。")]
    if due_on is None:
        errors["due_on"] = [_("请填写完成期限。")]
    elif due_on < timezone.localdate():
        errors["due_on"] = [_("完成期限不能早于今天。")]
    if not cycles:
        errors["cycles"] = [_("请至少选择一个已公布的评选届次。")]
    elif any(c.phase not in PUBLISHED_PHASES for c in cycles):
        errors["cycles"] = [_("只能评估已公布届次的获评单位和个人。")]
    if errors:
        raise ValidationError(errors)
    # An honour already under a revocation case is not assessed again meanwhile.
    honours = list(
        Honour.objects.filter(cycle__in=cycles, status=HonourStatus.ACTIVE)
        .exclude(revocation_cases__state__in=OPEN_CASE_STATES)
        .order_by("pk")
    )
    if not honours:
        raise ValidationError({"cycles": [_("所选届次没有有效的获评荣誉。")]})
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action="revocation.assessment_plan")
        round_ = AssessmentRound(
            name=typed["name"], year=year, due_on=due_on, agency=agency, created_by=by
        )
        round_.full_clean(exclude=["state"])  # protected FSM field, at its default
        round_.save()
        round_.cycles.set(cycles)
        AssessmentRecord.objects.bulk_create(
            AssessmentRecord(round=round_, honour=honour) for honour in honours
        )
        submission_made(claim, round_)
        audit_record(
            actor=by,
            action="revocation.assessment_plan",
            obj=round_,
            after={
                "assessment_name": round_.name,
                "due_on": due_on,
                "assessment_agency": agency.name if agency else "",
                "records": len(honours),
            },
            article=ARTICLE,
        )
    return round_


def record_fill(
    *,
    record: AssessmentRecord,
    by: User,
    lawful: str,
    leadership: str,
    improvement: str,
    proposed_outcome: str = "",
    files=(),
) -> AssessmentRecord:
    """Write the findings on 守法经营、示范引领、持续改进 and add evidence files (checked by
    content). Office or the round's assigned agency, while undecided (else PermissionDenied).
    Audited `revocation.assessment_fill`."""
    if not may_fill_record(record, by):
        raise PermissionDenied(_("您不能填写该评估记录。"))
    typed = refuse_bad_model_text(
        AssessmentRecord,
        {"lawful": lawful or "", "leadership": leadership or "", "improvement": improvement or ""},
    )
    errors = {}
    if proposed_outcome and proposed_outcome not in AssessmentOutcome.values:
        errors["proposed_outcome"] = [_("请选择建议结论。")]
    checked, file_errors = check_files(files)
    if file_errors:
        errors["files"] = file_errors
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = (
            AssessmentRecord.objects.select_for_update(of=("self",))
            .select_related("round__agency", "honour")
            .get(pk=record.pk)
        )
        if not may_fill_record(locked, by):
            raise ValidationError(_("该评估记录已作出结论，不能再修改。"), code="not_now")
        before = {k: getattr(locked, k) for k in FINDINGS}
        for key in FINDINGS:
            setattr(locked, key, typed[key])
        locked.proposed_outcome = proposed_outcome or ""
        locked.filled_by, locked.filled_at = by, timezone.now()
        locked.save(
            update_fields=[*FINDINGS, "proposed_outcome", "filled_by", "filled_at"],
        )
        stored = store_files(AssessmentEvidence, checked, record=locked, uploaded_by=by)
        audit_record(
            actor=by,
            action="revocation.assessment_fill",
            obj=locked,
            before=before,
            after={
                **{k: typed[k] for k in FINDINGS},
                "proposed_outcome": locked.proposed_outcome,
                "evidence": [f.original_name for f in stored],
            },
            article=ARTICLE,
        )
    return locked


def case_summary(record: AssessmentRecord) -> str:
    return _(
        "%(round)s认定不符合条件（第二十五条）。守法经营：%(lawful)s；示范引领：%(leadership)s；"
        "持续改进：%(improvement)s"
    ) % {
        "round": record.round.name,
        "lawful": record.lawful,
        "leadership": record.leadership,
        "improvement": record.improvement,
    }


def record_decide(
    *,
    record: AssessmentRecord,
    by: User,
    outcome: str,
    grounds=(),
    interview_on: datetime.date | None = None,
    interview_attendees: str = "",
    interview_minutes: str = "",
    follow_up: str = "",
    follow_up_due: datetime.date | None = None,
) -> AssessmentRecord:
    """Record the outcome of one assessment; final. Office only (PermissionDenied).

    合格: nothing more. 约谈: the interview's date, people present, minutes, the follow-up
    and its due date; the holder is told (站内信 and email). 不符合条件: opens a revocation
    case with the office's `grounds` (case_open, source 定期评估) and links it here; a case
    refused (honour revoked or already under a case) refuses the outcome. The round closes
    when every record has an outcome. Audited `revocation.assessment_decide`.
    """
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以认定定期评估结论。"))
    errors = {}
    if outcome not in AssessmentOutcome.values:
        errors["outcome"] = [_("请选择评估结论。")]
    typed = refuse_bad_model_text(
        AssessmentRecord,
        {
            "interview_attendees": interview_attendees or "",
            "interview_minutes": interview_minutes or "",
            "follow_up": follow_up or "",
        },
    )
    if outcome == AssessmentOutcome.INTERVIEW:
        required = {
            "interview_on": (interview_on, _("请填写约谈日期。")),
            "interview_attendees": (typed["interview_attendees"], _("请填写参加约谈的人员。")),
            "interview_minutes": (typed["interview_minutes"], _("请填写约谈纪要。")),
            "follow_up": (typed["follow_up"], _("请填写整改要求。")),
            "follow_up_due": (follow_up_due, _("请填写整改期限。")),
        }
        errors.update({k: [msg] for k, (value, msg) in required.items() if not value})
        if interview_on and interview_on > timezone.localdate():
            errors["interview_on"] = [_("约谈日期不能晚于今天：请在约谈后记录纪要。")]
        if interview_on and follow_up_due and follow_up_due <= interview_on:
            errors["follow_up_due"] = [_("整改期限应晚于约谈日期。")]
    grounds = list(grounds or ())
    if outcome == AssessmentOutcome.UNFIT and not grounds:
        errors["grounds"] = [_("认定不符合条件的，请选择撤销情形（第二十三条、第二十四条）。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = (
            AssessmentRecord.objects.select_for_update(of=("self",))
            .select_related("round", "honour__cycle", "honour__application__applicant")
            .get(pk=record.pk)
        )
        if locked.is_decided:
            raise ValidationError(_("该评估记录已作出结论，不能重复认定。"), code="not_now")
        if not locked.findings_complete:
            raise ValidationError(
                _("请先填写守法经营、示范引领、持续改进三方面的评估情况。"), code="not_now"
            )
        locked.outcome = outcome
        locked.decided_by, locked.decided_at = by, timezone.now()
        if outcome == AssessmentOutcome.INTERVIEW:
            locked.interview_on = interview_on
            locked.interview_attendees = typed["interview_attendees"]
            locked.interview_minutes = typed["interview_minutes"]
            locked.follow_up = typed["follow_up"]
            locked.follow_up_due = follow_up_due
        if outcome == AssessmentOutcome.UNFIT:
            locked.case = case_open(
                honour=locked.honour,
                grounds=grounds,
                summary=case_summary(locked),
                by=by,
                source=CaseSource.ASSESSMENT,
            )
        locked.save()
        audit_record(
            actor=by,
            action="revocation.assessment_decide",
            obj=locked,
            after={
                "assessment_outcome": outcome,
                "interview_on": locked.interview_on,
                "follow_up_due": locked.follow_up_due,
                "revocation_case": locked.case.number if locked.case else "",
            },
            article=ARTICLE,
        )
        _close_round_if_done(locked.round, by)
        if outcome == AssessmentOutcome.INTERVIEW:
            holder = locked.honour.application.applicant
            notify(
                recipients=[holder],
                template="revocation_assessment_interview",
                context={
                    "holder": locked.honour.holder_name,
                    "round": locked.round.name,
                    "interview_on": chinese_date(locked.interview_on),
                    "follow_up": locked.follow_up,
                    "follow_up_due": chinese_date(locked.follow_up_due),
                },
                url=reverse("decisions:honour_detail", kwargs={"pk": locked.honour_id}),
            )
    return locked


def _close_round_if_done(round_: AssessmentRound, by: User) -> None:
    locked = AssessmentRound.objects.select_for_update(of=("self",)).get(pk=round_.pk)
    if step_blockers(locked, "close"):
        return  # closed already, or records still wait for an outcome
    transition = step_check(locked, "close", by)
    step_run(
        locked,
        transition,
        by=by,
        action="revocation.assessment_close",
        update_fields=["closed_at"],
        after_extra={"records": locked.records.count()},
    )


def evidence_open(*, evidence: AssessmentEvidence, by: User) -> AssessmentEvidence:
    """Record that someone who may see the record opened an evidence file."""
    if not may_view_record(evidence.record, by):
        raise PermissionDenied
    download_record(
        by=by,
        obj=evidence.record,
        action="revocation.assessment_evidence_download",
        what={"evidence": evidence.pk, "sha256": evidence.sha256},
    )
    return evidence
