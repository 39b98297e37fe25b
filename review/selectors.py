"""Read queries the review pages share, scoped to what the user may see (DESIGN.md §5).

ranking() computes every stage score and the final score in the database, in a constant
number of queries whatever the number of applications, experts or items.
"""

from decimal import Decimal

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
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    StdDev,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Rank, Round
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from applications.enums import ApplicationState
from applications.models import Application
from applications.permissions import BEFORE_AGENCY_STATES
from award.enums import ApplicantKind, Role
from review.enums import CHECK_STAGES, SCORED_STAGES, Aggregation, Stage
from review.models import (
    Assignment,
    ConflictDeclaration,
    ConsensusScore,
    Criterion,
    Exclusion,
    Expert,
    ReviewGroup,
    ReviewPlan,
    Score,
    ScoreCorrection,
    SiteVisit,
    StageCheck,
    StageSignOff,
    StageSubmission,
)
from review.models.groups import SCORE_ASSIGNMENT
from review.permissions import can_read_review, expert_of
from review.scoring import BANDS, band_of

POINTS = DecimalField(max_digits=9, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=POINTS)


# Pool, groups, assignments ------------------------------------------------------------------


def experts_for(user) -> QuerySet[Expert]:
    """The agency's own pool for its managers; every pool for the office and the auditor."""
    experts = Expert.objects.select_related("user", "county", "agency").prefetch_related(
        "specialities"
    )
    if not (user.is_authenticated and user.is_active):
        return experts.none()
    if user.has_role(Role.OFFICE, Role.AUDITOR):
        return experts
    if user.has_role(Role.AGENCY) and user.agency_id is not None:
        return experts.filter(agency_id=user.agency_id)
    return experts.none()


def groups_of(cycle) -> QuerySet[ReviewGroup]:
    return (
        ReviewGroup.objects.filter(cycle=cycle)
        .select_related("leader")
        .prefetch_related("members")
        .annotate(load=Count("assignments", filter=Q(assignments__removed_at__isnull=True)))
        .order_by("name", "pk")
    )


def review_applications_for(user, cycle) -> QuerySet[Application]:
    """The cycle's applications from 复核通过 on, for its agency, the office and the auditor."""
    if not can_read_review(cycle, user):
        return Application.objects.none()
    return (
        Application.objects.filter(cycle=cycle)
        .exclude(state__in=BEFORE_AGENCY_STATES)
        .select_related("county", "cycle")
        .order_by("submitted_at", "pk")
    )


def accepted_without_group(cycle) -> QuerySet[Application]:
    """复核通过 applications the agency has not yet given to a group."""
    return (
        Application.objects.filter(cycle=cycle, state=ApplicationState.ACCEPTED)
        .exclude(pk__in=Assignment.objects.active().values("application_id"))
        .select_related("county")
        .order_by("submitted_at", "pk")
    )


def applications_needing_reassignment(cycle) -> QuerySet[Assignment]:
    """Open assignments flagged after a disqualification or a conflict left the group short."""
    return (
        Assignment.objects.active()
        .filter(application__cycle=cycle)
        .exclude(needs_reassignment="")
        .select_related("application__county", "group__leader")
        .order_by("assigned_at", "pk")
    )


def assignments_for_expert(user) -> QuerySet[Assignment]:
    """Open assignments the user holds the guardian permission on, with the declaration."""
    if expert_of(user) is None:
        return Assignment.objects.none()
    held = get_objects_for_user(
        user, SCORE_ASSIGNMENT, klass=Assignment.objects.active(), accept_global_perms=False
    )
    mine = ConflictDeclaration.objects.filter(
        assignment=OuterRef("pk"), expert__user=user, has_conflict=False
    )
    return (
        held.select_related("application__cycle", "application__county", "group__leader")
        .annotate(declared=Exists(mine))
        .order_by("assigned_at", "pk")
    )


# Scores ---------------------------------------------------------------------------------------


