"""The ground floor's own to-do items on the workbench."""

from django.urls import reverse
from django.utils.translation import gettext as _

from award.enums import Role
from award.workbench import TodoItem, workbench


@workbench.register()
def unread_messages(user):
    count = user.messages.filter(read_at__isnull=True).count()
    if count:
        yield TodoItem(_("未读站内信"), reverse("award:message_list"), count)


@workbench.register(Role.OFFICE)
def draft_notices(user):
    from award.selectors.notices import draft_notice_count

    count = draft_notice_count(user)
    if count:
        yield TodoItem(
            _("待发布的公告草稿"),
            reverse("award:notice_manage_list") + "?status=draft",
            count,
            detail=_("预览无误后发布；申报通知发布后即开放申报（第十四条第（一）项）。"),
        )


@workbench.register(Role.OFFICE)
def cycle_steps_due(user):
    """Cycles waiting for the office's next step; one query whatever the number of cycles."""
    from django.utils import timezone

    from award.enums import CyclePhase
    from award.models import Cycle

    now, today = timezone.now(), timezone.localdate()
    waiting = Cycle.objects.filter(
        phase__in=[
            CyclePhase.DRAFT,
            CyclePhase.ANNOUNCED,
            CyclePhase.RECHECK,
            CyclePhase.PUBLICITY,
        ]
    ).order_by("number")
    for cycle in waiting:
        url = reverse("award:cycle_detail", args=[cycle.pk])
        number = {"number": cycle.number_label}
        if cycle.phase == CyclePhase.DRAFT:
            yield TodoItem(
                _("第%(number)s届尚未发布申报通知") % number,
                url,
                detail=_("核对届次信息后撰写并发布申报通知（第十四条第（一）项）。"),
            )
        elif cycle.phase == CyclePhase.ANNOUNCED and cycle.application_deadline <= now:
            yield TodoItem(
                _("第%(number)s届申报已截止，请截止申报并启动初审") % number,
                url,
                detail=_("申报截止时间已过（第十四条第（二）（三）项）。"),
                urgent=True,
            )
        elif cycle.phase == CyclePhase.RECHECK and cycle.agency_id is None:
            yield TodoItem(
                _("第%(number)s届尚未选择第三方机构") % number,
                url,
                detail=_("开始专家评审前须选择确定承担评审的第三方机构（第七条第（二）项）。"),
            )
        elif (
            cycle.phase == CyclePhase.PUBLICITY
            and cycle.publicity_ends_on is not None
            and today > cycle.publicity_ends_on
        ):
            yield TodoItem(
                _("第%(number)s届公示期已结束，请报市政府审定后发布公布公告") % number,
                url,
                detail=_("拟获评名单经公示后报市政府审定公布（第十四条第（七）项）。"),
                urgent=True,
            )
