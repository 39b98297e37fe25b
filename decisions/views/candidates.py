"""Pages of the decisions floor: the candidate list (候选名单, 第十四条第（五）项).

The office ranks and nominates, the auditor reads; the leading group reads the list once it
was sent. Anyone else, and an unknown cycle, gets 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from award.enums import Role
from award.pdf import pdf_download, render_pdf
from award.permissions import STAFF_READERS, RoleRequiredMixin
from award.services.audit import download_record
from award.uploads import clean_filename
from award.views.refusals import REFUSALS, refusal_messages, refusal_status, show_refusal
from decisions.forms.candidates import MinimumScoreForm, NominateForm
from decisions.selectors.candidates import (
    candidate_list_of,
    candidate_page,
    deliberation_cycles,
    reviewed_waiting,
)
from decisions.selectors.charts import candidate_charts
from decisions.services.candidates import (
    candidate_list_send,
    candidate_minimum_save,
    candidates_nominate,
)

RESULTS_SESSION_KEY = "decisions.nominate_results"


class CycleMixin(RoleRequiredMixin):
    """A page about one cycle's candidate list; `self.cycle` from the URL (404 if unknown or
    before 拟获评). Only the office may POST."""

    roles = STAFF_READERS
    office_only = False  # a form page: the auditor reads the results, not the forms

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.office_only and not request.user.has_role(Role.OFFICE):
            raise Http404
        self.cycle = (
            deliberation_cycles().select_related("rulebook").filter(pk=kwargs["cycle"]).first()
        )
        if self.cycle is None:
            raise Http404
        self.check_access()
        return super().dispatch(request, *args, **kwargs)

    def check_access(self) -> None:
        """A subclass's further condition on the cycle (raise Http404)."""

    @property
    def is_office(self) -> bool:
        return self.request.user.has_role(Role.OFFICE)

    def post(self, request, *args, **kwargs):
        if not self.is_office:
            raise Http404
        return self.handle_post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs["cycle"] = self.cycle
        kwargs.setdefault("is_office", self.is_office)
        return super().get_context_data(**kwargs)


class CandidateIndexView(RoleRequiredMixin, TemplateView):
    """The cycles from 拟获评 on, each with its candidate list and deliberation."""

    roles = STAFF_READERS
    template_name = "decisions/candidates/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(cycles=list(deliberation_cycles()), **kwargs)


