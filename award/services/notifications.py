"""Notifying people: an in-site message now, and an email sent by Celery after commit."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from award.enums import EmailStatus
from award.models import Message

logger = logging.getLogger(__name__)


def notify(
    *, recipients, template: str, context: dict | None = None, url: str = ""
) -> list[Message]:
    """Store one message per recipient and queue their emails once the transaction commits.

    `template` names templates/emails/<template>_subject.txt, <template>.txt and <template>.html.
    """
    context = {"site_url": settings.SITE_URL, "url": url, **(context or {})}
    now = timezone.now()
    messages = []
    for recipient in {r.pk: r for r in recipients if r is not None and r.is_active}.values():
        ctx = {**context, "recipient": recipient}
        subject = " ".join(_render_text(f"emails/{template}_subject.txt", ctx).split())
        messages.append(
            Message(
                recipient=recipient,
                subject=subject[:200],
                body=_render_text(f"emails/{template}.txt", ctx).strip(),
                html_body=render_to_string(f"emails/{template}.html", ctx),
                url=url,
                email_status=EmailStatus.PENDING if recipient.email else EmailStatus.NONE,
                email_queued_at=now if recipient.email else None,
            )
        )
    Message.objects.bulk_create(messages)
    ids = [m.pk for m in messages if m.email_status == EmailStatus.PENDING]
    if ids:
        transaction.on_commit(lambda: queue_emails(ids), robust=True)
    return messages


def _render_text(name: str, context: dict) -> str:
    """Render a plain-text template unescaped: the subject and text part are not HTML, and
    the inbox page escapes them when it shows them."""
    return get_template(name).template.render(Context(context, autoescape=False))


def queue_emails(message_ids) -> None:
    """Hand emails to Celery; if the broker is down they stay pending for the next sweep."""
    from award.tasks import send_message_email

    for message_id in message_ids:
        try:
            send_message_email.delay(message_id)
        except Exception:  # the broker is unreachable: resend_pending_emails will retry
            logger.warning("could not queue email for message %s; left pending", message_id)
            return


def deliver_message_email(message_id: int) -> bool:
    """Send one message's email at most once; safe to call twice. Returns True when sent now.

    A failure is recorded on the message (which stays pending) and then raised for a retry.
    """
    failure = None
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=message_id, email_status=EmailStatus.PENDING)
            .first()
        )
        if message is None:
            return False
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body + (f"\n\n{settings.SITE_URL}{message.url}" if message.url else ""),
            to=[message.recipient.email],
        )
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        message.email_attempts += 1
        try:
            email.send()
        except Exception as exc:
            # Recorded here and raised after the block, so the record is committed, not undone.
            failure = exc
            Message.objects.filter(pk=message.pk).update(
                email_attempts=message.email_attempts, email_error=str(exc)[:1000]
            )
        else:
            message.email_status = EmailStatus.SENT
            message.email_sent_at = timezone.now()
            message.email_error = ""
            message.save(
                update_fields=["email_status", "email_sent_at", "email_attempts", "email_error"]
            )
            return True
    raise failure


def mark_email_failed(message_id: int, error: str) -> None:
    Message.objects.filter(pk=message_id, email_status=EmailStatus.PENDING).update(
        email_status=EmailStatus.FAILED, email_error=error[:1000]
    )


def requeue_pending_emails() -> int:
    """Queue again the emails still pending after EMAIL_RESEND_AFTER_SECONDS (outbox sweep)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=settings.EMAIL_RESEND_AFTER_SECONDS)
    ids = list(
        Message.objects.filter(email_status=EmailStatus.PENDING, email_queued_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
    if ids:
        Message.objects.filter(pk__in=ids).update(email_queued_at=timezone.now())
        queue_emails(ids)
    return len(ids)
