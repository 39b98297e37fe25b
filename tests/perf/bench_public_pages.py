"""The public pages' throughput under gunicorn, beside a bare Django view (target ≥ 60 %)."""

import pytest
from django.urls import reverse

from tests.perf.conftest import print_table
from tests.perf.gunicorn import gunicorn, throughput

pytestmark = [pytest.mark.perf, pytest.mark.django_db(transaction=True)]


def public_pages() -> dict[str, str]:
    return {"首页": reverse("award:home")}


def test_public_pages_beside_a_bare_view():
    pages = {"bare Django view (1 query)": "/__bench__/bare/", **public_pages()}
    with gunicorn(workers=2) as port:
        for path in pages.values():
            throughput(port, path, seconds=1)  # warm up
        results = {name: throughput(port, path) for name, path in pages.items()}
    bare = results["bare Django view (1 query)"]["rps"]
    print_table(
        "Public pages under gunicorn (2 workers, 4 keep-alive clients, 5 s each)",
        ["page", "requests/s", "errors", "share of bare view"],
        [
            [name, f"{r['rps']:.0f}", r["errors"], f"{100 * r['rps'] / bare:.0f} %"]
            for name, r in results.items()
        ],
    )
    assert all(r["errors"] == 0 for r in results.values())
