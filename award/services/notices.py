"""Writing, publishing and withdrawing notices (信息发布, 第十四条第（一）项)."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from award import fsm
from award.enums import CyclePhase, NoticeKind, NoticeStatus, Role
from award.models import Cycle, Notice, NoticeAttachment, User
from award.models.notice import CYCLE_KINDS, PUBLISH_NOTICE
from award.services.audit import audit_record, download_record
from award.services.cycles import cycle_transition, cycle_transition_blockers
from award.services.notifications import notify
from award.services.submissions import submission_claim, submission_made
from award.text import clean_model_value, refuse_bad_model_text
from award.uploads import check_upload
from award.workdays import CalendarUnknown, WorkingCalendar

ATTACHMENT_KINDS = {"pdf", "jpg", "png", "docx", "xlsx"}
EDITABLE_FIELDS = ("kind", "cycle", "title", "body")

# The cycle step that publishing each kind of notice takes (Cycle transitions marked via_notice).
CYCLE_STEP = {
    NoticeKind.CALL: "announce",
    NoticeKind.PUBLICITY: "begin_publicity",
    NoticeKind.RESULT: "publish",
}
ARTICLE = {
    NoticeKind.CALL: "第十四条第（一）项",
    NoticeKind.PUBLICITY: "第十四条第（六）项",
    NoticeKind.RESULT: "第十四条第（七）项",
    NoticeKind.REVOCATION: "第二十三条、第二十四条",
    NoticeKind.GENERAL: "第十四条第（一）项",
}


def _require_office(by: User) -> None:
    if not by.has_perm(PUBLISH_NOTICE):
        raise PermissionDenied(_("只有质量强市办可以编辑和发布公告。"))


def _lock(notice: Notice) -> Notice:
    return (
        Notice.objects.select_for_update(of=("self",))
        .select_related("cycle__rulebook")
        .get(pk=notice.pk)
    )


def _require_draft(notice: Notice) -> None:
    if notice.status != NoticeStatus.DRAFT:
        raise ValidationError(_("公告已发布或已撤回，不能再修改；如有错误，请发布更正公告。"))


def _validate(notice: Notice) -> None:
    notice.full_clean(exclude=["author", "status"])
    if notice.kind in CYCLE_KINDS and notice.cycle_id is None:
        raise ValidationError(
            {"cycle": _("申报通知、公示公告和公布公告必须关联评选届次。")}, code="cycle_required"
        )


def _snapshot(notice: Notice) -> dict:
    return {
        "kind": notice.kind,
        "cycle": notice.cycle_id,
        "title": notice.title,
        "body": notice.body,
    }


def notice_create(
    *,
    by: User,
    kind: str,
    title: str,
    body: str,
    cycle: Cycle | None = None,
    submission_token=None,
) -> Notice:
    """Write a draft notice. Office only; audited. Title and body follow award.text's rule.

    The form's `submission_token` is claimed first: posted twice, the second call raises
    SubmissionReplayed with the first notice (award.services.submissions).
    """
    _require_office(by)
    typed = refuse_bad_model_text(Notice, {"title": title, "body": body})
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action="notice.create")
        notice = Notice(kind=kind, cycle=cycle, author=by, **typed)
        _validate(notice)
        notice.save()
        submission_made(claim, notice)
        audit_record(
            actor=by,
            action="notice.create",
            obj=notice,
            after=_snapshot(notice),
            article=ARTICLE[notice.kind],
        )
    return notice


def notice_update(*, notice: Notice, by: User, **fields) -> Notice:
    """Change a draft's kind, cycle, title or body. Office only; drafts only; audited."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"notice_update cannot change {sorted(unknown)}")
    _require_office(by)
    fields = refuse_bad_model_text(Notice, fields)
    with transaction.atomic():
        locked = _lock(notice)
        _require_draft(locked)
        before = _snapshot(locked)
        for name, value in fields.items():
            setattr(locked, name, value)
        _validate(locked)
        after = _snapshot(locked)
        changed = [name for name in before if before[name] != after[name]]
        if changed:
            locked.save(update_fields=[*fields, "updated_at"])
            audit_record(
                actor=by,
                action="notice.update",
                obj=locked,
                before={name: before[name] for name in changed},
                after={name: after[name] for name in changed},
                article=ARTICLE[locked.kind],
            )
    notice.refresh_from_db()
    return notice


