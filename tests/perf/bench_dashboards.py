"""Benchmarks of the dashboards (issue 12): each page rendered with 500 applications.

The office's cycle dashboard (数据看板) is timed in two worlds: the bench world of
tests/perf/conftest.py (500 submitted applications with their timelines, a share of them
walked on to 专家评审, 评审淘汰, 评审完成 and 已获评, and an earlier cycle to compare with),
and the review world of bench_review.py (500 applications × 5 experts × 3 scored stages).
Run with `make bench` (pytest -m perf -s tests/perf); figures are printed as a table.
"""

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState as S
from applications.enums import EventAction as A
from applications.models import Application, ApplicationEvent
from award.enums import CyclePhase, Role
from award.models import Cycle
from tests.factories import CycleFactory, make_user
from tests.perf.bench_review import seed_review
from tests.perf.conftest import print_table, seed_bench_applications, summarise

pytestmark = [pytest.mark.perf, pytest.mark.django_db]

APPLICATIONS = 500
RUNS = 15
TARGET_MS = 200
WALKS = (
    [S.IN_REVIEW, S.REVIEWED, S.CANDIDATE, S.PROPOSED, S.IN_PUBLICITY, S.AWARDED],
    [S.IN_REVIEW, S.REVIEW_FAILED],
    [S.IN_REVIEW, S.REVIEWED],
)


def seed_office_world():
    """The bench world, its accepted applications walked on in thirds (events in bulk), and
    an archived earlier cycle holding 50 of the applications, 10 of them winners."""
    world = seed_bench_applications(APPLICATIONS)
    accepted = list(Application.objects.filter(pk__in=world.pks, state=S.ACCEPTED).order_by("pk"))
    events, finals = [], {}
    at = timezone.now()
    for i, application in enumerate(accepted):
        source = S.ACCEPTED
        for state in WALKS[i % len(WALKS)]:
            events.append(
                ApplicationEvent(
                    application=application,
                    round=1,
                    actor=world.office,
                    action=A.START_REVIEW,
                    from_state=source,
                    to_state=state,
                    created_at=at,
                )
            )
            source = state
        finals.setdefault(source, []).append(application.pk)
    ApplicationEvent.objects.bulk_create(events, batch_size=1000)
    for state, pks in finals.items():
        Application.objects.filter(pk__in=pks).update(state=state)
    Cycle.objects.filter(pk=world.cycle.pk).update(number=90)
    earlier = CycleFactory(number=80, year=2025)
    Cycle.objects.filter(pk=earlier.pk).update(phase=CyclePhase.ARCHIVED)
    moved = world.pks[-50:]
    Application.objects.filter(pk__in=moved).update(cycle=earlier)
    Application.objects.filter(pk__in=moved[:10]).update(state=S.AWARDED)
    # a tenth idle for three weeks, so the stuck list has rows
    ApplicationEvent.objects.filter(application_id__in=world.pks[::10]).update(
        created_at=at - datetime.timedelta(days=21)
    )
    world.cycle.refresh_from_db()
    return world.office, world.cycle


def time_dashboard(client, cycle):
    url = reverse("decisions:dashboard_cycle", args=[cycle.pk])
    assert client.get(url).status_code == 200  # warm-up: templates, translations
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return summarise(samples), len(queries)


def test_office_dashboard(client):
    rows = []
    office, cycle = seed_office_world()
    client.force_login(office)
    figures, queries = time_dashboard(client, cycle)
    rows.append(["申报与办理记录（另含往届50件）", APPLICATIONS - 50, figures, queries])

    review_cycle = seed_review()[0]
    reader = make_user(Role.OFFICE)
    client.force_login(reader)
    figures_review, queries_review = time_dashboard(client, review_cycle)
    rows.append(["500件×5名专家×3个阶段", APPLICATIONS, figures_review, queries_review])

    print_table(
        f"数据看板（质量强市办）：每个世界{RUNS}次",
        ["世界", "本届申报", "中位数 ms", "P95 ms", "查询数", "目标"],
        [
            [
                name,
                count,
                f"{f['median']:.1f}",
                f"{f['p95']:.1f}",
                q,
                f"< {TARGET_MS} ms: {'met' if f['median'] < TARGET_MS else 'MISSED'}",
            ]
            for name, count, f, q in rows
        ],
    )
    # the same number of queries in both worlds: figures come from aggregates
    assert abs(rows[0][3] - rows[1][3]) <= 1
