"""Winners' obligations (第十八条): 获评单位和个人有义务配合质量强市办总结提炼、宣传推广其质量
工作先进经验和成果（涉及商业机密的除外），并主动分享质量管理模式和方法.

The office asks a holder for an experience-sharing material; the holder answers (before or
after the due date) or declines in writing; the office may publish an answer as a public
经验分享 page. A declined or long-overdue request lets the office open a revocation case on
第二十三条第（七）项 / 第二十四条第（七）项 (拒不履行第六章规定的责任和义务).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from award.fsm import step_check, step_run
from award.models import User
from award.permissions import is_office, is_staff_reader
from award.services.audit import audit_record, download_record
from award.services.notifications import notify
from award.services.submissions import submission_claim, submission_made
from award.text import refuse_bad_model_text
from decisions.enums import HonourStatus
from decisions.models import Honour
from decisions.services.approval import chinese_date
from revocation.enums import SharingState
from revocation.models import Ground, SharingFile, SharingRequest
from revocation.models.obligations import ARTICLE, sharing_holder
from revocation.reference_data import OBLIGATION_ITEM
from revocation.services.cases import case_open, case_open_blockers
from revocation.services.files import check_files, store_files

# A request unanswered this many days after its due date counts as 拒不履行 for a case.
LONG_OVERDUE_DAYS = 30


def is_holder(request: SharingRequest, user) -> bool:
    return sharing_holder(request, user)


def may_view_request(request: SharingRequest, user) -> bool:
    return is_staff_reader(user) or is_holder(request, user)


def is_overdue(request: SharingRequest, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return request.state == SharingState.REQUESTED and request.due_on < today


def is_long_overdue(request: SharingRequest, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return is_overdue(request, today) and (today - request.due_on).days >= LONG_OVERDUE_DAYS


def obligation_ground(honour: Honour) -> Ground:
    """第二十三条第（七）项 for a unit, 第二十四条第（七）项 for an individual."""
    return Ground.objects.get(
        rulebook_id=honour.cycle.rulebook_id, kind=honour.kind, item=OBLIGATION_ITEM
    )


def case_blockers(request: SharingRequest) -> list[str]:
    """Why the office cannot open a case from this request now; empty when it can."""
    if request.case_id:
        return [_("已据此立案（%(number)s）。") % {"number": request.case.number}]
    if request.state != SharingState.DECLINED and not is_long_overdue(request):
        return [
            _(
                "获评者书面拒绝，或逾期%(days)s日仍未提交的，方可据第六章立案（第二十三条、第二十四条第（七）项）。"
            )
            % {"days": LONG_OVERDUE_DAYS}
        ]
    return case_open_blockers(request.honour)


def default_case_summary(request: SharingRequest) -> str:
    """The 案由 the office starts from when it opens a case from `request`."""
    if request.state == SharingState.DECLINED:
        return _("%(holder)s书面拒绝配合经验分享（%(topic)s），拒绝理由：%(reason)s") % {
            "holder": request.honour.holder_name,
            "topic": request.topic,
            "reason": request.decline_reason,
        }
    return _("%(holder)s逾期未提交经验分享材料（%(topic)s，提交期限%(due)s）") % {
        "holder": request.honour.holder_name,
        "topic": request.topic,
        "due": chinese_date(request.due_on),
    }


def _holder_of(honour: Honour):
    return honour.application.applicant


def sharing_request(
    *,
    honour: Honour,
    topic: str,
    due_on: datetime.date,
    by: User,
    details: str = "",
    submission_token=None,
) -> SharingRequest:
    """Ask the holder of an active `honour` to share its experience by `due_on`. Office
    only (PermissionDenied). The holder is told. Audited `revocation.sharing_request`."""
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以发起经验分享。"))
    typed = refuse_bad_model_text(SharingRequest, {"topic": topic or "", "details": details or ""})
    errors = {}
    if not typed["topic"]:
        errors["topic"] = [_("请填写分享主题。")]
    if due_on is None:
        errors["due_on"] = [_("请填写提交期限。")]
    elif due_on <= timezone.localdate():
        errors["due_on"] = [_("提交期限应晚于今天。")]
    if honour.status != HonourStatus.ACTIVE:
        errors["honour"] = [_("该荣誉已撤销，不能再要求其履行获评者义务。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action="revocation.sharing_request")
        request = SharingRequest.objects.create(
            honour=honour,
            topic=typed["topic"],
            details=typed["details"],
            due_on=due_on,
            requested_by=by,
        )
        submission_made(claim, request)
        audit_record(
            actor=by,
            action="revocation.sharing_request",
            obj=request,
            after={"honour": honour.serial, "topic": request.topic, "due_on": due_on},
            article=ARTICLE,
        )
        notify(
            recipients=[_holder_of(honour)],
            template="revocation_sharing_requested",
            context={
                "holder": honour.holder_name,
                "topic": request.topic,
                "due_on": chinese_date(due_on),
            },
            url=reverse("revocation:sharing_detail", kwargs={"pk": request.pk}),
        )
    return request


def _lock(request: SharingRequest) -> SharingRequest:
    return (
        SharingRequest.objects.select_for_update(of=("self",))
        .select_related("honour__cycle", "honour__application")
        .get(pk=request.pk)
    )


def sharing_answer(
    *, request: SharingRequest, by: User, title: str, material: str, files=()
) -> SharingRequest:
    """The holder returns its material (text and files checked by content), before or after
    the due date, while the request waits. Holder only (PermissionDenied). Audited
    `revocation.sharing_answer`; the requesting officer is told."""
    if not is_holder(request, by):
        raise PermissionDenied(_("只有获评者本人可以提交经验分享材料。"))
    typed = refuse_bad_model_text(
        SharingRequest, {"title": title or "", "material": material or ""}
    )
    errors = {}
    if not typed["title"]:
        errors["title"] = [_("请填写经验分享标题。")]
    if not typed["material"]:
        errors["material"] = [_("请填写经验分享材料正文。")]
    checked, file_errors = check_files(files)
    if file_errors:
        errors["files"] = file_errors
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock(request)
        transition = step_check(locked, "answer", by)
        late = is_overdue(locked)
        stored = store_files(SharingFile, checked, request=locked)
        step_run(
            locked,
            transition,
            by=by,
            action="revocation.sharing_answer",
            update_fields=["title", "material", "answered_at"],
            after_extra={
                "sharing_title": typed["title"],
                "sharing_late": late,
                "evidence": [f.original_name for f in stored],
            },
            params={"title": typed["title"], "material": typed["material"]},
        )
        notify(
            recipients=[locked.requested_by],
            template="revocation_sharing_answered",
            context={"holder": locked.honour.holder_name, "topic": locked.topic},
            url=reverse("revocation:sharing_detail", kwargs={"pk": locked.pk}),
        )
    return locked


def sharing_decline(*, request: SharingRequest, by: User, reason: str) -> SharingRequest:
    """The holder declines in writing (e.g. 涉及商业机密, 第十八条). Holder only. Final.
    Audited `revocation.sharing_decline`; the requesting officer is told."""
    if not is_holder(request, by):
        raise PermissionDenied(_("只有获评者本人可以拒绝经验分享。"))
    typed = refuse_bad_model_text(SharingRequest, {"decline_reason": reason or ""})
    if not typed["decline_reason"]:
        raise ValidationError({"reason": [_("请书面说明拒绝的理由。")]})
    with transaction.atomic():
        locked = _lock(request)
        transition = step_check(locked, "decline", by)
        step_run(
            locked,
            transition,
            by=by,
            action="revocation.sharing_decline",
            update_fields=["decline_reason", "declined_at"],
            reason=typed["decline_reason"],
            params={"reason": typed["decline_reason"]},
        )
        notify(
            recipients=[locked.requested_by],
            template="revocation_sharing_declined",
            context={
                "holder": locked.honour.holder_name,
                "topic": locked.topic,
                "reason": locked.decline_reason,
            },
            url=reverse("revocation:sharing_detail", kwargs={"pk": locked.pk}),
        )
    return locked


def sharing_publish(*, request: SharingRequest, by: User) -> SharingRequest:
    """Publish an answered material as a public 经验分享 page, while the honour stands.
    Office only. Audited `revocation.sharing_publish`."""
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以发布经验分享。"))
    with transaction.atomic():
        locked = _lock(request)
        transition = step_check(locked, "publish", by)
        step_run(
            locked,
            transition,
            by=by,
            action="revocation.sharing_publish",
            update_fields=["published_at"],
            after_extra={"sharing_title": locked.title},
        )
    return locked


def sharing_case_open(
    *, request: SharingRequest, by: User, summary: str, submission_token=None
) -> SharingRequest:
    """Open a revocation case on 第二十三条第（七）项 / 第二十四条第（七）项 against a holder who
    declined or is long overdue, and link it to the request. Office only (case_open)."""
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以立案调查撤销事项。"))
    with transaction.atomic():
        locked = _lock(request)
        blockers = case_blockers(locked)
        if blockers:
            raise ValidationError(blockers, code="not_now")
        locked.case = case_open(
            honour=locked.honour,
            grounds=[obligation_ground(locked.honour)],
            summary=summary,
            by=by,
            submission_token=submission_token,
        )
        locked.save(update_fields=["case"])
    return locked


def sharing_file_open(*, file: SharingFile, by) -> SharingFile:
    """A published material's files are public; otherwise the holder, office and auditor."""
    request = file.request
    if request.state == SharingState.PUBLISHED:
        return file
    if not may_view_request(request, by):
        raise PermissionDenied
    download_record(
        by=by,
        obj=request,
        action="revocation.sharing_file_download",
        what={"sharing_file": file.pk, "sha256": file.sha256},
    )
    return file
