"""Rendering PDFs from templates/pdf/ with WeasyPrint and Debian's Noto CJK fonts."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render an HTML template to PDF bytes; static files resolve from the portal itself."""
    from weasyprint import HTML  # imported late: it loads pango, which pages never need

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_download(data: bytes, filename: str) -> HttpResponse:
    """A PDF offered as a download under `filename`, never stored by a shared cache."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
