"""Rendering a submission's 申报表 PDF from its frozen snapshot (DESIGN.md §8)."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from applications.declarations import expected_signer_label
from applications.enums import DocumentKind
from applications.form_data import FIGURES, KEY_FIGURES, TEXT_SECTIONS
from applications.models import ApplicationSnapshot
from applications.validators import mask_id_number
from award.enums import ApplicantKind
from award.pdf import render_pdf

TEMPLATE = "pdf/application.html"


def snapshot_pdf_context(snapshot: ApplicationSnapshot) -> dict:
    """What templates/pdf/application.html shows; the ID number appears masked (domain.md §4)."""
    application = snapshot.application
    profile = dict(snapshot.profile_data)
    if profile.get("id_number"):
        profile["id_number"] = mask_id_number(profile["id_number"])
    data = snapshot.form_data or {}
    figures = data.get(KEY_FIGURES) or {}
    years = sorted(figures)
    kind_labels = dict(DocumentKind.choices)
    return {
        "snapshot": snapshot,
        "application": application,
        "cycle": application.cycle,
        "is_unit": application.kind == ApplicantKind.UNIT,
        "kind_label": ApplicantKind(application.kind).label,
        "profile": profile,
        "figure_years": years,
        "figure_rows": [
            (label, [figures[year].get(key, "") for year in years]) for key, label in FIGURES
        ],
        "texts": [
            (label, data.get(key, "")) for key, label, _required in TEXT_SECTIONS[application.kind]
        ],
        "documents": [
            {**document, "kind_label": kind_labels.get(document["kind"], document["kind"])}
            for document in snapshot.documents
        ],
        "declarations": snapshot.declarations,
        "declaration_items": snapshot.declarations.get("items", []),
        "signer_label": expected_signer_label(application.kind),
    }


def snapshot_render_pdf(*, snapshot_id: int) -> bool:
    """Render and store the snapshot's PDF once. Safe to run twice: returns False if done."""
    snapshot = ApplicationSnapshot.objects.select_related(
        "application__cycle", "application__county"
    ).get(pk=snapshot_id)
    if snapshot.pdf:
        return False
    data = render_pdf(TEMPLATE, snapshot_pdf_context(snapshot))
    with transaction.atomic():
        locked = ApplicationSnapshot.objects.select_for_update().get(pk=snapshot_id)
        if locked.pdf:
            return False
        locked.pdf.save(
            f"{snapshot.application_id}-{snapshot.round}.pdf", ContentFile(data), save=False
        )
        locked.pdf_sha256 = hashlib.sha256(data).hexdigest()
        locked.pdf_rendered_at = timezone.now()
        locked.save(update_fields=["pdf", "pdf_sha256", "pdf_rendered_at"])
    return True
