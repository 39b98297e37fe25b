"""Celery tasks of the applications floor: they take ids and call a service."""

from celery import shared_task

from applications.services.pdf import requeue_unrendered_pdfs, snapshot_render_pdf


@shared_task(bind=True, max_retries=3, acks_late=True)
def render_application_pdf(self, snapshot_id: int):
    """Render the 申报表 PDF of one submission; a retry after a failure is harmless."""
    try:
        return snapshot_render_pdf(snapshot_id=snapshot_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task
def resend_unrendered_application_pdfs():
    """Beat sweep: queue again the 申报表 PDFs whose render job was lost."""
    return requeue_unrendered_pdfs()
