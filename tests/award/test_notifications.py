"""notify(): an in-site message now, one email after commit, retried from the outbox."""

import datetime
import socket

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from award.enums import EmailStatus, Role
from award.models import Message
from award.services.notifications import (
    deliver_message_email,
    notify,
    requeue_pending_emails,
)
from tests.factories import CycleFactory, make_user

TEMPLATE = "cycle_phase_changed"


@pytest.fixture
def county_user(db):
    return make_user(Role.COUNTY)


@pytest.fixture
def cycle(db):
    return CycleFactory()


def notify_phase(recipients, cycle, phase="初审", **kwargs):
    return notify(
        recipients=recipients,
        template=TEMPLATE,
        context={"cycle": cycle, "phase": phase},
        **kwargs,
    )


@pytest.fixture
def unreachable_smtp(settings):
    """A real SMTP backend pointed at a local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    return port


def test_email_is_sent_only_after_commit(county_user, cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            [message] = notify_phase([county_user], cycle, url="/workbench/")
            assert mail.outbox == []
            assert Message.objects.get(pk=message.pk).email_status == EmailStatus.PENDING
        assert mail.outbox == []

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [county_user.email]
    assert sent.subject == f"{cycle}进入“初审”阶段"
    assert sent.body.startswith(f"{county_user}：\n\n{cycle}已进入“初审”阶段。")
    assert sent.body.endswith("\n\nhttp://127.0.0.1:8000/workbench/")
    [(html, mimetype)] = sent.alternatives
    assert mimetype == "text/html"
    assert f"{cycle}已进入“初审”阶段" in html
    message.refresh_from_db()
    assert message.email_status == EmailStatus.SENT
    assert message.email_attempts == 1
    assert message.email_sent_at is not None


def test_message_is_stored_with_rendered_text(county_user, cycle):
    [message] = notify_phase([county_user], cycle, phase="复核", url="/workbench/")

    message = Message.objects.get(pk=message.pk)
    assert message.recipient == county_user
    assert message.subject == f"{cycle}进入“复核”阶段"
    assert message.body == (
        f"{county_user}：\n\n{cycle}已进入“复核”阶段。请登录临沂市市长质量奖评定平台查看待办事项。"
    )
    assert message.url == "/workbench/"
    assert message.read_at is None


def test_plain_text_is_not_html_escaped_but_the_html_part_is(county_user, cycle):
    phase = '<b>"初审" & 复核</b>'

    [message] = notify_phase([county_user], cycle, phase=phase)

    assert message.subject == f"{cycle}进入“{phase}”阶段"
    assert f"“{phase}”" in message.body
    assert "&lt;b&gt;&quot;初审&quot; &amp; 复核&lt;/b&gt;" in message.html_body
    assert "<b>" not in message.html_body


def test_rolled_back_transaction_sends_and_stores_nothing(
    county_user, cycle, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify_phase([county_user], cycle)
        raise RuntimeError("the change failed")

    assert callbacks == []
    assert mail.outbox == []
    assert Message.objects.count() == 0


def test_user_without_email_gets_a_message_but_no_email(cycle, django_capture_on_commit_callbacks):
    recipient = make_user(Role.COUNTY, email="")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        [message] = notify_phase([recipient], cycle)

    assert callbacks == []
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.email_status == EmailStatus.NONE
    assert message.email_queued_at is None


def test_recipients_are_deduplicated_and_inactive_users_skipped(county_user, cycle):
    inactive = make_user(Role.COUNTY, is_active=False)

    messages = notify_phase([county_user, county_user, None, inactive], cycle)

    assert [m.recipient for m in messages] == [county_user]
    assert Message.objects.count() == 1


def test_deliver_twice_sends_once(county_user, cycle):
    [message] = notify_phase([county_user], cycle)

    assert deliver_message_email(message.pk) is True
    assert deliver_message_email(message.pk) is False

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.email_status == EmailStatus.SENT
    assert message.email_attempts == 1


def test_failing_backend_leaves_message_pending_with_error(county_user, cycle, unreachable_smtp):
    [message] = notify_phase([county_user], cycle)

    with pytest.raises(ConnectionRefusedError):
        deliver_message_email(message.pk)

    message.refresh_from_db()
    assert message.email_status == EmailStatus.PENDING
    assert message.email_attempts == 1
    assert "Connection refused" in message.email_error
    assert message.email_sent_at is None


def test_task_gives_up_after_its_retries_and_marks_failed(
    county_user, cycle, unreachable_smtp, django_capture_on_commit_callbacks
):
    # Tests run tasks eagerly, so the task's retries happen at once.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        [message] = notify_phase([county_user], cycle)

    message.refresh_from_db()
    assert message.email_status == EmailStatus.FAILED
    assert message.email_attempts == 6  # the first try and five retries
    assert "Connection refused" in message.email_error


def test_requeue_picks_only_old_pending_emails(settings, cycle):
    settings.EMAIL_RESEND_AFTER_SECONDS = 120
    users = [make_user(Role.COUNTY) for _ in range(4)]
    old_pending, fresh_pending, old_sent, no_email = (
        notify_phase([user], cycle)[0] for user in users
    )
    long_ago = timezone.now() - datetime.timedelta(seconds=121)
    Message.objects.filter(pk__in=[old_pending.pk, old_sent.pk, no_email.pk]).update(
        email_queued_at=long_ago
    )
    Message.objects.filter(pk=old_sent.pk).update(email_status=EmailStatus.SENT)
    Message.objects.filter(pk=no_email.pk).update(email_status=EmailStatus.NONE)

    assert requeue_pending_emails() == 1

    assert [m.to for m in mail.outbox] == [[users[0].email]]
    old_pending.refresh_from_db()
    fresh_pending.refresh_from_db()
    assert old_pending.email_status == EmailStatus.SENT
    assert old_pending.email_queued_at > long_ago
    assert fresh_pending.email_status == EmailStatus.PENDING
    assert requeue_pending_emails() == 0