def stage_scores_for(application, stage: str, user) -> QuerySet[Score]:
    """Scores of a stage the user may see: the office, auditor and agency all of them; an
    expert their own, and the others' submitted ones once they submitted their own (§5)."""
    scores = (
        Score.objects.filter(application=application, stage=stage, excluded=False)
        .select_related("criterion", "expert")
        .order_by("criterion__order", "expert__name", "pk")
    )
    if can_read_review(application.cycle, user):
        return scores
    expert = expert_of(user)
    assignment = Assignment.objects.active().filter(application=application).first()
    if expert is None or assignment is None or not user.has_perm(SCORE_ASSIGNMENT, assignment):
        return scores.none()
    submissions = StageSubmission.objects.filter(
        application=application, stage=stage, excluded=False
    )
    if not submissions.filter(expert=expert).exists():
        return scores.filter(expert=expert)
    # Others' drafts stay private: only what each of them has submitted is shown.
    return scores.filter(Q(expert=expert) | Q(expert_id__in=submissions.values("expert_id")))


def consensus_spread(application, stage: str) -> list[dict]:
    """Per scored item: the experts' lowest, highest and mean percentage, their spread and
    count, beside the consensus so far — what the leader looks at in 合议. Two queries."""
    plan = ReviewPlan.objects.get(cycle_id=application.cycle_id)
    spread = {
        row["criterion_id"]: row
        for row in Score.objects.filter(application=application, stage=stage, excluded=False)
        .values("criterion_id")
        .annotate(
            low=Min("percentage"),
            high=Max("percentage"),
            mean=Round(Sum("percentage") * 1.0 / Count("pk"), 1),
            deviation=Round(StdDev("percentage"), 1),
            experts=Count("expert", distinct=True),
        )
    }
    consensus = ConsensusScore.objects.filter(
        application=application, stage=stage, excluded=False, criterion=OuterRef("pk")
    )
    items = (
        Criterion.objects.items()
        .filter(criteria_set_id=plan.criteria_set_id_for(application.kind))
        .annotate(
            consensus_percentage=Subquery(consensus.values("percentage")[:1]),
            consensus_points=Subquery(consensus.values("points")[:1]),
        )
        .order_by("order")
    )
    rows = []
    for item in items:
        found = spread.get(item.pk, {})
        rows.append(
            {
                "criterion": item,
                "low": found.get("low"),
                "high": found.get("high"),
                "mean": found.get("mean"),
                "deviation": found.get("deviation"),
                "experts": found.get("experts", 0),
                "consensus_percentage": item.consensus_percentage,
                "consensus_points": item.consensus_points,
            }
        )
    return rows


def band_descriptors(kind: str) -> list[dict]:
    """The six bands with the descriptor for a process or result item, for the score form."""
    return [
        {"label": band.label, "choices": band.choices, "descriptor": band.descriptor(kind)}
        for band in BANDS
    ]


