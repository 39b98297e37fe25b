"""The ranking: every stage score and the final score computed in the database, in a
constant number of queries whatever the number of applications, experts or items."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Rank, Round
from django.db.models.lookups import GreaterThanOrEqual

from applications.enums import ApplicationState
from applications.models import Application
from applications.permissions import BEFORE_AGENCY_STATES
from award.enums import ApplicantKind
from review.enums import CHECK_STAGES, SCORED_STAGES, Aggregation
from review.models import (
    Assignment,
    ConsensusScore,
    Criterion,
    ReviewPlan,
    Score,
    ScoreCorrection,
    StageCheck,
    StageSignOff,
)

POINTS = DecimalField(max_digits=9, decimal_places=2)


ZERO = Value(Decimal("0"), output_field=POINTS)
TWO_PLACES = Decimal("0.01")


def _total(queryset, field: str):
    """A correlated SUM over `queryset` (already filtered on the outer application)."""
    return Subquery(
        queryset.order_by().values("application").annotate(total=Sum(field)).values("total")[:1],
        output_field=POINTS,
    )


def _consensus_stage(stage: str):
    agreed = ConsensusScore.objects.filter(application=OuterRef("pk"), stage=stage, excluded=False)
    corrected = ScoreCorrection.objects.filter(
        application=OuterRef("pk"), stage=stage, expert__isnull=True
    )
    return _total(agreed, "points") + Coalesce(_total(corrected, "delta"), ZERO)


class WindowResult(ExpressionWrapper):
    """Wraps an expression built of windows over the groups: computed after grouping, so it
    is no GROUP BY key itself."""

    def get_group_by_cols(self):
        return []


class Across(Func):
    """An aggregate taken across the groups of an aggregated query, as a window:
    SUM(SUM(points)) OVER () is the sum of the experts' totals."""

    window_compatible = True
    contains_aggregate = False  # it wraps an aggregate; the window makes it legal SQL
    output_field = POINTS


def _trimmed_mean_stage(stage: str, *, with_corrections: bool):
    """One correlated subquery per stage: the experts' totals grouped by expert, and over
    them (Σ − highest − lowest) / (experts − 2); a plain mean below three experts. With
    corrections of experts' items, each total includes their deltas."""
    total = Sum("points")
    if with_corrections:
        total = total + Coalesce(
            Subquery(
                ScoreCorrection.objects.filter(
                    application=OuterRef("application"), stage=stage, expert=OuterRef("expert")
                )
                .order_by()
                .values("expert")
                .annotate(total=Sum("delta"))
                .values("total")[:1],
                output_field=POINTS,
            ),
            ZERO,
        )

    def across(function, expression=total):
        return Window(Across(expression, function=function))

    experts = Window(Across(Value(1), function="COUNT", output_field=IntegerField()))
    trimmed = Case(
        When(
            GreaterThanOrEqual(experts, 3),
            then=(across("SUM") - across("MAX") - across("MIN")) / (experts - 2),
        ),
        default=across("SUM") / experts,
        output_field=POINTS,
    )
    return Subquery(
        Score.objects.filter(application=OuterRef("pk"), stage=stage, excluded=False)
        .order_by()
        .values("application", "expert")
        .annotate(expert_total=total)  # the aggregate makes it GROUP BY expert
        .annotate(trimmed=WindowResult(trimmed, output_field=POINTS))
        .values("trimmed")[:1],
        output_field=POINTS,
    )


def set_totals(plan: ReviewPlan) -> dict[str, int]:
    """Points of each kind's criteria set (1000 for GB/T 19580, 100 for individuals)."""
    ids = {
        ApplicantKind.UNIT: plan.unit_criteria_id,
        ApplicantKind.INDIVIDUAL: plan.individual_criteria_id,
    }
    sums = dict(
        Criterion.objects.items()
        .filter(criteria_set_id__in=ids.values())
        .values("criteria_set_id")
        .annotate(total=Sum("points"))
        .values_list("criteria_set_id", "total")
    )
    return {kind: sums.get(set_id, 0) for kind, set_id in ids.items()}


def _applications(cycle) -> QuerySet[Application]:
    return (
        Application.objects.filter(cycle=cycle)
        .exclude(state__in=BEFORE_AGENCY_STATES)
        .select_related("county")
    )


def _stage_scored(applications, plan: ReviewPlan, *, corrected: bool):
    """`applications` with `score_<stage>` (see ranking())."""
    annotations = {}
    for stage in SCORED_STAGES:
        signed = Exists(StageSignOff.objects.filter(application=OuterRef("pk"), stage=stage))
        if plan.aggregation == Aggregation.TRIMMED_MEAN:
            value = _trimmed_mean_stage(stage, with_corrections=corrected)
        else:
            value = _consensus_stage(stage)
        annotations[f"_signed_{stage}"] = signed
        annotations[f"score_{stage}"] = Case(
            When(Q(**{f"_signed_{stage}": True}), then=Round(value, 2)),
            default=None,
            output_field=POINTS,
        )
    return applications.annotate(**annotations)


def _scored(applications, plan: ReviewPlan, *, corrected: bool) -> QuerySet[Application]:
    """`applications` with `score_<stage>` and `final_score` (see ranking())."""
    final_parts = [
        F(f"score_{stage}") * Value(Decimal(weight))
        for stage, weight in plan.weights.items()
        if weight
    ]
    weighted = sum(final_parts[1:], final_parts[0]) if final_parts else ZERO
    return _stage_scored(applications, plan, corrected=corrected).annotate(
        final_score=Case(
            When(state=ApplicationState.REVIEW_FAILED, then=None),
            default=Round(weighted / Value(Decimal(100)), 2),
            output_field=POINTS,
        )
    )


