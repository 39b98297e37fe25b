"""Complaints (举报投诉, 第二十一条): 评审活动接受社会各界的监督，质量强市办负责受理评选活动中
违反评审规则的问题反馈.

The public files at any time — real-name unless the office has enabled anonymous complaints
(凡以匿名方式提出举报投诉的，不予受理) — and reads the state and result by its receipt code.
The office accepts or refuses, links the complaint to an application, an expert or an honour,
records its investigation, closes it with a result, and from the complaint may open a
revocation case (第二十三条、第二十四条) or disqualify the expert (第二十二条).

The complainant's identity (name, 身份证号码, phone, contact, files) is for the office and the
auditor only: no audit entry, message or other page carries it.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from applications.models import Application
from applications.services.common import office_staff
from award.exceptions import SubmissionReplayed
from award.fsm import step_check, step_run
from award.models import SubmissionToken, User
from award.permissions import is_office, is_staff_reader
from award.services.audit import audit_record, download_record
from award.services.notifications import notify
from award.text import clean_model_text, clean_model_value
from decisions.models import Honour
from decisions.services.objections import rate_count, rate_retry_at
from decisions.services.real_name import FilingWords, check_files, check_identity, store_files
from review.models import Expert
from review.services.misconduct import expert_disqualify
from revocation.enums import (
    CaseSource,
    ComplainantKind,
    ComplaintFileKind,
    ComplaintState,
    ComplaintSubjectKind,
)
from revocation.models import Complaint, ComplaintFile, ComplaintNote, ComplaintSettings
from revocation.models.complaints import ARTICLE
from revocation.services.cases import case_open

ANONYMOUS_RULE = "凡以匿名方式提出举报投诉的，不予受理"

# Per client address and hour: complaints filed, and receipt codes looked up and not found.
RATE_LIMITS = {"file": 3, "lookup": 20}


# The public's rate limits ------------------------------------------------------------------


def _rate_key(scope: str, address: str) -> str:
    return f"revocation:complaint-{scope}:{address}"


def complaint_rate_retry_at(address: str, scope: str = "file") -> datetime.datetime | None:
    """When `address` may file (scope "file") or look up (scope "lookup") again, if it used
    up the hour's limit; None if it may now."""
    return rate_retry_at(_rate_key(scope, address), RATE_LIMITS[scope])


def complaint_rate_count(address: str, scope: str = "file") -> None:
    rate_count(_rate_key(scope, address), RATE_LIMITS[scope])


# Settings ----------------------------------------------------------------------------------


def complaint_settings() -> ComplaintSettings:
    """The office's settings; unsaved defaults (anonymous off) until it sets them."""
    return ComplaintSettings.objects.order_by("pk").first() or ComplaintSettings()


def complaint_settings_update(
    *, by: User, allows_anonymous: bool, contact: str = ""
) -> ComplaintSettings:
    """The office turns anonymous complaints on or off and sets the contact; audited."""
    _require_office(by)
    contact = clean_model_value(ComplaintSettings, "contact", contact or "")
    with transaction.atomic():
        current = ComplaintSettings.objects.select_for_update().order_by("pk").first()
        current = current or ComplaintSettings()
        before = _settings_record(current)
        current.allows_anonymous = bool(allows_anonymous)
        current.contact = contact
        current.updated_by = by
        current.save()
        audit_record(
            actor=by,
            action="revocation.complaint_settings",
            obj=current,
            before=before,
            after=_settings_record(current),
            article=ARTICLE,
        )
    return current


def _settings_record(settings: ComplaintSettings) -> dict:
    return {
        "allows_anonymous_complaints": settings.allows_anonymous,
        "complaint_contact": settings.contact,
    }


# Filing ------------------------------------------------------------------------------------


COMPLAINT_WORDS = FilingWords(
    kind_field="complainant_kind",
    choose_kind=_("请选择以个人还是单位名义提出举报投诉。"),
    anonymous_refused=_(
        "凡以匿名方式提出举报投诉的，不予受理；请以个人或单位名义实名提出（第二十一条）。"
    ),
    missing=_("实名举报投诉须填写%(label)s（第二十一条）。"),
    seal_letter_missing=_("以单位名义举报投诉，须上传加盖单位公章的举报投诉书（第二十一条）。"),
)


