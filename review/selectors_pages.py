"""Read queries of the agency's, office's and report pages that review.selectors lacks."""

import unicodedata
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.validators import normalise_identifier
from award.enums import ApplicantKind, Role
from award.models import Cycle
from award.permissions import is_active_user
from review.enums import CHECK_STAGES, SCORED_STAGES, Stage
from review.models import (
    Assignment,
    CriteriaSet,
    Criterion,
    Exclusion,
    GroupMembership,
    ReviewGroup,
    ReviewPlan,
    Score,
    ScoreCorrection,
    StageCheck,
    StageSignOff,
)
from review.permissions import can_read_review
from review.selectors import review_applications_for

# 复核通过, or in review after the group was withdrawn: what may be given to a group.
ASSIGNABLE_STATES = (ApplicationState.ACCEPTED, ApplicationState.IN_REVIEW)


def waiting_for_group(cycle_ref) -> Subquery:
    """How many 复核通过 applications of the cycle have no group yet (a correlated count)."""
    return Coalesce(
        Subquery(
            Application.objects.filter(cycle=cycle_ref, state=ApplicationState.ACCEPTED)
            .exclude(pk__in=Assignment.objects.active().values("application_id"))
            .order_by()
            .values("cycle")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def review_cycles(user) -> QuerySet[Cycle]:
    """Cycles whose review pages the user reads: the office and the auditor all of them,
    an agency's managers those the agency was engaged for (第七条第（二）项)."""
    cycles = Cycle.objects.select_related("agency", "rulebook").order_by("-number")
    if not is_active_user(user):
        return cycles.none()
    if user.has_role(Role.OFFICE, Role.AUDITOR):
        return cycles
    if user.has_role(Role.AGENCY) and user.agency_id is not None:
        return cycles.filter(agency_id=user.agency_id)
    return cycles.none()


def plan_of(cycle) -> ReviewPlan | None:
    return (
        ReviewPlan.objects.filter(cycle=cycle)
        .select_related("unit_criteria", "individual_criteria", "updated_by")
        .first()
    )


def review_board(cycle, user) -> QuerySet[Application]:
    """The cycle's applications under review with their group, checks and sign-offs, for the
    agency's working list; a constant number of queries however many rows."""
    active = Assignment.objects.active().filter(application=OuterRef("pk"))
    annotations = {
        "group_name": Subquery(active.values("group__name")[:1]),
        "reassignment": Subquery(active.values("needs_reassignment")[:1]),
    }
    for stage in CHECK_STAGES:
        annotations[f"{stage}_passed"] = Subquery(
            StageCheck.objects.filter(application=OuterRef("pk"), stage=stage).values("passed")[:1]
        )
    annotations["signed_stages"] = Subquery(
        StageSignOff.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return review_applications_for(user, cycle).annotate(**annotations)


def startable_choices(cycle, user) -> list[tuple[int, str]]:
    """复核通过 applications that have a group: those the agency may try to start."""
    return list(
        review_applications_for(user, cycle)
        .filter(state=ApplicationState.ACCEPTED)
        .filter(Exists(Assignment.objects.active().filter(application=OuterRef("pk"))))
        .values_list("pk", "name")
    )


def groups_with_warnings(cycle, plan) -> list[dict]:
    """Each group with its members and what is wrong with it for the plan: too few
    experts, a leader or members out of the pool, applications needing reassignment."""
    groups = (
        ReviewGroup.objects.filter(cycle=cycle)
        .select_related("leader")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.select_related("expert").order_by(
                    "expert__name", "expert__pk"
                ),
            )
        )
        .annotate(
            load=Count(
                "assignments", filter=Q(assignments__removed_at__isnull=True), distinct=True
            ),
            short=Count(
                "assignments",
                filter=Q(assignments__removed_at__isnull=True)
                & ~Q(assignments__needs_reassignment=""),
                distinct=True,
            ),
        )
        .order_by("name", "pk")
    )
    rows = []
    for group in groups:
        members = [membership.expert for membership in group.memberships.all()]
        usable = [e for e in members if e.is_active and not e.is_disqualified]
        warnings = []
        if plan is not None and len(usable) < plan.min_group_size:
            warnings.append(
                ("size", {"count": len(usable), "min": plan.min_group_size}),
            )
        if group.leader.is_disqualified or not group.leader.is_active:
            warnings.append(("leader", {"name": group.leader.name}))
        out = [e.name for e in members if e.is_disqualified or not e.is_active]
        if out:
            warnings.append(("members", {"names": "、".join(out)}))
        if group.short:
            warnings.append(("short", {"count": group.short}))
        rows.append({"group": group, "members": members, "warnings": warnings})
    return rows


def exclusions_of(cycle) -> QuerySet[Exclusion]:
    return (
        Exclusion.objects.filter(application__cycle=cycle)
        .select_related("application", "expert", "recorded_by")
        .order_by("application__name", "application_id", "created_at", "pk")
    )


def agency_application(user, pk) -> Application | None:
    """One application of a cycle the user reads the review of, from 复核通过 on."""
    application = (
        Application.objects.select_related("cycle__agency", "county", "applicant")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        return None
    if not review_applications_for(user, application.cycle).filter(pk=pk).exists():
        return None
    return application


def checks_of(application) -> dict[str, StageCheck]:
    return {
        check.stage: check
        for check in StageCheck.objects.filter(application=application).select_related(
            "recorded_by"
        )
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


def report_cycle(user, pk) -> Cycle | None:
    cycle = review_cycles(user).filter(pk=pk).first()
    if cycle is None or not can_read_review(cycle, user):
        return None
    return cycle


def criteria_sets() -> QuerySet[CriteriaSet]:
    return CriteriaSet.objects.select_related("copied_from", "created_by").annotate(
        total=Sum("criteria__points", filter=Q(criteria__children__isnull=True)),
        item_count=Count("criteria", filter=Q(criteria__children__isnull=True)),
    )


def criteria_rows(criteria_set) -> list[Criterion]:
    """A set's rows in order, category rows with their items' sum for comparison."""
    rows = list(
        Criterion.objects.filter(criteria_set=criteria_set)
        .annotate(children_total=Sum("children__points"), children_count=Count("children"))
        .order_by("order", "pk")
    )
    return rows


def unassigned(cycle) -> QuerySet[Application]:
    """Applications the agency may give to a group now: 复核通过, or in review after their
    group was withdrawn, with no open assignment."""
    return (
        Application.objects.filter(cycle=cycle, state__in=ASSIGNABLE_STATES)
        .exclude(pk__in=Assignment.objects.active().values("application_id"))
        .select_related("county")
        .order_by("submitted_at", "pk")
    )


def _plain(text) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def potential_conflicts(cycle, experts, plan) -> list[dict]:
    """Which of `experts` the automatic 回避 rules would keep off which of the cycle's open
    applications (same 统一社会信用代码 or employer, same county where the plan says so);
    a warning while forming groups. Two queries, matched in memory."""
    applications = list(
        Application.objects.filter(
            cycle=cycle, state__in=(ApplicationState.ACCEPTED, ApplicationState.IN_REVIEW)
        ).values(
            "pk",
            "name",
            "kind",
            "identifier",
            "county_id",
            "county__name",
            "applicant__individual_profile__employer",
        )
    )
    same_county = plan is not None and plan.exclude_same_county
    found = []
    for expert in experts:
        uscc = normalise_identifier(expert.employer_uscc)
        employer = _plain(expert.employer)
        for application in applications:
            reason = ""
            if application["kind"] == ApplicantKind.UNIT:
                if uscc and uscc == normalise_identifier(application["identifier"]):
                    reason = _("工作单位统一社会信用代码与申报单位相同")
                elif employer and employer == _plain(application["name"]):
                    reason = _("工作单位与申报单位名称相同")
            elif employer and employer == _plain(
                application["applicant__individual_profile__employer"]
            ):
                reason = _("工作单位与申报个人的工作单位相同")
            if not reason and same_county and expert.county_id == application["county_id"]:
                reason = _("同属%(county)s，评审工作计划要求同县区回避") % {
                    "county": application["county__name"]
                }
            if reason:
                found.append(
                    {"expert": expert, "application": application["name"], "reason": reason}
                )
    return found
