"""Benchmarks of the applications floor: the office list beside bare Django, export memory.

Run with `make bench` (pytest -m perf -s tests/perf). Figures are printed as tables; the
assertions only hold the properties that must not regress (memory flat in the rows).
"""

import gc
import tempfile
import time
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.exports import write_applications_xlsx
from applications.models import Application
from applications.selectors import applications_for
from tests.perf.conftest import print_table, summarise

pytestmark = [pytest.mark.perf, pytest.mark.django_db]

REQUESTS = 30
WARM_UP = 3


def timed_get(client, url) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, url
    return elapsed


def test_office_list_page_beside_a_bare_django_view(bench_world, client, settings):
    settings.ROOT_URLCONF = "tests.perf.urls"
    client.force_login(bench_world.office)
    pages = {
        "bare Django view (1 query)": reverse("bench_bare"),
        "applications:office_queue": reverse("applications:office_queue"),
    }
    for url in pages.values():
        for _ in range(WARM_UP):
            timed_get(client, url)
    queries = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as captured:
            timed_get(client, url)
        queries[name] = len(captured)
    listed = client.get(pages["applications:office_queue"]).context.get("page_obj")
    rows_shown = len(listed) if listed is not None else "all"
    samples = {name: [] for name in pages}
    for _ in range(REQUESTS):  # interleaved, so drift on the machine hits both alike
        for name, url in pages.items():
            samples[name].append(timed_get(client, url))
    stats = {name: summarise(values) for name, values in samples.items()}
    bare, page = stats["bare Django view (1 query)"], stats["applications:office_queue"]
    ratio = page["median"] / bare["median"]
    print_table(
        f"Office list page, 500 applications ({rows_shown} rows on the page), "
        "Django test client, office logged in",
        ["view", "requests", "queries", "median ms", "p95 ms"],
        [
            [name, s["n"], queries[name], f"{s['median']:.1f}", f"{s['p95']:.1f}"]
            for name, s in stats.items()
        ],
    )
    print(f"THE FIGURE: office list median / bare Django median = {ratio:.1f}x")
    assert Application.objects.filter(cycle=bench_world.cycle).count() == 500


def export_peak(queryset) -> tuple[int, float, int]:
    """Peak traced memory (bytes), seconds and file size of one export to a temp file."""
    with tempfile.TemporaryFile() as target:
        gc.collect()
        tracemalloc.start()
        try:
            started = time.perf_counter()
            write_applications_xlsx(queryset, target)
            elapsed = time.perf_counter() - started
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return peak, elapsed, target.tell()


def export_seconds(queryset) -> float:
    with tempfile.TemporaryFile() as target:
        started = time.perf_counter()
        write_applications_xlsx(queryset, target)
        return time.perf_counter() - started


def test_export_memory_does_not_grow_with_rows(bench_world):
    everything = applications_for(bench_world.office, cycle=bench_world.cycle)
    assert everything.count() == 500
    fifty = everything.filter(pk__in=bench_world.pks[:50])
    assert fifty.count() == 50
    export_peak(fifty[:5])  # warm up: imports, translation catalogues, openpyxl's caches

    results = {rows: export_peak(queryset) for rows, queryset in ((50, fifty), (500, everything))}
    untraced = {
        rows: export_seconds(queryset) for rows, queryset in ((50, fifty), (500, everything))
    }
    print_table(
        "Excel export (write_applications_xlsx), peak memory by tracemalloc",
        ["rows", "peak KiB", "seconds traced", "seconds untraced", "file KiB"],
        [
            [
                rows,
                f"{peak / 1024:.0f}",
                f"{seconds:.2f}",
                f"{untraced[rows]:.2f}",
                f"{size / 1024:.0f}",
            ]
            for rows, (peak, seconds, size) in results.items()
        ],
    )
    peak_50, peak_500 = results[50][0], results[500][0]
    print(f"peak at 500 rows / peak at 50 rows = {peak_500 / peak_50:.2f}")
    assert peak_500 <= 1.5 * peak_50
