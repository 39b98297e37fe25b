"""A broker that drops packets or never answers costs an action a second or two, not minutes.

Without the broker timeouts in settings, publishing to a host that drops packets waited for
the kernel's own connect timeout (134 s measured here), and one that never answered waited
forever.
"""

import time

import pytest
from django.db import transaction

from award.enums import EmailStatus, Role
from award.models import Message
from award.services.notifications import notify
from tests.broker_faults import (
    blackhole_broker,
    mute_broker,
    publish_worst_case,
    publishing_to,
)
from tests.factories import CycleFactory, make_user

pytestmark = pytest.mark.django_db


def test_default_broker_timeouts_are_short():
    # What the timings below rest on: env-overridable, and short unless overridden.
    assert publish_worst_case(answers=False) <= 3
    assert publish_worst_case(answers=True) <= 6


@pytest.mark.parametrize(
    ("broker", "answers"), [(blackhole_broker, False), (mute_broker, True)], ids=["drops", "mute"]
)
def test_notify_returns_quickly_when_the_broker_does_not_answer(
    broker, answers, django_capture_on_commit_callbacks, caplog
):
    recipient = make_user(Role.COUNTY)
    cycle = CycleFactory()
    with broker() as url, publishing_to(url):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            [message] = notify(
                recipients=[recipient],
                template="cycle_phase_changed",
                context={"cycle": cycle, "phase": "初审"},
            )
        elapsed = time.monotonic() - started
    print(f"notify with a {broker.__name__}: {elapsed:.2f}s")

    assert elapsed < publish_worst_case(answers=answers), f"notify blocked for {elapsed:.1f}s"
    # The action succeeded; the email waits in the outbox for resend_pending_emails.
    assert Message.objects.get(pk=message.pk).email_status == EmailStatus.PENDING
    assert f"could not queue email for message {message.pk}" in caplog.text
