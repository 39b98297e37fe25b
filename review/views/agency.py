"""The agency's pages (第八条): expert pool, plan, groups, assignment, checks, start, finish."""

import mimetypes

from django.contrib import messages
from django.db.models import Count, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from applications.enums import ApplicationState
from award import fsm
from award.enums import Role
from award.permissions import RoleRequiredMixin, is_agency_of
from award.services.audit import download_record
from award.uploads import stored_file_response
from award.views.refusals import REFUSALS, refusal_messages, show_refusal
from review.enums import CHECK_STAGES, Stage
from review.forms_agency import (
    AssignForm,
    AssignmentRemoveForm,
    BatchStartForm,
    CheckFailForm,
    CheckForm,
    ExpertCreateForm,
    ExpertUpdateForm,
    GroupForm,
    PlanForm,
)
from review.models import Assignment, Expert
from review.selectors import (
    applications_needing_reassignment,
    experts_for,
    groups_of,
    review_applications_for,
)
from review.selectors_pages import (
    agency_application,
    checks_of,
    exclusions_of,
    groups_with_warnings,
    potential_conflicts,
    review_board,
    review_cycles,
    startable_choices,
    unassigned,
    waiting_for_group,
)
from review.services import (
    assignment_auto,
    assignment_create,
    assignment_remove,
    expert_create,
    expert_update,
    group_create,
    review_complete,
    review_plan_save,
    review_start,
    reviews_start,
    stage_check_record,
)
from review.services.plans import frozen_message
from review.views.staff_common import REVIEW_READERS, CycleMixin, ServiceFormView

AUTO_SESSION_KEY = "review.auto_assign"
START_SESSION_KEY = "review.batch_start"


# 工作台: the cycles the agency reviews


class AgencyHomeView(RoleRequiredMixin, ListView):
    """The cycles the agency was engaged for, with what waits in each."""

    roles = (Role.AGENCY,)
    template_name = "review/agency_home.html"
    context_object_name = "cycles"

    def get_queryset(self):
        return review_cycles(self.request.user).annotate(
            accepted=Count(
                "applications",
                filter=Q(applications__state=ApplicationState.ACCEPTED),
                distinct=True,
            ),
            in_review=Count(
                "applications",
                filter=Q(applications__state=ApplicationState.IN_REVIEW),
                distinct=True,
            ),
            reviewed=Count(
                "applications",
                filter=Q(applications__state=ApplicationState.REVIEWED),
                distinct=True,
            ),
            failed=Count(
                "applications",
                filter=Q(applications__state=ApplicationState.REVIEW_FAILED),
                distinct=True,
            ),
            waiting=waiting_for_group(OuterRef("pk")),
        )


# 专家库 (第八条第（二）项)


class ExpertListView(RoleRequiredMixin, ListView):
    """The agency's own pool; the office and the auditor read every agency's pool."""

    roles = REVIEW_READERS
    template_name = "review/agency_expert_list.html"
    context_object_name = "experts"
    paginate_by = 50

    def get_queryset(self):
        return experts_for(self.request.user).order_by("agency__name", "name", "pk")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            is_agency=user.has_role(Role.AGENCY),
            is_office=user.has_role(Role.OFFICE),
            **kwargs,
        )


class AgencyOnlyMixin(RoleRequiredMixin):
    roles = (Role.AGENCY,)


class ExpertCreateView(AgencyOnlyMixin, ServiceFormView):
    template_name = "review/agency_expert_form.html"
    form_class = ExpertCreateForm

    def call_service(self, form):
        return expert_create(
            by=self.request.user, submission_token=form.once_token, **form.cleaned_data
        )

    def success_text(self, saved):
        return _(
            "已将%(name)s加入专家库并开通账号，登录名为“%(login)s”。专家请在登录页点击"
            "“找回密码”，通过邮箱%(email)s设置自己的密码。"
        ) % {"name": saved.name, "login": saved.user.username, "email": saved.user.email}

    def success_url_for(self, saved):
        return reverse("review:expert_list")


