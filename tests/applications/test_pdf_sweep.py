"""The PDF sweep: a 申报表 PDF whose render job was lost is queued again, and rendered once.

The 申报表 is part of what an applicant submits (第十四条第（二）项); its PDF must not go
missing because the broker was down at the moment of submission.
"""

import base64
import hashlib
import io
import json
import re
import time
from datetime import timedelta

import pytest
import redis
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications.enums import ApplicationState
from applications.form_data import KEY_FIGURES
from applications.models import Application, ApplicationSnapshot
from applications.services import application_submit
from applications.services.common import office_staff
from applications.services.pdf import queue_application_pdf, requeue_unrendered_pdfs
from applications.tasks import render_application_pdf, resend_unrendered_application_pdfs
from award import celery_app
from award.enums import Role
from award.models import AuditEntry, Message
from tests.applications.factories import announced_cycle, complete_application, unit_applicant
from tests.broker_faults import (
    RedisServer,
    blackhole_broker,
    free_port,
    mute_broker,
    publish_worst_case,
    publishing_to,
)
from tests.factories import make_user
from tests.worker import environment

# The worker fixtures: celery_worker, shared_worker, outage_worker.
pytest_plugins = ["tests.worker"]

GRACE = 300


@pytest.fixture
def eager_celery(settings):
    """Run tasks in-process even where the environment names a broker."""
    settings.APPLICATION_PDF_RESEND_AFTER_SECONDS = GRACE
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def cycle(db):
    return announced_cycle()


def submit(cycle, **profile) -> Application:
    owner = unit_applicant(**profile)
    return application_submit(application=complete_application(owner, cycle), by=owner)


def submit_while_broker_is_down(cycle, capture_on_commit, **profile) -> ApplicationSnapshot:
    """Submit while the broker refuses connections: the PDF job is lost, as in an outage."""
    with publishing_to(f"redis://127.0.0.1:{free_port()}/0"), capture_on_commit(execute=True):
        application = submit(cycle, **profile)
    snapshot = ApplicationSnapshot.objects.get(application=application)
    assert not snapshot.pdf
    return snapshot


def submitted_ago(snapshot, seconds: int) -> None:
    ApplicationSnapshot.objects.filter(pk=snapshot.pk).update(
        created_at=timezone.now() - timedelta(seconds=seconds)
    )


def queued_ago(snapshot, seconds: int) -> None:
    ApplicationSnapshot.objects.filter(pk=snapshot.pk).update(
        pdf_queued_at=timezone.now() - timedelta(seconds=seconds)
    )


def sweep() -> int:
    return resend_unrendered_application_pdfs.apply().get()


def stored_pdf(snapshot) -> bytes:
    with snapshot.pdf.open("rb") as handle:
        return handle.read()


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def rendered(snapshot_id: int) -> bool:
    return ApplicationSnapshot.objects.filter(pk=snapshot_id).exclude(pdf="").exists()


# In-process sweeps --------------------------------------------------------------------


@pytest.mark.usefixtures("eager_celery")
def test_sweep_renders_the_pdf_whose_job_was_lost(
    cycle, django_capture_on_commit_callbacks, caplog
):
    snapshot = submit_while_broker_is_down(
        cycle, django_capture_on_commit_callbacks, name="临沂沂蒙精工有限公司"
    )
    assert f"could not queue the application PDF of snapshot {snapshot.pk}" in caplog.text
    submitted_ago(snapshot, GRACE + 1)

    assert sweep() == 1

    snapshot.refresh_from_db()
    assert snapshot.pdf_rendered_at is not None
    data = stored_pdf(snapshot)
    assert hashlib.sha256(data).hexdigest() == snapshot.pdf_sha256
    text = pdf_text(data)
    assert "临沂市市长质量奖申报表" in text
    assert "临沂沂蒙精工有限公司" in text
    assert sweep() == 0  # nothing left to do


@pytest.mark.usefixtures("eager_celery")
def test_sweep_leaves_a_submission_inside_the_grace_period_alone(
    cycle, django_capture_on_commit_callbacks
):
    recent = submit_while_broker_is_down(cycle, django_capture_on_commit_callbacks)
    old = submit_while_broker_is_down(cycle, django_capture_on_commit_callbacks)
    submitted_ago(recent, GRACE - 5)
    submitted_ago(old, GRACE + 5)

    assert sweep() == 1

    assert rendered(old.pk)
    assert not rendered(recent.pk)


