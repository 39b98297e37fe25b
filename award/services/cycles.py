"""Moving a cycle through its phases (第十四条; DESIGN.md §4.1)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from award import fsm, hooks
from award.enums import CyclePhase, Role
from award.fsm import TransitionRefused
from award.models import Agency, Cycle, User
from award.models.cycle import MANAGE_CYCLE
from award.services.audit import audit_record
from award.services.notifications import notify
from award.services.submissions import submission_claim, submission_made


class CycleTransitionRefused(TransitionRefused):
    """The step is not allowed now; `messages` say why, in words the office can act on."""


def cycle_transition_blockers(cycle: Cycle, name: str) -> list[str]:
    """Why `name` cannot run from the cycle's current phase; empty when it can."""
    if not fsm.is_step(cycle, name):
        return [_("没有名为“%(name)s”的阶段操作。") % {"name": name}]
    return fsm.step_blockers(cycle, name)


def cycle_transition(
    *, cycle: Cycle, name: str, by: User, reason: str = "", via_notice: str | None = None, **kwargs
) -> Cycle:
    """Take one step of the cycle's FSM.

    Locks the cycle, checks the office's permission and the step's conditions, runs the
    transition, audits it, calls the higher floors' listeners for the step (award.hooks, in
    this transaction) and, unless a notice's publication drives it, tells the county
    coordinators after commit. Steps marked `via_notice` (发布申报通知, 公示, 公布) run only
    from publishing that kind of notice.
    Raises PermissionDenied or CycleTransitionRefused with the reasons.
    """
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().select_related("rulebook").get(pk=cycle.pk)
        if not fsm.is_step(locked, name):
            raise CycleTransitionRefused(cycle_transition_blockers(locked, name))
        # Permission first, whatever the phase: others learn nothing about the cycle.
        if not fsm.may_ever(locked, name, by):
            raise PermissionDenied(str(locked.fsm_never))
        current = fsm.step_transition(locked, name)
        needed_notice = current.custom.get("via_notice") if current else None
        if current is not None and needed_notice != via_notice:
            raise CycleTransitionRefused(
                _("这一步由发布相应公告完成，请在“公告管理”中发布。")
                if needed_notice
                else _("这一步不能通过发布公告完成。")
            )
        transition = fsm.step_check(locked, name, by, refused=CycleTransitionRefused)
        fsm.step_run(
            locked,
            transition,
            by=by,
            action=f"cycle.{name}",
            update_fields=CYCLE_STEP_FIELDS.get(name, ()),
            reason=reason,
            article="第十四条",
            params=kwargs,
        )
        hooks.cycle_step_taken(locked, name, by=by)
        if via_notice is None:  # a notice's publication tells people itself
            notify(
                recipients=_coordinators(),
                template="cycle_phase_changed",
                context={"cycle": locked, "phase": CyclePhase(locked.phase).label},
            )
    cycle.refresh_from_db()
    return cycle


# What each step's body sets besides the phase.
CYCLE_STEP_FIELDS = {
    "announce": ("announced_at",),
    "begin_publicity": ("publicity_starts_on", "publicity_ends_on"),
    "publish": ("published_at",),
}


CYCLE_FIELDS = (
    "number",
    "year",
    "rulebook",
    "application_deadline",
    "preliminary_deadline",
    "recheck_deadline",
    "review_deadline",
    "self_assessment_max_mb",
    "evidence_max_mb",
)
# Once the call is out, applicants rely on these: only the dates and file limits may move.
FIXED_ONCE_ANNOUNCED = ("number", "year", "rulebook")
EDITABLE_PHASES = (CyclePhase.DRAFT, CyclePhase.ANNOUNCED)
AGENCY_PHASES = (
    CyclePhase.DRAFT,
    CyclePhase.ANNOUNCED,
    CyclePhase.CLOSED,
    CyclePhase.PRELIMINARY,
    CyclePhase.RECHECK,
)


def _require_manager(by: User) -> None:
    if by is None or not by.is_authenticated or not by.has_perm(MANAGE_CYCLE):
        raise PermissionDenied(_("只有质量强市办可以管理评选届次。"))


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(CYCLE_FIELDS)
    if unknown:
        raise TypeError(f"cannot set cycle fields {sorted(unknown)}")


