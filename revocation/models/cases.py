"""A revocation case against one honour (第二十三条、第二十四条): opened by the office (on its
own, from a periodic assessment or from a complaint), investigated, answered by the holder,
deliberated by the leading group and decided by 市政府."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from award.models.choices import CachedChoiceLabelsMixin
from award.models.fields import BoundedTextField
from award.text import LONG_TEXT
from revocation.enums import CaseSource, CaseState

OPEN_CASE_STATES = (
    CaseState.INVESTIGATING,
    CaseState.AWAITING_ANSWER,
    CaseState.DELIBERATION,
    CaseState.SUBMITTED,
)


class RevocationCase(CachedChoiceLabelsMixin, models.Model):
    number = models.CharField(_("案件编号"), max_length=20, unique=True)
    honour = models.ForeignKey(
        "decisions.Honour",
        verbose_name=_("荣誉"),
        on_delete=models.PROTECT,
        related_name="revocation_cases",
    )
    state = FSMField(
        _("状态"),
        max_length=20,
        choices=CaseState.choices,
        default=CaseState.INVESTIGATING,
        protected=True,
    )
    source = models.CharField(
        _("案件来源"), max_length=12, choices=CaseSource.choices, default=CaseSource.OFFICE
    )
    grounds = models.ManyToManyField(
        "revocation.Ground", verbose_name=_("撤销情形"), related_name="cases"
    )
    summary = BoundedTextField(_("案由"), max_length=LONG_TEXT)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("立案人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("立案时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("撤销案件")
        verbose_name_plural = _("撤销案件")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            # One open case per honour: a second complaint joins the case already open.
            models.UniqueConstraint(
                fields=["honour"],
                condition=Q(state__in=OPEN_CASE_STATES),
                name="one_open_case_per_honour",
            )
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_CASE_STATES
