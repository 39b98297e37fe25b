"""退回修改: the county (from 已提报) or the office (from 县区推荐) returns an application."""

from django.db import transaction
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.permissions import CHANGE_APPLICATION
from applications.services.common import (
    check_transition,
    county_coordinators,
    lock_application,
    require_text,
    take_transition,
    tell_state_change,
)
from award.models import User
from award.services.permissions import perm_grant


def application_return(*, application: Application, by: User, reason: str) -> Application:
    """Send the application back to the applicant for revision (→ 退回修改).

    From 已提报 by a coordinator of its county (初审), from 县区推荐 by the office (复核);
    a reason is required. The applicant gets change_application back, so form, documents
    can be edited and the application resubmitted as the next round, after the 承诺 is
    signed again (it is cleared: it vouched for the materials as they were). Event and
    audit entries; 站内信 to the applicant with the reason, and to the county's
    coordinators when the office returns it.
    """
    with transaction.atomic():
        locked = lock_application(application)
        transition = check_transition(locked, "return_for_revision", by)
        reason = require_text(
            reason, field="reason", message=_("请填写退回修改的原因。"), label=_("退回修改的原因")
        )
        by_office = locked.state == ApplicationState.RECOMMENDED
        take_transition(
            locked,
            transition,
            by=by,
            opinion=reason,
            update_fields=["declarations_accepted_by", "declarations_accepted_at"],
        )
        perm_grant(perm=CHANGE_APPLICATION, user=locked.applicant, obj=locked, by=by)
        recipients = [locked.applicant]
        if by_office:
            recipients.extend(county_coordinators(locked.county_id))
        tell_state_change(locked, recipients=recipients, action=_("退回修改"), opinion=reason)
    return locked