def notice_attach(
    *, notice: Notice, by: User, title: str, file, submission_token=None
) -> NoticeAttachment:
    """Attach a checked file to a draft, stored under a random name in private storage.

    Posted twice with one `submission_token`, the second call raises SubmissionReplayed.
    """
    _require_office(by)
    title = refuse_bad_model_text(NoticeAttachment, {"title": title or ""})["title"]
    if not title:
        raise ValidationError({"title": _("请填写附件名称。")})
    try:
        checked = check_upload(
            file,
            allowed=ATTACHMENT_KINDS,
            max_bytes=settings.NOTICE_ATTACHMENT_MAX_MB * 1024 * 1024,
        )
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action="notice.attach")
        locked = _lock(notice)
        _require_draft(locked)
        attachment = NoticeAttachment(
            notice=locked,
            title=title,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        attachment.file.save(checked.original_name, file, save=False)
        try:
            attachment.full_clean()
            attachment.save()
            submission_made(claim, attachment)
            audit_record(
                actor=by,
                action="notice.attach",
                obj=locked,
                after={
                    "attachment": attachment.pk,
                    "title": attachment.title,
                    "name": attachment.original_name,
                    "sha256": attachment.sha256,
                    "size": attachment.size,
                },
            )
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def notice_detach(*, notice: Notice, by: User, attachment: NoticeAttachment) -> None:
    """Remove an attachment from a draft; the stored file is deleted after commit."""
    _require_office(by)
    with transaction.atomic():
        locked = _lock(notice)
        _require_draft(locked)
        attachment = NoticeAttachment.objects.select_for_update().get(
            pk=attachment.pk, notice=locked
        )
        storage, stored_name = attachment.file.storage, attachment.file.name
        audit_record(
            actor=by,
            action="notice.detach",
            obj=locked,
            before={
                "attachment": attachment.pk,
                "title": attachment.title,
                "name": attachment.original_name,
                "sha256": attachment.sha256,
            },
        )
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(stored_name))


def notice_attachment_open(*, attachment: NoticeAttachment, by: User) -> NoticeAttachment:
    """Record that staff opened an attachment (drafts are not yet public, DESIGN.md §9)."""
    if not by.has_role(Role.OFFICE, Role.AUDITOR):
        raise PermissionDenied
    download_record(
        by=by,
        obj=attachment.notice,
        action="notice.attachment_download",
        what={"attachment": attachment.pk, "sha256": attachment.sha256},
    )
    return attachment


