"""Redis stopped while applicants submit over HTTP: every submission is saved and answered
as usual; once Redis is back the beat sweeps deliver each email and render each 申报表 PDF
exactly once (issue 13, item 7; the 申报表 is part of the submission, 第十四条第（二）项)."""

import time
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from applications.enums import ApplicationState
from applications.models import Application, ApplicationSnapshot
from award.enums import EmailStatus
from award.models import Message
from tests.applications.factories import World, complete_application, unit_applicant
from tests.concurrency import form_token

pytest_plugins = ["tests.worker"]

SUBMISSIONS = 3


@pytest.fixture
def worker_environment() -> dict[str, str]:
    """Sweeping lost PDFs every second with a 2 s grace period (emails too:
    EMAIL_SWEEP_SECONDS=1, EMAIL_RESEND_AFTER_SECONDS=2 in every test worker)."""
    return {"APPLICATION_PDF_SWEEP_SECONDS": "1", "APPLICATION_PDF_RESEND_AFTER_SECONDS": "2"}


def confirm_url(application) -> str:
    return reverse("applications:application_step", args=[application.pk, "confirm"])


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_submissions_while_redis_is_down_are_kept_and_delivered_once_after(media_worker, media):
    worker = media_worker
    world = World()
    forms = []
    for _ in range(SUBMISSIONS):
        owner = unit_applicant()
        application = complete_application(owner, world.cycle)
        browser = Client()
        browser.force_login(owner)
        token = form_token(browser.get(confirm_url(application)).content.decode())
        forms.append((application, browser, token))
    messages_before = set(Message.objects.values_list("pk", flat=True))
    worker.redis.stop()

    slowest = 0.0
    for application, browser, token in forms:
        started = time.monotonic()
        answer = browser.post(confirm_url(application), {"submission_token": token})
        slowest = max(slowest, time.monotonic() - started)
        detail = reverse("applications:application_detail", args=[application.pk])
        assert (answer.status_code, answer.url) == (302, detail)
        page = browser.get(detail)
        assert page.status_code == 200
        assert "已提报" in page.content.decode()
    assert slowest < 5, f"a submission took {slowest:.1f}s with Redis down"

    ids = [application.pk for application, _, _ in forms]
    states = Application.objects.filter(pk__in=ids).values_list("state", flat=True)
    assert list(states) == [ApplicationState.SUBMITTED] * SUBMISSIONS  # no write lost
    snapshots = list(ApplicationSnapshot.objects.filter(application__in=ids))
    assert len(snapshots) == SUBMISSIONS
    messages = list(Message.objects.exclude(pk__in=messages_before).select_related("recipient"))
    # Each submission tells its applicant and its county's coordinator.
    assert len(messages) == 2 * SUBMISSIONS
    time.sleep(3)  # past both grace periods: only the outage holds the sweeps back
    assert {m.email_status for m in Message.objects.filter(pk__in=[m.pk for m in messages])} == {
        EmailStatus.PENDING
    }
    assert not ApplicationSnapshot.objects.filter(pk__in=[s.pk for s in snapshots]).exclude(pdf="")

    worker.redis.start()

    def all_delivered():
        sent = Message.objects.filter(
            pk__in=[m.pk for m in messages], email_status=EmailStatus.SENT
        ).count()
        rendered = (
            ApplicationSnapshot.objects.filter(pk__in=[s.pk for s in snapshots])
            .exclude(pdf="")
            .count()
        )
        return sent == len(messages) and rendered == len(snapshots)

    worker.wait_for(all_delivered, timeout=60, what="every email and PDF after the outage")
    time.sleep(3)  # more sweeps: nothing may be sent or rendered a second time

    expected = Counter((m.recipient.email, m.subject) for m in messages)
    emails = Counter(
        (str(e["To"]).strip(), str(e["Subject"]).strip())
        for address in {m.recipient.email for m in messages}
        for e in worker.emails_to(address)
    )
    pdfs = sorted((media / "applications").rglob("*.pdf"))
    forms_dirs = [p for p in pdfs if p.parent.name == "forms"]
    duplicates = sum(emails.values()) - len(messages) + len(forms_dirs) - len(snapshots)
    print(
        f"\nredis down during {SUBMISSIONS} HTTP submissions (slowest {slowest:.2f}s): "
        f"{SUBMISSIONS} saved, writes lost = 0; after the restart {sum(emails.values())} emails "
        f"for {len(messages)} messages, {len(forms_dirs)} PDFs for {len(snapshots)} "
        f"submissions, duplicates = {duplicates}"
    )
    assert emails == expected
    assert len(forms_dirs) == len(snapshots)
    for snapshot in ApplicationSnapshot.objects.filter(pk__in=[s.pk for s in snapshots]):
        assert (media / snapshot.pdf.name).is_file()