def complaint_file(
    *,
    complainant_kind: str,
    facts: str,
    subject: str,
    subject_kind: str = "",
    name: str = "",
    id_number: str = "",
    phone: str = "",
    contact_person: str = "",
    evidence=(),
    seal_letter=None,
    submission_token=None,
) -> Complaint:
    """File a complaint from the public (第二十一条), at any time.

    Real-name by default: a person gives name, 身份证号码 (checksum) and phone; a unit its
    name, contact person, phone and a letter bearing its seal. Anonymous only while the
    office has enabled it. What happened and about whom are required; files are PDF/JPG/PNG
    checked by content. Every problem comes back at once in one ValidationError by field.
    Posted twice with one `submission_token`, the second call raises SubmissionReplayed with
    the first complaint. Audited `revocation.complaint_file` without the identity; the office
    is told.
    """
    evidence = [f for f in evidence if f]
    typed, errors = clean_model_text(
        Complaint,
        {
            "name": name or "",
            "id_number": id_number or "",
            "phone": phone or "",
            "contact_person": contact_person or "",
            "subject": subject or "",
            "facts": facts or "",
        },
    )
    errors = {key: list(value) for key, value in errors.items()}
    settings = complaint_settings()
    identity = check_identity(
        complainant_kind,
        typed,
        seal_letter,
        allows_anonymous=settings.allows_anonymous,
        errors=errors,
        words=COMPLAINT_WORDS,
    )
    if "facts" not in errors and not typed["facts"]:
        errors["facts"] = [
            _("请写明所反映的问题：发生了什么、何时何地、涉及哪些规则（第二十一条）。")
        ]
    if "subject" not in errors and not typed["subject"]:
        errors["subject"] = [_("请写明被举报对象（单位、个人或评审环节）。")]
    if subject_kind and subject_kind not in ComplaintSubjectKind.values:
        errors["subject_kind"] = [_("请从列表中选择被举报对象类别。")]
    checked = check_files(
        evidence,
        seal_letter if complainant_kind == ComplainantKind.UNIT else None,
        errors,
        seal_kind=ComplaintFileKind.SEAL_LETTER,
        evidence_kind=ComplaintFileKind.EVIDENCE,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if submission_token:
            first = Complaint.objects.filter(submission_token=submission_token).first()
            if first is not None:
                raise SubmissionReplayed(first)
        complaint = Complaint(
            complainant_kind=complainant_kind,
            subject=typed["subject"],
            subject_kind=subject_kind or "",
            facts=typed["facts"],
            submission_token=submission_token or None,
            **identity,
        )
        try:
            with transaction.atomic():
                complaint.save()
        except IntegrityError:
            first = Complaint.objects.filter(submission_token=submission_token).first()
            if first is None:
                raise
            raise SubmissionReplayed(first) from None
        stored = []
        try:
            store_files(
                checked,
                lambda kind, upload: ComplaintFile(
                    complaint=complaint,
                    kind=kind,
                    original_name=upload.original_name,
                    content_type=upload.content_type,
                    size=upload.size,
                    sha256=upload.sha256,
                ),
                stored=stored,
            )
            audit_record(
                actor=None,
                action="revocation.complaint_file",
                obj=complaint,
                after={
                    "complaint_receipt": complaint.receipt_code,
                    "complainant_kind": complaint.complainant_kind,
                    "complaint_files": [upload.sha256 for _kind, _file, upload in checked],
                },
                article=ARTICLE,
            )
        except Exception:
            for file in stored:
                file.delete(save=False)
            raise
        notify(
            recipients=office_staff(),
            template="revocation_complaint_filed",
            context={"complaint": complaint},
        )
    return complaint


# The office's handling ----------------------------------------------------------------------


def _require_office(by: User) -> None:
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以办理举报投诉（第二十一条）。"))


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)


