"""条件初审 by the applicant's county: recommend or decline (第十四条第（三）项)."""

from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Application
from applications.services.common import (
    check_transition,
    lock_application,
    office_staff,
    require_text,
    take_transition,
    tell_state_change,
    tell_to_handle,
)
from award.models import User


def application_recommend(*, application: Application, by: User, opinion: str) -> Application:
    """The county recommends a submitted application to the office (→ 县区推荐).

    A coordinator of the application's county only; a written opinion is required.
    Event and audit entries; 站内信 to the applicant and to the office for 复核.
    """
    with transaction.atomic():
        locked = lock_application(application)
        transition = check_transition(locked, "recommend", by)
        opinion = require_text(
            opinion, field="opinion", message=_("请填写初审推荐意见。"), label=_("初审推荐意见")
        )
        take_transition(locked, transition, by=by, opinion=opinion)
        tell_state_change(
            locked, recipients=[locked.applicant], action=_("初审推荐"), opinion=opinion
        )
        tell_to_handle(locked, recipients=office_staff(), task=_("复核"))
    return locked


def application_decline(*, application: Application, by: User, reason: str) -> Application:
    """The county does not recommend a submitted application (→ 初审不推荐; final).

    A coordinator of the application's county only; a reason is required. Event and audit
    entries; 站内信 to the applicant with the reason.
    """
    with transaction.atomic():
        locked = lock_application(application)
        transition = check_transition(locked, "decline", by)
        reason = require_text(
            reason, field="reason", message=_("请填写不予推荐的理由。"), label=_("不予推荐的理由")
        )
        take_transition(locked, transition, by=by, opinion=reason)
        tell_state_change(
            locked, recipients=[locked.applicant], action=_("初审不推荐"), opinion=reason
        )
    return locked
