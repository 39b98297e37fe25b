"""Pages of the decisions floor: feedback reports (反馈报告), page and PDF; the office's list."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from award.models import Cycle
from award.pdf import pdf_download
from award.permissions import StaffReaderMixin
from award.services.audit import download_record
from award.uploads import clean_filename
from decisions.selectors.feedback import cycle_reports, feedback_report_for
from decisions.services.feedback import feedback_pdf


class ReportMixin:
    """The report of the application in the URL, if the user may read it; 404 otherwise."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        self.report = feedback_report_for(request.user, kwargs["application"])
        if self.report is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class FeedbackDetailView(ReportMixin, TemplateView):
    template_name = "decisions/feedback/detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.report, content=self.report.content, **kwargs)


class FeedbackPdfView(ReportMixin, View):
    def get(self, request, *args, **kwargs):
        data = feedback_pdf(self.report)
        download_record(
            by=request.user,
            obj=self.report.application,
            action="decisions.feedback_download",
            what={"format": "pdf", "report": self.report.pk},
        )
        return pdf_download(
            data,
            clean_filename(_("评审反馈报告_%(name)s.pdf") % {"name": self.report.application.name}),
        )


class CycleFeedbackView(StaffReaderMixin, TemplateView):
    """The office's and the auditor's list of a cycle's reports."""

    template_name = "decisions/feedback/cycle.html"

    def get_context_data(self, **kwargs):
        cycle = get_object_or_404(Cycle, pk=self.kwargs["cycle"])
        kwargs.update(cycle=cycle, reports=cycle_reports(cycle))
        return super().get_context_data(**kwargs)


urlpatterns = [
    path(
        "feedback/application/<int:application>/",
        FeedbackDetailView.as_view(),
        name="feedback_detail",
    ),
    path(
        "feedback/application/<int:application>/pdf/",
        FeedbackPdfView.as_view(),
        name="feedback_pdf",
    ),
    path("feedback/cycle/<int:cycle>/", CycleFeedbackView.as_view(), name="feedback_cycle"),
]
public_urlpatterns = []
