"""The review of one application: start, the pass/fail checks, the site visit, completion."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.permissions import is_cycle_agency
from applications.services.common import (
    check_transition,
    lock_application,
    office_staff,
    take_transition,
    tell_state_change,
)
from award.models import User
from award.services.audit import audit_record
from award.services.batch import BatchResult, run_batch
from award.services.notifications import notify
from award.text import clean_model_value
from award.uploads import check_upload
from review.enums import CHECK_STAGES, Stage
from review.exceptions import ReviewRefused
from review.models import ReviewPlan, SiteVisit, StageCheck, StageSignOff
from review.selectors.pool import active_assignment, live_experts, plan_for
from review.services.common import ARTICLE_REVIEW, require_live_leader
from review.services.plans import plan_freeze

MB = 1024 * 1024


def review_start(*, application: Application, by: User) -> Application:
    """开始专家评审 (复核通过 → 专家评审). The cycle's agency, while the cycle is in 专家评审.

    Needs the plan, an assigned group that keeps its minimum and leader after exclusions,
    and every member's declaration of no conflict. The first start freezes the cycle's
    plan. Event and audit entries; 站内信 to the applicant and the group's experts.
    """
    with transaction.atomic():
        locked = lock_application(application)
        transition = check_transition(locked, "start_review", by)
        plan = ReviewPlan.objects.select_for_update().get(cycle_id=locked.cycle_id)
        plan_freeze(plan, by=by)
        take_transition(locked, transition, by=by)
        experts = live_experts(active_assignment(locked))
        tell_state_change(locked, recipients=[locked.applicant], action=_("进入专家评审"))
        notify(
            recipients=[expert.user for expert in experts],
            template="review_task",
            context={
                "application": locked,
                "cycle": locked.cycle,
                "task": _("专家评审已开始，请按评审环节独立评分并提交。"),
            },
        )
    return locked


def reviews_start(*, applications, by: User) -> list[BatchResult]:
    """开始专家评审 for many applications, each through `review_start` in its own
    transaction: one refused (its reasons kept) does not stop the others."""
    return run_batch(applications, lambda application: review_start(application=application, by=by))


def _require_agency(application, by) -> None:
    if not is_cycle_agency(application, by):
        raise PermissionDenied(_("只有承担本届评审的第三方机构可以进行此项操作。"))


def _require_in_review(application) -> None:
    if application.state != ApplicationState.IN_REVIEW:
        raise ReviewRefused(
            _("该申报当前状态为“%(state)s”，不在专家评审中。")
            % {"state": application.get_state_display()},
            code="state",
        )


def stage_check_record(
    *,
    application: Application,
    stage: str,
    passed: bool,
    by: User,
    evidence: str = "",
    reason: str = "",
    evidence_file=None,
) -> StageCheck:
    """Record 舆情调查 or 资格审查: passed or failed, with the evidence (text, a file or both).

    The cycle's agency, while the application is in 专家评审; once per stage. A fail needs
    its reason and ends the review at once (一票否决): the application goes to 评审淘汰
    with the record (event, audit, 站内信 to the applicant and the office). The evidence
    file is checked by content (PDF, JPG, PNG; the cycle's evidence size limit).
    """
    if stage not in CHECK_STAGES:
        raise ValidationError({"stage": _("只有舆情调查和资格审查按通过/不通过记录。")})
    evidence = clean_model_value(StageCheck, "evidence", evidence)
    reason = clean_model_value(StageCheck, "reason", reason)
    with transaction.atomic():
        locked = lock_application(application)
        _require_agency(locked, by)
        _require_in_review(locked)
        errors = {}
        if not evidence and evidence_file is None:
            errors["evidence"] = _("请填写调查或审查情况，或上传证明材料。")
        if not passed and not reason:
            errors["reason"] = _("请填写不通过的理由。")
        if errors:
            raise ValidationError(errors, code="required")
        if StageCheck.objects.filter(application=locked, stage=stage).exists():
            raise ReviewRefused(
                _("%(stage)s已有记录，不能重复记录。") % {"stage": Stage(stage).label},
                code="recorded",
            )
        record = StageCheck(
            application=locked,
            stage=stage,
            passed=passed,
            evidence=evidence,
            reason=reason,
            recorded_by=by,
        )
        if evidence_file is not None:
            try:
                checked = check_upload(
                    evidence_file,
                    allowed={"pdf", "jpg", "png"},
                    max_bytes=locked.cycle.evidence_max_mb * MB,
                )
            except ValidationError as error:
                raise ValidationError({"evidence_file": error.messages}) from None
            record.evidence_name = checked.original_name
            record.evidence_sha256 = checked.sha256
            record.evidence_file.save(checked.original_name, evidence_file, save=False)
        stored = record.evidence_file
        try:
            record.save()
            audit_record(
                actor=by,
                action="review.stage_check",
                obj=locked,
                after={
                    "stage": stage,
                    "passed": passed,
                    "evidence_file": record.evidence_name,
                    "sha256": record.evidence_sha256,
                },
                reason=reason,
                article=ARTICLE_REVIEW,
            )
            if not passed:
                transition = check_transition(locked, "fail_review", by)
                opinion = _("%(stage)s未通过：%(reason)s") % {
                    "stage": Stage(stage).label,
                    "reason": reason,
                }
                take_transition(locked, transition, by=by, opinion=opinion)
                tell_state_change(
                    locked,
                    recipients=[locked.applicant, *office_staff()],
                    action=_("评审淘汰"),
                    opinion=opinion,
                )
        except Exception:
            if stored:
                stored.delete(save=False)
            raise
    return record


def site_visit_record(
    *, application: Application, visited_on: datetime.date, issues_found: str, by: User
) -> SiteVisit:
    """Record (or correct, until the stage is signed) the site visit's date and findings.

    The group leader or the cycle's agency; the application must be in 专家评审.
    """
    issues_found = clean_model_value(SiteVisit, "issues_found", issues_found)
    with transaction.atomic():
        locked = lock_application(application)
        if not is_cycle_agency(locked, by):
            require_live_leader(locked, by)
        if not isinstance(visited_on, datetime.date):
            raise ValidationError({"visited_on": _("请填写现场评审日期。")}, code="required")
        _require_in_review(locked)
        plan = plan_for(locked.cycle)
        if plan.starts_on and visited_on < plan.starts_on:
            raise ValidationError({"visited_on": _("现场评审日期不能早于评审开始日期。")})
        if visited_on > timezone.localdate():
            raise ValidationError(
                {"visited_on": _("现场评审日期不能晚于今天：请在现场评审后记录。")}
            )
        if StageSignOff.objects.filter(application=locked, stage=Stage.SITE_VISIT).exists():
            raise ReviewRefused(_("现场评审已签字确认，不能再修改记录。"), code="signed")
        visit, created = SiteVisit.objects.update_or_create(
            application=locked,
            defaults={
                "visited_on": visited_on,
                "issues_found": (issues_found or "").strip(),
                "recorded_by": by,
            },
        )
        audit_record(
            actor=by,
            action="review.site_visit",
            obj=locked,
            after={"visited_on": visited_on, "created": created},
            article=ARTICLE_REVIEW,
        )
    return visit


def review_complete(*, application: Application, by: User) -> Application:
    """评审完成 (专家评审 → 评审完成). The cycle's agency; both checks passed and every
    weighted stage signed. Event and audit entries; 站内信 to the applicant and the office."""
    with transaction.atomic():
        locked = lock_application(application)
        transition = check_transition(locked, "complete_review", by)
        take_transition(locked, transition, by=by)
        tell_state_change(
            locked, recipients=[locked.applicant, *office_staff()], action=_("完成专家评审")
        )
    return locked
