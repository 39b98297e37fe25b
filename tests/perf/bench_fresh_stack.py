"""The cost award.fresh_stack avoids: the same list template rendered at every stack depth
from 0 to 150 frames, as called and on a fresh data-stack chunk (CPython gh-142183). Run with
`make bench`; the table shows the median and the slowest depth of each."""

import statistics
import time
from decimal import Decimal

import pytest
from django.template import engines

from award import fresh_stack
from tests.perf.conftest import print_table

pytestmark = [pytest.mark.perf]

LIST = engines["django"].from_string(
    "{% load portal_format %}<table>{% for row in rows %}<tr><td>{{ forloop.counter }}</td>"
    "<td>{{ row.name }}</td><td>{{ row.county|default:'—' }}</td>"
    "{% for value in row.scores %}<td>{{ value|score }}</td>{% endfor %}"
    "<td>{% if row.below %}低于最低分{% endif %}</td></tr>{% endfor %}</table>"
)
ROWS = [
    {
        "name": f"临沂某某有限公司{n}",
        "county": "兰山区",
        "scores": [Decimal("88.125") + n, Decimal("90.5"), None, Decimal(n)],
        "below": n % 7 == 0,
    }
    for n in range(130)
]


def render():
    return LIST.render({"rows": ROWS})


def nested(depth, call):
    return call() if depth == 0 else nested(depth - 1, call)


def median_ms(call, runs=7) -> float:
    call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


@pytest.mark.skipif(not fresh_stack.NEEDED, reason="CPython ≥ 3.13 keeps an emptied chunk")
def test_a_list_renders_alike_at_every_stack_depth_on_a_fresh_chunk():
    depths = range(0, 151, 2)
    plain = [median_ms(lambda d=d: nested(d, render)) for d in depths]
    fresh = [
        median_ms(lambda d=d: nested(d, lambda: fresh_stack.run_on_fresh_stack(render)))
        for d in depths
    ]
    rows = []
    for name, times in (("as called", plain), ("fresh chunk", fresh)):
        worst = max(range(len(times)), key=times.__getitem__)
        rows.append(
            [
                name,
                f"{statistics.median(times):.2f}",
                f"{times[worst]:.2f}",
                depths[worst],
                f"{times[worst] / statistics.median(times):.1f}x",
            ]
        )
    print_table(
        "130 rows rendered at stack depths 0–150 (award.fresh_stack, CPython gh-142183)",
        ["how", "median ms", "slowest ms", "at depth", "slowest / median"],
        rows,
    )
    assert max(fresh) < 1.5 * statistics.median(fresh)
