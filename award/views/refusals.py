"""A service's refusal as a page shows it: one rule for every floor's views.

Services refuse with ValidationError (bad input: errors by field, answered 400; a step not
allowed now: answered 409), PermissionDenied, or django-fsm's TransitionNotAllowed and
ConcurrentTransition when someone else moved the object first.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, TransitionNotAllowed

REFUSALS = (PermissionDenied, ValidationError, TransitionNotAllowed, ConcurrentTransition)
STALE = gettext_lazy("该申报刚被他人处理，状态已经改变，请刷新页面后查看。")


def refusal_messages(error, *, stale=STALE) -> list[str]:
    """The refusal as the sentences to show (never an empty list); `stale` is what to say
    when someone else moved the object first."""
    if isinstance(error, ValidationError):
        return [str(m) for m in error.messages] or [_("操作未能完成。")]
    if isinstance(error, PermissionDenied):
        return [str(error) or _("您无权执行此操作。")]
    if isinstance(error, ConcurrentTransition):
        return [str(stale)]
    return [_("当前状态不允许执行此操作。")]


def refusal_status(error) -> int:
    """400 for bad input (errors on fields), 409 for a step refused in the current state."""
    return 400 if hasattr(error, "error_dict") else 409


def apply_errors(form, error: ValidationError, field_map=None) -> None:
    """Put a service's ValidationError next to the form's fields (or on top of the form).

    `field_map` renames the service's keys to the form's field names where they differ.
    """
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = field_map.get(name, name)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error)


def show_refusal(form, error, *, stale=STALE, field_map=None) -> None:
    """Any refusal on the form: a ValidationError by field, anything else on top."""
    if isinstance(error, ValidationError):
        apply_errors(form, error, field_map)
    else:
        form.add_error(None, refusal_messages(error, stale=stale))
