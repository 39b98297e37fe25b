"""Criteria sets as data: the office copies a default set and edits the copy (第七条)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from award.models import User
from award.permissions import is_office
from award.services.audit import audit_record
from review.models import CriteriaSet, Criterion, ReviewPlan

CRITERION_FIELDS = ("name", "points", "kind", "order")
ARTICLE_RULES = "第七条"


def _require_office(by) -> None:
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以修订评分标准（第七条）。"))


def criteria_set_in_use(criteria_set: CriteriaSet) -> bool:
    """A set some frozen plan scores by: it must stay as it is."""
    return ReviewPlan.objects.filter(
        Q(unit_criteria=criteria_set) | Q(individual_criteria=criteria_set),
        frozen_at__isnull=False,
    ).exists()


def criteria_set_problems(criteria_set: CriteriaSet) -> list[str]:
    """Where category rows do not add up to their items (empty when the set is coherent)."""
    problems = []
    rows = list(criteria_set.criteria.prefetch_related("children"))
    for row in rows:
        children = list(row.children.all())
        if children and sum(child.points for child in children) != row.points:
            problems.append(
                _("%(code)s %(name)s的分值%(points)s与其评分项合计%(total)s不一致。")
                % {
                    "code": row.code,
                    "name": row.name,
                    "points": row.points,
                    "total": sum(child.points for child in children),
                }
            )
        if not children and not row.kind:
            problems.append(
                _("%(code)s %(name)s未设置过程类或结果类。") % {"code": row.code, "name": row.name}
            )
    return problems


def criteria_set_copy(*, source: CriteriaSet, by: User, name: str) -> CriteriaSet:
    """Copy a set with all its rows, keeping the category structure. Office only; audited."""
    _require_office(by)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("请填写评分标准名称。")}, code="required")
    with transaction.atomic():
        copy = CriteriaSet.objects.create(
            name=name, kind=source.kind, is_default=False, copied_from=source, created_by=by
        )
        rows = list(source.criteria.order_by("order", "pk"))
        new_ids = {}
        # Parents come first in `order`, so their copies exist before their children's.
        for row in sorted(rows, key=lambda r: (r.parent_id is not None, r.order, r.pk)):
            new_ids[row.pk] = Criterion.objects.create(
                criteria_set=copy,
                parent_id=new_ids.get(row.parent_id),
                code=row.code,
                name=row.name,
                points=row.points,
                kind=row.kind,
                order=row.order,
            ).pk
        audit_record(
            actor=by,
            action="review.criteria_set_copy",
            obj=copy,
            after={"name": name, "copied_from": source.pk, "rows": len(rows)},
            article=ARTICLE_RULES,
        )
    return copy


def criterion_update(*, criterion: Criterion, by: User, **fields) -> Criterion:
    """Edit one row of a copied set. Refused on a default set and on a set a frozen plan
    uses. A category's points follow its items: change an item and the category is
    recomputed. Office only; audited before → after."""
    unknown = set(fields) - set(CRITERION_FIELDS)
    if unknown:
        raise TypeError(f"cannot set criterion fields {sorted(unknown)}")
    _require_office(by)
    with transaction.atomic():
        locked = (
            Criterion.objects.select_for_update()
            .select_related("criteria_set")
            .get(pk=criterion.pk)
        )
        criteria_set = locked.criteria_set
        if criteria_set.is_default:
            raise ValidationError(_("系统默认评分标准不能修改，请复制后修改副本。"), code="default")
        if criteria_set_in_use(criteria_set):
            raise ValidationError(_("该评分标准已用于已开始的评审，不能再修改。"), code="in_use")
        before = {name: getattr(locked, name) for name in CRITERION_FIELDS}
        for name, value in fields.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        if locked.children.exists() and "points" in fields:
            raise ValidationError({"points": _("类目分值由其评分项合计得出，请修改评分项分值。")})
        locked.full_clean(exclude=["criteria_set", "parent"])
        locked.save()
        if locked.parent_id and "points" in fields:
            parent = Criterion.objects.select_for_update().get(pk=locked.parent_id)
            parent.points = sum(parent.children.values_list("points", flat=True))
            parent.save(update_fields=["points"])
        after = {name: getattr(locked, name) for name in CRITERION_FIELDS}
        changed = [name for name in CRITERION_FIELDS if before[name] != after[name]]
        if changed:
            audit_record(
                actor=by,
                action="review.criterion_update",
                obj=locked,
                before={name: before[name] for name in changed},
                after={name: after[name] for name in changed},
                article=ARTICLE_RULES,
            )
    return locked
