"""The review floor's conditions on application and cycle steps, registered in ready()."""

from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.hooks import register_transition_guard
from applications.models import Application
from award.hooks import register_cycle_guard
from review.enums import CHECK_STAGES, Stage
from review.models import ConflictDeclaration, StageCheck, StageSignOff
from review.selectors.pool import active_assignment, live_experts, plan_of, shortfall


@register_transition_guard("start_review")
def group_ready(application) -> list[str]:
    """开始专家评审: a plan, an assigned group whole after exclusions, every member declared."""
    plan = plan_of(application.cycle_id)
    if plan is None:
        return [_("第三方机构尚未制定本届评审工作计划（第八条第（一）项）。")]
    assignment = active_assignment(application)
    if assignment is None:
        return [_("尚未分配评审组。")]
    if problem := shortfall(assignment, plan):
        return [problem]
    declared = set(
        ConflictDeclaration.objects.filter(assignment=assignment, has_conflict=False).values_list(
            "expert_id", flat=True
        )
    )
    pending = [expert.name for expert in live_experts(assignment) if expert.pk not in declared]
    if pending:
        return [
            _("尚有专家未声明有无利害关系：%(names)s（第二十条）。") % {"names": "、".join(pending)}
        ]
    return []


@register_transition_guard("fail_review")
def failed_check_on_record(application) -> list[str]:
    if StageCheck.objects.filter(application=application, passed=False).exists():
        return []
    return [_("没有未通过的舆情调查或资格审查记录，不能评审淘汰。")]


@register_transition_guard("complete_review")
def every_stage_signed(application) -> list[str]:
    """评审完成: both checks passed and every weighted scored stage signed by the leader."""
    plan = plan_of(application.cycle_id)
    if plan is None:
        return [_("第三方机构尚未制定本届评审工作计划（第八条第（一）项）。")]
    passed = set(
        StageCheck.objects.filter(application=application, passed=True).values_list(
            "stage", flat=True
        )
    )
    signed = set(
        StageSignOff.objects.filter(application=application).values_list("stage", flat=True)
    )
    missing = [Stage(s).label for s in CHECK_STAGES if s not in passed]
    missing += [Stage(s).label for s in plan.required_scored_stages if s not in signed]
    if missing:
        return [
            _("以下评审环节尚未完成或未经组长签字确认：%(stages)s（第十四条第（四）项）。")
            % {"stages": "、".join(str(m) for m in missing)}
        ]
    return []


@register_cycle_guard("begin_deliberation")
def expert_review_finished(cycle) -> list[str]:
    """提交领导小组审议 waits until every accepted application was reviewed or failed."""
    waiting = Application.objects.filter(
        cycle=cycle, state__in=[ApplicationState.ACCEPTED, ApplicationState.IN_REVIEW]
    ).count()
    if waiting:
        return [_("尚有%(count)s件申报未完成专家评审（第十四条第（四）项）。") % {"count": waiting}]
    return []
