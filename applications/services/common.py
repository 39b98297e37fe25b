"""What every application service shares: locking, the transition check and the event row,
and who gets told."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django_fsm import Transition

from applications.exceptions import ApplicationTransitionRefused
from applications.models import Application, ApplicationEvent
from applications.permissions import CHANGE_APPLICATION, can_edit, is_owner
from award import fsm
from award.enums import Role
from award.models import User
from award.services.notifications import notify
from award.services.permissions import perm_revoke
from award.text import clean_model_value

LOCKED_WITH = ("cycle__rulebook", "county", "applicant")


def lock_application(application, *, related=LOCKED_WITH) -> Application:
    """Re-read the application under a row lock (only its own row), with `related`: what the
    checks need (by default the cycle with its rulebook, the county and the applicant)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related(*related)
        .get(pk=application.pk)
    )


def check_transition(application: Application, name: str, by) -> Transition:
    """Make sure `by` may take transition `name` now; return the Transition to take.

    PermissionDenied when `by` may never take this step on this application (wrong role or
    someone else's object); ApplicationTransitionRefused when the state or the cycle's phase
    does not allow it, with every reason in Chinese (award.fsm).
    """
    return fsm.step_check(application, name, by, refused=ApplicationTransitionRefused)


def take_transition(
    application: Application, transition: Transition, *, by, opinion: str = "", update_fields=()
) -> ApplicationEvent:
    """Take a transition `check_transition` returned; save, write the event and audit entry."""
    step = fsm.step_run(
        application,
        transition,
        by=by,
        action=f"application.{transition.name}",
        track=("round",),
        update_fields=["submitted_at", *update_fields],
        reason=opinion,
    )
    return ApplicationEvent.objects.create(
        application=application,
        round=application.round,
        actor=by,
        action=transition.name,
        from_state=step.before["state"],
        to_state=application.state,
        opinion=opinion,
    )


def require_text(value, *, field: str, message: str, label: str = "") -> str:
    """An opinion or reason by award.text's rule (refusals keyed `field`), and not empty."""
    text = clean_model_value(ApplicationEvent, "opinion", value, key=field, label=label)
    if not text:
        raise ValidationError({field: message}, code="required")
    return text


def require_editable(application: Application, by) -> None:
    """The owner may change form, documents and 承诺 only while draft or returned."""
    if not is_owner(application, by):
        raise PermissionDenied(_("您无权修改该申报。"))
    if not application.is_editable:
        raise ApplicationTransitionRefused(
            _("申报已提交（当前状态：%(state)s），申报材料已冻结，不能修改。")
            % {"state": application.get_state_display()},
            code="frozen",
        )
    if not can_edit(application, by):
        raise PermissionDenied(_("您无权修改该申报。"))


def county_coordinators(county_id):
    return User.objects.filter(groups__name=Role.COUNTY, county_id=county_id, is_active=True)


def office_staff():
    return User.objects.filter(groups__name=Role.OFFICE, is_active=True)


def tell_state_change(application: Application, *, recipients, action: str, opinion: str = ""):
    """站内信 (and email after commit) that the application moved, with the opinion if any."""
    notify(
        recipients=recipients,
        template="application_state_changed",
        context={
            "application": application,
            "cycle": application.cycle,
            "action": action,
            "state": application.get_state_display(),
            "opinion": opinion,
        },
    )


def tell_to_handle(application: Application, *, recipients, task: str):
    """站内信 to the staff who must act next (初审 for the county, 复核 for the office)."""
    notify(
        recipients=recipients,
        template="application_to_handle",
        context={
            "application": application,
            "cycle": application.cycle,
            "county": application.county,
            "task": task,
        },
    )


def withdraw_change_perm(application: Application, *, by) -> None:
    """The applicant loses the right to edit (after submit, withdraw)."""
    perm_revoke(perm=CHANGE_APPLICATION, user=application.applicant, obj=application, by=by)