class ExpertUpdateView(AgencyOnlyMixin, ServiceFormView):
    template_name = "review/agency_expert_form.html"
    form_class = ExpertUpdateForm
    success_message = gettext_lazy("已保存专家“%(object)s”的信息。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.expert = get_object_or_404(experts_for(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return ExpertUpdateForm.initial_for(self.expert)

    def get_context_data(self, **kwargs):
        return super().get_context_data(expert=self.expert, **kwargs)

    def call_service(self, form):
        fields = dict(form.cleaned_data)
        specialities = fields.pop("specialities")
        return expert_update(
            expert=self.expert, by=self.request.user, specialities=specialities, **fields
        )

    def success_url_for(self, saved):
        return reverse("review:expert_list")


# 评审工作计划 (第八条第（一）项)


class PlanView(CycleMixin, ServiceFormView):
    """The cycle's plan: a form until review starts, then read-only with a 「已冻结」 note."""

    template_name = "review/agency_plan.html"
    form_class = PlanForm
    writers = "plan"
    success_message = gettext_lazy("已保存评审工作计划。")

    @property
    def editable(self) -> bool:
        plan = self.plan()
        return self.may_write and not (plan is not None and plan.is_frozen)

    def get_initial(self):
        return PlanForm.initial_for(self.plan())

    def get_context_data(self, **kwargs):
        plan = self.plan()
        return super().get_context_data(
            plan=plan,
            editable=self.editable,
            frozen_note=frozen_message(plan) if plan is not None and plan.is_frozen else "",
            **kwargs,
        )

    def call_service(self, form):
        return review_plan_save(cycle=self.cycle, by=self.request.user, **form.cleaned_data)

    def success_url_for(self, saved):
        return reverse("review:plan", args=[self.cycle.pk])


# 评审组


class GroupListView(CycleMixin, TemplateView):
    template_name = "review/agency_group_list.html"

    def get_context_data(self, **kwargs):
        plan = self.plan()
        rows = groups_with_warnings(self.cycle, plan)
        members = [expert for row in rows for expert in row["members"]]
        conflicts = potential_conflicts(self.cycle, members, plan)
        by_expert = {}
        for conflict in conflicts:
            by_expert.setdefault(conflict["expert"].pk, []).append(conflict)
        for row in rows:
            row["conflicts"] = [c for e in row["members"] for c in by_expert.get(e.pk, [])]
        return super().get_context_data(rows=rows, plan=plan, **kwargs)


class GroupCreateView(CycleMixin, ServiceFormView):
    template_name = "review/agency_group_form.html"
    form_class = GroupForm
    success_message = gettext_lazy("已组建评审组“%(object)s”。")

    def get(self, request, *args, **kwargs):
        if not self.may_write:
            raise Http404
        return super().get(request, *args, **kwargs)

    def pool(self):
        return (
            Expert.objects.available()
            .filter(agency_id=self.cycle.agency_id)
            .exclude(memberships__group__cycle=self.cycle)
            .order_by("name", "pk")
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "experts": self.pool()}

    def get_context_data(self, **kwargs):
        plan = self.plan()
        return super().get_context_data(
            plan=plan,
            conflicts=potential_conflicts(self.cycle, list(self.pool()), plan),
            **kwargs,
        )

    def call_service(self, form):
        return group_create(
            cycle=self.cycle,
            by=self.request.user,
            submission_token=form.once_token,
            **form.cleaned_data,
        )

    def success_url_for(self, saved):
        return reverse("review:group_list", args=[self.cycle.pk])


# 分配


class AssignView(CycleMixin, TemplateView):
    """Applications without a group, given to one by hand; flagged ones to reassign."""

    template_name = "review/agency_assign.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            applications=unassigned(self.cycle),
            flagged=applications_needing_reassignment(self.cycle),
            groups=list(groups_of(self.cycle)),
            plan=self.plan(),
            **kwargs,
        )

    def handle_post(self, request, *args, **kwargs):
        form = AssignForm(request.POST, groups=groups_of(self.cycle))
        if form.is_valid():
            application = get_object_or_404(
                review_applications_for(request.user, self.cycle),
                pk=form.cleaned_data["application"],
            )
            group = form.cleaned_data["group"]
            try:
                assignment_create(application=application, group=group, by=request.user)
            except REFUSALS as refused:
                show_refusal(form, refused)
            else:
                messages.success(
                    request,
                    _("已将“%(name)s”分配给“%(group)s”。")
                    % {"name": application.name, "group": group.name},
                )
                return redirect("review:assign", cycle=self.cycle.pk)
        context = self.get_context_data(
            bound=form, bound_application=request.POST.get("application", "")
        )
        return self.render_to_response(context, status=400)


