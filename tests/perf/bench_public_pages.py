"""The public pages' throughput under gunicorn, beside a bare Django view (target ≥ 60 %).

Besides the home page: the 公示 page of a cycle with 8 proposed winners in 公示, the
获评名单 of a published cycle with 8 honours, and one certificate's verification page, all
built through the services (the honours and 公示 test worlds) and committed, so gunicorn's
workers see them. The verification page is throttled per client address; each request comes
from a new address (tests/perf/settings.py trusts X-Real-IP) so the throttle is measured, not hit.
"""

import itertools

import pytest
from django.db import transaction
from django.urls import reverse

from decisions.models import Honour
from tests.decisions.honours_world import HonoursWorld, published_world
from tests.perf.conftest import print_table
from tests.perf.gunicorn import gunicorn, throughput

pytestmark = [pytest.mark.perf, pytest.mark.django_db(transaction=True)]

TARGET_SHARE = 0.60
BARE = "bare Django view (1 query)"
VERIFY = "证书查验 (verify_serial)"
ROUNDS = 3
SLICE = 2.0


def public_pages() -> dict[str, str]:
    # The worlds lock rows as the services do; each is committed when its block ends.
    with transaction.atomic():
        published = published_world(units=6, individuals=2)
    with transaction.atomic():
        in_publicity = HonoursWorld(units=6, individuals=2, window_over=False)
    honour = Honour.objects.filter(cycle=published.cycle).order_by("serial").first()
    return {
        "首页": reverse("award:home"),
        "公示 (8 entries)": reverse(
            "public_decisions:publicity_cycle", kwargs={"number": in_publicity.cycle.number}
        ),
        "获评名单 (8 honours)": reverse(
            "public_decisions:winners", kwargs={"number": published.cycle.number}
        ),
        VERIFY: reverse("public_decisions:verify_serial", kwargs={"serial": honour.serial}),
    }


_addresses = itertools.count(1)


def new_address(_client: int, _n: int) -> dict:
    n = next(_addresses)
    return {"X-Real-IP": f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"}


def interleaved(port: int, pages: dict[str, str], headers: dict, rounds: int = ROUNDS) -> dict:
    """Each page for SLICE seconds in turn, `rounds` times over: the machine's load drifts
    (2 shared cores), and interleaving spreads the drift over the bare view and the pages."""
    totals = {name: {"requests": 0, "errors": 0, "seconds": 0.0} for name in pages}
    for _round in range(rounds):
        for name, path in pages.items():
            result = throughput(port, path, seconds=SLICE, headers=headers.get(name))
            totals[name]["requests"] += result["requests"]
            totals[name]["errors"] += result["errors"]
            totals[name]["seconds"] += result["seconds"]
    return {
        name: {
            "rps": total["requests"] / total["seconds"] if total["seconds"] else 0.0,
            "errors": total["errors"],
            "requests": total["requests"],
        }
        for name, total in totals.items()
    }


def test_public_pages_beside_a_bare_view():
    pages = {BARE: "/__bench__/bare/", **public_pages()}
    headers = {VERIFY: new_address}
    with gunicorn(workers=2) as port:
        for name, path in pages.items():
            throughput(port, path, seconds=1, headers=headers.get(name))  # warm up
        results = interleaved(port, pages, headers)
    bare = results[BARE]["rps"]
    print_table(
        f"Public pages under gunicorn (2 workers, 4 keep-alive clients, "
        f"{ROUNDS} × {SLICE:.0f} s each, interleaved)",
        ["page", "requests/s", "errors", "share of bare view"],
        [
            [
                name,
                f"{r['rps']:.0f}",
                r["errors"],
                f"{100 * r['rps'] / bare:.0f} %"
                + ("" if name == BARE or r["rps"] >= TARGET_SHARE * bare else " (MISSED)"),
            ]
            for name, r in results.items()
        ],
    )
    print(f"target: every public page ≥ {TARGET_SHARE:.0%} of the bare view's requests/s")
    assert all(r["errors"] == 0 for r in results.values())
