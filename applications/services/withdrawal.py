"""撤回: the applicant withdraws the application, at any point up to 复核通过 (final)."""

from django.db import transaction
from django.utils.translation import gettext as _

from applications import hooks
from applications.enums import ApplicationState
from applications.models import Application
from applications.services.common import (
    check_transition,
    county_coordinators,
    lock_application,
    office_staff,
    require_text,
    take_transition,
    tell_state_change,
    withdraw_change_perm,
)
from award.models import User

OFFICE_CONCERNED = {ApplicationState.RECOMMENDED, ApplicationState.ACCEPTED}


def application_withdraw(*, application: Application, by: User, reason: str) -> Application:
    """Withdraw the application (→ 已撤回; final; no new application in this cycle).

    Owner only, from 已提报, 退回修改, 县区推荐 or 复核通过 (a draft is deleted instead,
    application_delete_draft); a reason is required.
    The applicant keeps view_application and loses change_application. Event and audit
    entries; 站内信 to the county's coordinators once it had been submitted, and to the
    office when it had reached 复核. Higher floors end what hung on it (review assignments)
    through hooks.register_withdrawal_listener.
    """
    with transaction.atomic():
        locked = lock_application(application)
        transition = check_transition(locked, "withdraw", by)
        reason = require_text(
            reason, field="reason", message=_("请填写撤回原因。"), label=_("撤回原因")
        )
        from_state = locked.state
        take_transition(locked, transition, by=by, opinion=reason)
        withdraw_change_perm(locked, by=by)
        hooks.application_withdrawn(locked, by=by, reason=reason)
        recipients = [locked.applicant]
        if locked.round >= 1:
            recipients.extend(county_coordinators(locked.county_id))
        if from_state in OFFICE_CONCERNED:
            recipients.extend(office_staff())
        tell_state_change(locked, recipients=recipients, action=_("撤回申报"), opinion=reason)
    return locked