def notice_publicity_window(
    cycle: Cycle, today: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """The 公示期 that publishing the publicity notice today opens (第十四条第（六）项).

    Raises ValidationError when the holiday schedule of a year it spans is unknown.
    """
    today = today or timezone.localdate()
    try:
        return WorkingCalendar().window(today, cycle.rulebook.publicity_working_days)
    except CalendarUnknown as unknown:
        raise ValidationError(str(unknown), code="calendar_unknown") from None


def notice_publish_blockers(notice: Notice, today: datetime.date | None = None) -> list[str]:
    """Why the notice cannot be published now, in words the office can act on."""
    if notice.status != NoticeStatus.DRAFT:
        return [_("只有草稿状态的公告可以发布。")]
    reasons = fsm.step_blockers(notice, "publish")
    step = CYCLE_STEP.get(notice.kind)
    if step and notice.cycle_id:
        reasons.extend(cycle_transition_blockers(notice.cycle, step))
        if notice.kind == NoticeKind.PUBLICITY:
            try:
                notice_publicity_window(notice.cycle, today)
            except ValidationError as error:
                reasons.extend(error.messages)
    return reasons


def notice_publish(*, notice: Notice, by: User, today: datetime.date | None = None) -> Notice:
    """Publish a draft and take the cycle step it stands for, in one transaction.

    申报通知 opens applications (announce, 第十四条第（一）项), 公示公告 opens a 公示期 of the
    rulebook's working days from `today` (begin_publicity, 第十四条第（六）项), 公布公告
    publishes the results (第十四条第（七）项). If the cycle refuses, nothing changes and
    CycleTransitionRefused (a ValidationError) carries the reasons. Audited; county
    coordinators are told of a 申报通知 after commit.
    """
    _require_office(by)
    with transaction.atomic():
        locked = _lock(notice)
        if locked.status != NoticeStatus.DRAFT:
            raise ValidationError(_("只有草稿状态的公告可以发布。"))
        try:
            transition = fsm.step_check(locked, "publish", by)
        except fsm.TransitionRefused:
            raise ValidationError(notice_publish_blockers(locked, today)) from None
        step = CYCLE_STEP.get(locked.kind)
        cycle_after = {}
        if step == "begin_publicity":
            starts_on, ends_on = notice_publicity_window(locked.cycle, today)
            cycle_transition(
                cycle=locked.cycle,
                name=step,
                by=by,
                via_notice="publicity",
                starts_on=starts_on,
                ends_on=ends_on,
            )
            cycle_after = {"publicity_starts_on": starts_on, "publicity_ends_on": ends_on}
        elif step:
            cycle_transition(cycle=locked.cycle, name=step, by=by, via_notice=str(locked.kind))
        fsm.step_run(
            locked,
            transition,
            by=by,
            action="notice.publish",
            update_fields=["published_by", "published_at"],
            after_extra={
                "cycle": locked.cycle_id,
                "cycle_phase": locked.cycle.phase if locked.cycle_id else None,
                **cycle_after,
            },
            article=ARTICLE[locked.kind],
            params={"publisher": by},
        )
        if step:  # the cycle moved: county coordinators hear it once, through the notice
            notify(
                recipients=User.objects.filter(groups__name=Role.COUNTY, is_active=True),
                template="notice_published",
                context={"notice": locked, "cycle": locked.cycle},
                url=reverse("award:notice_detail", args=[locked.pk]),
            )
    notice.refresh_from_db()
    return notice


def notice_withdraw_blockers(notice: Notice) -> list[str]:
    if notice.status != NoticeStatus.PUBLISHED:
        return [_("只有已发布的公告可以撤回。")]
    return fsm.step_blockers(notice, "withdraw")


def notice_withdraw(*, notice: Notice, by: User, reason: str) -> Notice:
    """Take a published notice off the public site, with the reason. Office only; audited.

    Notices that moved the cycle (申报通知, 公示公告, 公布公告) cannot be withdrawn: the
    office publishes a correction instead.
    """
    _require_office(by)
    reason = clean_model_value(Notice, "withdrawn_reason", reason, key="reason")
    if not reason:
        raise ValidationError({"reason": _("请填写撤回原因。")})
    with transaction.atomic():
        locked = _lock(notice)
        blockers = notice_withdraw_blockers(locked)
        if blockers:
            raise ValidationError(blockers)
        transition = fsm.step_check(locked, "withdraw", by)
        fsm.step_run(
            locked,
            transition,
            by=by,
            action="notice.withdraw",
            update_fields=["withdrawn_reason"],
            reason=reason,
            article=ARTICLE[locked.kind],
            params={"reason": reason},
        )
    notice.refresh_from_db()
    return notice


def notice_cycle_phase_after(notice: Notice) -> CyclePhase | None:
    """The phase the notice's cycle reaches when the notice is published, if it moves it."""
    step = CYCLE_STEP.get(notice.kind)
    if not step or notice.cycle_id is None:
        return None
    transition = next(t for t in fsm.transitions_of(notice.cycle) if t.name == step)
    return CyclePhase(transition.target)
