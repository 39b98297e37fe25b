"""A submission's 申报表 PDF from its frozen snapshot (DESIGN.md §8): queueing it after commit,
rendering it once in Celery, the sweep that queues lost jobs again, and giving up, with the
office told, when a snapshot never renders. The certificate and notice PDFs follow this shape."""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.declarations import expected_signer_label
from applications.enums import DocumentKind
from applications.form_data import FIGURES, KEY_FIGURES, TEXT_SECTIONS
from applications.models import ApplicationSnapshot
from applications.services.common import office_staff
from applications.validators import mask_id_number
from award.enums import ApplicantKind
from award.pdf import render_pdf
from award.services.audit import audit_record
from award.services.notifications import notify

logger = logging.getLogger(__name__)

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


def queue_application_pdf(snapshot_id: int) -> bool:
    """Hand the 申报表 PDF to Celery and count the attempt; if the broker is down, nothing is
    counted and the PDF sweep queues it later."""
    from applications.tasks import render_application_pdf

    try:
        render_application_pdf.delay(snapshot_id)
    except Exception:  # broker unreachable: the PDF can be rendered again from the snapshot
        logger.warning("could not queue the application PDF of snapshot %s", snapshot_id)
        return False
    ApplicationSnapshot.objects.filter(pk=snapshot_id).update(
        pdf_queued_at=timezone.now(), pdf_attempts=F("pdf_attempts") + 1
    )
    return True


def requeue_unrendered_pdfs() -> int:
    """Queue again the 申报表 PDFs still missing APPLICATION_PDF_RESEND_AFTER_SECONDS after
    they were last queued (or submitted, if never queued), at most
    APPLICATION_PDF_SWEEP_LIMIT, longest waiting first.

    Rendering is idempotent, so a snapshot queued twice gets one PDF. A snapshot queued
    APPLICATION_PDF_MAX_ATTEMPTS times and still without a PDF does not render (a bad
    template, unreadable data): it is not queued again and the office is told once, see
    snapshot_pdf_give_up. Stops at the first failure to queue: the broker is down and the
    next sweep tries again. Returns how many were queued.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.APPLICATION_PDF_RESEND_AFTER_SECONDS)
    due = (
        ApplicationSnapshot.objects.filter(pdf="", pdf_failed_at__isnull=True)
        .alias(last_tried_at=Coalesce("pdf_queued_at", "created_at"))
        .filter(last_tried_at__lte=cutoff)
        .order_by("last_tried_at", "pk")
        .values_list("pk", "pdf_attempts")[: settings.APPLICATION_PDF_SWEEP_LIMIT]
    )
    queued = 0
    for snapshot_id, attempts in list(due):
        if attempts >= settings.APPLICATION_PDF_MAX_ATTEMPTS:
            snapshot_pdf_give_up(snapshot_id=snapshot_id)
            continue
        if not queue_application_pdf(snapshot_id):
            break
        queued += 1
    return queued


def snapshot_pdf_give_up(*, snapshot_id: int) -> bool:
    """Stop trying to render a snapshot's 申报表 PDF and tell the office, once.

    The submission stays valid: the snapshot is the record of what was submitted
    (第十四条第（二）项), the PDF only a rendering of it. Effects: pdf_failed_at is set, so
    the sweep skips the snapshot from now on; an audit entry by the system; 站内信 to the
    office staff asking for a technician. Returns False, doing nothing, if the PDF exists
    or the office was already told.
    """
    with transaction.atomic():
        snapshot = (
            ApplicationSnapshot.objects.select_for_update(of=("self",))
            .select_related("application__cycle", "application__county")
            .filter(pk=snapshot_id, pdf="", pdf_failed_at__isnull=True)
            .first()
        )
        if snapshot is None:
            return False
        snapshot.pdf_failed_at = timezone.now()
        snapshot.save(update_fields=["pdf_failed_at"])
        application = snapshot.application
        audit_record(
            actor=None,
            action="application.pdf_failed",
            obj=application,
            after={
                "snapshot": snapshot.pk,
                "round": snapshot.round,
                "pdf_attempts": snapshot.pdf_attempts,
            },
            reason=_("申报表PDF多次生成失败，已停止重试。"),
            article="第十四条第（二）项",
        )
        notify(
            recipients=office_staff(),
            template="application_pdf_failed",
            context={
                "application": application,
                "cycle": application.cycle,
                "county": application.county,
                "round": snapshot.round,
                "attempts": snapshot.pdf_attempts,
            },
            url=reverse("applications:office_detail", args=[application.pk]),
        )
    logger.error(
        "gave up rendering the application PDF of snapshot %s after %s attempts",
        snapshot_id,
        snapshot.pdf_attempts,
    )
    return True
