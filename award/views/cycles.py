"""评选届次: the office creates and moves cycles through their phases; auditors read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from award import fsm
from award.enums import CyclePhase, Role
from award.forms.cycles import CycleAgencyForm, CycleForm, CycleTransitionForm
from award.permissions import OfficeMixin, StaffReaderMixin
from award.selectors.cycles import cycle_steps, cycles_for
from award.services import cycles as services
from award.views.refusals import apply_errors
from award.views.service_form import ServiceFormView

STALE = gettext_lazy("评选届次已被他人更新，请刷新页面后重试。")

# What each step sets going, shown on its confirmation page.
STEP_EFFECTS = {
    "announce": gettext_lazy(
        "发布申报通知后开放申报，单位和个人可在截止时间前提交申报材料（第十四条第（一）（二）项）。"
    ),
    "close": gettext_lazy(
        "截止申报后，申报单位和个人不能再提交或修改申报材料（第十四条第（二）项）。"
    ),
    "begin_preliminary": gettext_lazy(
        "各县区质量议事协调机构开始对辖区内的申报进行条件初审（第十四条第（三）项）。"
    ),
    "begin_recheck": gettext_lazy(
        "县区初审结束，质量强市办对县区推荐的申报进行复核（第十四条第（三）项）。"
    ),
    "begin_expert_review": gettext_lazy(
        "第三方机构组织专家进行舆情调查、资格审查、材料评审、现场评审和陈述答辩"
        "（第十四条第（四）项）；此后不能再更换第三方机构。"
    ),
    "begin_deliberation": gettext_lazy(
        "专家评审结束，质量强市办提出候选名单，提交质量强市工作领导小组审议（第十四条第（五）项）。"
    ),
    "begin_publicity": gettext_lazy(
        "发布公示公告后，拟获评名单向社会公示5个工作日（第十四条第（六）项）。"
    ),
    "publish": gettext_lazy(
        "发布公布公告后，经市政府审定的获评名单向社会公布（第十四条第（七）项）。"
    ),
    "archive": gettext_lazy("本届评选归档，全部记录只读保存。"),
}


def phase_progress(cycle) -> list[dict]:
    """All ten phases in order, each marked done, current or still ahead."""
    order = list(CyclePhase)
    reached = order.index(CyclePhase(cycle.phase))
    return [
        {
            "value": phase.value,
            "label": phase.label,
            "state": "done" if i < reached else "current" if i == reached else "",
        }
        for i, phase in enumerate(order)
    ]


class CycleMixin:
    """Fetches the cycle (and step) in the URL through the user's selector (404 otherwise).

    Comes after a RoleRequiredMixin, which has already turned other roles away.
    """

    def dispatch(self, request, *args, **kwargs):
        self.cycle = get_object_or_404(cycles_for(request.user), pk=kwargs["pk"])
        if "name" in kwargs and not fsm.is_step(self.cycle, kwargs["name"]):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class CycleListView(StaffReaderMixin, ListView):
    template_name = "award/cycle_list.html"
    context_object_name = "cycles"

    def get_queryset(self):
        return cycles_for(self.request.user).order_by("-number")


class CycleCreateView(OfficeMixin, ServiceFormView):
    template_name = "award/cycle_form.html"
    form_class = CycleForm
    success_message = gettext_lazy("已创建%(object)s。")

    def call_service(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        return services.cycle_create(
            by=self.request.user, submission_token=form.once_token, **fields
        )

    def success_url_for(self, saved):
        return reverse("award:cycle_detail", args=[saved.pk])


class CycleUpdateView(OfficeMixin, CycleMixin, FormView):
    template_name = "award/cycle_form.html"
    form_class = CycleForm

    def get(self, request, *args, **kwargs):
        if self.cycle.phase not in services.EDITABLE_PHASES:
            messages.info(
                request,
                _("评选届次已进入“%(phase)s”阶段，不能再修改基本信息。")
                % {"phase": self.cycle.get_phase_display()},
            )
            return redirect("award:cycle_detail", pk=self.cycle.pk)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.cycle}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cycle=self.cycle, **kwargs)

    def form_valid(self, form):
        fields = {
            name: form.cleaned_data[name]
            for name in form.Meta.fields
            if not form.fields[name].disabled
        }
        try:
            services.cycle_update(cycle=self.cycle, by=self.request.user, **fields)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        except ConcurrentTransition:
            form.add_error(None, STALE)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect("award:cycle_detail", pk=self.cycle.pk)


class CycleDetailView(StaffReaderMixin, CycleMixin, DetailView):
    template_name = "award/cycle_detail.html"
    context_object_name = "cycle"

    def get_object(self, queryset=None):
        return self.cycle

    def get_context_data(self, **kwargs):
        user = self.request.user
        is_office = user.has_role(Role.OFFICE)
        context = super().get_context_data(**kwargs)
        context.update(
            phases=phase_progress(self.cycle),
            steps=cycle_steps(self.cycle, user),
            notices=self.cycle.notices.order_by("-created_at"),
            is_office=is_office,
            editable=is_office and self.cycle.phase in services.EDITABLE_PHASES,
            agency_form=kwargs.get("agency_form")
            or (
                CycleAgencyForm(initial={"agency": self.cycle.agency})
                if is_office and self.cycle.phase in services.AGENCY_PHASES
                else None
            ),
        )
        return context


class CycleEngageAgencyView(OfficeMixin, CycleDetailView):
    """POST only: engage the third-party agency from the cycle page (第七条第（二）项)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.cycle
        form = CycleAgencyForm(request.POST)
        if form.is_valid():
            try:
                services.cycle_engage_agency(
                    cycle=self.cycle, agency=form.cleaned_data["agency"], by=request.user
                )
            except ValidationError as error:
                apply_errors(form, error)
            except ConcurrentTransition:
                form.add_error(None, STALE)
            else:
                messages.success(
                    request,
                    _("已确定%(agency)s承担本届评审工作。")
                    % {"agency": form.cleaned_data["agency"]},
                )
                return redirect("award:cycle_detail", pk=self.cycle.pk)
        context = self.get_context_data(agency_form=form)
        return self.render_to_response(context, status=400)


