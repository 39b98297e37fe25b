"""What the review services share: the live-expert checks, object permissions, 回避 rules,
exclusions."""

import unicodedata

from django.utils.translation import gettext as _

from applications.permissions import VIEW_APPLICATION
from applications.selectors import applicant_profile
from applications.validators import normalise_identifier
from award.enums import ApplicantKind, Role
from award.models import User
from award.services.audit import audit_record
from award.services.permissions import perm_grant, perm_revoke
from review.exceptions import NotAssigned
from review.models import (
    Assignment,
    ConsensusScore,
    Exclusion,
    Expert,
    ReviewPlan,
    Score,
    StageSubmission,
)
from review.models.groups import SCORE_ASSIGNMENT
from review.permissions import expert_of, holds_assignment
from review.selectors.pool import active_assignment, shortfall
from review.selectors.scoring import unsigned_stages

ARTICLE_REVIEW = "第十四条第（四）项"
ARTICLE_CONDUCT = "第二十条"


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
