"""The one module that knows django-fsm's internals (DESIGN.md §2).

Models declare transitions with `condition` and `guarded`; services ask `step_check` whether a
user may take a step ("never": PermissionDenied; "not now": TransitionRefused with every
reason) and `step_run` to take it, which saves with `update_fields` and writes the audit entry.
Conditions are evaluated once, by `step_check`, under the caller's row lock.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy
from django_fsm import FSMFieldMixin, Transition, post_transition, pre_transition

NEVER = gettext_lazy("您无权执行此操作。")
WRONG_STATE = gettext_lazy("当前状态为“%(state)s”，不能执行“%(action)s”。")


class TransitionRefused(ValidationError):
    """The step is not allowed now; `messages` say why, in words the user can act on."""


def condition(message):
    """Give an FSM condition the message that explains it when it does not hold."""

    def decorate(check):
        check.message = message
        return check

    return decorate


def guarded(reasons: Callable[[object, str], Iterable[str]], name: str, message=""):
    """A condition that asks a registry of higher floors: `reasons(instance, name)` lists why
    the step may not run; the step is blocked while there is any. `message` sums them up
    where a caller wants one line."""

    def check(instance):
        return not list(reasons(instance, name))

    check.message = message
    check.explain = lambda instance: [str(reason) for reason in reasons(instance, name)]
    return check


# Reading the graph ------------------------------------------------------------------------


def _meta(instance, name):
    method = getattr(type(instance), name, None)
    return getattr(method, "_django_fsm", None)


def _state(instance, meta):
    return meta.field.get_state(instance)


def _model(instance_or_model):
    return instance_or_model if isinstance(instance_or_model, type) else type(instance_or_model)


def _field(instance) -> FSMFieldMixin:
    return next(f for f in _model(instance)._meta.fields if isinstance(f, FSMFieldMixin))


def transitions_of(instance_or_model) -> list[Transition]:
    """Every transition the model (or the instance's model) declares on its FSM field."""
    return list(_field(instance_or_model).get_all_transitions(_model(instance_or_model)))


def is_step(instance, name: str) -> bool:
    return _meta(instance, name) is not None


def step_label(instance, name: str) -> str:
    """The step's button label (`custom["label"]`), or its name."""
    meta = _meta(instance, name)
    if meta is None:
        return name
    for transition in meta.transitions.values():
        if "label" in transition.custom:
            return str(transition.custom["label"])
    return name


def step_transition(instance, name: str) -> Transition | None:
    """The transition `name` would take from the instance's current state, if any."""
    meta = _meta(instance, name)
    return meta.get_transition(_state(instance, meta)) if meta else None


def steps_from_here(instance) -> list[Transition]:
    """The transitions that leave the instance's current state, in declaration order."""
    state = _field(instance).get_state(instance)
    return [t for t in transitions_of(instance) if t.source == state]


def may_ever(instance, name: str, user) -> bool:
    """Whether `user` may take step `name` on this object from some state ("never" if not)."""
    meta = _meta(instance, name)
    if meta is None or user is None or not user.is_authenticated:
        return False
    return any(t.has_perm(instance, user) for t in meta.transitions.values())


def why_not(instance, name: str, user) -> list[str]:
    """Why `user` may not take step `name` now, as `step_check` would refuse it; [] if they may."""
    try:
        step_check(instance, name, user)
    except PermissionDenied as denied:
        return [str(denied)]
    except ValidationError as refused:
        return [str(message) for message in refused.messages]
    return []


def _wrong_state(instance, name: str) -> str:
    template = getattr(instance, "fsm_wrong_state", WRONG_STATE)
    return str(template) % {
        "state": getattr(instance, f"get_{_field(instance).name}_display")(),
        "action": step_label(instance, name),
    }


def condition_reasons(instance, transition: Transition) -> list[str]:
    """Why the transition's conditions do not hold, each condition asked once; a guarded
    condition gives its registry's reasons one by one."""
    reasons = []
    for check in transition.conditions:
        explain = getattr(check, "explain", None)
        if explain is not None:
            reasons.extend(explain(instance))
        elif not check(instance):
            reasons.append(str(check.message))
    return reasons


def step_blockers(instance, name: str, user=None) -> list[str]:
    """Why step `name` cannot run now (state, then conditions); empty when it can.

    With `user`, a transition from this state that the user may not take counts as the wrong
    state for them (e.g. a county's 退回 on an application the office holds).
    """
    transition = step_transition(instance, name)
    if transition is None or (user is not None and not transition.has_perm(instance, user)):
        return [_wrong_state(instance, name)]
    return condition_reasons(instance, transition)


def step_check(instance, name: str, by, *, refused=TransitionRefused) -> Transition:
    """Make sure `by` may take step `name` now; return the Transition to run.

    PermissionDenied when `by` may never take it on this object (the model's `fsm_never`
    says so); `refused` (a TransitionRefused) with code "state" when the current state does
    not allow it, or code "condition" with every reason a condition gives.
    """
    if not may_ever(instance, name, by):
        raise PermissionDenied(str(getattr(instance, "fsm_never", NEVER)))
    transition = step_transition(instance, name)
    if transition is None or not transition.has_perm(instance, by):
        raise refused(_wrong_state(instance, name), code="state")
    reasons = condition_reasons(instance, transition)
    if reasons:
        raise refused([ValidationError(reason, code="condition") for reason in reasons])
    return transition


@dataclass(frozen=True)
class StepResult:
    transition: Transition
    before: dict
    after: dict


def step_run(
    instance,
    transition: Transition,
    *,
    by,
    action: str,
    track: Iterable[str] = (),
    update_fields: Iterable[str] = (),
    after_extra: dict | None = None,
    reason: str = "",
    article: str | None = None,
    params: dict | None = None,
) -> StepResult:
    """Take a transition `step_check` returned: run its body with `params`, move the state,
    save with `update_fields` (the state, `track`, `update_fields` and `updated_at` if the
    model has it), and write one audit entry (`action`; the state and `track` before → after).

    The conditions are not asked again: the caller checked them under its row lock.
    """
    from award.services.audit import audit_record  # models import this module

    field = _field(instance)
    track = tuple(track)
    source = field.get_state(instance)
    before = {field.name: source, **{name: getattr(instance, name) for name in track}}
    signal = {
        "sender": type(instance),
        "instance": instance,
        "name": transition.name,
        "field": field,
        "source": source,
        "target": transition.target,
        "method_args": (),
        "method_kwargs": params or {},
    }
    pre_transition.send(**signal)
    transition.method(instance, **(params or {}))
    field.set_proxy(instance, transition.target)
    field.set_state(instance, transition.target)
    post_transition.send(**signal)
    fields = [field.name, *track, *update_fields]
    if any(f.name == "updated_at" for f in type(instance)._meta.fields):
        fields.append("updated_at")
    instance.save(update_fields=list(dict.fromkeys(fields)))
    after = {field.name: field.get_state(instance), **{n: getattr(instance, n) for n in track}}
    audit_record(
        actor=by,
        action=action,
        obj=instance,
        before=before,
        after={**after, **(after_extra or {})},
        reason=reason,
        article=transition.custom.get("article", "") if article is None else article,
    )
    return StepResult(transition=transition, before=before, after=after)
