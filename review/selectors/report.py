"""The agency's report (情况报告, 第八条第（三）项, 第十四条第（四）项) as plain data, and what
the report pages read besides."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from award.enums import ApplicantKind
from award.models import Cycle
from review.enums import CHECK_STAGES, SCORED_STAGES, Aggregation, Stage
from review.models import (
    Assignment,
    ConsensusScore,
    Exclusion,
    Expert,
    ReviewPlan,
    Score,
    ScoreCorrection,
    SiteVisit,
    StageCheck,
    StageSignOff,
)
from review.permissions import can_read_review
from review.scoring import band_of
from review.selectors.pool import review_cycles
from review.selectors.ranking import ranking


def report_cycle(user, pk) -> Cycle | None:
    cycle = review_cycles(user).filter(pk=pk).first()
    if cycle is None or not can_read_review(cycle, user):
        return None
    return cycle


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
        stages[sign_off.stage]["signed"] = {"by": sign_off.signed_by.name, "at": sign_off.signed_at}
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


def expert_stage_totals(application) -> list[dict]:
    """Each expert's total per scored stage, only for stages the leader has signed (before
    that the experts' scores stay independent and unseen, DESIGN.md §5); later corrections
    of an expert's item are added to that expert's total. Three queries."""
    signed = {
        sign_off.stage: sign_off
        for sign_off in StageSignOff.objects.filter(application=application).select_related(
            "signed_by"
        )
    }
    if not signed:
        return []
    totals = {}
    for row in (
        Score.objects.filter(application=application, stage__in=signed, excluded=False)
        .values("stage", "expert_id", "expert__name")
        .annotate(total=Sum("points"))
        .order_by("stage", "expert__name", "expert_id")
    ):
        totals[(row["stage"], row["expert_id"])] = {
            "name": row["expert__name"],
            "total": row["total"] or Decimal("0"),
        }
    for row in (
        ScoreCorrection.objects.filter(
            application=application, stage__in=signed, expert__isnull=False
        )
        .values("stage", "expert_id")
        .annotate(delta=Sum("delta"))
        .order_by()
    ):
        key = (row["stage"], row["expert_id"])
        if key in totals:
            totals[key]["total"] += row["delta"]
    stages = []
    for stage in SCORED_STAGES:
        if stage not in signed:
            continue
        experts = [value for (s, _pk), value in totals.items() if s == stage]
        stages.append(
            {
                "stage": Stage(stage).label,
                "signed_by": signed[stage].signed_by.name,
                "signed_at": signed[stage].signed_at,
                "experts": experts,
            }
        )
    return stages
