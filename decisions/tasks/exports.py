"""Celery task of the batch files: build one cycle's zip; delivered twice, it builds once."""

from celery import shared_task

from decisions.services.exports import export_build, resume_lost_exports


@shared_task(acks_late=True)
def build_cycle_export(export_id: int):
    """Build the batch file `export_id` if it is still queued (a row lock decides)."""
    return export_build(export_id)


@shared_task
def resume_lost_cycle_exports():
    """Beat sweep: queue again the batch files whose worker died mid-build."""
    return resume_lost_exports()
