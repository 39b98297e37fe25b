"""Pages of the decisions floor: the cycle's batch files (全部证书, 届次档案) with progress.

The office starts a job (after confirming) and downloads the zip; the auditor sees the same
page read-only. The progress bar is polled with htmx (no inline script, strict CSP)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from award.models import Cycle
from award.permissions import OfficeMixin, StaffReaderMixin, is_office
from award.services.audit import download_record
from award.uploads import stored_file_response
from award.views.refusals import REFUSALS, refusal_messages
from decisions.enums import ExportKind, ExportState
from decisions.models import CycleExport
from decisions.selectors.exports import cycle_exports, export_cycles
from decisions.services.exports import export_request

ACTIVE = (ExportState.QUEUED, ExportState.RUNNING)


class ExportIndexView(StaffReaderMixin, TemplateView):
    template_name = "decisions/exports/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(cycles=export_cycles(), **kwargs)


class CycleExportsView(StaffReaderMixin, TemplateView):
    template_name = "decisions/exports/cycle.html"

    def get_context_data(self, **kwargs):
        cycle = get_object_or_404(Cycle, pk=self.kwargs["cycle"])
        kwargs.update(
            cycle=cycle, jobs=cycle_exports(cycle), may_start=is_office(self.request.user)
        )
        return super().get_context_data(**kwargs)


class ExportStartView(StaffReaderMixin, View):
    """POST only, the office only (the auditor gets 404)."""

    def post(self, request, *args, **kwargs):
        if not is_office(request.user) or kwargs["kind"] not in ExportKind.values:
            raise Http404
        cycle = get_object_or_404(Cycle, pk=kwargs["cycle"])
        try:
            export_request(cycle, kwargs["kind"], request.user)
        except REFUSALS as error:
            for message in refusal_messages(error):
                messages.error(request, message)
        else:
            messages.success(request, _("已开始生成，完成后可在本页下载。"))
        return redirect("decisions:exports_cycle", cycle.pk)


class ExportProgressView(StaffReaderMixin, TemplateView):
    """The job's card body, polled by htmx while it is queued or running."""

    template_name = "decisions/exports/job.html"

    def get_context_data(self, **kwargs):
        export = get_object_or_404(
            CycleExport.objects.select_related("cycle"), pk=self.kwargs["pk"]
        )
        kwargs.update(
            cycle=export.cycle,
            kind=export.kind,
            job=export,
            may_start=is_office(self.request.user),
        )
        return super().get_context_data(**kwargs)


class ExportDownloadView(OfficeMixin, View):
    """The office only: the archive holds unmasked 身份证号码 and objectors' identities, which
    the auditor's pages show masked (domain.md §4, §8)."""

    def get(self, request, *args, **kwargs):
        export = get_object_or_404(
            CycleExport.objects.select_related("cycle"), pk=kwargs["pk"], state=ExportState.DONE
        )
        if not export.file:
            raise Http404
        download_record(
            by=request.user,
            obj=export,
            action="decisions.export_download",
            what={"kind": export.kind, "sha256": export.sha256, "size": export.size},
        )
        name = _("%(cycle)s%(kind)s.zip") % {
            "cycle": export.cycle,
            "kind": export.get_kind_display(),
        }
        return stored_file_response(export.file, filename=name, content_type="application/zip")


urlpatterns = [
    path("exports/", ExportIndexView.as_view(), name="exports_index"),
    path("exports/cycle/<int:cycle>/", CycleExportsView.as_view(), name="exports_cycle"),
    path(
        "exports/cycle/<int:cycle>/<slug:kind>/start/",
        ExportStartView.as_view(),
        name="exports_start",
    ),
    path("exports/<int:pk>/progress/", ExportProgressView.as_view(), name="exports_progress"),
    path("exports/<int:pk>/download/", ExportDownloadView.as_view(), name="exports_download"),
]
public_urlpatterns = []