class AutoAssignView(CycleMixin, TemplateView):
    """Confirmation, then 自动分配 through assignment_auto; the result on its own page."""

    template_name = "review/agency_auto_assign.html"

    def get(self, request, *args, **kwargs):
        if not self.may_write:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            waiting=unassigned(self.cycle).filter(state=ApplicationState.ACCEPTED).count(),
            group_count=groups_of(self.cycle).count(),
            plan=self.plan(),
            **kwargs,
        )

    def handle_post(self, request, *args, **kwargs):
        try:
            result = assignment_auto(cycle=self.cycle, by=request.user)
        except REFUSALS as refused:
            context = self.get_context_data(errors=refusal_messages(refused))
            return self.render_to_response(context, status=400)
        request.session[AUTO_SESSION_KEY] = {
            "cycle": self.cycle.pk,
            "assigned": [
                {
                    "pk": a.application_id,
                    "name": a.application.name,
                    "group": a.group.name,
                }
                for a in result.assigned
            ],
            "unassignable": [
                {"pk": application.pk, "name": application.name, "reason": str(reason)}
                for application, reason in result.unassignable
            ],
        }
        return redirect("review:auto_assign_result", cycle=self.cycle.pk)


class AutoAssignResultView(CycleMixin, TemplateView):
    template_name = "review/agency_auto_assign_result.html"

    def get(self, request, *args, **kwargs):
        result = request.session.get(AUTO_SESSION_KEY)
        if not result or result.get("cycle") != self.cycle.pk:
            return redirect("review:assign", cycle=self.cycle.pk)
        return self.render_to_response(self.get_context_data(result=result))


class AssignmentRemoveView(CycleMixin, TemplateView):
    """撤销分配 with a reason (to reassign after a disqualification or a 回避)."""

    template_name = "review/agency_assignment_remove.html"

    def get_assignment(self):
        return get_object_or_404(
            Assignment.objects.active()
            .filter(application__cycle=self.cycle)
            .select_related("application", "group"),
            pk=self.kwargs["pk"],
        )

    def get(self, request, *args, **kwargs):
        if not self.may_write:
            raise Http404
        form = AssignmentRemoveForm()
        return self.render_to_response(
            self.get_context_data(assignment=self.get_assignment(), form=form)
        )

    def handle_post(self, request, *args, **kwargs):
        assignment = self.get_assignment()
        form = AssignmentRemoveForm(request.POST)
        if form.is_valid():
            try:
                assignment_remove(
                    assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
                )
            except REFUSALS as refused:
                show_refusal(form, refused)
            else:
                messages.success(
                    request,
                    _("已撤销“%(name)s”对“%(group)s”的分配，请重新分配。")
                    % {"name": assignment.application.name, "group": assignment.group.name},
                )
                return redirect("review:assign", cycle=self.cycle.pk)
        context = self.get_context_data(assignment=assignment, form=form)
        return self.render_to_response(context, status=400)


# 回避记录


class ExclusionListView(CycleMixin, ListView):
    template_name = "review/agency_exclusion_list.html"
    context_object_name = "exclusions"
    paginate_by = 100

    def get_queryset(self):
        return exclusions_of(self.cycle)


# 评审进度: the cycle's applications, 开始评审 one by one or in a batch