def _text(name: str, value: str, key: str, required: str) -> str:
    value = clean_model_value(Complaint, name, value or "", key=key)
    if not value:
        raise ValidationError({key: required}, code="required")
    return value


def complaint_accept(*, complaint: Complaint, by: User) -> Complaint:
    """受理: 待受理 → 调查中. Office only; audited `revocation.complaint_accept`."""
    _require_office(by)
    with transaction.atomic():
        locked = _lock(complaint)
        transition = step_check(locked, "accept", by)
        step_run(
            locked,
            transition,
            by=by,
            action="revocation.complaint_accept",
            update_fields=["accepted_by", "accepted_at"],
            after_extra={"complaint_receipt": locked.receipt_code},
            params={"by": by},
        )
    return locked


def complaint_reject(*, complaint: Complaint, by: User, reason: str) -> Complaint:
    """不予受理 with a written reason the complainant reads: 待受理 → 不予受理. Office only."""
    _require_office(by)
    reason = _text(
        "rejection_reason",
        reason,
        "reason",
        _("请写明不予受理的理由，将告知举报人（第二十一条）。"),
    )
    with transaction.atomic():
        locked = _lock(complaint)
        transition = step_check(locked, "reject", by)
        step_run(
            locked,
            transition,
            by=by,
            action="revocation.complaint_reject",
            update_fields=["rejection_reason", "decided_by", "decided_at"],
            after_extra={"complaint_receipt": locked.receipt_code},
            reason=reason,
            params={"by": by, "reason": reason},
        )
    return locked


def complaint_close(*, complaint: Complaint, by: User, result: str) -> Complaint:
    """办结 with the result the complainant reads by the receipt code: 调查中 → 已办结."""
    _require_office(by)
    result = _text("result", result, "result", _("请写明调查核实情况和处理结果，将告知举报人。"))
    with transaction.atomic():
        locked = _lock(complaint)
        transition = step_check(locked, "close", by)
        step_run(
            locked,
            transition,
            by=by,
            action="revocation.complaint_close",
            update_fields=["result", "decided_by", "decided_at"],
            after_extra={"complaint_receipt": locked.receipt_code, "complaint_result": result},
            params={"by": by, "result": result},
        )
    return locked


def _require_open(locked: Complaint) -> None:
    if locked.handling not in (ComplaintState.RECEIVED, ComplaintState.INVESTIGATING):
        raise ValidationError(
            _("该举报投诉已%(state)s，不能再办理。") % {"state": locked.get_handling_display()},
            code="state",
        )


def _require_investigating(locked: Complaint, what: str) -> None:
    if locked.handling != ComplaintState.INVESTIGATING:
        raise ValidationError(
            _("举报投诉当前为“%(state)s”，受理后调查中才能%(what)s。")
            % {"state": locked.get_handling_display(), "what": what},
            code="state",
        )


def complaint_link(
    *,
    complaint: Complaint,
    by: User,
    application: Application | None = None,
    expert: Expert | None = None,
    honour: Honour | None = None,
) -> Complaint:
    """Link the complaint to what it turns out to be about (any of an application, an expert,
    an honour; None unlinks). Office only, while 待受理 or 调查中; an honour brings its
    application. Audited `revocation.complaint_link`."""
    _require_office(by)
    if honour is not None and application is None:
        application = honour.application
    if honour is not None and honour.application_id != application.pk:
        raise ValidationError({"honour": _("所选荣誉不属于所选申报。")})
    with transaction.atomic():
        locked = _lock(complaint)
        _require_open(locked)
        before = _links(locked)
        locked.application, locked.expert, locked.honour = application, expert, honour
        locked.save(update_fields=["application", "expert", "honour", "updated_at"])
        audit_record(
            actor=by,
            action="revocation.complaint_link",
            obj=locked,
            before=before,
            after=_links(locked),
            article=ARTICLE,
        )
    return locked


def _links(complaint: Complaint) -> dict:
    return {
        "complaint_application": complaint.application_id,
        "complaint_expert": complaint.expert_id,
        "complaint_honour": complaint.honour.serial if complaint.honour_id else None,
    }


