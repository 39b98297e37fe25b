"""The leader's part (组长负责制): consensus per item, signing the stage, later corrections."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.services.common import lock_application
from award.enums import CyclePhase
from award.models import User
from award.services.audit import audit_record
from award.services.notifications import notify
from award.text import clean_model_value
from review.enums import Stage
from review.exceptions import ReviewRefused
from review.models import (
    ConsensusScore,
    Expert,
    Score,
    ScoreCorrection,
    SiteVisit,
    StageSignOff,
    StageSubmission,
)
from review.scoring import clean_percentage, item_points
from review.selectors.pool import live_experts, plan_for
from review.services.common import ARTICLE_REVIEW, agency_managers, require_live_leader
from review.services.scoring import (
    clean_criterion,
    clean_text,
    leaf_criteria,
    require_declared,
    require_open_stage,
)


def _require_all_submitted(application, stage, assignment) -> list[Expert]:
    live = live_experts(assignment)
    submitted = set(
        StageSubmission.objects.filter(
            application=application, stage=stage, excluded=False
        ).values_list("expert_id", flat=True)
    )
    pending = [expert.name for expert in live if expert.pk not in submitted]
    if pending:
        raise ReviewRefused(
            _("尚有专家未提交%(stage)s的独立评分：%(names)s。")
            % {"stage": Stage(stage).label, "names": "、".join(pending)},
            code="pending",
        )
    return live


def consensus_save(
    *,
    application: Application,
    stage: str,
    criterion,
    percentage,
    by: User,
    strengths: str = "",
    opportunities: str = "",
) -> ConsensusScore:
    """Record the group's agreed percentage, strengths and opportunities for one item.

    The group's leader only (others: NotAssigned, 404), once every live expert submitted
    the stage and until it is signed; saving again replaces it. Audited.
    """
    with transaction.atomic():
        locked = lock_application(application)
        assignment, leader = require_live_leader(locked, by)
        require_declared(assignment, leader)
        plan = plan_for(locked.cycle)
        require_open_stage(locked, stage, plan)
        _require_all_submitted(locked, stage, assignment)
        item = clean_criterion(locked, plan, criterion)
        percentage = clean_percentage(percentage)
        values = {
            "percentage": percentage,
            "points": item_points(percentage, item.points),
            "strengths": clean_text(strengths, "strengths"),
            "opportunities": clean_text(opportunities, "opportunities"),
            "recorded_by": leader,
        }
        row = (
            ConsensusScore.objects.select_for_update()
            .filter(application=locked, stage=stage, criterion=item, excluded=False)
            .first()
        )
        before = None if row is None else {"percentage": row.percentage}
        if row is None:
            row = ConsensusScore.objects.create(
                application=locked, stage=stage, criterion=item, **values
            )
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.save(update_fields=[*values, "updated_at"])
        audit_record(
            actor=by,
            action="review.consensus_save",
            obj=locked,
            before=before,
            after={"stage": stage, "criterion": item.code, "percentage": percentage},
            article=ARTICLE_REVIEW,
        )
    return row


def stage_sign(*, application: Application, stage: str, by: User) -> StageSignOff:
    """The leader signs the stage: every live expert submitted (at least the plan's
    minimum), every item has its consensus, and for 现场评审 the visit is on record.
    The stage's scores are locked from then on. Audited; the agency is told."""
    with transaction.atomic():
        locked = lock_application(application)
        assignment, leader = require_live_leader(locked, by)
        plan = plan_for(locked.cycle)
        require_open_stage(locked, stage, plan)
        live = _require_all_submitted(locked, stage, assignment)
        if len(live) < plan.min_group_size:
            raise ReviewRefused(
                _("参加评审的专家仅%(count)s人，少于评审工作计划要求的%(min)s人，不能签字确认。")
                % {"count": len(live), "min": plan.min_group_size},
                code="min_group_size",
            )
        agreed = ConsensusScore.objects.filter(
            application=locked, stage=stage, excluded=False
        ).values("criterion_id")
        missing = list(
            leaf_criteria(locked, plan)
            .exclude(pk__in=agreed)
            .order_by("order")
            .values_list("code", flat=True)
        )
        if missing:
            raise ReviewRefused(
                _("尚有%(count)s个评分项未形成合议分：%(codes)s。")
                % {"count": len(missing), "codes": "、".join(missing)},
                code="consensus_missing",
            )
        if stage == Stage.SITE_VISIT and not SiteVisit.objects.filter(application=locked).exists():
            raise ReviewRefused(_("请先记录现场评审的日期和发现的问题。"), code="no_visit")
        sign_off = StageSignOff.objects.create(
            application=locked, stage=stage, group=assignment.group, signed_by=leader
        )
        total = ConsensusScore.objects.filter(
            application=locked, stage=stage, excluded=False
        ).aggregate(total=Sum("points"))["total"]
        audit_record(
            actor=by,
            action="review.stage_sign",
            obj=locked,
            after={"stage": stage, "consensus_total": total, "experts": [e.pk for e in live]},
            article=ARTICLE_REVIEW,
        )
        notify(
            recipients=agency_managers(locked.cycle.agency_id),
            template="review_task",
            context={
                "application": locked,
                "cycle": locked.cycle,
                "task": _("%(stage)s已由组长签字确认。") % {"stage": Stage(stage).label},
            },
        )
    return sign_off


