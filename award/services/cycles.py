"""Moving a cycle through its phases (第十四条; DESIGN.md §4.1)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import has_transition_perm

from award.enums import CyclePhase, Role
from award.models import Cycle, User
from award.services.audit import audit_record
from award.services.notifications import notify


class CycleTransitionRefused(ValidationError):
    """The step is not allowed now; `messages` say why, in words the office can act on."""


def cycle_transition_method(cycle: Cycle, name: str):
    """The bound transition method called `name`, or None if no such transition exists."""
    for candidate in cycle.get_all_phase_transitions():
        if candidate.name == name:
            return getattr(cycle, name)
    return None


def cycle_transition_blockers(cycle: Cycle, name: str) -> list[str]:
    """Why `name` cannot run from the cycle's current phase; empty when it can."""
    method = cycle_transition_method(cycle, name)
    if method is None:
        return [_("没有名为“%(name)s”的阶段操作。") % {"name": name}]
    meta = method._django_fsm
    transition = meta.get_transition(cycle.phase)
    if transition is None:
        label = next(
            (t.custom.get("label") for t in cycle.get_all_phase_transitions() if t.name == name),
            name,
        )
        return [
            _("当前阶段为“%(phase)s”，不能执行“%(action)s”。")
            % {"phase": cycle.get_phase_display(), "action": label}
        ]
    reasons = []
    for check in transition.conditions:
        explain = getattr(check, "explain", None)
        if explain is not None:
            reasons.extend(explain(cycle))
        elif not check(cycle):
            reasons.append(str(check.message))
    return reasons


def cycle_transition(
    *, cycle: Cycle, name: str, by: User, reason: str = "", via_notice: str | None = None, **kwargs
) -> Cycle:
    """Take one step of the cycle's FSM.

    Locks the cycle, checks the office's permission and the step's conditions, runs the
    transition, audits it and tells the county coordinators after commit. Steps marked
    `via_notice` (发布申报通知, 公示, 公布) run only from publishing that kind of notice.
    Raises PermissionDenied or CycleTransitionRefused with the reasons.
    """
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().select_related("rulebook").get(pk=cycle.pk)
        method = cycle_transition_method(locked, name)
        if method is None:
            raise CycleTransitionRefused(cycle_transition_blockers(locked, name))
        transition = method._django_fsm.get_transition(locked.phase)
        needed_notice = transition.custom.get("via_notice") if transition else None
        if needed_notice != via_notice:
            raise CycleTransitionRefused(
                _("这一步由发布相应公告完成，请在“公告管理”中发布。")
                if needed_notice
                else _("这一步不能通过发布公告完成。")
            )
        if not has_transition_perm(method, by):
            raise PermissionDenied(_("只有质量强市办可以推进评选阶段。"))
        blockers = cycle_transition_blockers(locked, name)
        if blockers:
            raise CycleTransitionRefused(blockers)
        before = locked.phase
        method(**kwargs)
        locked.save()
        audit_record(
            actor=by,
            action=f"cycle.{name}",
            obj=locked,
            before={"phase": before},
            after={"phase": locked.phase},
            reason=reason,
            article="第十四条",
        )
        coordinators = User.objects.filter(groups__name=Role.COUNTY, is_active=True)
        notify(
            recipients=coordinators,
            template="cycle_phase_changed",
            context={"cycle": locked, "phase": CyclePhase(locked.phase).label},
        )
    cycle.refresh_from_db()
    return cycle
