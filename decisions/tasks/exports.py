"""Celery task of the batch files: build one cycle's zip; delivered twice, it builds once."""

from celery import shared_task

from decisions.services.exports import export_build


@shared_task(acks_late=True)
def build_cycle_export(export_id: int):
    """Build the batch file `export_id` if it is still queued (a row lock decides)."""
    return export_build(export_id)
