"""A revocation case against one honour (第二十三条、第二十四条): opened by the office (on its
own, from a periodic assessment or from a complaint), investigated, answered by the holder,
deliberated by the leading group and decided by 市政府."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from award.fsm import condition
from award.models.choices import CachedChoiceLabelsMixin
from award.models.fields import BoundedTextField
from award.permissions import is_active_user
from award.permissions import is_office as is_office_user
from award.text import LONG_TEXT, REASON_TEXT
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
    findings = BoundedTextField(_("查证情况"), max_length=LONG_TEXT, blank=True)
    found_at = models.DateTimeField(_("查证时间"), null=True, blank=True)
    answer_due_on = models.DateField(_("陈述申辩截止日期"), null=True, blank=True)
    answer = BoundedTextField(_("陈述申辩意见"), max_length=LONG_TEXT, blank=True)
    answered_at = models.DateTimeField(_("陈述申辩时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("提交领导小组时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提请市政府时间"), null=True, blank=True)
    closed_reason = BoundedTextField(_("结案理由"), max_length=REASON_TEXT, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
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

    fsm_never = _("您无权办理该撤销案件。")

    # Conditions ----------------------------------------------------------------------------

    @condition(_("陈述申辩期限已过，不能再提交陈述申辩。"))
    def answer_window_open(self) -> bool:
        return self.answer_due_on is not None and timezone.localdate() <= self.answer_due_on

    @condition(_("已提交陈述申辩，不能重复提交。"))
    def not_answered(self) -> bool:
        return self.answered_at is None

    @condition(_("获评者已陈述申辩或陈述申辩期限届满后，才能提交领导小组审议。"))
    def answer_heard(self) -> bool:
        return self.answered_at is not None or (
            self.answer_due_on is not None and timezone.localdate() > self.answer_due_on
        )

    @condition(_("领导小组尚未结束表决。"))
    def vote_closed(self) -> bool:
        vote = self.current_vote()
        return vote is not None and not vote.is_open

    @condition(_("领导小组表决未过半数同意撤销，不能提请市政府撤销。"))
    def vote_agreed(self) -> bool:
        vote = self.current_vote()
        return vote is not None and not vote.is_open and vote.agreed

    @condition(_("领导小组表决已过半数同意撤销，应提请市政府撤销。"))
    def vote_not_agreed(self) -> bool:
        vote = self.current_vote()
        return vote is not None and not vote.is_open and not vote.agreed

    @condition(_("尚未记录市政府撤销决定（文号、日期和文件），不能撤销。"))
    def decision_recorded(self) -> bool:
        from revocation.models.case_records import GovernmentDecision

        return GovernmentDecision.objects.filter(case_id=self.pk).exists()

    def current_vote(self):
        from revocation.models.case_records import CaseVote

        if not hasattr(self, "_vote_cache"):
            self._vote_cache = CaseVote.objects.filter(case_id=self.pk).first()
        return self._vote_cache

    # Transitions (第二十三条、第二十四条: 经查证属实，由领导小组按程序提请市政府撤销) ---------

    @transition(
        field=state,
        source=CaseState.INVESTIGATING,
        target=CaseState.AWAITING_ANSWER,
        permission=lambda case, user: is_office_user(user),
        custom={"label": _("查证属实，告知获评者"), "article": "第二十三条、第二十四条"},
    )
    def find_true(self):
        pass

    @transition(
        field=state,
        source=CaseState.INVESTIGATING,
        target=CaseState.CLOSED,
        permission=lambda case, user: is_office_user(user),
        custom={"label": _("查证不属实，结案"), "article": "第二十三条、第二十四条"},
    )
    def find_false(self):
        pass

    @transition(
        field=state,
        source=CaseState.AWAITING_ANSWER,
        target=CaseState.AWAITING_ANSWER,
        conditions=[answer_window_open, not_answered],
        permission=lambda case, user: case_holder(case, user),
        custom={"label": _("提交陈述申辩"), "article": "第二十三条、第二十四条"},
    )
    def reply(self):
        pass

    @transition(
        field=state,
        source=CaseState.AWAITING_ANSWER,
        target=CaseState.DELIBERATION,
        conditions=[answer_heard],
        permission=lambda case, user: is_office_user(user),
        custom={"label": _("提交领导小组审议"), "article": "第二十三条、第二十四条"},
    )
    def send_to_group(self):
        pass

    @transition(
        field=state,
        source=CaseState.DELIBERATION,
        target=CaseState.SUBMITTED,
        conditions=[vote_closed, vote_agreed],
        permission=lambda case, user: is_office_user(user),
        custom={"label": _("提请市政府撤销"), "article": "第二十三条、第二十四条"},
    )
    def submit(self):
        pass

    @transition(
        field=state,
        source=CaseState.DELIBERATION,
        target=CaseState.CLOSED,
        conditions=[vote_closed, vote_not_agreed],
        permission=lambda case, user: is_office_user(user),
        custom={"label": _("领导小组未同意，结案"), "article": "第二十三条、第二十四条"},
    )
    def reject(self):
        pass

    @transition(
        field=state,
        source=CaseState.SUBMITTED,
        target=CaseState.REVOKED,
        conditions=[decision_recorded],
        permission=lambda case, user: is_office_user(user),
        custom={"label": _("记录市政府撤销决定"), "article": "第二十三条、第二十四条"},
    )
    def revoke(self):
        pass

    @transition(
        field=state,
        source=[CaseState.INVESTIGATING, CaseState.AWAITING_ANSWER, CaseState.DELIBERATION],
        target=CaseState.CLOSED,
        permission=lambda case, user: is_office_user(user),
        custom={"label": _("不予撤销，结案"), "article": "第二十三条、第二十四条"},
    )
    def close(self):
        pass


def case_holder(case, user) -> bool:
    """The applicant account that owns the honour's application."""
    return is_active_user(user) and case.honour.application.applicant_id == user.pk