RANK = Case(
    When(
        final_score__isnull=False,
        then=Window(
            Rank(),
            partition_by=[F("kind")],
            order_by=F("final_score").desc(nulls_last=True),
        ),
    ),
    default=None,
    output_field=IntegerField(),
)


def _ranks_within_kind(rows) -> None:
    """Sets `rank` on rows in ranking()'s order (kind, final score highest first, none last)
    as its Rank() window does: 1 = best, ties share a rank and the next skips, none without
    a final score."""
    kind = rank = previous = None
    for position, row in enumerate(rows):
        if row.kind != kind:
            kind, start, rank, previous = row.kind, position, None, None
        if row.final_score is None:
            row.rank = None
            continue
        if row.final_score != previous:
            rank, previous = position - start + 1, row.final_score
        row.rank = rank


def _corrected(cycle) -> bool:
    """Whether an expert's item was corrected in the cycle (the trimmed mean then adds it)."""
    return ScoreCorrection.objects.filter(application__cycle=cycle, expert__isnull=False).exists()


def _ranked_order(queryset) -> QuerySet[Application]:
    return queryset.order_by("kind", F("final_score").desc(nulls_last=True), "pk")


def final_score_of(row, plan: ReviewPlan) -> Decimal | None:
    """ranking()'s `final_score` from the row's stage scores: Σ weight × score / 100, half
    away from zero to two places as SQL's ROUND; none once a weighted stage has none, and
    none for 评审淘汰."""
    if row.state == ApplicationState.REVIEW_FAILED:
        return None
    total = Decimal(0)
    for stage, weight in plan.weights.items():
        if weight:
            value = getattr(row, f"score_{stage}")
            if value is None:
                return None
            total += value * Decimal(weight)
    return (total / Decimal(100)).quantize(TWO_PLACES, ROUND_HALF_UP)


# What a list of scores shows of an application besides them (and ConcurrentTransitionMixin
# reads as it builds one): not the submission's JSON, which ranking() brings along.
SCORED_ROW_COLUMNS = ("name", "kind", "state", "cycle_id", "county__name")


def ranked_scores(cycle, **filters) -> list[Application]:
    """ranking()'s `score_<stage>`, `final_score` and `rank` of the applications matching
    `filters` (ranked among themselves), in its order, for a list of scores (the candidate
    list); of each application its SCORED_ROW_COLUMNS. Three queries. The stage scores
    come from the database as in ranking(); the final score and the rank are worked out
    here from them, because SQL computes a stage score's subqueries again in every
    expression built on it (the final score, its order, the rank's window and its
    condition): six times over for each row."""
    plan = ReviewPlan.objects.filter(cycle=cycle).first()
    if plan is None:
        return []
    applications = _applications(cycle).filter(**filters).only(*SCORED_ROW_COLUMNS)
    rows = list(_stage_scored(applications, plan, corrected=_corrected(cycle)).order_by())
    for row in rows:
        row.final_score = final_score_of(row, plan)
    rows.sort(key=lambda r: (r.kind, r.final_score is None, -(r.final_score or 0), r.pk))
    _ranks_within_kind(rows)
    return rows


def ranking(cycle) -> QuerySet[Application]:
    """The cycle's applications from 复核通过 on, with every stage score and the final score,
    ranked within each kind (units and individuals are scored on different sets).

    Annotations: `score_<stage>` for 材料评审, 现场评审 and 陈述答辩 (points, only once the
    stage is signed), `final_score` = Σ weight × stage score / 100 (only once every
    weighted stage is signed; none for 评审淘汰), `final_percent` of the set's total,
    `rank` (1 = best; ties share a rank; none without a final score), `<check>_passed`
    for 舆情调查 and 资格审查 (None until recorded), `needs_reassignment`,
    `corrections`, and `meets_award_minimum` / `meets_nomination_minimum` when the plan
    sets them. Stage scores follow the plan's rule: the consensus total, or the trimmed
    mean of the experts' totals. Four queries in all, whatever the number of rows.
    """
    plan = ReviewPlan.objects.filter(cycle=cycle).first()
    applications = _applications(cycle)
    if plan is None:
        return applications.none()
    totals = set_totals(plan)
    checks = {
        f"{stage}_passed": Subquery(
            StageCheck.objects.filter(application=OuterRef("pk"), stage=stage).values("passed")[:1]
        )
        for stage in CHECK_STAGES
    }
    set_total = Case(
        *(When(kind=kind, then=Value(Decimal(total or 1))) for kind, total in totals.items()),
        output_field=POINTS,
    )
    queryset = _scored(applications.annotate(**checks), plan, corrected=_corrected(cycle))
    queryset = queryset.annotate(
        rank=RANK,
        final_percent=Round(F("final_score") * Value(Decimal(100)) / set_total, 2),
        needs_reassignment=Exists(
            Assignment.objects.active()
            .filter(application=OuterRef("pk"))
            .exclude(needs_reassignment="")
        ),
        corrections=Coalesce(
            Subquery(
                ScoreCorrection.objects.filter(application=OuterRef("pk"))
                .order_by()
                .values("application")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        ),
    )
    for category, minimum in (
        ("award", plan.award_min_percent),
        ("nomination", plan.nomination_min_percent),
    ):
        if minimum is not None:
            queryset = queryset.annotate(
                **{
                    f"meets_{category}_minimum": Case(
                        When(final_percent__gte=Value(Decimal(minimum)), then=True),
                        When(final_percent__isnull=False, then=False),
                        default=None,
                        output_field=BooleanField(),
                    )
                }
            )
    return _ranked_order(queryset)
