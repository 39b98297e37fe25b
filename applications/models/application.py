"""The application (申报) and its state machine up to 专家评审 (DESIGN.md §4.2)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from applications import hooks
from applications.enums import ApplicationState as S
from applications.permissions import (
    is_county_coordinator,
    is_cycle_agency,
    is_office,
    is_owner,
)
from award.enums import ApplicantKind, CyclePhase
from award.fsm import condition, guarded
from award.models.choices import CachedChoiceLabelsMixin

# The cycle phases in which each kind of step may happen. Returned applications may come back
# until expert review begins, so that 初审 and 复核 can finish the rounds they started.
RESUBMISSION_PHASES = frozenset(
    {CyclePhase.ANNOUNCED, CyclePhase.CLOSED, CyclePhase.PRELIMINARY, CyclePhase.RECHECK}
)
COUNTY_REVIEW_PHASES = RESUBMISSION_PHASES
# 复核 follows 初审 application by application (第十四条第（三）项), as rolling as 初审 is.
OFFICE_RECHECK_PHASES = RESUBMISSION_PHASES

EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
# A draft (never submitted) is deleted instead, so the applicant may start again this cycle.
WITHDRAWABLE_STATES = (S.SUBMITTED, S.RETURNED, S.RECOMMENDED, S.ACCEPTED)
FINAL_STATES = frozenset(
    {
        S.DECLINED,
        S.RECHECK_FAILED,
        S.WITHDRAWN,
        S.REVIEW_FAILED,
        S.NOT_SELECTED,
        S.PUBLICITY_FAILED,
        S.REVOKED,
    }
)
REVIEW_STATES = frozenset({S.IN_REVIEW, S.REVIEW_FAILED, S.REVIEWED})
DECISION_STATES = frozenset(
    {
        S.CANDIDATE,
        S.PROPOSED,
        S.NOT_SELECTED,
        S.IN_PUBLICITY,
        S.PUBLICITY_FAILED,
        S.AWARDED,
        S.REVOKED,
    }
)


@condition(_("本届申报尚未开始或已经截止，不能提交申报（第十四条第（二）项）。"))
def cycle_accepts_applications(application):
    return application.cycle.accepts_applications


@condition(_("本届评选已进入专家评审或以后阶段，退回的申报不能再重新提交。"))
def cycle_allows_resubmission(application):
    return application.cycle.phase in RESUBMISSION_PHASES


@condition(_("当前评选阶段不能进行县区初审（第十四条第（三）项）。"))
def cycle_in_county_review(application):
    return application.cycle.phase in COUNTY_REVIEW_PHASES


@condition(
    _("当前评选阶段不能进行复核；复核在申报开始后、专家评审开始前进行（第十四条第（三）项）。")
)
def cycle_in_recheck(application):
    return application.cycle.phase in OFFICE_RECHECK_PHASES


@condition(_("专家评审须在评选届次进入“专家评审”阶段后进行（第十四条第（四）项）。"))
def cycle_in_expert_review(application):
    return application.cycle.phase == CyclePhase.EXPERT_REVIEW


@condition(_("候选名单须在评选届次进入“拟获评”阶段后提出和审议（第十四条第（五）项）。"))
def cycle_in_deliberation(application):
    return application.cycle.phase == CyclePhase.DELIBERATION


@condition(_("评选届次不在公示阶段（第十四条第（六）项）。"))
def cycle_in_publicity(application):
    return application.cycle.phase == CyclePhase.PUBLICITY


@condition(_("获评名单须随公布公告一并公布（第十四条第（七）项）。"))
def cycle_published(application):
    return application.cycle.phase == CyclePhase.PUBLISHED


class Application(CachedChoiceLabelsMixin, ConcurrentTransitionMixin, models.Model):
    cycle = models.ForeignKey(
        "award.Cycle",
        verbose_name=_("评选届次"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申报账号"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    kind = models.CharField(_("申报主体类型"), max_length=12, choices=ApplicantKind.choices)
    state = FSMField(_("状态"), default=S.DRAFT, choices=S.choices, protected=True)
    round = models.PositiveSmallIntegerField(
        _("提报轮次"), default=0, help_text=_("每提交一次为一轮；退回修改后重新提交进入下一轮。")
    )
    # Copied from the profile on create, on profile changes while editable, and on submit,
    # so county queues, duplicate checks and lists need no join through the profiles.
    name = models.CharField(_("单位名称/姓名"), max_length=120)
    identifier = models.CharField(
        _("统一社会信用代码/身份证号码"), max_length=18, db_index=True, editable=False
    )
    county = models.ForeignKey(
        "award.County",
        verbose_name=_("所属县区"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    form_data = models.JSONField(_("申报表内容"), default=dict, blank=True)
    declarations_accepted_by = models.CharField(_("承诺人签名"), max_length=40, blank=True)
    declarations_accepted_at = models.DateTimeField(_("承诺时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    fsm_never = _("您无权对该申报执行此操作。")
    fsm_wrong_state = _("该申报当前状态为“%(state)s”，不能执行“%(action)s”。")

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "applicant"],
                name="one_application_per_applicant_per_cycle",
                violation_error_message=_("每个申报主体每届只能申报一次。"),
            )
        ]
        indexes = [
            models.Index(fields=["cycle", "state"]),
            models.Index(fields=["county", "state"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    # Transitions. Bodies only set fields; services check permission, audit and notify.

    @transition(
        field=state,
        source=S.DRAFT,
        target=S.SUBMITTED,
        conditions=[cycle_accepts_applications],
        permission=is_owner,
        custom={"label": _("提交申报"), "article": "第十四条第（二）项"},
    )
    @transition(
        field=state,
        source=S.RETURNED,
        target=S.SUBMITTED,
        conditions=[cycle_allows_resubmission],
        permission=is_owner,
        custom={"label": _("提交申报"), "article": "第十四条第（二）项"},
    )
    def submit(self):
        self.round += 1
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.RECOMMENDED,
        conditions=[cycle_in_county_review],
        permission=is_county_coordinator,
        custom={"label": _("初审推荐"), "article": "第十四条第（三）项"},
    )
    def recommend(self):
        pass

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.RETURNED,
        conditions=[cycle_in_county_review],
        permission=is_county_coordinator,
        custom={"label": _("退回修改"), "article": "第十四条第（三）项"},
    )
    @transition(
        field=state,
        source=S.RECOMMENDED,
        target=S.RETURNED,
        conditions=[cycle_in_recheck],
        permission=is_office,
        custom={"label": _("退回修改"), "article": "第十四条第（三）项"},
    )
    def return_for_revision(self):
        # Revised materials need a fresh 承诺 (第十条（五）（六）, 第十二条（一）（六）（七）).
        self.declarations_accepted_by = ""
        self.declarations_accepted_at = None

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.DECLINED,
        conditions=[cycle_in_county_review],
        permission=is_county_coordinator,
        custom={"label": _("初审不推荐"), "article": "第十四条第（三）项"},
    )
    def decline(self):
        pass

    @transition(
        field=state,
        source=S.RECOMMENDED,
        target=S.ACCEPTED,
        conditions=[cycle_in_recheck],
        permission=is_office,
        custom={"label": _("复核通过"), "article": "第十四条第（三）项"},
    )
    def accept(self):
        pass

    @transition(
        field=state,
        source=S.RECOMMENDED,
        target=S.RECHECK_FAILED,
        conditions=[cycle_in_recheck],
        permission=is_office,
        custom={"label": _("复核不通过"), "article": "第十四条第（三）项"},
    )
    def reject(self):
        pass

    @transition(
        field=state,
        source=WITHDRAWABLE_STATES,
        target=S.WITHDRAWN,
        permission=is_owner,
        custom={"label": _("撤回申报"), "article": "第十四条第（二）项"},
    )
    def withdraw(self):
        pass

    # 专家评审 (第十四条第（四）项): the agency moves these; the review floor sets the conditions.

    @transition(
        field=state,
        source=S.ACCEPTED,
        target=S.IN_REVIEW,
        conditions=[
            cycle_in_expert_review,
            guarded(
                hooks.transition_guard_messages,
                "start_review",
                _("评审组尚未就绪：须已分配评审组，组内专家均已声明无利害关系且人数符合要求。"),
            ),
        ],
        permission=is_cycle_agency,
        custom={"label": _("开始专家评审"), "article": "第十四条第（四）项"},
    )
    def start_review(self):
        pass

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.REVIEW_FAILED,
        conditions=[
            cycle_in_expert_review,
            guarded(
                hooks.transition_guard_messages,
                "fail_review",
                _("没有未通过的舆情调查或资格审查记录，不能评审淘汰。"),
            ),
        ],
        permission=is_cycle_agency,
        custom={"label": _("评审淘汰"), "article": "第十四条第（四）项"},
    )
    def fail_review(self):
        pass

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.REVIEWED,
        conditions=[
            cycle_in_expert_review,
            guarded(
                hooks.transition_guard_messages,
                "complete_review",
                _("尚有评审环节未完成或未经组长签字确认。"),
            ),
        ],
        permission=is_cycle_agency,
        custom={"label": _("评审完成"), "article": "第十四条第（四）项"},
    )
    def complete_review(self):
        pass

    # 拟获评 → 公示 → 公布 (第十四条第（五）至（七）项): the office acts, recording the leading
    # group's resolution and the city government's approval; the decisions floor sets the
    # conditions through applications.hooks and moves the states with the cycle's notices.

    @transition(
        field=state,
        source=S.REVIEWED,
        target=S.CANDIDATE,
        conditions=[
            cycle_in_deliberation,
            guarded(hooks.transition_guard_messages, "nominate", _("不能列入候选名单。")),
        ],
        permission=is_office,
        custom={"label": _("列入候选名单"), "article": "第十四条第（五）项"},
    )
    def nominate(self):
        pass

    @transition(
        field=state,
        source=S.CANDIDATE,
        target=S.PROPOSED,
        conditions=[
            cycle_in_deliberation,
            guarded(
                hooks.transition_guard_messages, "propose", _("领导小组尚未作出拟获评的决议。")
            ),
        ],
        permission=is_office,
        custom={"label": _("拟获评"), "article": "第十四条第（五）项"},
    )
    def propose(self):
        pass

    @transition(
        field=state,
        source=S.CANDIDATE,
        target=S.NOT_SELECTED,
        conditions=[
            cycle_in_deliberation,
            guarded(
                hooks.transition_guard_messages, "pass_over", _("领导小组尚未作出未获评的决议。")
            ),
        ],
        permission=is_office,
        custom={"label": _("未获评"), "article": "第十四条第（五）项"},
    )
    def pass_over(self):
        pass

    @transition(
        field=state,
        source=S.PROPOSED,
        target=S.IN_PUBLICITY,
        conditions=[cycle_in_publicity],
        permission=is_office,
        custom={"label": _("公示"), "article": "第十四条第（六）项"},
    )
    def publicise(self):
        pass

    @transition(
        field=state,
        source=S.IN_PUBLICITY,
        target=S.PUBLICITY_FAILED,
        conditions=[
            cycle_in_publicity,
            guarded(hooks.transition_guard_messages, "fail_publicity", _("没有经查证属实的异议。")),
        ],
        permission=is_office,
        custom={"label": _("公示撤回"), "article": "第十四条第（六）项"},
    )
    def fail_publicity(self):
        pass

    @transition(
        field=state,
        source=S.IN_PUBLICITY,
        target=S.AWARDED,
        conditions=[
            cycle_published,
            guarded(hooks.transition_guard_messages, "award", _("尚不能公布获评。")),
        ],
        permission=is_office,
        custom={"label": _("公布获评"), "article": "第十四条第（七）项"},
    )
    def award(self):
        pass

    # 第二十三条、第二十四条: 市政府 revokes a title on the leading group's request; the office
    # records it when the revocation floor's case holds that decision (applications.hooks).

    @transition(
        field=state,
        source=S.AWARDED,
        target=S.REVOKED,
        conditions=[
            guarded(hooks.transition_guard_messages, "revoke", _("尚未记录市政府撤销决定。")),
        ],
        permission=is_office,
        custom={"label": _("撤销市长质量奖"), "article": "第二十三条、第二十四条"},
    )
    def revoke(self):
        pass