def _snapshot(cycle: Cycle) -> dict:
    return {
        name: getattr(cycle, f"{name}_id" if name == "rulebook" else name) for name in CYCLE_FIELDS
    }


def _coordinators():
    return User.objects.filter(groups__name=Role.COUNTY, is_active=True)


def cycle_create(*, by: User, submission_token=None, **fields) -> Cycle:
    """Open a new cycle in 筹备 (draft). Office only; audited.

    `Cycle.clean` checks the deadlines follow each other and the rulebook is in force on
    the application deadline (第二十六条); errors come back as a ValidationError by field.
    The form posted twice raises SubmissionReplayed with the first cycle.
    """
    _check_fields(fields)
    _require_manager(by)
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action="cycle.create")
        cycle = Cycle(created_by=by, **fields)
        cycle.full_clean(exclude=["created_by", "phase"])
        try:
            with transaction.atomic():
                cycle.save()
        except IntegrityError:  # the same number was taken just now, past full_clean
            cycle.validate_unique()
            raise
        submission_made(claim, cycle)
        audit_record(
            actor=by, action="cycle.create", obj=cycle, after=_snapshot(cycle), article="第四条"
        )
    return cycle


def cycle_update(*, cycle: Cycle, by: User, **fields) -> Cycle:
    """Change a cycle's number, dates and limits while it is in 筹备 or 信息发布.

    After the call is published the number, year and rulebook stay fixed and a new
    application deadline must lie ahead. Office only; every changed field is audited
    before → after; county coordinators are told when the application deadline moves
    while applications are open.
    """
    _check_fields(fields)
    _require_manager(by)
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().select_related("rulebook").get(pk=cycle.pk)
        if locked.phase not in EDITABLE_PHASES:
            raise ValidationError(
                _("评选届次已进入“%(phase)s”阶段，不能再修改基本信息。")
                % {"phase": locked.get_phase_display()}
            )
        before = _snapshot(locked)
        for name, value in fields.items():
            setattr(locked, name, value)
        after = _snapshot(locked)
        changed = [name for name in CYCLE_FIELDS if before[name] != after[name]]
        if locked.phase == CyclePhase.ANNOUNCED:
            errors = {
                name: _("申报通知已发布，不能再修改此项。")
                for name in FIXED_ONCE_ANNOUNCED
                if name in changed
            }
            if "application_deadline" in changed and locked.application_deadline <= timezone.now():
                errors["application_deadline"] = _(
                    "申报通知已发布，申报截止时间只能改为将来的时间。"
                )
            if errors:
                raise ValidationError(errors)
        locked.full_clean(exclude=["created_by", "phase"])
        if not changed:
            return locked
        locked.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=by,
            action="cycle.update",
            obj=locked,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
            article="第十四条第（一）项",
        )
        if locked.phase == CyclePhase.ANNOUNCED and "application_deadline" in changed:
            notify(
                recipients=_coordinators(),
                template="cycle_deadline_changed",
                context={
                    "cycle": locked,
                    "before": before["application_deadline"],
                    "after": locked.application_deadline,
                },
            )
    cycle.refresh_from_db()
    return cycle


def cycle_engage_agency(*, cycle: Cycle, agency: Agency, by: User) -> Cycle:
    """Engage the third-party agency that runs the expert review (第七条第（二）项).

    Office only; possible until expert review starts; audited before → after. The
    agency's accounts are told after commit.
    """
    _require_manager(by)
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if locked.phase not in AGENCY_PHASES:
            raise ValidationError(_("专家评审已经开始，不能再更换第三方机构（第七条第（二）项）。"))
        if locked.agency_id == agency.pk:
            return locked
        before = locked.agency
        locked.agency = agency
        locked.save(update_fields=["agency", "updated_at"])
        audit_record(
            actor=by,
            action="cycle.engage_agency",
            obj=locked,
            before={"agency": before.pk, "name": before.name} if before else {"agency": None},
            after={"agency": agency.pk, "name": agency.name},
            article="第七条第（二）项",
        )
        notify(
            recipients=User.objects.filter(agency=agency, groups__name=Role.AGENCY, is_active=True),
            template="cycle_agency_engaged",
            context={"cycle": locked, "agency": agency},
        )
    cycle.refresh_from_db()
    return cycle
