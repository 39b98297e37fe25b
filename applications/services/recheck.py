"""复核 by the office: accept or reject recommended applications, one by one or in a batch."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Application, ApplicationEvent
from applications.services.common import (
    check_transition,
    county_coordinators,
    lock_application,
    require_text,
    take_transition,
    tell_state_change,
)
from applications.services.returns import application_return
from award.enums import Role
from award.models import User
from award.services.batch import BatchResult, run_batch
from award.text import clean_model_value


def application_accept(*, application: Application, by: User, opinion: str = "") -> Application:
    """The office passes a recommended application in 复核 (→ 复核通过), ready for review.

    Office only, while the cycle is in 初审 or 复核. An opinion is optional. Event and audit
    entries; 站内信 to the applicant.
    """
    with transaction.atomic():
        locked = lock_application(application)
        transition = check_transition(locked, "accept", by)
        opinion = clean_model_value(
            ApplicationEvent, "opinion", opinion, key="opinion", label=_("复核意见")
        )
        take_transition(locked, transition, by=by, opinion=opinion)
        tell_state_change(
            locked, recipients=[locked.applicant], action=_("复核通过"), opinion=opinion
        )
    return locked


def application_reject(*, application: Application, by: User, reason: str) -> Application:
    """The office fails a recommended application in 复核 (→ 复核不通过; final).

    Office only; a reason is required. Event and audit entries; 站内信 to the applicant
    and to the county's coordinators.
    """
    with transaction.atomic():
        locked = lock_application(application)
        transition = check_transition(locked, "reject", by)
        reason = require_text(
            reason,
            field="reason",
            message=_("请填写复核不通过的理由。"),
            label=_("复核不通过的理由"),
        )
        take_transition(locked, transition, by=by, opinion=reason)
        tell_state_change(
            locked,
            recipients=[locked.applicant, *county_coordinators(locked.county_id)],
            action=_("复核不通过"),
            opinion=reason,
        )
    return locked


BATCH_ACTIONS = {
    "accept": lambda app, by, reason: application_accept(application=app, by=by, opinion=reason),
    "reject": lambda app, by, reason: application_reject(application=app, by=by, reason=reason),
    "return": lambda app, by, reason: application_return(application=app, by=by, reason=reason),
}
REASON_REQUIRED = {"reject", "return"}


def applications_batch(
    *, applications, by: User, action: str, reason: str = ""
) -> list[BatchResult]:
    """Apply one 复核 action ("accept", "reject" or "return") to many applications.

    Office only (PermissionDenied otherwise). Each application is its own transaction with
    its own event, audit entry and 站内信, so one refusal does not undo the others; the
    result lists every application in the order given with `ok` and, if refused, why.
    """
    if not by.has_role(Role.OFFICE):
        raise PermissionDenied(_("只有质量强市办可以批量复核。"))
    if action not in BATCH_ACTIONS:
        raise ValidationError({"action": _("请选择批量操作。")})
    reason = clean_model_value(ApplicationEvent, "opinion", reason, key="reason", label=_("原因"))
    if action in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("请填写原因。")}, code="required")
    return run_batch(
        applications, lambda application: BATCH_ACTIONS[action](application, by, reason)
    )
