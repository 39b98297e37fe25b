"""What every application service shares: locking, the transition check, the event row,
object permissions with their audit entries, and who gets told."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from applications.exceptions import ApplicationTransitionRefused
from applications.models import Application, ApplicationEvent
from applications.permissions import CHANGE_APPLICATION, can_edit, is_owner
from award.enums import Role
from award.models import User
from award.services.audit import audit_record
from award.services.notifications import notify
from award.text import clean_model_value


def lock_application(application) -> Application:
    """Re-read the application under a row lock (only its own row), with what checks need."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("cycle__rulebook", "county", "applicant")
        .get(pk=application.pk)
    )


def transition_label(application, name: str) -> str:
    for candidate in application.get_all_state_transitions():
        if candidate.name == name:
            return str(candidate.custom.get("label", name))
    return name


def check_transition(application: Application, name: str, by):
    """Make sure `by` may take transition `name` now; return the Transition.

    Raises PermissionDenied when `by` may never take this step on this application (wrong
    role or someone else's object), ApplicationTransitionRefused when the state or the
    cycle's phase does not allow it, with the reasons in Chinese.
    """
    meta = getattr(application, name)._django_fsm
    if not any(t.has_perm(application, by) for t in meta.transitions.values()):
        raise PermissionDenied(_("您无权对该申报执行此操作。"))
    transition = meta.get_transition(application.state)
    if transition is None or not transition.has_perm(application, by):
        raise ApplicationTransitionRefused(
            _("该申报当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {
                "state": application.get_state_display(),
                "action": transition_label(application, name),
            },
            code="state",
        )
    failed = [str(check.message) for check in transition.conditions if not check(application)]
    if failed:
        raise ApplicationTransitionRefused(failed, code="condition")
    return transition


def take_transition(
    application: Application, *, name: str, by, opinion: str = "", update_fields=()
) -> ApplicationEvent:
    """Run transition `name` (already checked), save, and write the event and audit entry."""
    transition = getattr(application, name)._django_fsm.get_transition(application.state)
    before = {"state": application.state, "round": application.round}
    getattr(application, name)()
    application.save(update_fields=["state", "round", "submitted_at", "updated_at", *update_fields])
    event = ApplicationEvent.objects.create(
        application=application,
        round=application.round,
        actor=by,
        action=name,
        from_state=before["state"],
        to_state=application.state,
        opinion=opinion,
    )
    audit_record(
        actor=by,
        action=f"application.{name}",
        obj=application,
        before=before,
        after={"state": application.state, "round": application.round},
        reason=opinion,
        article=transition.custom.get("article", ""),
    )
    return event


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


def grant_perm(perm: str, user, application, *, by) -> None:
    assign_perm(perm, user, application)
    audit_record(
        actor=by,
        action="permission.grant",
        obj=application,
        after={"user": user.pk, "perm": perm},
    )


def revoke_perm(perm: str, user, application, *, by) -> None:
    """Remove an object permission; audited only when the user held it."""
    removed = remove_perm(perm, user, application)
    if not removed or not removed[0]:
        return
    audit_record(
        actor=by,
        action="permission.revoke",
        obj=application,
        before={"user": user.pk, "perm": perm},
    )


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
    revoke_perm(CHANGE_APPLICATION, application.applicant, application, by=by)
