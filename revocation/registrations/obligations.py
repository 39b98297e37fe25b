"""What the winners' obligations part (第十八条) plugs into the floors below: overdue
requests on the office's and the holder's workbenches, and its share of the demo."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from award import hooks as award_hooks
from award.enums import Role
from award.workbench import TodoItem, workbench
from decisions.enums import HonourStatus
from decisions.models import Honour
from decisions.services.approval import chinese_date
from revocation.enums import SharingState
from revocation.models import SharingRequest
from revocation.registrations.assessments import _travel, first_published_cycle
from revocation.selectors.obligations import overdue_requests, requests_of_holder


@workbench.register(Role.OFFICE)
def office_items(user):
    items = []
    overdue = overdue_requests().count()
    if overdue:
        items.append(
            TodoItem(
                title=_("经验分享逾期未提交"),
                url=reverse("revocation:sharing_list"),
                count=overdue,
                detail=_("获评者逾期未提交经验分享材料（第十八条）。"),
                urgent=True,
            )
        )
    answered = SharingRequest.objects.filter(state=SharingState.ANSWERED).count()
    if answered:
        items.append(
            TodoItem(
                title=_("审阅经验分享材料"),
                url=reverse("revocation:sharing_list"),
                count=answered,
                detail=_("获评者已提交经验分享材料，待审阅并决定是否公开发布（第十八条）。"),
            )
        )
    return items


@workbench.register(Role.APPLICANT)
def applicant_items(user):
    items = []
    today = timezone.localdate()
    waiting = requests_of_holder(user).filter(state=SharingState.REQUESTED)
    for request in waiting[:5]:
        overdue = request.due_on < today
        items.append(
            TodoItem(
                title=_("经验分享已逾期，请尽快提交") if overdue else _("提交经验分享材料"),
                url=reverse("revocation:sharing_detail", kwargs={"pk": request.pk}),
                detail=_("%(topic)s：提交期限%(due)s（第十八条）。")
                % {"topic": request.topic, "due": chinese_date(request.due_on)},
                urgent=overdue,
            )
        )
    return items


# Demo: 特钢's unit honour shares its experience (answered and published); 王匠心's is overdue.


def _honour_of(cycle, username):
    return (
        Honour.objects.filter(
            cycle=cycle,
            application__applicant__username=username,
            status=HonourStatus.ACTIVE,
        )
        .select_related("cycle", "application__applicant")
        .first()
    )


def seed_sharing(*, cycle, office) -> None:
    """Idempotent, on 第一届 when a later cycle's seeders run (see seed_assessments)."""
    from revocation.services.obligations import sharing_answer, sharing_publish, sharing_request

    first = first_published_cycle(cycle)
    if first is None or SharingRequest.objects.filter(honour__cycle=first).exists():
        return
    today = timezone.localdate()
    steel = _honour_of(first, "demo_steel")
    if steel is not None:
        with _travel(today - datetime.timedelta(days=60)):
            request = sharing_request(
                honour=steel,
                topic="卓越绩效管理模式推行经验",
                details="请总结推行卓越绩效管理模式的做法和成效，3000字以内（演示数据）。",
                due_on=today - datetime.timedelta(days=30),
                by=office,
            )
        with _travel(today - datetime.timedelta(days=40)):
            request = sharing_answer(
                request=request,
                by=steel.application.applicant,
                title="以卓越绩效引领特钢高质量发展",
                material=(
                    "一、战略引领：将质量目标纳入企业发展战略，逐级分解落实。\n"
                    "二、过程管控：建立覆盖冶炼、轧制、检验全过程的质量控制点。\n"
                    "三、持续改进：每年开展质量改进项目，成果在行业内交流推广。\n"
                    "（演示数据）"
                ),
            )
        with _travel(today - datetime.timedelta(days=35)):
            sharing_publish(request=request, by=office)
    wang = _honour_of(first, "demo_person_wang")
    if wang is not None:
        with _travel(today - datetime.timedelta(days=90)):
            sharing_request(
                honour=wang,
                topic="首席质量官履职经验",
                details="请结合个人质量工作实践，分享质量管理方法（演示数据）。",
                due_on=today - datetime.timedelta(days=45),
                by=office,
            )


award_hooks.register_demo_seeder(seed_sharing)
