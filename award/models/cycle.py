"""A cycle (届) of the award and its phases, the seven steps of 第十四条 (DESIGN.md §4.1)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from award import hooks
from award.enums import CyclePhase
from award.fsm import condition, guarded
from award.numerals import ordinal_number

MANAGE_CYCLE = "award.manage_cycle"


@condition(_("另一届评选正在接受申报，同一时间只能有一届开放申报（第十四条第（一）项）。"))
def no_other_cycle_open(cycle):
    return not Cycle.objects.filter(phase=CyclePhase.ANNOUNCED).exclude(pk=cycle.pk).exists()


@condition(_("申报截止时间已过，不能再发布申报通知；请先修改申报截止时间。"))
def deadline_in_future(cycle):
    return cycle.application_deadline > timezone.now()


@condition(_("所选评定规则在申报截止日不在有效期内（第二十六条）。"))
def rulebook_in_force(cycle):
    return cycle.rulebook.in_force_on(timezone.localdate(cycle.application_deadline))


@condition(_("申报截止时间尚未到，不能提前截止申报（第十四条第（二）项）。"))
def deadline_passed(cycle):
    return cycle.application_deadline <= timezone.now()


@condition(_("尚未选择承担技术评审的第三方机构（第七条第（二）项）。"))
def agency_engaged(cycle):
    return cycle.agency_id is not None


@condition(_("公示期尚未结束，不能公布（第十四条第（六）（七）项）。"))
def publicity_over(cycle):
    return cycle.publicity_ends_on is not None and timezone.localdate() > cycle.publicity_ends_on


class Cycle(ConcurrentTransitionMixin, models.Model):
    number = models.PositiveSmallIntegerField(_("届次"), unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    rulebook = models.ForeignKey(
        "award.Rulebook",
        verbose_name=_("评定规则"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    phase = FSMField(
        _("阶段"), default=CyclePhase.DRAFT, choices=CyclePhase.choices, protected=True
    )
    application_deadline = models.DateTimeField(_("申报截止时间"))
    preliminary_deadline = models.DateField(_("初审截止日期"), null=True, blank=True)
    recheck_deadline = models.DateField(_("复核截止日期"), null=True, blank=True)
    review_deadline = models.DateField(_("专家评审截止日期"), null=True, blank=True)
    self_assessment_max_mb = models.PositiveSmallIntegerField(
        _("自我评价报告大小上限（MB）"), default=20
    )
    evidence_max_mb = models.PositiveSmallIntegerField(
        _("单个证实性材料大小上限（MB）"), default=10
    )
    agency = models.ForeignKey(
        "award.Agency",
        verbose_name=_("第三方机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cycles",
    )
    publicity_starts_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("公示结束日期"), null=True, blank=True)
    announced_at = models.DateTimeField(_("申报通知发布时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    fsm_never = _("只有质量强市办可以推进评选阶段。")
    fsm_wrong_state = _("当前阶段为“%(state)s”，不能执行“%(action)s”。")

    class Meta:
        verbose_name = _("评选届次")
        verbose_name_plural = _("评选届次")
        ordering = ["-number"]
        permissions = [("manage_cycle", _("管理评选届次"))]

    def __str__(self):
        return _("第%(number)s届临沂市市长质量奖（%(year)s年）") % {
            "number": self.number_label,
            "year": self.year,
        }

    @property
    def number_label(self) -> str:
        """The number as 第…届 writes it: 一, 二, … in Chinese (award.numerals)."""
        return ordinal_number(self.number)

    @property
    def ordinal(self) -> str:
        """第…届, as a list row writes the cycle (one gettext, not a {% blocktranslate %})."""
        return _("第%(number)s届") % {"number": self.number_label}

    def clean(self):
        errors = {}
        deadline = self.application_deadline
        if (
            self.rulebook_id
            and deadline
            and not self.rulebook.in_force_on(timezone.localdate(deadline))
        ):
            errors["rulebook"] = rulebook_in_force.message
        later = [
            ("preliminary_deadline", _("初审截止日期应晚于申报截止日期。")),
            ("recheck_deadline", _("复核截止日期应晚于初审截止日期。")),
            ("review_deadline", _("专家评审截止日期应晚于复核截止日期。")),
        ]
        previous = timezone.localdate(deadline) if deadline else None
        for field, message in later:
            value = getattr(self, field)
            if value and previous and value <= previous:
                errors[field] = message
            previous = value or previous
        if errors:
            raise ValidationError(errors)

    @property
    def accepts_applications(self) -> bool:
        return self.phase == CyclePhase.ANNOUNCED and timezone.now() < self.application_deadline

    # Transitions. Those marked via_notice happen when the office publishes the matching notice.

    @transition(
        field=phase,
        source=CyclePhase.DRAFT,
        target=CyclePhase.ANNOUNCED,
        conditions=[no_other_cycle_open, deadline_in_future, rulebook_in_force],
        permission=MANAGE_CYCLE,
        custom={"label": _("发布申报通知"), "via_notice": "call"},
    )
    def announce(self):
        self.announced_at = timezone.now()

    @transition(
        field=phase,
        source=CyclePhase.ANNOUNCED,
        target=CyclePhase.CLOSED,
        conditions=[deadline_passed, guarded(hooks.cycle_guard_messages, "close")],
        permission=MANAGE_CYCLE,
        custom={"label": _("截止申报")},
    )
    def close(self):
        pass

    @transition(
        field=phase,
        source=CyclePhase.CLOSED,
        target=CyclePhase.PRELIMINARY,
        conditions=[guarded(hooks.cycle_guard_messages, "begin_preliminary")],
        permission=MANAGE_CYCLE,
        custom={"label": _("开始县区初审")},
    )
    def begin_preliminary(self):
        pass

    @transition(
        field=phase,
        source=CyclePhase.PRELIMINARY,
        target=CyclePhase.RECHECK,
        conditions=[guarded(hooks.cycle_guard_messages, "begin_recheck")],
        permission=MANAGE_CYCLE,
        custom={"label": _("开始复核")},
    )
    def begin_recheck(self):
        pass

    @transition(
        field=phase,
        source=CyclePhase.RECHECK,
        target=CyclePhase.EXPERT_REVIEW,
        conditions=[agency_engaged, guarded(hooks.cycle_guard_messages, "begin_expert_review")],
        permission=MANAGE_CYCLE,
        custom={"label": _("开始专家评审")},
    )
    def begin_expert_review(self):
        pass

    @transition(
        field=phase,
        source=CyclePhase.EXPERT_REVIEW,
        target=CyclePhase.DELIBERATION,
        conditions=[guarded(hooks.cycle_guard_messages, "begin_deliberation")],
        permission=MANAGE_CYCLE,
        custom={"label": _("提交领导小组审议")},
    )
    def begin_deliberation(self):
        pass

    @transition(
        field=phase,
        source=CyclePhase.DELIBERATION,
        target=CyclePhase.PUBLICITY,
        conditions=[guarded(hooks.cycle_guard_messages, "begin_publicity")],
        permission=MANAGE_CYCLE,
        custom={"label": _("发布公示公告"), "via_notice": "publicity"},
    )
    def begin_publicity(self, *, starts_on, ends_on):
        self.publicity_starts_on = starts_on
        self.publicity_ends_on = ends_on

    @transition(
        field=phase,
        source=CyclePhase.PUBLICITY,
        target=CyclePhase.PUBLISHED,
        conditions=[publicity_over, guarded(hooks.cycle_guard_messages, "publish")],
        permission=MANAGE_CYCLE,
        custom={"label": _("发布公布公告"), "via_notice": "result"},
    )
    def publish(self):
        self.published_at = timezone.now()

    @transition(
        field=phase,
        source=CyclePhase.PUBLISHED,
        target=CyclePhase.ARCHIVED,
        conditions=[guarded(hooks.cycle_guard_messages, "archive")],
        permission=MANAGE_CYCLE,
        custom={"label": _("归档")},
    )
    def archive(self):
        pass
