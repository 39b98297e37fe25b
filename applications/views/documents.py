"""Downloading an application's files and its 申报表 PDF, after a permission check (§5, §8)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View

from applications.models import ApplicationDocument, ApplicationSnapshot
from applications.selectors_pages import document_for, snapshot_for
from award.services.audit import download_record
from award.uploads import stored_file_response


class DocumentDownloadView(LoginRequiredMixin, View):
    """Owner, the application's county, office and auditor; any other account gets 404.

    Every download is an audit entry: these files are confidential (DESIGN.md §9).
    """

    def get(self, request, pk):
        try:
            document = document_for(request.user, pk)
        except ApplicationDocument.DoesNotExist:
            raise Http404 from None
        response = stored_file_response(
            document.file, filename=document.original_name, content_type=document.content_type
        )
        download_record(
            by=request.user,
            obj=document.application,
            action="application.document_download",
            what={
                "document": document.pk,
                "kind": document.kind,
                "title": document.title,
                "sha256": document.sha256,
            },
        )
        return response


class SnapshotPdfView(LoginRequiredMixin, View):
    """The 申报表 PDF rendered from one round's frozen submission."""

    def get(self, request, pk, round_number):
        try:
            snapshot = snapshot_for(request.user, pk, round_number)
        except ApplicationSnapshot.DoesNotExist:
            raise Http404 from None
        if not snapshot.pdf:
            raise Http404
        response = stored_file_response(
            snapshot.pdf,
            filename=_("申报表_%(name)s_第%(round)s轮.pdf")
            % {"name": snapshot.application.name, "round": snapshot.round},
            content_type="application/pdf",
        )
        download_record(
            by=request.user,
            obj=snapshot.application,
            action="application.form_pdf_download",
            what={"round": snapshot.round, "sha256": snapshot.pdf_sha256},
        )
        return response


urlpatterns = [
    path("documents/<int:pk>/", DocumentDownloadView.as_view(), name="document_download"),
    path(
        "<int:pk>/rounds/<int:round_number>/form.pdf",
        SnapshotPdfView.as_view(),
        name="snapshot_pdf",
    ),
]