class ReviewBoardView(CycleMixin, ListView):
    template_name = "review/agency_board.html"
    context_object_name = "applications"
    paginate_by = 100

    def get_queryset(self):
        return review_board(self.cycle, self.request.user)

    def get_context_data(self, **kwargs):
        batch_form = kwargs.pop("batch_form", None)
        choices = startable_choices(self.cycle, self.request.user) if self.may_write else []
        return super().get_context_data(
            batch_form=batch_form,
            startable={pk for pk, _name in choices},
            ticked=set(batch_form.data.getlist("applications")) if batch_form else set(),
            batch_results=self.request.session.pop(START_SESSION_KEY, None),
            **kwargs,
        )

    def handle_post(self, request, *args, **kwargs):
        """开始评审 for each ticked application, each in its own transaction."""
        self.object_list = self.get_queryset()
        choices = startable_choices(self.cycle, request.user)
        form = BatchStartForm(request.POST, choices=choices)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(batch_form=form), status=400)
        chosen = {
            a.pk: a
            for a in review_applications_for(request.user, self.cycle).filter(
                pk__in=form.cleaned_data["applications"]
            )
        }
        results = reviews_start(
            applications=[chosen[pk] for pk in form.cleaned_data["applications"]], by=request.user
        )
        rows = [
            {"pk": r.application.pk, "name": r.application.name, "ok": r.ok, "message": r.message}
            for r in results
        ]
        done = sum(row["ok"] for row in rows)
        request.session[START_SESSION_KEY] = {
            "done": done,
            "refused": len(rows) - done,
            "rows": rows,
        }
        return redirect("review:board", cycle=self.cycle.pk)


# One application: checks, start, complete


class ApplicationMixin(RoleRequiredMixin):
    """One application of a cycle the user reads the review of; others 404."""

    roles = REVIEW_READERS

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = agency_application(request.user, kwargs["pk"])
        if self.application is None:
            raise Http404
        self.cycle = self.application.cycle
        return super().dispatch(request, *args, **kwargs)

    @property
    def may_write(self) -> bool:
        return is_agency_of(self.cycle, self.request.user)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("application", self.application)
        kwargs["cycle"] = self.cycle
        kwargs.setdefault("may_write", self.may_write)
        return super().get_context_data(**kwargs)


class ApplicationReviewView(ApplicationMixin, TemplateView):
    template_name = "review/agency_application.html"

    def get_context_data(self, **kwargs):
        from review.services.common import active_assignment, live_experts

        application = self.application
        assignment = active_assignment(application)
        checks = checks_of(application)
        return super().get_context_data(
            assignment=assignment,
            experts=live_experts(assignment) if assignment else [],
            checks=[
                {"stage": stage, "label": Stage(stage).label, "record": checks.get(stage)}
                for stage in CHECK_STAGES
            ],
            in_review=application.state == ApplicationState.IN_REVIEW,
            can_start=self.may_write and application.state == ApplicationState.ACCEPTED,
            can_complete=self.may_write and application.state == ApplicationState.IN_REVIEW,
            **kwargs,
        )


class CheckRecordView(ApplicationMixin, ServiceFormView):
    """舆情调查/资格审查: 通过 with the evidence, or 不通过 on a page that says it ends the
    review (一票否决)."""

    template_name = "review/agency_check_form.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["stage"] not in CHECK_STAGES or kwargs["outcome"] not in ("pass", "fail"):
            raise Http404
        self.stage = Stage(kwargs["stage"])
        self.passed = kwargs["outcome"] == "pass"
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.may_write:
            raise Http404
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.may_write:
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_form_class(self):
        return CheckForm if self.passed else CheckFailForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            stage=self.stage,
            passed=self.passed,
            record=checks_of(self.application).get(self.stage),
            **kwargs,
        )

    def call_service(self, form):
        data = form.cleaned_data
        return stage_check_record(
            application=self.application,
            stage=self.stage,
            passed=self.passed,
            by=self.request.user,
            evidence=data["evidence"],
            reason=data.get("reason", ""),
            evidence_file=data["evidence_file"] or None,
        )

    def success_text(self, saved):
        if self.passed:
            return _("已记录“%(name)s”%(stage)s通过。") % {
                "name": self.application.name,
                "stage": self.stage.label,
            }
        return _("已记录“%(name)s”%(stage)s不通过，该申报评审终止（评审淘汰）。") % {
            "name": self.application.name,
            "stage": self.stage.label,
        }

    def success_url_for(self, saved):
        return reverse("review:application", args=[self.application.pk])


class CheckEvidenceView(ApplicationMixin, View):
    """The evidence file of a check; read by whoever reads the review. Audited."""

    def get(self, request, *args, **kwargs):
        check = checks_of(self.application).get(kwargs["stage"])
        if check is None or not check.evidence_file:
            raise Http404
        content_type = mimetypes.guess_type(check.evidence_name)[0] or "application/octet-stream"
        response = stored_file_response(
            check.evidence_file, filename=check.evidence_name, content_type=content_type
        )
        download_record(
            by=request.user,
            obj=self.application,
            action="review.evidence_download",
            what={"stage": check.stage, "sha256": check.evidence_sha256},
        )
        return response