class CycleTransitionView(StaffReaderMixin, CycleMixin, FormView):
    """GET: what the step will do and what blocks it. POST: take the step (office only)."""

    template_name = "award/cycle_transition_confirm.html"
    form_class = CycleTransitionForm

    def get_context_data(self, **kwargs):
        name = self.kwargs["name"]
        user = self.request.user
        step = next((s for s in cycle_steps(self.cycle, user) if s.name == name), None)
        label = fsm.step_label(self.cycle, name)
        if "blockers" not in kwargs:
            kwargs["blockers"] = services.cycle_transition_blockers(self.cycle, name)
        return super().get_context_data(
            cycle=self.cycle,
            step=step,
            label=label,
            effect=STEP_EFFECTS.get(name, ""),
            is_office=user.has_role(Role.OFFICE),
            **kwargs,
        )

    def form_valid(self, form):
        name = self.kwargs["name"]
        try:
            services.cycle_transition(
                cycle=self.cycle,
                name=name,
                by=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied as denied:
            form.add_error(None, str(denied) or _("您没有权限执行这一步。"))
            return self.render_to_response(self.get_context_data(form=form), status=403)
        except ValidationError as refused:
            return self.render_to_response(
                self.get_context_data(form=form, blockers=list(refused.messages)), status=409
            )
        except (TransitionNotAllowed, ConcurrentTransition):
            form.add_error(None, STALE)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        self.cycle.refresh_from_db()
        messages.success(
            self.request,
            _("%(cycle)s已进入“%(phase)s”阶段。")
            % {"cycle": self.cycle, "phase": self.cycle.get_phase_display()},
        )
        return redirect("award:cycle_detail", pk=self.cycle.pk)


def _url(suffix, view, name):
    return path(f"office/cycles/{suffix}", view.as_view(), name=name)


urlpatterns = [
    _url("", CycleListView, "cycle_list"),
    _url("new/", CycleCreateView, "cycle_create"),
    _url("<int:pk>/", CycleDetailView, "cycle_detail"),
    _url("<int:pk>/edit/", CycleUpdateView, "cycle_update"),
    _url("<int:pk>/agency/", CycleEngageAgencyView, "cycle_engage_agency"),
    _url("<int:pk>/steps/<str:name>/", CycleTransitionView, "cycle_transition"),
]