def complaint_note_add(*, complaint: Complaint, by: User, text: str) -> ComplaintNote:
    """Record a step of the investigation (调查记录). Office only, while 调查中."""
    _require_office(by)
    text = clean_model_value(ComplaintNote, "text", text or "", key="text")
    if not text:
        raise ValidationError({"text": _("请填写调查记录。")}, code="required")
    with transaction.atomic():
        locked = _lock(complaint)
        _require_investigating(locked, _("填写调查记录"))
        note = ComplaintNote.objects.create(complaint=locked, text=text, written_by=by)
        audit_record(
            actor=by,
            action="revocation.complaint_note",
            obj=locked,
            after={"complaint_note": note.text},
            article=ARTICLE,
        )
    return note


def complaint_open_case(
    *, complaint: Complaint, by: User, grounds, summary: str, submission_token=None
):
    """Open a revocation case (第二十三条、第二十四条) against the honour the complaint is
    linked to, through `case_open` with source 投诉举报, and link the complaint to it.

    Office only, while 调查中 with an honour linked and no case yet. Audited
    `revocation.complaint_case` (besides case_open's own entry).
    """
    _require_office(by)
    with transaction.atomic():
        locked = _lock(complaint)
        _require_investigating(locked, _("立案调查撤销事项"))
        if locked.honour_id is None:
            raise ValidationError(
                _("请先将举报投诉关联到所涉及的荣誉，再立案调查撤销事项。"), code="no_honour"
            )
        if locked.case_id is not None:
            if (
                submission_token
                and SubmissionToken.objects.filter(user=by, token=submission_token).exists()
            ):
                raise SubmissionReplayed(locked.case)  # the same form posted twice
            raise ValidationError(
                _("该举报投诉已立案（%(number)s）。") % {"number": locked.case.number},
                code="has_case",
            )
        case = case_open(
            honour=locked.honour,
            grounds=grounds,
            summary=summary,
            by=by,
            source=CaseSource.COMPLAINT,
            submission_token=submission_token,
        )
        locked.case = case
        locked.save(update_fields=["case", "updated_at"])
        audit_record(
            actor=by,
            action="revocation.complaint_case",
            obj=locked,
            after={"complaint_receipt": locked.receipt_code, "complaint_case": case.number},
            article=ARTICLE,
        )
    return case


def complaint_disqualify_expert(*, complaint: Complaint, by: User, reason: str) -> Expert:
    """取消评审资格 (第二十二条) of the expert the complaint is linked to, through
    review.services.misconduct.expert_disqualify. Office only, while 调查中.
    Audited `revocation.complaint_expert` (besides the review floor's own entry)."""
    _require_office(by)
    with transaction.atomic():
        locked = _lock(complaint)
        _require_investigating(locked, _("取消专家评审资格"))
        if locked.expert_id is None:
            raise ValidationError(_("请先将举报投诉关联到所涉及的评审专家。"), code="no_expert")
        expert = expert_disqualify(expert=locked.expert, by=by, reason=reason)
        audit_record(
            actor=by,
            action="revocation.complaint_expert",
            obj=locked,
            after={"complaint_receipt": locked.receipt_code, "complaint_expert": expert.pk},
            reason=reason,
            article="第二十一条、第二十二条",
        )
    return expert


def complaint_file_open(*, file: ComplaintFile, by: User) -> ComplaintFile:
    """Record that the office or the auditor opened a complaint's file (download_record). The
    letter bearing a unit's seal names the complainant: the office's alone (第二十一条)."""
    if not is_staff_reader(by):
        raise PermissionDenied(_("只有质量强市办和监督人员可以查看举报投诉材料。"))
    if file.kind == ComplaintFileKind.SEAL_LETTER and not is_office(by):
        raise PermissionDenied(_("载有举报人身份的材料仅质量强市办可以查看（第二十一条）。"))
    download_record(
        by=by,
        obj=file.complaint,
        action="revocation.complaint_file_download",
        what={
            "complaint_file": file.pk,
            "complaint_file_kind": file.kind,
            "complaint_file_sha256": file.sha256,
        },
    )
    return file
