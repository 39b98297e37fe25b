"""Emails go out through a real Celery worker after commit, and survive a broker outage."""

import re
import time

import pytest
from django.db import transaction

from award.enums import EmailStatus, Role
from award.models import Message
from award.services.notifications import notify
from tests.factories import CycleFactory, make_user

# The worker fixtures: celery_worker, shared_worker, outage_worker.
pytest_plugins = ["tests.worker"]

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def _status(message: Message) -> str:
    return Message.objects.values_list("email_status", flat=True).get(pk=message.pk)


def test_email_is_sent_by_the_worker_after_commit(shared_worker):
    recipient = make_user(Role.COUNTY)
    cycle = CycleFactory()

    with transaction.atomic():
        [message] = notify(
            recipients=[recipient],
            template="cycle_phase_changed",
            context={"cycle": cycle, "phase": "初审"},
            url="/workbench/",
        )
        # Nothing is queued before the commit, so the worker cannot have sent anything.
        time.sleep(1)
        assert shared_worker.emails_to(recipient.email) == []

    shared_worker.wait_for(
        lambda: _status(message) == EmailStatus.SENT,
        timeout=20,
        what="the message to be marked sent",
    )
    [sent] = shared_worker.wait_for(
        lambda: shared_worker.emails_to(recipient.email),
        timeout=5,
        what="the email file",
    )
    assert sent["Subject"].strip() == message.subject
    assert sent["To"] == recipient.email
    text = sent.get_body(preferencelist=("plain",)).get_content()
    assert f"{cycle}已进入“初审”阶段" in text
    assert text.rstrip().endswith("/workbench/")
    message.refresh_from_db()
    assert message.email_attempts == 1
    assert message.email_sent_at is not None


def test_email_survives_a_broker_outage(outage_worker):
    recipient = make_user(Role.COUNTY)
    cycle = CycleFactory()
    # First an ordinary delivery, so this process holds a broker connection that then breaks.
    with transaction.atomic():
        [before_outage] = notify(
            recipients=[recipient],
            template="cycle_phase_changed",
            context={"cycle": cycle, "phase": "初审"},
        )
    outage_worker.wait_for(
        lambda: _status(before_outage) == EmailStatus.SENT,
        timeout=20,
        what="the first message to be marked sent",
    )
    outage_worker.redis.stop()

    started = time.monotonic()
    with transaction.atomic():
        [message] = notify(
            recipients=[recipient],
            template="cycle_phase_changed",
            context={"cycle": cycle, "phase": "复核"},
        )
    elapsed = time.monotonic() - started

    # The action succeeded quickly; the email waits in the outbox.
    assert elapsed < 5, f"notify blocked for {elapsed:.1f}s with the broker down"
    message.refresh_from_db()
    assert message.email_status == EmailStatus.PENDING
    queued_at = message.email_queued_at
    time.sleep(3)  # longer than EMAIL_RESEND_AFTER_SECONDS: the sweep would pick it up now
    assert _status(message) == EmailStatus.PENDING
    assert len(outage_worker.emails_to(recipient.email)) == 1

    log_offset = outage_worker.log_path.stat().st_size
    outage_worker.redis.start()

    outage_worker.wait_for(
        lambda: _status(message) == EmailStatus.SENT,
        timeout=60,
        what="the pending email to be delivered after the broker came back",
    )

    def both_emails():
        emails = outage_worker.emails_to(recipient.email)
        return emails if len(emails) == 2 else None

    emails = outage_worker.wait_for(both_emails, timeout=5, what="the second email file")
    assert sorted(sent["Subject"].strip() for sent in emails) == sorted(
        [before_outage.subject, message.subject]
    )
    message.refresh_from_db()
    # The beat sweep (resend_pending_emails) queued it again: that is how it got out.
    assert message.email_queued_at > queued_at
    assert re.search(
        r"award\.tasks\.resend_pending_emails\[[^\]]+\] succeeded in [\d.]+s: 1\b",
        outage_worker.log_since(log_offset),
    ), outage_worker.tail()
