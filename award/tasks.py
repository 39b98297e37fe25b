"""Celery tasks of the ground floor: they take ids and call a service."""

from celery import shared_task

from award.services import notifications


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_message_email(self, message_id: int):
    try:
        return notifications.deliver_message_email(message_id)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            notifications.mark_email_failed(message_id, str(exc))
            return False
        raise self.retry(exc=exc, countdown=min(600, 10 * 2**self.request.retries)) from exc


@shared_task
def resend_pending_emails():
    return notifications.requeue_pending_emails()
