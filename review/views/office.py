"""The office's review pages: 评审情况 per cycle, 取消评审资格 (第二十二条), criteria sets."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from award.enums import Role
from award.permissions import STAFF_READERS, OfficeMixin, RoleRequiredMixin
from award.views.refusals import REFUSALS, show_refusal
from review.enums import CHECK_STAGES, SCORED_STAGES, Stage
from review.forms.agency import CriteriaCopyForm, CriterionForm, DisqualifyForm
from review.models import Assignment, CriteriaSet, Criterion
from review.permissions import can_disqualify
from review.selectors.pool import criteria_rows, criteria_sets, experts_for, plan_of, review_cycles
from review.selectors.report import review_report
from review.services import criteria_set_copy, criterion_update, expert_disqualify
from review.services.criteria import criteria_set_in_use
from review.views.common import CycleMixin, ServiceFormView

# 评审情况


class OverviewIndexView(RoleRequiredMixin, ListView):
    """Every cycle with its engaged agency; each links to its 评审情况."""

    roles = STAFF_READERS
    template_name = "review/office_overview_index.html"
    context_object_name = "cycles"

    def get_queryset(self):
        return review_cycles(self.request.user)


class OverviewView(CycleMixin, TemplateView):
    """The agency's review of a cycle as the office follows it: plan, progress, ranking,
    applications needing reassignment, disqualified experts (第八条第（三）项)."""

    roles = STAFF_READERS
    template_name = "review/office_overview.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=review_report(self.cycle),
            plan=plan_of(self.cycle),
            stages=[Stage(stage).label for stage in SCORED_STAGES],
            check_stages=[Stage(stage).label for stage in CHECK_STAGES],
            **kwargs,
        )


# 取消评审资格 (第二十二条)


class ExpertDisqualifyView(RoleRequiredMixin, TemplateView):
    """A confirmation page with the reason; the office over any expert, an agency over its own."""

    roles = (Role.OFFICE, Role.AGENCY)
    template_name = "review/office_expert_disqualify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.expert = get_object_or_404(experts_for(request.user), pk=kwargs["pk"])
            if not can_disqualify(self.expert, request.user):
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        assignments = (
            Assignment.objects.active()
            .filter(group__memberships__expert=self.expert)
            .select_related("application", "group")
            .order_by("application__name", "pk")
        )
        kwargs.setdefault("form", DisqualifyForm())
        return super().get_context_data(expert=self.expert, assignments=assignments, **kwargs)

    def post(self, request, *args, **kwargs):
        form = DisqualifyForm(request.POST)
        if form.is_valid():
            try:
                expert_disqualify(
                    expert=self.expert, by=request.user, reason=form.cleaned_data["reason"]
                )
            except REFUSALS as refused:
                show_refusal(form, refused)
            else:
                messages.success(
                    request,
                    _("已取消%(name)s的评审资格（第二十二条），其参与的申报已标记需重新核查分配。")
                    % {"name": self.expert.name},
                )
                return redirect("review:expert_list")
        return self.render_to_response(self.get_context_data(form=form), status=400)


# 评分标准 (第七条)


# The agency scores by these sets (第八条): it reads them; only the office changes them (第七条).
CRITERIA_READERS = (*STAFF_READERS, Role.AGENCY)


class CriteriaSetListView(RoleRequiredMixin, ListView):
    roles = CRITERIA_READERS
    template_name = "review/office_criteria_list.html"
    context_object_name = "criteria_sets"

    def get_queryset(self):
        return criteria_sets()

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_office=self.request.user.has_role(Role.OFFICE), **kwargs)


class CriteriaSetDetailView(RoleRequiredMixin, TemplateView):
    """A set's rows with totals; a copy not yet used by a started review is edited here."""

    roles = CRITERIA_READERS
    template_name = "review/office_criteria_detail.html"

    @cached_property
    def criteria_set(self):
        return get_object_or_404(CriteriaSet, pk=self.kwargs["pk"])

    def editable(self) -> bool:
        return (
            self.request.user.has_role(Role.OFFICE)
            and not self.criteria_set.is_default
            and not criteria_set_in_use(self.criteria_set)
        )

    def get_context_data(self, **kwargs):
        rows = criteria_rows(self.criteria_set)
        bound = kwargs.pop("bound", None)
        editable = self.editable()
        for row in rows:
            row.form = None
            if editable and not row.children_count:
                if bound is not None and bound[0] == row.pk:
                    row.form = bound[1]
                else:
                    row.form = CriterionForm(
                        initial={"name": row.name, "points": row.points}, prefix=f"c{row.pk}"
                    )
        refusals = []
        if bound is not None and not editable:
            refusals = [str(e) for errors in bound[1].errors.values() for e in errors]
        items = [row for row in rows if not row.children_count]
        return super().get_context_data(
            criteria_set=self.criteria_set,
            rows=rows,
            total=sum(row.points for row in items),
            item_count=len(items),
            mismatched=[
                row for row in rows if row.children_count and row.children_total != row.points
            ],
            editable=editable,
            refusals=refusals,
            in_use=not self.criteria_set.is_default and criteria_set_in_use(self.criteria_set),
            is_office=self.request.user.has_role(Role.OFFICE),
            copy_form=kwargs.pop("copy_form", None)
            or CriteriaCopyForm(
                initial={"name": _("%(name)s（副本）") % {"name": self.criteria_set.name}}
            ),
            **kwargs,
        )


class CriteriaSetCopyView(OfficeMixin, ServiceFormView):
    template_name = "review/office_criteria_detail.html"
    form_class = CriteriaCopyForm
    http_method_names = ["post"]
    success_message = gettext_lazy("已复制为“%(object)s”，可以修改副本的评分项。")

    @cached_property
    def criteria_set(self):
        return get_object_or_404(CriteriaSet, pk=self.kwargs["pk"])

    def call_service(self, form):
        return criteria_set_copy(
            source=self.criteria_set, by=self.request.user, name=form.cleaned_data["name"]
        )

    def success_url_for(self, saved):
        return reverse("review:criteria_detail", args=[saved.pk])

    def form_invalid(self, form):
        detail = CriteriaSetDetailView(request=self.request, kwargs={"pk": self.criteria_set.pk})
        return detail.render_to_response(detail.get_context_data(copy_form=form), status=400)


class CriterionUpdateView(OfficeMixin, TemplateView):
    """POST one row of a copied set (name, points); errors shown on the set's page."""

    http_method_names = ["post"]

    def post(self, request, pk):
        criterion = get_object_or_404(Criterion.objects.select_related("criteria_set"), pk=pk)
        form = CriterionForm(request.POST, prefix=f"c{criterion.pk}")
        if form.is_valid():
            try:
                criterion_update(criterion=criterion, by=request.user, **form.cleaned_data)
            except REFUSALS as refused:
                show_refusal(form, refused)
            else:
                messages.success(request, _("已保存评分项“%(code)s”。") % {"code": criterion.code})
                return redirect("review:criteria_detail", pk=criterion.criteria_set_id)
        detail = CriteriaSetDetailView(request=request, kwargs={"pk": criterion.criteria_set_id})
        return detail.render_to_response(
            detail.get_context_data(bound=(criterion.pk, form)), status=400
        )
