"""Rendering PDFs from templates/pdf/ with WeasyPrint and Debian's Noto CJK fonts."""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render an HTML template to PDF bytes; static files resolve from the portal itself."""
    from weasyprint import HTML  # imported late: it loads pango, which pages never need

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
