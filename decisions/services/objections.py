"""Objections (异议) to the names in 公示 (第十四条第（六）项): the public files them, the office
investigates and upholds or dismisses each with a written reason.

The objector's identity (name, 身份证号码, phone, the unit's contact, the files) is for the
office only: no other role's page, no audit entry and no message carries it.
"""

import datetime
import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.services.common import (
    check_transition,
    lock_application,
    office_staff,
    take_transition,
    tell_state_change,
    tell_to_handle,
)
from award.enums import CyclePhase
from award.exceptions import SubmissionReplayed
from award.models import Cycle, User
from award.permissions import is_office
from award.services.audit import audit_record, download_record
from award.text import clean_model_text
from award.uploads import format_megabytes
from decisions.enums import ObjectionFileKind, ObjectionState, ObjectorKind
from decisions.models import Objection, ObjectionFile, Publicity
from decisions.services.real_name import (
    FILE_MAX_BYTES,
    MAX_EVIDENCE_FILES,
    FilingWords,
    check_files,
    check_identity,
    store_files,
)

ARTICLE = "第十四条第（六）项"

# At most RATE_LIMIT objections from one client address per RATE_WINDOW seconds.
RATE_LIMIT = 3
RATE_WINDOW = 3600


def _day(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


# The public's rate limits ----------------------------------------------------------------

# Each scope: at most `limit` counted events from one client address per RATE_WINDOW seconds.
# Filing counts each objection filed; lookup counts each receipt code not found, so that
# codes cannot be tried in bulk.
RATE_LIMITS = {"file": RATE_LIMIT, "lookup": 20}


def _rate_key(scope: str, address: str) -> str:
    return f"decisions:objection-{scope}:{address}"


def rate_retry_at(key: str, limit: int, window: int = RATE_WINDOW) -> datetime.datetime | None:
    """When the counter `key` (e.g. one scope of one client address) may count again, if it
    counted `limit` events within the last `window` seconds; None if it may now."""
    now = time.time()
    recent = [t for t in cache.get(key, []) if t > now - window]
    if len(recent) < limit:
        return None
    return datetime.datetime.fromtimestamp(min(recent) + window, tz=datetime.UTC)


def rate_count(key: str, limit: int, window: int = RATE_WINDOW) -> None:
    """Count one event on the counter `key` (kept for `window` seconds)."""
    now = time.time()
    recent = [*(t for t in cache.get(key, []) if t > now - window), now]
    cache.set(key, recent[-limit:], window)


def objection_rate_retry_at(address: str, scope: str = "file") -> datetime.datetime | None:
    """When `address` may act again, if it used up the scope's limit within the last hour."""
    return rate_retry_at(_rate_key(scope, address), RATE_LIMITS[scope])


def objection_rate_count(address: str, scope: str = "file") -> None:
    """Count one event of the scope from `address` (a filing, a code not found)."""
    rate_count(_rate_key(scope, address), RATE_LIMITS[scope])


# Filing ----------------------------------------------------------------------------------


def objection_window_refusal(cycle: Cycle, today: datetime.date | None = None) -> str:
    """Why no objection can be filed against the cycle's 公示 today; "" while it is open."""
    today = today or timezone.localdate()
    if cycle.phase != CyclePhase.PUBLICITY or cycle.publicity_starts_on is None:
        return _("本届评选当前不在公示期内，不受理异议（第十四条第（六）项）。")
    if today < cycle.publicity_starts_on:
        return _("公示期自%(day)s开始，此前不受理异议（第十四条第（六）项）。") % {
            "day": _day(cycle.publicity_starts_on)
        }
    if today > cycle.publicity_ends_on:
        return _("公示期已于%(day)s结束，逾期不予受理（第十四条第（六）项）。") % {
            "day": _day(cycle.publicity_ends_on)
        }
    return ""


OBJECTION_WORDS = FilingWords(
    kind_field="objector_kind",
    choose_kind=_("请选择以个人还是单位名义提出异议。"),
    anonymous_refused=_(
        "本次公示不受理匿名异议，请以个人或单位名义实名提出（第十四条第（六）项）。"
    ),
    missing=_("实名提出异议须填写%(label)s（第十四条第（六）项）。"),
    seal_letter_missing=_("以单位名义提出异议，须上传加盖单位公章的异议书（第十四条第（六）项）。"),
)


def objection_file(
    *,
    cycle: Cycle,
    application_id: int | None,
    objector_kind: str,
    reasons: str,
    name: str = "",
    id_number: str = "",
    phone: str = "",
    contact_person: str = "",
    evidence=(),
    seal_letter=None,
    submission_token=None,
    today: datetime.date | None = None,
) -> Objection:
    """File an objection from the public against one application in 公示 (第十四条第（六）项).

    Real-name by default: a person gives name, 身份证号码 (checksum) and phone; a unit its
    name, contact person, phone and a letter bearing its seal. Anonymous only where the
    office allowed it for this 公示. Reasons required; files are PDF/JPG/PNG checked by
    content. Refused before the window opens and after its last day. Every problem comes
    back at once in one ValidationError by field. Posted twice with one `submission_token`,
    the second call raises SubmissionReplayed with the first objection. Audited without the
    objector's identity; the office is told.
    """
    evidence = [f for f in evidence if f]
    refusal = objection_window_refusal(cycle, today)
    if refusal:
        raise ValidationError(refusal, code="window")
    typed, errors = clean_model_text(
        Objection,
        {
            "name": name or "",
            "id_number": id_number or "",
            "phone": phone or "",
            "contact_person": contact_person or "",
            "reasons": reasons or "",
        },
    )
    errors = {key: list(value) for key, value in errors.items()}
    publicity = Publicity.objects.filter(cycle=cycle).first()
    allows_anonymous = bool(publicity and publicity.allows_anonymous_objections)
    identity = check_identity(
        objector_kind,
        typed,
        seal_letter,
        allows_anonymous=allows_anonymous,
        errors=errors,
        words=OBJECTION_WORDS,
    )
    if "reasons" not in errors and not typed["reasons"]:
        errors["reasons"] = [_("请写明异议内容及理由（第十四条第（六）项）。")]
    application = (
        Application.objects.filter(
            pk=application_id, cycle=cycle, state=ApplicationState.IN_PUBLICITY
        ).first()
        if str(application_id or "").isdigit()
        else None
    )
    if application is None:
        errors["application"] = [_("请从公示名单中选择异议对象。")]
    checked = check_files(
        evidence,
        seal_letter if objector_kind == ObjectorKind.UNIT else None,
        errors,
        seal_kind=ObjectionFileKind.SEAL_LETTER,
        evidence_kind=ObjectionFileKind.EVIDENCE,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if submission_token:
            first = Objection.objects.filter(submission_token=submission_token).first()
            if first is not None:
                raise SubmissionReplayed(first)
        locked = lock_application(application)
        if locked.state != ApplicationState.IN_PUBLICITY:
            raise ValidationError({"application": [_("该申报已不在公示中，不能再对其提出异议。")]})
        objection = Objection(
            cycle=cycle,
            application=locked,
            objector_kind=objector_kind,
            reasons=typed["reasons"],
            submission_token=submission_token or None,
            **identity,
        )
        try:
            with transaction.atomic():
                objection.save()
        except IntegrityError:
            first = Objection.objects.filter(submission_token=submission_token).first()
            raise SubmissionReplayed(first) from None
        stored = []
        try:
            store_files(
                checked,
                lambda kind, upload: ObjectionFile(
                    objection=objection,
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
                action="decisions.objection_file",
                obj=objection,
                after={
                    "receipt_code": objection.receipt_code,
                    "application": locked.pk,
                    "objector_kind": objection.objector_kind,
                    "files": [upload.sha256 for _kind, _file, upload in checked],
                },
                article=ARTICLE,
            )
        except Exception:
            for file in stored:
                file.delete(save=False)
            raise
        tell_to_handle(locked, recipients=office_staff(), task=_("公示异议调查核实"))
    return objection


# The office's handling ----------------------------------------------------------------------


def _require_office(by: User) -> None:
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以办理公示异议。"))


def _decide(*, objection: Objection, by: User, uphold: bool, reason: str) -> Objection:
    _require_office(by)
    typed, errors = clean_model_text(Objection, {"decision_reason": reason or ""})
    if errors:
        raise ValidationError({"reason": errors["decision_reason"]})
    reason = typed["decision_reason"]
    if not reason:
        raise ValidationError(
            {"reason": _("请写明调查核实情况和处理理由（第十四条第（六）项）。")}, code="required"
        )
    with transaction.atomic():
        locked = (
            Objection.objects.select_for_update(of=("self",))
            .select_related("cycle")
            .get(pk=objection.pk)
        )
        if locked.state != ObjectionState.OPEN:
            raise ValidationError(
                _("该异议已办结（%(state)s），不能重复处理。")
                % {"state": locked.get_state_display()},
                code="decided",
            )
        if locked.cycle.phase != CyclePhase.PUBLICITY:
            raise ValidationError(
                _("评选届次已不在公示阶段，不能再办理公示异议（第十四条第（六）项）。"),
                code="phase",
            )
        application = lock_application(locked.application)
        locked.state = ObjectionState.UPHELD if uphold else ObjectionState.DISMISSED
        locked.decision_reason = reason
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])
        audit_record(
            actor=by,
            action="decisions.objection_uphold" if uphold else "decisions.objection_dismiss",
            obj=locked,
            after={
                "receipt_code": locked.receipt_code,
                "application": application.pk,
                "state": locked.state,
            },
            reason=reason,
            article=ARTICLE,
        )
        if uphold:
            opinion = _("公示期间收到的异议经调查核实成立：%(reason)s") % {"reason": reason}
            if application.state == ApplicationState.IN_PUBLICITY:
                transition = check_transition(application, "fail_publicity", by)
                take_transition(application, transition, by=by, opinion=opinion)
            tell_state_change(
                application,
                recipients=[application.applicant],
                action=_("因公示异议成立撤回拟获评资格"),
                opinion=opinion,
            )
    objection.refresh_from_db()
    return objection


def objection_uphold(*, objection: Objection, by: User, reason: str) -> Objection:
    """异议成立. Office only, while the cycle is in 公示; a written reason is required. The
    application leaves 公示 (fail_publicity, audited) and its holder is told the outcome and
    the reason (站内信, email after commit), never who objected."""
    return _decide(objection=objection, by=by, uphold=True, reason=reason)


def objection_dismiss(*, objection: Objection, by: User, reason: str) -> Objection:
    """异议不成立. Office only, while the cycle is in 公示; a written reason is required."""
    return _decide(objection=objection, by=by, uphold=False, reason=reason)


def objection_file_open(*, file: ObjectionFile, by: User) -> ObjectionFile:
    """Record that the office opened an objection's file (download_record); office only."""
    _require_office(by)
    download_record(
        by=by,
        obj=file.objection,
        action="decisions.objection_file_download",
        what={"objection_file": file.pk, "file_kind": file.kind, "sha256": file.sha256},
    )
    return file


def objection_limit_text() -> str:
    return _("PDF、JPG或PNG格式，每个文件不超过%(mb)sMB，最多%(count)s个。") % {
        "mb": format_megabytes(FILE_MAX_BYTES),
        "count": MAX_EVIDENCE_FILES,
    }
