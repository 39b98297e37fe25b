"""Celery tasks of the honours part: rendering certificates after 公布."""

from celery import shared_task

from decisions.models import Honour
from decisions.services.certificates import certificate_store


@shared_task(bind=True, max_retries=3, acks_late=True)
def render_certificate(self, honour_id: int):
    """Render and store one certificate; idempotent, so a retry or a second job is harmless."""
    honour = Honour.objects.filter(pk=honour_id).first()
    if honour is None:
        return False
    try:
        return bool(certificate_store(honour).certificate)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