class CandidateCycleView(CycleMixin, TemplateView):
    """Reviewed applications per kind ranked by final score (below the minimum marked, none
    last as 无评分), the nominated candidates, and the office's actions."""

    template_name = "decisions/candidates/cycle.html"

    def get_context_data(self, **kwargs):
        page = candidate_page(self.cycle)
        candidate_list = page["candidate_list"]
        form = kwargs.pop("form", None) or NominateForm(queryset=reviewed_waiting(self.cycle))
        sent = candidate_list is not None and candidate_list.sent_at is not None
        return super().get_context_data(
            **page,
            form=form,
            ticked={int(v) for v in form.data.getlist("applications") if str(v).isdigit()}
            if form.is_bound
            else set(),
            sent=sent,
            nominating=self.is_office and not sent,
            results=self.request.session.pop(RESULTS_SESSION_KEY, None),
            **kwargs,
        )

    def handle_post(self, request, *args, **kwargs):
        """Nominate the ticked rows (or the one row's button), each in its own transaction."""
        form = NominateForm(request.POST, queryset=reviewed_waiting(self.cycle))
        if form.is_valid():
            try:
                results = candidates_nominate(applications=form.chosen_in_order(), by=request.user)
            except REFUSALS as refused:
                show_refusal(form, refused)
            else:
                done = [r for r in results if r.ok]
                if done:
                    messages.success(
                        request,
                        _("已将%(count)s件申报列入候选名单。") % {"count": len(done)},
                    )
                refused = [
                    {"name": r.application.name, "message": r.message} for r in results if not r.ok
                ]
                if refused:
                    request.session[RESULTS_SESSION_KEY] = refused
                return redirect("decisions:candidates_cycle", self.cycle.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class MinimumScoreView(CycleMixin, TemplateView):
    office_only = True
    template_name = "decisions/candidates/minimum.html"

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            candidate_list = candidate_list_of(self.cycle)
            kwargs["form"] = MinimumScoreForm(
                initial={
                    "min_score_unit": candidate_list and candidate_list.min_score_unit,
                    "min_score_individual": candidate_list and candidate_list.min_score_individual,
                }
            )
        return super().get_context_data(**kwargs)

    def handle_post(self, request, *args, **kwargs):
        form = MinimumScoreForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                candidate_minimum_save(cycle=self.cycle, by=request.user, **form.cleaned_data)
            except REFUSALS as refused:
                show_refusal(form, refused)
                status = refusal_status(refused)
            else:
                messages.success(request, _("已保存列入候选名单的最低分。"))
                return redirect("decisions:candidates_cycle", self.cycle.pk)
        return self.render_to_response(self.get_context_data(form=form), status=status)


class SendView(CycleMixin, TemplateView):
    """Confirmation, then the list goes to the leading group (frozen from then on)."""

    office_only = True
    template_name = "decisions/candidates/send.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**candidate_page(self.cycle), **kwargs)

    def handle_post(self, request, *args, **kwargs):
        try:
            candidate_list_send(cycle=self.cycle, by=request.user)
        except REFUSALS as refused:
            return self.render_to_response(
                self.get_context_data(errors=refusal_messages(refused)),
                status=refusal_status(refused),
            )
        messages.success(request, _("候选名单已提交领导小组审议，已通知领导小组成员。"))
        return redirect("decisions:candidates_cycle", self.cycle.pk)


class ListReaderMixin(CycleMixin):
    """The list itself: the office and the auditor, and the leading group once it was sent."""

    roles = (*STAFF_READERS, Role.LEADER)

    def check_access(self) -> None:
        self.candidate_list = candidate_list_of(self.cycle)
        if not self.request.user.has_role(*STAFF_READERS) and (
            self.candidate_list is None or self.candidate_list.sent_at is None
        ):
            raise Http404


def with_charts(page: dict) -> dict:
    """candidate_page() with a chart of the candidates' scores per kind (item 3 of issue 12)."""
    return {**page, "charts": candidate_charts(page["sections"], page["stages"])}


class CandidateListView(ListReaderMixin, TemplateView):
    template_name = "decisions/candidates/list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**with_charts(candidate_page(self.cycle)), **kwargs)


def pdf_filename(cycle, title) -> str:
    return clean_filename(f"{title}_{cycle}.pdf")


class CandidateListPdfView(ListReaderMixin, View):
    def get(self, request, *args, **kwargs):
        download_record(
            by=self.request.user,
            obj=self.cycle,
            action="decisions.candidate_list_export",
            what={"format": "pdf"},
        )
        body = render_pdf(
            "pdf/decisions/candidate_list.html",
            {
                "cycle": self.cycle,
                "generated_at": timezone.localtime(),
                **with_charts(candidate_page(self.cycle)),
            },
        )
        return pdf_download(body, pdf_filename(self.cycle, _("市长质量奖候选名单")))


urlpatterns = [
    path("candidates/", CandidateIndexView.as_view(), name="candidates_index"),
    path("candidates/<int:cycle>/", CandidateCycleView.as_view(), name="candidates_cycle"),
    path("candidates/<int:cycle>/minimum/", MinimumScoreView.as_view(), name="candidates_minimum"),
    path("candidates/<int:cycle>/send/", SendView.as_view(), name="candidates_send"),
    path("candidates/<int:cycle>/list/", CandidateListView.as_view(), name="candidates_list"),
    path(
        "candidates/<int:cycle>/list.pdf",
        CandidateListPdfView.as_view(),
        name="candidates_list_pdf",
    ),
]
public_urlpatterns = []
