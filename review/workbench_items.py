"""This floor's to-do items on the workbench (我的待办); a fixed number of queries per role."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from award.enums import Role
from award.workbench import TodoItem, workbench
from review.models import (
    Assignment,
    Exclusion,
    GroupMembership,
    ReviewPlan,
    StageSignOff,
    StageSubmission,
)
from review.permissions import expert_of

# The pages that list these come with review/urls.py; until a name resolves, the item
# points at the workbench itself rather than breaking the page.
URL_NAMES = {
    "expert": "review:expert_tasks",
    "leader": "review:expert_tasks",  # the leader's stages are on the same task list
    "agency": "review:agency_applications",
}


def _url(key: str) -> str:
    try:
        return reverse(URL_NAMES[key])
    except NoReverseMatch:
        return reverse("award:workbench")


def _open_stages(assignments):
    """{application id: required stages not yet signed}, and each application's plan stages."""
    ids = [a.application_id for a in assignments]
    plans = {
        plan.cycle_id: plan
        for plan in ReviewPlan.objects.filter(
            cycle_id__in={a.application.cycle_id for a in assignments}
        )
    }
    signed = set(
        StageSignOff.objects.filter(application_id__in=ids).values_list("application_id", "stage")
    )
    return {
        a.application_id: [
            stage
            for stage in plans[a.application.cycle_id].required_scored_stages
            if (a.application_id, stage) not in signed
        ]
        for a in assignments
        if a.application.cycle_id in plans
    }


@workbench.register(Role.EXPERT)
def expert_items(user):
    """Declarations to make; stages to score and submit; for leaders, stages to sign."""
    from review.selectors.scoring import assignments_for_expert

    expert = expert_of(user)
    if expert is None:
        return
    assignments = list(assignments_for_expert(user))
    undeclared = [a for a in assignments if not a.declared]
    if undeclared:
        yield TodoItem(
            _("待声明有无利害关系的申报"),
            _url("expert"),
            len(undeclared),
            detail=_("声明后方可查看申报材料并评分（第二十条）。"),
            urgent=True,
        )
    in_review = [
        a for a in assignments if a.declared and a.application.state == ApplicationState.IN_REVIEW
    ]
    if not in_review:
        return
    open_stages = _open_stages(in_review)
    submitted = set(
        StageSubmission.objects.filter(application_id__in=open_stages, excluded=False).values_list(
            "application_id", "stage", "expert_id"
        )
    )
    to_score = sum(
        1
        for app_id, stages in open_stages.items()
        for stage in stages
        if (app_id, stage, expert.pk) not in submitted
    )
    if to_score:
        yield TodoItem(_("待评分的评审环节"), _url("expert"), to_score)
    led = [a for a in in_review if a.group.leader_id == expert.pk]
    if not led:
        return
    members = {}
    for group_id, expert_id in GroupMembership.objects.filter(
        group_id__in={a.group_id for a in led}, expert__disqualified_at__isnull=True
    ).values_list("group_id", "expert_id"):
        members.setdefault(group_id, set()).add(expert_id)
    excluded = set(
        Exclusion.objects.filter(application_id__in=[a.application_id for a in led]).values_list(
            "application_id", "expert_id"
        )
    )
    waiting = 0
    for assignment in led:
        app_id = assignment.application_id
        live = {e for e in members.get(assignment.group_id, set()) if (app_id, e) not in excluded}
        for stage in open_stages.get(app_id, []):
            if live and all((app_id, stage, e) in submitted for e in live):
                waiting += 1
    if waiting:
        yield TodoItem(
            _("待合议并签字确认的评审环节"),
            _url("leader"),
            waiting,
            detail=_("全体专家已提交独立评分，请组织合议、录入合议分并签字确认。"),
        )


@workbench.register(Role.AGENCY)
def agency_items(user):
    """Accepted applications without a group; applications flagged for reassignment."""
    if user.agency_id is None:
        return
    from review.selectors.board import agency_applications

    count = (
        agency_applications(user)
        .filter(state=ApplicationState.ACCEPTED)
        .exclude(pk__in=Assignment.objects.active().values("application_id"))
        .count()
    )
    if count:
        yield TodoItem(
            _("复核通过、尚未分配评审组的申报"),
            _url("agency"),
            count,
            detail=_("组建评审组并分配，回避后每组人数须符合评审工作计划（第八条第（二）项）。"),
        )
    flagged = (
        Assignment.objects.active()
        .filter(application__cycle__agency_id=user.agency_id)
        .exclude(needs_reassignment="")
        .count()
    )
    if flagged:
        yield TodoItem(
            _("需要重新分配评审组的申报"),
            _url("agency"),
            flagged,
            detail=_("专家回避或被取消评审资格后，评审组人数不足或组长缺位。"),
            urgent=True,
        )


@workbench.register(Role.AGENCY)
def agency_dashboard_items(user):
    """The review dashboard of each cycle the agency reviews now (专家评审); one query."""
    if user.agency_id is None:
        return
    from award.enums import CyclePhase
    from award.models import Cycle

    for cycle in Cycle.objects.filter(
        agency_id=user.agency_id, phase=CyclePhase.EXPERT_REVIEW
    ).order_by("-number"):
        yield TodoItem(
            _("评审看板：第%(number)s届") % {"number": cycle.number_label},
            reverse("review:dashboard", args=[cycle.pk]),
            detail=_("各评审组各环节进度、评分分布与校准提示、合议前专家评分差异。"),
        )