@pytest.mark.usefixtures("eager_celery")
def test_sweep_and_a_second_job_leave_a_rendered_pdf_alone(
    cycle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(cycle)
    snapshot = ApplicationSnapshot.objects.get(application=application)
    assert snapshot.pdf  # rendered after commit, as usual
    before = (snapshot.pdf.name, snapshot.pdf_sha256, snapshot.pdf_rendered_at)
    data = stored_pdf(snapshot)
    submitted_ago(snapshot, GRACE * 10)

    assert sweep() == 0
    # A job queued twice (a sweep racing the original job) finds the PDF and stops.
    assert render_application_pdf.apply(args=[snapshot.pk]).get() is False

    snapshot.refresh_from_db()
    assert (snapshot.pdf.name, snapshot.pdf_sha256, snapshot.pdf_rendered_at) == before
    assert stored_pdf(snapshot) == data


@pytest.mark.usefixtures("eager_celery")
def test_sweep_takes_at_most_its_limit_oldest_first(
    cycle, django_capture_on_commit_callbacks, settings
):
    settings.APPLICATION_PDF_SWEEP_LIMIT = 2
    # Created in this order, but submitted_ago makes the first one the newest.
    newest, oldest, middle = (
        submit_while_broker_is_down(cycle, django_capture_on_commit_callbacks) for _ in range(3)
    )
    submitted_ago(newest, GRACE + 100)
    submitted_ago(oldest, GRACE + 900)
    submitted_ago(middle, GRACE + 500)

    assert sweep() == 2
    assert [rendered(s.pk) for s in (oldest, middle, newest)] == [True, True, False]

    assert sweep() == 1
    assert rendered(newest.pk)


@pytest.mark.usefixtures("eager_celery")
def test_queueing_counts_the_attempt_and_its_time_only_once_the_broker_took_it(
    cycle, django_capture_on_commit_callbacks
):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(cycle)
    queued = ApplicationSnapshot.objects.get(application=application)
    assert queued.pdf
    assert queued.pdf_attempts == 1
    assert before <= queued.pdf_queued_at <= timezone.now()

    lost = submit_while_broker_is_down(cycle, django_capture_on_commit_callbacks)
    assert (lost.pdf_attempts, lost.pdf_queued_at) == (0, None)
    submitted_ago(lost, GRACE + 1)
    before = timezone.now()
    assert sweep() == 1

    lost.refresh_from_db()
    assert lost.pdf
    assert lost.pdf_attempts == 1
    assert before <= lost.pdf_queued_at <= timezone.now()


@pytest.mark.usefixtures("eager_celery")
def test_a_pdf_that_never_renders_is_given_up_and_the_office_told_once(
    cycle, django_capture_on_commit_callbacks, settings, caplog
):
    """The submission itself stands (第十四条第（二）项): the snapshot is the record, the PDF
    only its rendering. A render that always fails is retried APPLICATION_PDF_MAX_ATTEMPTS
    times, then the office is told once and the sweep leaves it alone."""
    settings.APPLICATION_PDF_MAX_ATTEMPTS = 3
    make_user(Role.OFFICE)
    broken = submit_while_broker_is_down(
        cycle, django_capture_on_commit_callbacks, name="临沂蒙山数据受损有限公司"
    )
    fine = submit_while_broker_is_down(cycle, django_capture_on_commit_callbacks)
    # Frozen key figures the renderer cannot read: a year that is not a table of figures.
    ApplicationSnapshot.objects.filter(pk=broken.pk).update(
        form_data={**broken.form_data, KEY_FIGURES: {"2024": "不详"}}
    )
    submitted_ago(broken, GRACE + 10)
    submitted_ago(fine, GRACE + 5)

    assert sweep() == 2
    assert rendered(fine.pk)
    assert not rendered(broken.pk)
    assert "AttributeError" in caplog.text  # the render itself raised
    for _attempt in range(2):
        queued_ago(broken, GRACE + 1)
        assert sweep() == 1
    broken.refresh_from_db()
    assert (broken.pdf_attempts, broken.pdf_failed_at) == (3, None)
    assert not Message.objects.filter(subject__contains="申报表PDF").exists()

    queued_ago(broken, GRACE + 1)
    assert sweep() == 0  # given up: not queued a fourth time

    broken.refresh_from_db()
    assert broken.pdf_attempts == 3
    assert broken.pdf_failed_at is not None
    assert not broken.pdf
    told = list(Message.objects.filter(subject__contains="申报表PDF"))
    assert sorted(m.recipient_id for m in told) == sorted(
        office_staff().values_list("pk", flat=True)
    )
    message = told[0]
    assert message.subject == "申报“临沂蒙山数据受损有限公司”的申报表PDF未能生成"
    assert "第1轮提报的申报表PDF已尝试生成3次" in message.body
    assert "请您联系技术人员查看系统日志" in message.body
    assert message.url == reverse("applications:office_detail", args=[broken.application_id])
    entry = AuditEntry.objects.get(action="application.pdf_failed")
    assert entry.actor_id is None
    assert entry.object_id == str(broken.application_id)
    assert entry.after == {"snapshot": broken.pk, "round": 1, "pdf_attempts": 3}
    assert entry.article == "第十四条第（二）项"

    # Later sweeps, however long after, neither queue it nor tell the office again.
    queued_ago(broken, GRACE * 100)
    assert sweep() == 0
    assert sweep() == 0
    assert Message.objects.filter(subject__contains="申报表PDF").count() == len(told)
    assert AuditEntry.objects.filter(action="application.pdf_failed").count() == 1
    broken.refresh_from_db()
    assert broken.pdf_attempts == 3
    assert broken.application.state == ApplicationState.SUBMITTED


# What the sweep puts on a real broker ---------------------------------------------------


@pytest.fixture
def private_redis(tmp_path):
    server = RedisServer(free_port(), tmp_path / "redis.log")
    server.start()
    yield server
    server.stop()


def queued_pdf_jobs(server: RedisServer) -> list[int]:
    """The snapshot ids of the render jobs waiting on `server`, first queued first."""
    jobs = []
    # Kombu LPUSHes and workers BRPOP: the first queued is the last in the list.
    for raw in reversed(redis.Redis(port=server.port).lrange("celery", 0, -1)):
        message = json.loads(raw)
        if message["headers"]["task"] == render_application_pdf.name:
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            jobs.append(*args)
    return jobs


@pytest.mark.usefixtures("eager_celery")
def test_sweep_queues_each_missing_pdf_once_after_one_query(
    cycle, django_capture_on_commit_callbacks, settings, private_redis
):
    settings.APPLICATION_PDF_SWEEP_LIMIT = 2
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(cycle)
    done = ApplicationSnapshot.objects.get(application=application)
    assert done.pdf
    second, beyond_limit, first, recent = (
        submit_while_broker_is_down(cycle, django_capture_on_commit_callbacks) for _ in range(4)
    )
    for snapshot, age in [(done, 9000), (first, 900), (second, 800), (beyond_limit, 700)]:
        submitted_ago(snapshot, GRACE + age)
    submitted_ago(recent, GRACE - 60)

    with publishing_to(private_redis.url), CaptureQueriesContext(connection) as queries:
        assert requeue_unrendered_pdfs() == 2

    # One query finds them; then one UPDATE per job queued, counting the attempt.
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    assert statements == ["SELECT", "UPDATE", "UPDATE"]
    assert queued_pdf_jobs(private_redis) == [first.pk, second.pk]
    attempts = dict(ApplicationSnapshot.objects.values_list("pk", "pdf_attempts"))
    assert [attempts[s.pk] for s in (first, second, beyond_limit, recent)] == [1, 1, 0, 0]


@pytest.mark.usefixtures("eager_celery")
def test_sweep_gives_each_queued_job_its_grace_period_and_stops_at_the_maximum(
    cycle, django_capture_on_commit_callbacks, settings, private_redis
):
    """Jobs that sit on the broker unrendered (no worker) are queued again only a grace
    period after their last queueing, and at most APPLICATION_PDF_MAX_ATTEMPTS times."""
    settings.APPLICATION_PDF_MAX_ATTEMPTS = 2
    snapshot = submit_while_broker_is_down(cycle, django_capture_on_commit_callbacks)
    submitted_ago(snapshot, GRACE * 10)

    with publishing_to(private_redis.url):
        assert requeue_unrendered_pdfs() == 1
        # Submitted long ago, but queued just now: its job gets the grace period.
        assert requeue_unrendered_pdfs() == 0
        queued_ago(snapshot, GRACE - 5)
        assert requeue_unrendered_pdfs() == 0
        queued_ago(snapshot, GRACE + 5)
        assert requeue_unrendered_pdfs() == 1
        queued_ago(snapshot, GRACE + 5)
        assert requeue_unrendered_pdfs() == 0

    assert queued_pdf_jobs(private_redis) == [snapshot.pk, snapshot.pk]
    snapshot.refresh_from_db()
    assert snapshot.pdf_attempts == 2
    assert snapshot.pdf_failed_at is not None


# Broker faults --------------------------------------------------------------------------


@pytest.mark.usefixtures("eager_celery")
@pytest.mark.parametrize(
    ("broker", "answers"), [(blackhole_broker, False), (mute_broker, True)], ids=["drops", "mute"]
)
def test_submit_returns_quickly_when_the_broker_does_not_answer(
    broker, answers, cycle, django_capture_on_commit_callbacks, caplog
):
    owner = unit_applicant()
    application = complete_application(owner, cycle)
    with broker() as url, publishing_to(url):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            application_submit(application=application, by=owner)
        submit_seconds = time.monotonic() - started
        snapshot = ApplicationSnapshot.objects.get(application=application)
        started = time.monotonic()
        queued = queue_application_pdf(snapshot.pk)
        queue_seconds = time.monotonic() - started
    print(f"with a {broker.__name__}: submit {submit_seconds:.2f}s, PDF job {queue_seconds:.2f}s")

    worst = publish_worst_case(answers=answers)
    assert queue_seconds < worst, f"queueing the PDF blocked for {queue_seconds:.1f}s"
    # Submitting publishes twice: the emails, then the PDF.
    assert submit_seconds < 2 * worst, f"submitting blocked for {submit_seconds:.1f}s"
    assert queued is False
    # The submission went through; the PDF is left for the sweep.
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert not rendered(snapshot.pk)
    assert f"could not queue the application PDF of snapshot {snapshot.pk}" in caplog.text
    submitted_ago(snapshot, GRACE + 1)
    assert sweep() == 1
    assert rendered(snapshot.pk)


# Through a real worker and beat ---------------------------------------------------------


@pytest.fixture
def pdf_outage_worker(request, monkeypatch, tmp_path):
    """outage_worker, sweeping PDFs every second with a 2 s grace period, storing files where
    this test reads them (the _private_media folder)."""
    with environment(
        monkeypatch,
        APPLICATION_PDF_SWEEP_SECONDS="1",
        APPLICATION_PDF_RESEND_AFTER_SECONDS="2",
        PRIVATE_MEDIA_ROOT=str(tmp_path / "media"),
    ):
        # The worker starts with these; shared workers restarted afterwards do not.
        return request.getfixturevalue("outage_worker")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_lost_pdf_is_rendered_by_the_beat_sweep_once_the_broker_is_back(pdf_outage_worker):
    worker = pdf_outage_worker
    cycle = announced_cycle()
    owner = unit_applicant(name="临沂沂河精密制造有限公司")
    application = complete_application(owner, cycle)
    worker.redis.stop()

    started = time.monotonic()
    application_submit(application=application, by=owner)
    elapsed = time.monotonic() - started

    assert elapsed < 5, f"submitting blocked for {elapsed:.1f}s with the broker down"
    snapshot = ApplicationSnapshot.objects.get(application=application)
    time.sleep(3)  # past the grace period: only the outage keeps the sweep from queueing it
    assert not rendered(snapshot.pk)

    log_offset = worker.log_path.stat().st_size
    worker.redis.start()
    worker.wait_for(
        lambda: rendered(snapshot.pk),
        timeout=60,
        what="the lost PDF to be rendered after the broker came back",
    )

    snapshot.refresh_from_db()
    data = stored_pdf(snapshot)
    assert hashlib.sha256(data).hexdigest() == snapshot.pdf_sha256
    assert "临沂沂河精密制造有限公司" in pdf_text(data)
    # The beat sweep queued it again: that is how it got rendered.
    assert re.search(
        r"applications\.tasks\.resend_unrendered_application_pdfs\[[^\]]+\] "
        r"succeeded in [\d.]+s: 1\b",
        worker.log_since(log_offset),
    ), worker.tail()
