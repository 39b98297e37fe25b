"""What the review services share: live experts, object permissions, 回避 rules, exclusions."""

import unicodedata

from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.permissions import VIEW_APPLICATION
from applications.selectors import applicant_profile
from applications.services.common import lock_application  # noqa: F401  (re-exported)
from applications.validators import normalise_identifier
from award.enums import ApplicantKind, Role
from award.models import User
from award.services.audit import audit_record
from award.services.permissions import perm_grant, perm_revoke
from review.enums import SCORED_STAGES
from review.exceptions import NotAssigned, ReviewRefused
from review.models import (
    Assignment,
    ConsensusScore,
    Exclusion,
    Expert,
    ReviewPlan,
    Score,
    StageSignOff,
    StageSubmission,
)
from review.models.groups import SCORE_ASSIGNMENT
from review.permissions import expert_of, holds_assignment

ARTICLE_REVIEW = "第十四条第（四）项"
# An application a group may be given, and whose group may be found short.
ASSIGNABLE_STATES = (ApplicationState.ACCEPTED, ApplicationState.IN_REVIEW)
ARTICLE_CONDUCT = "第二十条"


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


def require_live_expert(application, user) -> tuple[Assignment, Expert]:
    """The active assignment and the user's Expert, if the user may still review it;
    NotAssigned (a 404) otherwise, whatever the reason, so nothing leaks."""
    expert = expert_of(user)
    assignment = active_assignment(application)
    if expert is None or not holds_assignment(assignment, user):
        raise NotAssigned(_("没有找到分配给您的这件申报。"))
    return assignment, expert


def require_live_leader(application, user) -> tuple[Assignment, Expert]:
    """As require_live_expert, and the user leads the assigned group (组长)."""
    assignment, expert = require_live_expert(application, user)
    if assignment.group.leader_id != expert.pk:
        raise NotAssigned(_("只有本评审组组长可以进行此项操作。"))
    return assignment, expert


def agency_managers(agency_id):
    return User.objects.filter(agency_id=agency_id, groups__name=Role.AGENCY, is_active=True)


# Object permissions ---------------------------------------------------------------------


def grant_review_perm(assignment: Assignment, expert: Expert, *, by) -> None:
    """The expert may score the assignment (revoked on conflict, removal, disqualification)."""
    perm_grant(
        perm=SCORE_ASSIGNMENT, user=expert.user, obj=assignment, by=by, article=ARTICLE_REVIEW
    )


def grant_view(assignment: Assignment, expert: Expert, *, by) -> None:
    """The expert may open the application itself: after declaring no conflict."""
    perm_grant(
        perm=VIEW_APPLICATION,
        user=expert.user,
        obj=assignment.application,
        by=by,
        article=ARTICLE_REVIEW,
    )


def revoke_review_perms(assignment: Assignment, expert: Expert, *, by, reason: str) -> None:
    """Take both permissions away; audited for each one the expert held."""
    for perm, obj in ((SCORE_ASSIGNMENT, assignment), (VIEW_APPLICATION, assignment.application)):
        perm_revoke(
            perm=perm, user=expert.user, obj=obj, by=by, reason=reason, article=ARTICLE_CONDUCT
        )


# Conflicts of interest (回避) --------------------------------------------------------------


def _same_name(a: str, b: str) -> bool:
    """Names compared without spaces and with full-width brackets made half-width."""

    def norm(text):
        return "".join(unicodedata.normalize("NFKC", text or "").split())

    return bool(norm(a)) and norm(a) == norm(b)


def automatic_conflict(
    expert: Expert, application, plan: ReviewPlan | None, *, profile=None
) -> str:
    """Why the expert must not review this application by the rules, or "" (DESIGN.md §6).

    Same 统一社会信用代码 or name as the applicant unit, same employer as the applicant
    person, or the same county when the plan says so. Pass the applicant's `profile` when
    checking many experts, to read it once.
    """
    if application.kind == ApplicantKind.UNIT:
        uscc = normalise_identifier(expert.employer_uscc)
        if uscc and uscc == normalise_identifier(application.identifier):
            return _("专家工作单位的统一社会信用代码与申报单位相同。")
        if _same_name(expert.employer, application.name):
            return _("专家工作单位与申报单位名称相同。")
    else:
        profile = profile or applicant_profile(application.applicant, application.kind)
        if profile is not None and _same_name(expert.employer, profile.employer):
            return _("专家工作单位与申报个人的工作单位相同。")
    if (
        plan is not None
        and plan.exclude_same_county
        and expert.county_id is not None
        and expert.county_id == application.county_id
    ):
        return _("专家与申报主体同属%(county)s，本届评审工作计划要求同县区专家回避。") % {
            "county": application.county.name
        }
    return ""


def record_exclusion(*, application, expert: Expert, source: str, reason: str, by) -> Exclusion:
    exclusion, created = Exclusion.objects.get_or_create(
        application=application,
        expert=expert,
        defaults={"source": source, "reason": reason, "recorded_by": by},
    )
    if created:
        audit_record(
            actor=by,
            action="review.exclusion",
            obj=application,
            after={"expert": expert.pk, "name": expert.name, "source": source},
            reason=reason,
            article=ARTICLE_CONDUCT,
        )
    return exclusion


# Excluding unsigned work --------------------------------------------------------------------


def unsigned_stages(application) -> list[str]:
    signed = set(
        StageSignOff.objects.filter(application=application).values_list("stage", flat=True)
    )
    return [stage for stage in SCORED_STAGES if stage not in signed]


def exclude_unsigned_work(application, expert: Expert, *, reason: str, by) -> int:
    """Flag (never delete) the expert's scores and submissions of unsigned stages; the
    consensus of those stages is flagged too, for it was reached with this expert present."""
    stages = unsigned_stages(application)
    scores = Score.objects.filter(
        application=application, expert=expert, stage__in=stages, excluded=False
    ).update(excluded=True, excluded_reason=reason)
    StageSubmission.objects.filter(
        application=application, expert=expert, stage__in=stages, excluded=False
    ).update(excluded=True)
    ConsensusScore.objects.filter(application=application, stage__in=stages, excluded=False).update(
        excluded=True
    )
    if scores:
        audit_record(
            actor=by,
            action="review.scores_excluded",
            obj=application,
            after={"expert": expert.pk, "scores": scores, "stages": stages},
            reason=reason,
            article=ARTICLE_CONDUCT,
        )
    return scores


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


def flag_if_short(assignment: Assignment, plan: ReviewPlan, *, by) -> str:
    """Record on the assignment that the application needs another group, if it does."""
    reason = shortfall(assignment, plan)
    if reason and reason != assignment.needs_reassignment:
        assignment.needs_reassignment = reason
        assignment.save(update_fields=["needs_reassignment"])
        audit_record(
            actor=by,
            action="review.needs_reassignment",
            obj=assignment.application,
            after={"assignment": assignment.pk},
            reason=reason,
            article=ARTICLE_REVIEW,
        )
    return reason