# Ranking --------------------------------------------------------------------------------------


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
    applications = (
        Application.objects.filter(cycle=cycle)
        .exclude(state__in=BEFORE_AGENCY_STATES)
        .select_related("county")
    )
    if plan is None:
        return applications.none()
    totals = set_totals(plan)
    corrected = ScoreCorrection.objects.filter(
        application__cycle=cycle, expert__isnull=False
    ).exists()
    annotations = {}
    for stage in CHECK_STAGES:
        annotations[f"{stage}_passed"] = Subquery(
            StageCheck.objects.filter(application=OuterRef("pk"), stage=stage).values("passed")[:1]
        )
    final_parts = []
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
        weight = plan.weights[stage]
        if weight:
            final_parts.append(F(f"score_{stage}") * Value(Decimal(weight)))
    weighted = sum(final_parts[1:], final_parts[0]) if final_parts else ZERO
    set_total = Case(
        *(When(kind=kind, then=Value(Decimal(total or 1))) for kind, total in totals.items()),
        output_field=POINTS,
    )
    queryset = applications.annotate(**annotations).annotate(
        final_score=Case(
            When(state=ApplicationState.REVIEW_FAILED, then=None),
            default=Round(weighted / Value(Decimal(100)), 2),
            output_field=POINTS,
        ),
    )
    queryset = queryset.annotate(
        final_percent=Round(F("final_score") * Value(Decimal(100)) / set_total, 2),
        rank=Case(
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
        ),
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
    return queryset.order_by("kind", F("final_score").desc(nulls_last=True), "pk")


# The agency's report (情况报告, 第八条第（三）项, 第十四条第（四）项) -----------------------------


def _label(choices, value) -> str:
    return str(choices(value).label) if value else ""


def review_report(cycle) -> dict:
    """Plain data for the agency's written report to the office: the plan, a summary, and
    per application its rank, stage scores, final score, checks, site visit and flags.
    A constant number of queries; pages, Excel and PDF render it later."""
    plan = (
        ReviewPlan.objects.filter(cycle=cycle)
        .select_related("unit_criteria", "individual_criteria")
        .first()
    )
    rows = list(ranking(cycle))
    ids = [row.pk for row in rows]
    checks = {
        (check.application_id, check.stage): check
        for check in StageCheck.objects.filter(application_id__in=ids)
    }
    visits = {
        visit.application_id: visit for visit in SiteVisit.objects.filter(application_id__in=ids)
    }
    assignments = {
        a.application_id: a
        for a in Assignment.objects.active()
        .filter(application_id__in=ids)
        .select_related("group__leader")
    }
    exclusions = dict(
        Exclusion.objects.filter(application_id__in=ids)
        .values("application_id")
        .annotate(n=Count("pk"))
        .values_list("application_id", "n")
    )
    disqualified = list(
        Expert.objects.filter(disqualified_at__isnull=False, memberships__group__cycle=cycle)
        .distinct()
        .values("name", "employer", "disqualified_at", "disqualification_reason")
    )
    applications = []
    for row in rows:
        assignment = assignments.get(row.pk)
        flags = []
        if row.needs_reassignment:
            flags.append(str(assignment.needs_reassignment) if assignment else "")
        if row.corrections:
            flags.append(_("评分更正%(count)s次") % {"count": row.corrections})
        if row.state == ApplicationState.REVIEW_FAILED:
            failed = [c for (pk, _s), c in checks.items() if pk == row.pk and not c.passed]
            flags.extend(
                _("%(stage)s未通过：%(reason)s")
                % {"stage": Stage(c.stage).label, "reason": c.reason}
                for c in failed
            )
        visit = visits.get(row.pk)
        applications.append(
            {
                "id": row.pk,
                "rank": row.rank,
                "name": row.name,
                "kind": _label(ApplicantKind, row.kind),
                "county": row.county.name,
                "state": row.get_state_display(),
                "group": assignment.group.name if assignment else "",
                "leader": assignment.group.leader.name if assignment else "",
                "checks": {
                    str(Stage(stage).label): (
                        None if (row.pk, stage) not in checks else checks[(row.pk, stage)].passed
                    )
                    for stage in CHECK_STAGES
                },
                "stage_scores": {
                    str(Stage(stage).label): getattr(row, f"score_{stage}")
                    for stage in SCORED_STAGES
                },
                "final_score": row.final_score,
                "final_percent": row.final_percent,
                "meets_award_minimum": getattr(row, "meets_award_minimum", None),
                "meets_nomination_minimum": getattr(row, "meets_nomination_minimum", None),
                "site_visit": (
                    {"visited_on": visit.visited_on, "issues_found": visit.issues_found}
                    if visit
                    else None
                ),
                "exclusions": exclusions.get(row.pk, 0),
                "flags": [flag for flag in flags if flag],
            }
        )
    states = {}
    for row in rows:
        states[row.get_state_display()] = states.get(row.get_state_display(), 0) + 1
    return {
        "cycle": str(cycle),
        "agency": str(cycle.agency) if cycle.agency_id else "",
        "plan": (
            {
                "weights": {str(Stage(s).label): w for s, w in plan.weights.items()},
                "aggregation": _label(Aggregation, plan.aggregation),
                "min_group_size": plan.min_group_size,
                "unit_criteria": plan.unit_criteria.name,
                "individual_criteria": plan.individual_criteria.name,
                "award_min_percent": plan.award_min_percent,
                "nomination_min_percent": plan.nomination_min_percent,
                "frozen_at": plan.frozen_at,
            }
            if plan
            else None
        ),
        "summary": {"total": len(rows), "by_state": states},
        "applications": applications,
        "disqualified_experts": disqualified,
    }


def application_review_report(application) -> dict:
    """One application's review as plain data: per stage the consensus items with band,
    points, strengths and opportunities, the corrections, and who signed when."""
    stages = {}
    consensus = (
        ConsensusScore.objects.filter(application=application, excluded=False)
        .select_related("criterion")
        .order_by("criterion__order")
    )
    for row in consensus:
        stages.setdefault(row.stage, {"items": [], "corrections": [], "signed": None})
        stages[row.stage]["items"].append(
            {
                "code": row.criterion.code,
                "name": row.criterion.name,
                "points": row.criterion.points,
                "percentage": row.percentage,
                "band": band_of(row.percentage).label,
                "score": row.points,
                "strengths": row.strengths,
                "opportunities": row.opportunities,
            }
        )
    for correction in ScoreCorrection.objects.filter(application=application).select_related(
        "criterion", "expert", "corrected_by"
    ):
        stages.setdefault(correction.stage, {"items": [], "corrections": [], "signed": None})
        stages[correction.stage]["corrections"].append(
            {
                "code": correction.criterion.code,
                "expert": correction.expert.name if correction.expert else None,
                "from": correction.previous_percentage,
                "to": correction.percentage,
                "delta": correction.delta,
                "reason": correction.reason,
                "by": correction.corrected_by.name,
                "at": correction.created_at,
            }
        )
    for sign_off in StageSignOff.objects.filter(application=application).select_related(
        "signed_by"
    ):
        stages.setdefault(sign_off.stage, {"items": [], "corrections": [], "signed": None})
        stages[sign_off.stage]["signed"] = {
            "by": sign_off.signed_by.name,
            "at": sign_off.signed_at,
        }
    return {
        "application": application.name,
        "stages": {str(Stage(stage).label): data for stage, data in stages.items()},
        "checks": [
            {
                "stage": str(Stage(check.stage).label),
                "passed": check.passed,
                "evidence": check.evidence,
                "reason": check.reason,
                "at": check.recorded_at,
            }
            for check in StageCheck.objects.filter(application=application).order_by("recorded_at")
        ],
        "exclusions": [
            {"expert": e.expert.name, "source": e.get_source_display(), "reason": e.reason}
            for e in Exclusion.objects.filter(application=application).select_related("expert")
        ],
    }


def agency_applications(user):
    """Applications of the cycles the user's agency is engaged for, from 复核通过 on."""
    if not (user.is_authenticated and user.has_role(Role.AGENCY) and user.agency_id):
        return Application.objects.none()
    return (
        Application.objects.filter(cycle__agency_id=user.agency_id)
        .exclude(state__in=BEFORE_AGENCY_STATES)
        .select_related("cycle", "county")
    )


__all__ = [
    "accepted_without_group",
    "agency_applications",
    "application_review_report",
    "applications_needing_reassignment",
    "assignments_for_expert",
    "band_descriptors",
    "consensus_spread",
    "experts_for",
    "groups_of",
    "ranking",
    "review_applications_for",
    "review_report",
    "set_totals",
    "stage_scores_for",
]
