"""Reads of the agency's pool and plan: experts, groups, exclusions, 回避 warnings, criteria
sets, plans, and the assignments waiting for a group or needing another one."""

import unicodedata
from collections import defaultdict

from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.validators import normalise_identifier
from award.enums import ApplicantKind, Role
from award.models import Cycle
from award.permissions import is_active_user
from review.exceptions import ReviewRefused
from review.models import (
    Assignment,
    CriteriaSet,
    Criterion,
    Exclusion,
    Expert,
    GroupMembership,
    ReviewGroup,
    ReviewPlan,
)

# 复核通过, or in review after the group was withdrawn: what may be given to a group.
ASSIGNABLE_STATES = (ApplicationState.ACCEPTED, ApplicationState.IN_REVIEW)


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
            warnings.append(("size", {"count": len(usable), "min": plan.min_group_size}))
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


def _plain(text) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def potential_conflicts(cycle, experts, plan) -> list[dict]:
    """Which of `experts` the automatic 回避 rules would keep off which of the cycle's open
    applications (same 统一社会信用代码 or employer, same county where the plan says so);
    a warning while forming groups. Two queries; each application is normalised once and
    found through an index, so the work grows with experts plus applications, not their
    product."""
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
    by_uscc, by_unit_name, by_employer, by_county = (defaultdict(list) for _ in range(4))
    for order, application in enumerate(applications):
        if application["kind"] == ApplicantKind.UNIT:
            by_uscc[normalise_identifier(application["identifier"])].append(order)
            by_unit_name[_plain(application["name"])].append(order)
        else:
            employer = _plain(application["applicant__individual_profile__employer"])
            by_employer[employer].append(order)
        by_county[application["county_id"]].append(order)
    same_county = plan is not None and plan.exclude_same_county
    found = []
    for expert in experts:
        uscc = normalise_identifier(expert.employer_uscc)
        employer = _plain(expert.employer)
        reasons = {}
        if same_county:
            for order in by_county.get(expert.county_id, ()):
                reasons[order] = _("同属%(county)s，评审工作计划要求同县区回避") % {
                    "county": applications[order]["county__name"]
                }
        if employer:
            for order in by_employer.get(employer, ()):
                reasons[order] = _("工作单位与申报个人的工作单位相同")
            for order in by_unit_name.get(employer, ()):
                reasons[order] = _("工作单位与申报单位名称相同")
        if uscc:
            for order in by_uscc.get(uscc, ()):
                reasons[order] = _("工作单位统一社会信用代码与申报单位相同")
        found.extend(
            {"expert": expert, "application": applications[order]["name"], "reason": reason}
            for order, reason in sorted(reasons.items())
        )
    return found


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


def plan_rules_of(cycle) -> ReviewPlan | None:
    """The plan's own columns only (group size, weights, the county rule): for the lists
    that apply its rules and show neither its criteria sets nor who edited it last."""
    return ReviewPlan.objects.filter(cycle=cycle).first()


def plan_for(cycle) -> ReviewPlan:
    plan = (
        ReviewPlan.objects.filter(cycle=cycle)
        .select_related("unit_criteria", "individual_criteria")
        .first()
    )
    if plan is None:
        raise ReviewRefused(
            _("第三方机构尚未制定本届评审工作计划（第八条第（一）项）。"), code="no_plan"
        )
    return plan


def active_assignment(application) -> Assignment | None:
    return (
        Assignment.objects.active()
        .filter(application=application)
        .select_related("group__leader__user")
        .first()
    )


def live_experts(assignment: Assignment) -> list[Expert]:
    """Members who still review the application: not excluded from it, not disqualified."""
    excluded = Exclusion.objects.filter(application_id=assignment.application_id).values(
        "expert_id"
    )
    return list(
        Expert.objects.filter(memberships__group_id=assignment.group_id)
        .filter(disqualified_at__isnull=True)
        .exclude(pk__in=excluded)
        .select_related("user")
        .order_by("name", "pk")
    )


def shortfall(assignment: Assignment, plan: ReviewPlan) -> str:
    """Why the group can no longer review the application as it stands, or ""."""
    live = live_experts(assignment)
    problems = []
    if len(live) < plan.min_group_size:
        problems.append(
            _("回避或取消资格后评审专家仅剩%(count)s人，少于评审工作计划要求的%(min)s人。")
            % {"count": len(live), "min": plan.min_group_size}
        )
    if assignment.group.leader_id not in {expert.pk for expert in live}:
        problems.append(_("评审组组长已回避或被取消资格。"))
    return "".join(problems)


def accepted_without_group(cycle) -> QuerySet[Application]:
    """复核通过 applications the agency has not yet given to a group."""
    return (
        Application.objects.filter(cycle=cycle, state=ApplicationState.ACCEPTED)
        .exclude(pk__in=Assignment.objects.active().values("application_id"))
        .select_related("county")
        .order_by("submitted_at", "pk")
    )


def unassigned(cycle) -> QuerySet[Application]:
    """Applications the agency may give to a group now: 复核通过, or in review after their
    group was withdrawn, with no open assignment."""
    return (
        Application.objects.filter(cycle=cycle, state__in=ASSIGNABLE_STATES)
        .exclude(pk__in=Assignment.objects.active().values("application_id"))
        .select_related("county")
        .order_by("submitted_at", "pk")
    )


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


def applications_needing_reassignment(cycle) -> QuerySet[Assignment]:
    """Open assignments flagged after a disqualification or a conflict left the group short."""
    return (
        Assignment.objects.active()
        .filter(application__cycle=cycle)
        .exclude(needs_reassignment="")
        .select_related("application__county", "group__leader")
        .order_by("assigned_at", "pk")
    )
