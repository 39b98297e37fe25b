"""The review plan of a cycle (第八条第（一）项): written before review, frozen once it starts."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from award.enums import ApplicantKind, CyclePhase
from award.models import Cycle, User
from award.services.audit import audit_record
from review.models import CriteriaSet, ReviewPlan
from review.permissions import can_manage_plan
from review.services.criteria import criteria_set_problems

PLAN_FIELDS = (
    "starts_on",
    "ends_on",
    "materials_weight",
    "site_visit_weight",
    "defence_weight",
    "min_group_size",
    "aggregation",
    "unit_criteria",
    "individual_criteria",
    "award_min_percent",
    "nomination_min_percent",
    "exclude_same_county",
)
PLAN_PHASES = (
    CyclePhase.DRAFT,
    CyclePhase.ANNOUNCED,
    CyclePhase.CLOSED,
    CyclePhase.PRELIMINARY,
    CyclePhase.RECHECK,
    CyclePhase.EXPERT_REVIEW,
)
ARTICLE_PLAN = "第八条第（一）项"


def frozen_message(plan: ReviewPlan) -> str:
    return _(
        "评审工作计划已于%(at)s随专家评审开始而冻结，环节权重、计分规则、评分标准等"
        "均不能再修改（第二十条）。"
    ) % {"at": date_format(timezone.localtime(plan.frozen_at), "Y年n月j日 H:i")}


def _snapshot(plan: ReviewPlan) -> dict:
    return {
        name: getattr(plan, f"{name}_id" if name.endswith("_criteria") else name)
        for name in PLAN_FIELDS
    }


def review_plan_save(*, cycle: Cycle, by: User, **fields) -> ReviewPlan:
    """Create or change the cycle's review plan. The cycle's agency or the office.

    Defaults: weights 材料评审 40, 现场评审 40, 陈述答辩 20 (must sum to 100), groups of at
    least 5, the consensus rule, the default criteria sets. Refused once frozen (the first
    application's review started) and after the review phase. Audited before → after.
    ValidationError keyed by field.
    """
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"cannot set plan fields {sorted(unknown)}")
    if not can_manage_plan(cycle, by):
        raise PermissionDenied(_("只有承担本届评审的第三方机构或质量强市办可以制定评审工作计划。"))
    with transaction.atomic():
        locked_cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        plan = ReviewPlan.objects.select_for_update().filter(cycle=locked_cycle).first()
        if plan is not None and plan.is_frozen:
            raise ValidationError(frozen_message(plan), code="frozen")
        if locked_cycle.phase not in PLAN_PHASES:
            raise ValidationError(
                _("评选届次已进入“%(phase)s”阶段，不能再修改评审工作计划。")
                % {"phase": locked_cycle.get_phase_display()},
                code="phase",
            )
        created = plan is None
        if created:
            plan = ReviewPlan(
                cycle=locked_cycle,
                unit_criteria=CriteriaSet.objects.get(kind=ApplicantKind.UNIT, is_default=True),
                individual_criteria=CriteriaSet.objects.get(
                    kind=ApplicantKind.INDIVIDUAL, is_default=True
                ),
            )
        before = {} if created else _snapshot(plan)
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.updated_by = by
        # The criteria sets' kinds are checked in clean(), with our own wording.
        plan.full_clean(exclude=["cycle", "updated_by", "unit_criteria", "individual_criteria"])
        errors = {}
        for name in ("unit_criteria", "individual_criteria"):
            if name in fields and (problems := criteria_set_problems(getattr(plan, name))):
                errors[name] = problems
        if errors:
            raise ValidationError(errors)
        plan.save()
        after = _snapshot(plan)
        changed = [name for name in PLAN_FIELDS if before.get(name) != after[name]]
        if created or changed:
            audit_record(
                actor=by,
                action="review.plan_create" if created else "review.plan_update",
                obj=plan,
                before={name: before[name] for name in changed} if not created else None,
                after={name: after[name] for name in changed} if not created else after,
                article=ARTICLE_PLAN,
            )
    return plan


def plan_freeze(plan: ReviewPlan, *, by: User) -> None:
    """Freeze the plan when the first review starts (inside that transaction)."""
    if plan.is_frozen:
        return
    plan.frozen_at = timezone.now()
    ReviewPlan.objects.filter(pk=plan.pk).update(frozen_at=plan.frozen_at)
    audit_record(
        actor=by, action="review.plan_freeze", obj=plan, after=_snapshot(plan), article="第二十条"
    )
