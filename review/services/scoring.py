"""Independent scoring by each expert: save item by item, then submit the stage."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.services.common import lock_application
from award.models import User
from award.services.audit import audit_record
from award.services.notifications import notify
from award.text import REASON_TEXT
from award.text import clean_text as clean_typed_text
from review.enums import SCORED_STAGES, Stage
from review.exceptions import ReviewRefused
from review.models import (
    ConflictDeclaration,
    Criterion,
    Score,
    StageSignOff,
    StageSubmission,
)
from review.scoring import clean_percentage, item_points
from review.selectors.pool import live_experts, plan_for
from review.services.common import ARTICLE_REVIEW, require_live_expert

TEXT_LIMIT = REASON_TEXT  # Score.strengths and .opportunities


def sheet_digest(scores) -> str:
    """SHA-256 of a submitted sheet: every item's code, percentage and both texts.

    The audit trail records a percentage each time it changes, not every pause in typing
    a comment; the submission's entry holds this digest, so the texts handed in are
    tamper-evident too.
    """
    rows = sorted(
        [score.criterion.code, score.percentage, score.strengths, score.opportunities]
        for score in scores
    )
    canonical = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def require_declared(assignment, expert) -> None:
    if not ConflictDeclaration.objects.filter(
        assignment=assignment, expert=expert, has_conflict=False
    ).exists():
        raise ReviewRefused(
            _("请先声明与该申报主体有无利害关系，再查看材料和评分（第二十条）。"),
            code="undeclared",
        )


def require_open_stage(application, stage: str, plan) -> None:
    """In review, a weighted scored stage, not yet signed."""
    if application.state != ApplicationState.IN_REVIEW:
        raise ReviewRefused(
            _("该申报当前状态为“%(state)s”，不在专家评审中，不能评分。")
            % {"state": application.get_state_display()},
            code="state",
        )
    if stage not in SCORED_STAGES or stage not in plan.required_scored_stages:
        raise ValidationError({"stage": _("本届评审工作计划中没有需要评分的这一环节。")})
    if StageSignOff.objects.filter(application=application, stage=stage).exists():
        raise ReviewRefused(
            _("%(stage)s已由组长签字确认，评分已锁定；如需更正，请由组长提出更正并说明原因。")
            % {"stage": Stage(stage).label},
            code="signed",
        )


def leaf_criteria(application, plan):
    return Criterion.objects.items().filter(
        criteria_set_id=plan.criteria_set_id_for(application.kind)
    )


def clean_criterion(application, plan, criterion) -> Criterion:
    found = leaf_criteria(application, plan).filter(pk=getattr(criterion, "pk", criterion)).first()
    if found is None:
        raise ValidationError(
            {"criterion": _("该评分项不属于本届评审使用的评分标准，或是只汇总分值的类目。")}
        )
    return found


TEXT_LABELS = {"strengths": _("优势"), "opportunities": _("改进机会")}


def clean_text(value, field: str) -> str:
    """An item's strengths or opportunities by award.text's rule, within TEXT_LIMIT."""
    try:
        return clean_typed_text(value, label=TEXT_LABELS.get(field, ""), max_length=TEXT_LIMIT)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def score_save(
    *,
    application: Application,
    stage: str,
    by: User,
    criterion: Criterion,
    percentage,
    strengths: str = "",
    opportunities: str = "",
) -> Score:
    """Save one expert's score of one item (an upsert: saving again replaces it).

    Only a live expert of the assigned group, after declaring no conflict: anyone else gets
    NotAssigned (404). Refused once the expert submitted the stage or the leader signed it.
    The percentage is a multiple of 5 from 0 to 100 (the six bands of GB/T 19580); the
    points are percentage × the item's points / 100, computed here. Concurrent saves of the
    same item wait on the application's row lock: one row, the last write wins. Audited
    when the percentage is first given or changed; text-only saves (autosave while typing)
    are not, as stage_submit records the digest of the whole sheet.
    """
    with transaction.atomic():
        locked = lock_application(application)
        assignment, expert = require_live_expert(locked, by)
        require_declared(assignment, expert)
        plan = plan_for(locked.cycle)
        require_open_stage(locked, stage, plan)
        if StageSubmission.objects.filter(
            application=locked, stage=stage, expert=expert, excluded=False
        ).exists():
            raise ReviewRefused(
                _("您已提交%(stage)s的评分，不能再修改。") % {"stage": Stage(stage).label},
                code="submitted",
            )
        item = clean_criterion(locked, plan, criterion)
        percentage = clean_percentage(percentage)
        values = {
            "percentage": percentage,
            "points": item_points(percentage, item.points),
            "strengths": clean_text(strengths, "strengths"),
            "opportunities": clean_text(opportunities, "opportunities"),
        }
        score = (
            Score.objects.select_for_update()
            .filter(application=locked, stage=stage, expert=expert, criterion=item, excluded=False)
            .first()
        )
        before = None
        if score is None:
            score = Score.objects.create(
                application=locked, stage=stage, expert=expert, criterion=item, **values
            )
        else:
            before = {"percentage": score.percentage}
            for name, value in values.items():
                setattr(score, name, value)
            score.save(update_fields=[*values, "updated_at"])
        if before is None or before["percentage"] != percentage:
            audit_record(
                actor=by,
                action="review.score_save",
                obj=locked,
                before=before,
                after={
                    "stage": stage,
                    "expert": expert.pk,
                    "criterion": item.code,
                    "percentage": percentage,
                    "points": values["points"],
                },
                article=ARTICLE_REVIEW,
            )
    return score


def stage_submit(*, application: Application, stage: str, by: User) -> StageSubmission:
    """Hand in one's independent scores of a stage; every item must be scored first.

    After this the expert's scores of the stage cannot change, and the expert may see the
    other experts' scores of it. When the last live expert submits, the leader is told to
    hold the consensus. Audited. Not a live expert: NotAssigned (404).
    """
    with transaction.atomic():
        locked = lock_application(application)
        assignment, expert = require_live_expert(locked, by)
        require_declared(assignment, expert)
        plan = plan_for(locked.cycle)
        require_open_stage(locked, stage, plan)
        if StageSubmission.objects.filter(
            application=locked, stage=stage, expert=expert, excluded=False
        ).exists():
            raise ReviewRefused(
                _("您已提交%(stage)s的评分。") % {"stage": Stage(stage).label}, code="submitted"
            )
        scored = Score.objects.filter(
            application=locked, stage=stage, expert=expert, excluded=False
        ).values("criterion_id")
        missing = list(
            leaf_criteria(locked, plan)
            .exclude(pk__in=scored)
            .order_by("order")
            .values_list("code", flat=True)
        )
        if missing:
            raise ReviewRefused(
                _("尚有%(count)s个评分项未评分：%(codes)s。")
                % {"count": len(missing), "codes": "、".join(missing)},
                code="incomplete",
            )
        submission = StageSubmission.objects.create(application=locked, stage=stage, expert=expert)
        sheet = Score.objects.filter(
            application=locked, stage=stage, expert=expert, excluded=False
        ).select_related("criterion")
        total = sheet.aggregate(total=Sum("points"))["total"]
        audit_record(
            actor=by,
            action="review.stage_submit",
            obj=locked,
            after={
                "stage": stage,
                "expert": expert.pk,
                "total": total,
                "sheet_sha256": sheet_digest(sheet),
            },
            article=ARTICLE_REVIEW,
        )
        live = {e.pk for e in live_experts(assignment)}
        submitted = set(
            StageSubmission.objects.filter(
                application=locked, stage=stage, excluded=False
            ).values_list("expert_id", flat=True)
        )
        if live <= submitted:
            notify(
                recipients=[assignment.group.leader.user],
                template="review_task",
                context={
                    "application": locked,
                    "cycle": locked.cycle,
                    "task": _("%(stage)s全体专家已提交评分，请组织合议并签字确认。")
                    % {"stage": Stage(stage).label},
                },
            )
    return submission
