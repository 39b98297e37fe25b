"""The agency's plan and groups (第八条第（一）项): the plan, groups, assignment by hand or
automatic, withdrawing an assignment, and the 回避 record."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from applications.enums import ApplicationState
from award.views.refusals import REFUSALS, refusal_messages, show_refusal
from review.forms.agency import AssignForm, AssignmentRemoveForm, GroupForm, PlanForm
from review.models import Assignment, Expert
from review.selectors.board import review_applications_for
from review.selectors.pool import (
    applications_needing_reassignment,
    exclusions_of,
    groups_of,
    groups_with_warnings,
    plan_rules_of,
    potential_conflicts,
    unassigned,
)
from review.services import (
    assignment_auto,
    assignment_create,
    assignment_remove,
    group_create,
    review_plan_save,
)
from review.services.plans import frozen_message
from review.views.common import CycleMixin, ServiceFormView

AUTO_SESSION_KEY = "review.auto_assign"


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


class GroupListView(CycleMixin, TemplateView):
    template_name = "review/agency_group_list.html"

    def get_context_data(self, **kwargs):
        plan = plan_rules_of(self.cycle)
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


class ExclusionListView(CycleMixin, ListView):
    template_name = "review/agency_exclusion_list.html"
    context_object_name = "exclusions"
    paginate_by = 100

    def get_queryset(self):
        return exclusions_of(self.cycle)
