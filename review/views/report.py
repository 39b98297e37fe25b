"""情况报告 (第八条第（三）项): the cycle's and one application's review, as page, Excel, PDF."""

import tempfile

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from award.services.audit import download_record
from award.uploads import clean_filename
from review.enums import CHECK_STAGES, SCORED_STAGES, Stage
from review.reports import report_pdf, write_report_xlsx
from review.selectors.pool import plan_of
from review.selectors.report import application_review_report, expert_stage_totals, review_report
from review.views.application import ApplicationMixin
from review.views.common import CycleMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(cycle, extension) -> str:
    return clean_filename(
        _("市长质量奖专家评审情况报告_第%(number)s届.%(ext)s")
        % {"number": cycle.number_label, "ext": extension}
    )


class CycleReportView(CycleMixin, TemplateView):
    """The ranked list with stage scores, final scores and flags; 404 to anyone but the
    cycle's agency, the office and the auditor."""

    template_name = "review/report_cycle.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=review_report(self.cycle),
            plan=plan_of(self.cycle),
            stages=[Stage(stage).label for stage in SCORED_STAGES],
            check_stages=[Stage(stage).label for stage in CHECK_STAGES],
            **kwargs,
        )


class CycleReportXlsxView(CycleMixin, View):
    """One row per application, streamed through a spooled temporary file."""

    def get(self, request, *args, **kwargs):
        download_record(
            by=request.user, obj=self.cycle, action="review.report_export", what={"format": "xlsx"}
        )
        # FileResponse closes the buffer once the download is sent.
        buffer = tempfile.SpooledTemporaryFile(max_size=1_000_000)  # noqa: SIM115
        write_report_xlsx(self.cycle, buffer)
        buffer.seek(0)
        response = FileResponse(
            buffer, as_attachment=True, filename=_filename(self.cycle, "xlsx"), content_type=XLSX
        )
        response["Cache-Control"] = "private, no-store"
        return response


class CycleReportPdfView(CycleMixin, View):
    def get(self, request, *args, **kwargs):
        download_record(
            by=request.user, obj=self.cycle, action="review.report_export", what={"format": "pdf"}
        )
        response = HttpResponse(report_pdf(self.cycle), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            True, _filename(self.cycle, "pdf")
        )
        response["Cache-Control"] = "private, no-store"
        return response


class ApplicationReportView(ApplicationMixin, TemplateView):
    """One application: checks, stage scores, each expert's totals once the stage is signed,
    the consensus items, final score and flags."""

    template_name = "review/report_application.html"

    def get_context_data(self, **kwargs):
        report = review_report(self.cycle)
        row = next((r for r in report["applications"] if r["id"] == self.application.pk), None)
        detail = application_review_report(self.application)
        labels = [str(Stage(stage).label) for stage in SCORED_STAGES]
        return super().get_context_data(
            row=row,
            detail=detail,
            stage_details=[
                (label, detail["stages"][label]) for label in labels if label in detail["stages"]
            ],
            expert_totals=expert_stage_totals(self.application),
            plan=report["plan"],
            **kwargs,
        )
