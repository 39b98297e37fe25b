"""An application's timeline: its creation and every transition with who, when and why."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationState, EventAction
from award.models.fields import BoundedTextField
from award.text import REASON_TEXT


class ApplicationEvent(models.Model):
    """One step of 材料提报, 初审 or 复核, kept per round so each round's history reads whole."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    round = models.PositiveSmallIntegerField(_("提报轮次"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=30, choices=EventAction.choices)
    from_state = models.CharField(
        _("原状态"), max_length=30, choices=ApplicationState.choices, blank=True
    )
    to_state = models.CharField(_("新状态"), max_length=30, choices=ApplicationState.choices)
    opinion = BoundedTextField(_("意见或原因"), max_length=REASON_TEXT, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"
