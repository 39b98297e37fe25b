"""Feedback reports (反馈报告, domain.md §7): frozen at 公布 for every application that reached
expert review with a signed stage, from the group's consensus only.

Per scored stage: each item's consensus percentage with its band (GB/T 19580's six bands), the
strengths and opportunities for improvement agreed at consensus, the totals per category (the
seven categories for units, the criteria set's parts for individuals) and the stage score; then
the weighted totals per category and the final score. Never an expert's name, never an
individual expert's score.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationState as S
from applications.models import Application
from award.enums import ApplicantKind
from award.pdf import render_pdf
from award.services.audit import audit_record
from decisions.models import FeedbackReport
from review.enums import SCORED_STAGES, CriterionKind, Stage
from review.models import ConsensusScore, Criterion, ReviewPlan, ScoreCorrection, StageSignOff
from review.scoring import band_of
from review.selectors.ranking import ranking

ARTICLE_FEEDBACK = "第十三条"
PDF_TEMPLATE = "pdf/decisions/feedback_report.html"
CENT = Decimal("0.01")

# Reached expert review and came out of it with a result (第十四条第（四）项 onwards).
REVIEWED_STATES = frozenset(
    {
        S.REVIEWED,
        S.CANDIDATE,
        S.PROPOSED,
        S.NOT_SELECTED,
        S.IN_PUBLICITY,
        S.PUBLICITY_FAILED,
        S.AWARDED,
        S.REVOKED,
    }
)
# 评审淘汰 gets a report only if a scored stage was signed before it failed.
FEEDBACK_STATES = REVIEWED_STATES | {S.REVIEW_FAILED}


def _money(value) -> str | None:
    """Points as a string with two decimals (JSON keeps it exact)."""
    if value is None:
        return None
    return str(Decimal(value).quantize(CENT))


def eligible_applications(cycle):
    """The cycle's applications that get a feedback report: from 评审完成 on (or 评审淘汰)
    with at least one signed scored stage."""
    signed = StageSignOff.objects.filter(application__cycle=cycle).values("application_id")
    return (
        Application.objects.filter(cycle=cycle, state__in=FEEDBACK_STATES, pk__in=signed)
        .select_related("cycle", "county")
        .order_by("pk")
    )


def _categories_of(criteria) -> dict[int, Criterion]:
    """Each scored item's category: its parent row, or the item itself where the set has no
    categories (the individual set's parts)."""
    by_pk = {criterion.pk: criterion for criterion in criteria}
    return {
        criterion.pk: by_pk.get(criterion.parent_id, criterion)
        for criterion in criteria
        if not any(other.parent_id == criterion.pk for other in criteria)
    }


def feedback_contents(cycle, applications) -> dict[int, dict]:
    """The report content of each application, as JSON-ready data; a constant number of
    queries whatever the number of applications."""
    plan = (
        ReviewPlan.objects.filter(cycle=cycle)
        .select_related("unit_criteria", "individual_criteria")
        .first()
    )
    if plan is None or not applications:
        return {}
    ids = [application.pk for application in applications]
    criteria = {
        kind: list(
            Criterion.objects.filter(criteria_set_id=plan.criteria_set_id_for(kind)).order_by(
                "order", "pk"
            )
        )
        for kind in ApplicantKind.values
    }
    consensus = {}
    for row in ConsensusScore.objects.filter(application_id__in=ids, excluded=False):
        consensus[(row.application_id, row.stage, row.criterion_id)] = row
    corrected = {}
    for row in ScoreCorrection.objects.filter(application_id__in=ids, expert__isnull=True).order_by(
        "created_at", "pk"
    ):
        corrected[(row.application_id, row.stage, row.criterion_id)] = row  # the latest wins
    signed = set(
        StageSignOff.objects.filter(application_id__in=ids).values_list("application_id", "stage")
    )
    official = {row.pk: row for row in ranking(cycle).filter(pk__in=ids).order_by()}
    weights = plan.weights
    contents = {}
    for application in applications:
        items_all = criteria[application.kind]
        category_of = _categories_of(items_all)
        items = [c for c in items_all if c.pk in category_of]
        categories = []
        for item in items:
            if category_of[item.pk] not in categories:
                categories.append(category_of[item.pk])
        category_points = {category.pk: 0 for category in categories}
        for item in items:
            category_points[category_of[item.pk].pk] += item.points
        set_total = sum(category_points.values())
        row = official.get(application.pk)
        stages = []
        weighted = {category.pk: Decimal("0") for category in categories}
        all_weighted_signed = True
        for stage in SCORED_STAGES:
            if (application.pk, stage) not in signed:
                if weights[stage]:
                    all_weighted_signed = False
                continue
            stage_items, by_category = [], {category.pk: Decimal("0") for category in categories}
            for item in items:
                key = (application.pk, stage, item.pk)
                agreed = consensus.get(key)
                if agreed is None:
                    continue
                correction = corrected.get(key)
                percentage = correction.percentage if correction else agreed.percentage
                points = correction.points if correction else agreed.points
                band = band_of(percentage)
                by_category[category_of[item.pk].pk] += points
                stage_items.append(
                    {
                        "code": item.code,
                        "name": item.name,
                        "kind": str(CriterionKind(item.kind).label) if item.kind else "",
                        "points": item.points,
                        "percentage": percentage,
                        "band": band.label,
                        "descriptor": band.descriptor(item.kind),
                        "score": _money(points),
                        "strengths": agreed.strengths,
                        "opportunities": agreed.opportunities,
                    }
                )
            for category in categories:
                weighted[category.pk] += by_category[category.pk] * Decimal(weights[stage])
            stage_score = getattr(row, f"score_{stage}", None) if row else None
            stages.append(
                {
                    "key": str(stage),
                    "label": str(Stage(stage).label),
                    "weight": weights[stage],
                    "score": _money(
                        stage_score
                        if stage_score is not None
                        else sum(by_category.values(), Decimal("0"))
                    ),
                    "items": stage_items,
                    "categories": [
                        {
                            "code": category.code,
                            "name": category.name,
                            "points": category_points[category.pk],
                            "score": _money(by_category[category.pk]),
                        }
                        for category in categories
                    ],
                }
            )
        final_score = row.final_score if row is not None else None
        contents[application.pk] = {
            "application": {
                "id": application.pk,
                "name": application.name,
                "kind": application.kind,
                "kind_label": str(ApplicantKind(application.kind).label),
                "county": application.county.name,
            },
            "cycle": {"id": cycle.pk, "number": cycle.number, "label": str(cycle)},
            "criteria_set": str(plan.criteria_set_for(application.kind)),
            "set_total": set_total,
            "stages": stages,
            "categories": [
                {
                    "code": category.code,
                    "name": category.name,
                    "points": category_points[category.pk],
                    "score": _money(weighted[category.pk] / Decimal(100))
                    if all_weighted_signed
                    else None,
                }
                for category in categories
            ],
            "final_score": _money(final_score),
            "final_percent": _money(row.final_percent) if row is not None else None,
            "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        }
    return contents


def feedback_reports_create(cycle, *, by) -> int:
    """Freeze a feedback report for every eligible application of the cycle that has none yet
    (idempotent: running it again adds nothing). Called at 公布; returns how many were made."""
    with transaction.atomic():
        existing = set(
            FeedbackReport.objects.filter(application__cycle=cycle).values_list(
                "application_id", flat=True
            )
        )
        applications = [a for a in eligible_applications(cycle) if a.pk not in existing]
        contents = feedback_contents(cycle, applications)
        reports = FeedbackReport.objects.bulk_create(
            [
                FeedbackReport(application_id=pk, content=content)
                for pk, content in contents.items()
            ],
            ignore_conflicts=True,
        )
        if reports:
            audit_record(
                actor=by,
                action="decisions.feedback_create",
                obj=cycle,
                after={"reports": len(reports)},
                reason=_("公布后为进入专家评审的申报生成评审反馈报告。"),
                article=ARTICLE_FEEDBACK,
            )
    return len(reports)


def feedback_pdf(report: FeedbackReport) -> bytes:
    """The report as a PDF (WeasyPrint, Noto CJK), from the frozen content only."""
    return render_pdf(PDF_TEMPLATE, {"report": report, "content": report.content, "pdf": True})