CORRECTABLE_STATES = (ApplicationState.IN_REVIEW, ApplicationState.REVIEWED)


def score_correct(
    *,
    application: Application,
    stage: str,
    criterion,
    percentage,
    reason: str,
    by: User,
    expert: Expert | None = None,
) -> ScoreCorrection:
    """Correct a signed stage's score as a new, audited row (the original stays as it was).

    The leader of the assigned group, with a reason; while the application is in review or
    reviewed and the cycle still in 专家评审. Without `expert` the consensus item is
    corrected; with it, that expert's item (what counts under the trimmed-mean rule).
    """
    reason = clean_model_value(ScoreCorrection, "reason", reason)
    with transaction.atomic():
        locked = lock_application(application)
        _assignment, leader = require_live_leader(locked, by)
        if not reason:
            raise ValidationError({"reason": _("请填写更正原因。")}, code="required")
        if locked.state not in CORRECTABLE_STATES or locked.cycle.phase != CyclePhase.EXPERT_REVIEW:
            raise ReviewRefused(_("专家评审已经结束，不能再更正评分。"), code="closed")
        if not StageSignOff.objects.filter(application=locked, stage=stage).exists():
            raise ReviewRefused(
                _("%(stage)s尚未签字确认，请直接修改合议分，无需更正。")
                % {"stage": Stage(stage).label},
                code="unsigned",
            )
        plan = plan_for(locked.cycle)
        item = clean_criterion(locked, plan, criterion)
        percentage = clean_percentage(percentage)
        scope = {"application": locked, "stage": stage, "criterion": item}
        if expert is None:
            original = ConsensusScore.objects.filter(**scope, excluded=False).first()
        else:
            original = Score.objects.filter(**scope, expert=expert, excluded=False).first()
        if original is None:
            raise ValidationError({"criterion": _("没有可更正的评分。")})
        latest = (
            ScoreCorrection.objects.filter(**scope, expert=expert).order_by("-created_at", "-pk")
        ).first()
        previous = latest or original
        points = item_points(percentage, item.points)
        correction = ScoreCorrection.objects.create(
            **scope,
            expert=expert,
            percentage=percentage,
            points=points,
            previous_percentage=previous.percentage,
            previous_points=previous.points,
            delta=points - previous.points,
            reason=reason,
            corrected_by=leader,
        )
        audit_record(
            actor=by,
            action="review.score_correct",
            obj=locked,
            before={"percentage": previous.percentage, "points": previous.points},
            after={
                "stage": stage,
                "criterion": item.code,
                "expert": expert.pk if expert else None,
                "percentage": percentage,
                "points": points,
            },
            reason=reason,
            article="第二十条",
        )
        notify(
            recipients=agency_managers(locked.cycle.agency_id),
            template="review_task",
            context={
                "application": locked,
                "cycle": locked.cycle,
                "task": _("组长更正了%(stage)s %(code)s的评分：%(reason)s")
                % {"stage": Stage(stage).label, "code": item.code, "reason": reason},
            },
        )
    return correction
