"""Benchmarks of the certificates (证书): one PDF rendered in process (target < 0.5 s warm;
the first, cold render printed beside it), and a batch of 16 rendered and stored by a real
Celery worker (target < 5 s from queueing to the 16th stored file).

The batch runs twice: in tests/worker.py's solo worker (one process), and in a worker as
docker-compose.yml deploys it (prefork, 2 processes). Each worker has its own Redis on a spare
port, so no other test database's worker can take the tasks. Run with `make bench`
(pytest -m perf -s tests/perf).
"""

import datetime
import statistics
import time

import pytest
from django.db.models import Q

from applications.models import Application
from award.enums import AwardCategory
from decisions.models import Honour
from decisions.services.certificates import certificate_pdf
from decisions.tasks.certificates import render_certificate
from tests.perf.conftest import print_table, seed_bench_applications
from tests.worker import CeleryWorker, RedisServer, _database_url, free_port, publishing_to

pytest_plugins = ["tests.worker"]
pytestmark = [pytest.mark.perf]

ONE_TARGET = 0.5
BATCH = 16
BATCH_TARGET = 5.0
WARM_RUNS = 7


def make_honours(count: int) -> list[Honour]:
    """`count` honours without certificates, on applications written in bulk."""
    world = seed_bench_applications(count)
    applications = Application.objects.filter(pk__in=world.pks).order_by("pk")
    return Honour.objects.bulk_create(
        Honour(
            application=application,
            cycle=world.cycle,
            category=AwardCategory.AWARD if index % 4 else AwardCategory.NOMINATION,
            kind=application.kind,
            holder_name=application.name,
            county_id=application.county_id,
            serial=f"LYZL{world.cycle.year}-B{index:03d}",
            awarded_on=datetime.date(2026, 12, 1),
        )
        for index, application in enumerate(applications)
    )


@pytest.mark.django_db
def test_one_certificate_pdf():
    honours = make_honours(WARM_RUNS + 1)
    started = time.perf_counter()
    data = certificate_pdf(honours[0])
    cold = time.perf_counter() - started
    assert data.startswith(b"%PDF")
    samples = []
    for honour in honours[1:]:
        started = time.perf_counter()
        assert certificate_pdf(honour).startswith(b"%PDF")
        samples.append(time.perf_counter() - started)
    warm = statistics.median(samples)
    print_table(
        "证书 PDF in process (certificate_pdf)",
        ["render", "seconds", "target"],
        [
            ["first (cold: fonts, templates)", f"{cold:.3f}", "-"],
            [
                f"warm, median of {len(samples)}",
                f"{warm:.3f}",
                f"< {ONE_TARGET} s: {'met' if warm < ONE_TARGET else 'MISSED'}",
            ],
            ["warm, slowest", f"{max(samples):.3f}", "-"],
            ["PDF size KiB", f"{len(data) / 1024:.0f}", "-"],
        ],
    )


@pytest.fixture
def certificate_worker(request, monkeypatch, tmp_path):
    """A worker of its own, storing the certificates under this test's media folder."""
    monkeypatch.setenv("PRIVATE_MEDIA_ROOT", str(tmp_path / "media"))
    return request.getfixturevalue("outage_worker")


def stored_count(pks) -> int:
    return (
        Honour.objects.filter(pk__in=pks)
        .exclude(Q(certificate="") | Q(certificate_sha256=""))
        .count()
    )


def run_batch(worker, honours) -> float:
    pks = [honour.pk for honour in honours]
    started = time.perf_counter()
    for pk in pks:
        render_certificate.delay(pk)
    deadline = started + 120
    while stored_count(pks) < len(pks):
        if time.perf_counter() > deadline:
            raise AssertionError(f"only {stored_count(pks)} of {len(pks)} stored\n{worker.tail()}")
        time.sleep(0.05)
    return time.perf_counter() - started


@pytest.fixture
def prefork_worker(request, monkeypatch, tmp_path, django_db_setup):
    """A worker as docker-compose.yml runs it (prefork, 2 processes) on a private Redis."""
    monkeypatch.setenv("PRIVATE_MEDIA_ROOT", str(tmp_path / "media"))
    server = RedisServer(free_port(), tmp_path / "redis.log")
    worker = CeleryWorker(
        name="bench-prefork",
        broker_url=server.url,
        database_url=_database_url(),
        workdir=tmp_path / "worker",
        concurrency=2,
    )
    worker.redis = server
    try:
        server.start()
        worker.start()
        with publishing_to(server.url):
            yield worker
    finally:
        worker.stop()
        server.stop()


def batches(worker, pool: str):
    honours = make_honours(2 * BATCH)
    first, second = honours[:BATCH], honours[BATCH:]
    cold = run_batch(worker, first)  # the worker's first renders load the fonts
    warm = run_batch(worker, second)
    print_table(
        f"{BATCH} certificates queued to a real Celery worker ({pool}), until all are stored",
        ["batch", "seconds", "per certificate", "target"],
        [
            ["first (fresh worker)", f"{cold:.2f}", f"{cold / BATCH:.3f}", verdict(cold)],
            ["second (warm worker)", f"{warm:.2f}", f"{warm / BATCH:.3f}", verdict(warm)],
        ],
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_batch_of_16_certificates_in_a_solo_worker(certificate_worker):
    batches(certificate_worker, "solo pool, as tests/worker.py runs it")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_batch_of_16_certificates_in_the_deployed_worker(prefork_worker):
    batches(prefork_worker, "prefork, 2 processes, as docker-compose.yml runs it")


def verdict(seconds: float) -> str:
    return f"< {BATCH_TARGET:.0f} s: {'met' if seconds < BATCH_TARGET else 'MISSED'}"
