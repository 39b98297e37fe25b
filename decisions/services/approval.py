"""市政府's approval of the list (第十四条第（七）项: 经公示的拟获评名单，报市政府审定后公布).

The office records it once the 公示期 is over; publishing the 公布公告 needs it on record.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from award.enums import CyclePhase
from award.models import Cycle, User
from award.models.cycle import publicity_over
from award.permissions import is_office, is_staff_reader
from award.services.audit import audit_record, download_record
from award.services.submissions import submission_claim, submission_made
from award.text import refuse_bad_model_text
from award.uploads import check_upload
from decisions.models import Approval

ARTICLE = "第十四条第（七）项"
APPROVAL_KINDS = {"pdf", "jpg", "png"}


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def approval_missing_message() -> str:
    return _("尚未记录市政府批准文件（第十四条第（七）项）")


def approval_blockers(cycle: Cycle) -> list[str]:
    """Why the approval cannot be recorded for `cycle` now; empty when it can."""
    if cycle.phase != CyclePhase.PUBLICITY:
        return [
            _("只有公示阶段的评选届次才能记录市政府批准文件（当前阶段：%(phase)s）。")
            % {"phase": cycle.get_phase_display()}
        ]
    if not publicity_over(cycle):
        return [
            _(
                "公示期至%(end)s结束，公示期满后才能报市政府审定并记录批准文件（第十四条第（六）（七）项）。"
            )
            % {"end": chinese_date(cycle.publicity_ends_on)}
        ]
    if Approval.objects.filter(cycle=cycle).exists():
        return [_("本届已记录市政府批准文件，不能重复记录。")]
    return []


def approval_record(
    *,
    cycle: Cycle,
    by: User,
    document_number: str,
    approved_on: datetime.date,
    file,
    submission_token=None,
) -> Approval:
    """Record 市政府's approval of the list: document number, date and the signed file.

    Office only (PermissionDenied). Only while the cycle is in 公示 and its window is over,
    once per cycle. The file must be a PDF, JPG or PNG by content (award.uploads). The date
    lies after the 公示期 and not in the future. Audited `decisions.approval_record`; the
    form posted twice raises SubmissionReplayed with the first approval.
    """
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以记录市政府批准文件。"))
    blockers = approval_blockers(cycle)
    if blockers:
        raise ValidationError(blockers, code="not_now")
    typed = refuse_bad_model_text(Approval, {"document_number": document_number or ""})
    errors = {}
    if not typed["document_number"]:
        errors["document_number"] = [_("请填写市政府批复文号。")]
    if approved_on is None:
        errors["approved_on"] = [_("请填写批复日期。")]
    elif approved_on > timezone.localdate():
        errors["approved_on"] = [_("批复日期不能晚于今天。")]
    elif cycle.publicity_ends_on and approved_on <= cycle.publicity_ends_on:
        errors["approved_on"] = [
            _(
                "批复日期应在公示期结束（%(end)s）之后：经公示的拟获评名单，报市政府审定后公布（第十四条第（七）项）。"
            )
            % {"end": chinese_date(cycle.publicity_ends_on)}
        ]
    checked = None
    if file is None:
        errors["file"] = [_("请上传市政府批准文件（PDF、JPG或PNG）。")]
    else:
        try:
            checked = check_upload(
                file,
                allowed=APPROVAL_KINDS,
                max_bytes=settings.NOTICE_ATTACHMENT_MAX_MB * 1024 * 1024,
            )
        except ValidationError as error:
            errors["file"] = error.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action="decisions.approval_record")
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        blockers = approval_blockers(locked)
        if blockers:
            raise ValidationError(blockers, code="not_now")
        approval = Approval(
            cycle=locked,
            document_number=typed["document_number"],
            approved_on=approved_on,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            recorded_by=by,
        )
        approval.file.save(checked.original_name, file, save=False)
        stored, storage = approval.file.name, approval.file.storage
        try:
            with transaction.atomic():
                approval.save()
        except IntegrityError:
            storage.delete(stored)
            raise ValidationError(_("本届已记录市政府批准文件，不能重复记录。")) from None
        submission_made(claim, approval)
        audit_record(
            actor=by,
            action="decisions.approval_record",
            obj=locked,
            after={
                "approval": approval.pk,
                "document_number": approval.document_number,
                "approved_on": approval.approved_on,
                "name": approval.original_name,
                "sha256": approval.sha256,
                "size": approval.size,
            },
            article=ARTICLE,
        )
    return approval


def approval_open(*, approval: Approval, by: User) -> Approval:
    """Record that the office or the auditor opened the signed approval file (others: 404
    in the view, PermissionDenied here)."""
    if not is_staff_reader(by):
        raise PermissionDenied
    download_record(
        by=by,
        obj=approval.cycle,
        action="decisions.approval_download",
        what={"approval": approval.pk, "sha256": approval.sha256},
    )
    return approval


def approval_guard(cycle: Cycle) -> list[str]:
    """Cycle guard on "publish": the 公布公告 needs 市政府's approval on record."""
    if Approval.objects.filter(cycle_id=cycle.pk).exists():
        return []
    return [approval_missing_message()]