class TransitionConfirmView(ApplicationMixin, TemplateView):
    """A confirmation page for 开始评审 or 完成评审, listing what stands in the way."""

    template_name = "review/agency_transition_confirm.html"
    transition = ""
    service = None
    title = ""
    effects: tuple = ()
    done_message = ""

    def get(self, request, *args, **kwargs):
        if not self.may_write:
            raise Http404
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "blockers", fsm.why_not(self.application, self.transition, self.request.user)
        )
        return super().get_context_data(title=self.title, effects=self.effects, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.may_write:
            raise Http404
        try:
            self.service(application=self.application, by=request.user)
        except REFUSALS as refused:
            self.application = agency_application(request.user, self.application.pk)
            context = self.get_context_data(errors=refusal_messages(refused))
            return self.render_to_response(context, status=409)
        messages.success(request, str(self.done_message) % {"name": self.application.name})
        return redirect("review:application", pk=self.application.pk)


class ReviewStartView(TransitionConfirmView):
    transition = "start_review"
    service = staticmethod(review_start)
    title = gettext_lazy("开始专家评审")
    effects = (
        gettext_lazy("申报进入“专家评审”状态，评审组专家开始独立评分（第十四条第（四）项）。"),
        gettext_lazy("本届评审工作计划随第一件申报开始评审而冻结，不能再修改。"),
        gettext_lazy("申报主体和评审组专家将收到站内信通知。"),
    )
    done_message = gettext_lazy("“%(name)s”已进入专家评审。")


class ReviewCompleteView(TransitionConfirmView):
    transition = "complete_review"
    service = staticmethod(review_complete)
    title = gettext_lazy("完成专家评审")
    effects = (
        gettext_lazy("申报进入“评审完成”状态，评审结果列入情况报告（第八条第（三）项）。"),
        gettext_lazy("各环节评分已由组长签字锁定，此后的修改只能由组长以评分更正的方式进行。"),
        gettext_lazy("申报主体和质量强市办将收到站内信通知。"),
    )
    done_message = gettext_lazy("“%(name)s”的专家评审已完成。")


urlpatterns = [
    path("agency/", AgencyHomeView.as_view(), name="agency_applications"),
    path("experts/", ExpertListView.as_view(), name="expert_list"),
    path("experts/new/", ExpertCreateView.as_view(), name="expert_create"),
    path("experts/<int:pk>/edit/", ExpertUpdateView.as_view(), name="expert_update"),
    path("cycles/<int:cycle>/plan/", PlanView.as_view(), name="plan"),
    path("cycles/<int:cycle>/groups/", GroupListView.as_view(), name="group_list"),
    path("cycles/<int:cycle>/groups/new/", GroupCreateView.as_view(), name="group_create"),
    path("cycles/<int:cycle>/assign/", AssignView.as_view(), name="assign"),
    path("cycles/<int:cycle>/assign/auto/", AutoAssignView.as_view(), name="auto_assign"),
    path(
        "cycles/<int:cycle>/assign/auto/result/",
        AutoAssignResultView.as_view(),
        name="auto_assign_result",
    ),
    path(
        "cycles/<int:cycle>/assignments/<int:pk>/remove/",
        AssignmentRemoveView.as_view(),
        name="assignment_remove",
    ),
    path("cycles/<int:cycle>/exclusions/", ExclusionListView.as_view(), name="exclusion_list"),
    path("cycles/<int:cycle>/applications/", ReviewBoardView.as_view(), name="board"),
    path("applications/<int:pk>/", ApplicationReviewView.as_view(), name="application"),
    path(
        "applications/<int:pk>/checks/<slug:stage>/evidence/",
        CheckEvidenceView.as_view(),
        name="check_evidence",
    ),
    path(
        "applications/<int:pk>/checks/<slug:stage>/<slug:outcome>/",
        CheckRecordView.as_view(),
        name="check_record",
    ),
    path("applications/<int:pk>/start/", ReviewStartView.as_view(), name="start"),
    path("applications/<int:pk>/complete/", ReviewCompleteView.as_view(), name="complete"),
]
