"""Every list page beside a bare Django view of the same rows (issue 13: at most 4×).

For each floor a world is seeded, then each list page is fetched by its user, and so is a
bare view (tests/perf/urls.py) that renders the same rows (the same model rows, in the page's
order, their columns' values) in a template extending nothing, through the same middleware and
session. Both are timed through Django's WSGI handler as gunicorn calls it: the test client
also copies every rendered template's context for its assertions, which costs a page with
many templates up to a third more and is not what a user waits for. Page and bare view are
fetched interleaved, so load from other processes on the machine hits both alike; ratio =
page median / bare median. The rows and the query count come from the test client.

Run with `make bench` (pytest -m perf -s tests/perf). The table is printed with the pages over
4×; the assertions hold what must not regress: a paginated page's queries do not grow with
its rows (page 1 beside the last, shorter page).
"""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.paginator import Page
from django.db import close_old_connections, connection, models
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from applications.validators import id_number_check_char
from award.enums import CyclePhase, Role
from award.models import Cycle, User
from decisions.enums import ObjectorKind
from decisions.models import Objection
from revocation.enums import ComplainantKind
from revocation.services.assessments import round_plan
from revocation.services.complaints import complaint_file
from revocation.services.obligations import sharing_request
from tests.factories import make_user
from tests.perf import urls as bench_urls
from tests.perf.bench_review import seed_review
from tests.perf.conftest import (
    print_machine_speed,
    print_table,
    seed_bench_applications,
    summarise,
)
from tests.revocation.factories import RevocationWorld

pytestmark = [pytest.mark.perf, pytest.mark.django_db]

REQUESTS = 15
WARM_UP = 2
LIMIT = 4.0
ID_NUMBER = "37130219800101123" + id_number_check_char(
    "37130219800101123"
)  # a list page at most 4 × the bare view of its rows


@dataclass
class ListPage:
    name: str
    url: str
    user: User
    rows: str | Callable  # context key, then attributes down to the model: "rows.honour"


def rows_of(context, path) -> list[models.Model]:
    if callable(path):
        return path(context)
    key, *attributes = path.split(".")
    value = context[key]
    items = value.object_list if isinstance(value, Page) else value
    found = []
    for item in items:
        for attribute in attributes:
            item = item[attribute] if isinstance(item, dict) else getattr(item, attribute)
        found.append(item)
    return found


# The columns the lists show, where a model is listed with many rows.
COLUMNS = {
    "applications.Application": (
        "name",
        "kind",
        "county__name",
        "cycle__number",
        "state",
        "submitted_at",
    ),
    "review.Expert": (
        "name",
        "employer",
        "county__name",
        "user__username",
        "is_active",
        "disqualified_at",
    ),
    "decisions.Objection": (
        "receipt_code",
        "application__name",
        "application__county__name",
        "name",
        "submitted_at",
        "state",
    ),
    "revocation.Complaint": (
        "receipt_code",
        "subject",
        "name",
        "phone",
        "submitted_at",
        "handling",
    ),
}


def columns_of(model, html: str) -> list[str]:
    """The columns the page shows: as listed above, else as many of the model's own short
    columns as the page's first table has headers."""
    if model._meta.label in COLUMNS:
        return list(COLUMNS[model._meta.label])
    table = html.split("<table", 1)[-1].split("</thead>", 1)[0]
    shown = max(1, table.count("<th"))
    own = [
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and not isinstance(f, models.TextField | models.JSONField)
    ]
    return own[:shown]


_handler = None


def timed_get(client, url) -> float:
    """GET `url` with the client's cookies through a WSGIHandler, as gunicorn would."""
    global _handler
    _handler = _handler or WSGIHandler()
    path, _, query = url.partition("?")
    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        QUERY_STRING=query,
        REQUEST_METHOD="GET",
        HTTP_COOKIE=client.cookies.output(header="", sep=";"),
    )
    statuses = []
    # The test's transaction holds the world: keep its connection open, as the test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        started = time.perf_counter()
        response = _handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(response)
        response.close()
        elapsed = time.perf_counter() - started
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert statuses[0].startswith("200"), (url, statuses[0])
    return elapsed


def query_count(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response


def measure(client, page: ListPage) -> list:
    client.force_login(page.user)
    for _ in range(WARM_UP):
        timed_get(client, page.url)
    queries, response = query_count(client, page.url)
    found = rows_of(response.context, page.rows)
    model = type(found[0]) if found else Application
    key = page.name.replace(":", "-")
    bench_urls.BARE_ROWS[key] = (
        model,
        [row.pk for row in found],
        columns_of(model, response.content.decode()),
    )
    bare = reverse("bench_bare_rows", args=[key])
    for _ in range(WARM_UP):
        timed_get(client, bare)
    paginated = response.context.get("page_obj")
    if paginated is not None and paginated.paginator.num_pages > 1:
        last_queries, last = query_count(client, f"{page.url}?page=last")
        assert len(last.context["page_obj"]) < len(paginated)
        assert queries == last_queries, f"{page.name}: queries grow with the rows"
    samples = {"page": [], "bare": []}
    for _ in range(REQUESTS):
        samples["page"].append(timed_get(client, page.url))
        samples["bare"].append(timed_get(client, bare))
    page_ms = summarise(samples["page"])["median"]
    bare_ms = summarise(samples["bare"])["median"]
    return [page.name, len(found), queries, f"{page_ms:.1f}", f"{bare_ms:.1f}", page_ms / bare_ms]


# Worlds ---------------------------------------------------------------------------------------


def applications_pages() -> list[ListPage]:
    """520 applications (the last page short); the county user's county given 120 of them."""
    world = seed_bench_applications(520)
    county_user = make_user(Role.COUNTY)
    Application.objects.filter(pk__in=world.pks[::4][:120]).update(county=county_user.county)
    return [
        ListPage(
            "applications:office_queue",
            reverse("applications:office_queue"),
            world.office,
            "page_obj",
        ),
        ListPage(
            "applications:county_queue",
            reverse("applications:county_queue"),
            county_user,
            "page_obj",
        ),
    ]


def review_pages() -> list[ListPage]:
    """150 applications under review by 10 groups of 5 experts, the cycle then in 拟获评 for
    the candidates page (its reviewed ones waiting to be nominated)."""
    cycle, _plan, _open, groups, _items = seed_review(150)
    agency_user = make_user(Role.AGENCY, agency=cycle.agency)
    office = User.objects.filter(groups__name=Role.OFFICE).first()
    expert = groups[0][1][1].user
    Cycle.objects.filter(pk=cycle.pk).update(phase=CyclePhase.DELIBERATION)
    return [
        ListPage(
            "review:agency_applications",
            reverse("review:agency_applications"),
            agency_user,
            "cycles",
        ),
        ListPage("review:board", reverse("review:board", args=[cycle.pk]), agency_user, "page_obj"),
        ListPage("review:expert_list", reverse("review:expert_list"), agency_user, "page_obj"),
        ListPage(
            "review:group_list",
            reverse("review:group_list", args=[cycle.pk]),
            agency_user,
            "rows.group",
        ),
        ListPage(
            "review:expert_tasks", reverse("review:expert_tasks"), expert, "tasks.application"
        ),
        ListPage(
            "decisions:candidates_index", reverse("decisions:candidates_index"), office, "cycles"
        ),
        ListPage(
            "decisions:candidates_cycle",
            reverse("decisions:candidates_cycle", args=[cycle.pk]),
            office,
            waiting_rows,
        ),
    ]


def waiting_rows(context) -> list:
    return [row for section in context["sections"] for row in section.waiting]


def published_pages() -> list[ListPage]:
    """A published cycle of 12 honours (through the services), each with a sharing request,
    an assessment record and a complaint; 60 objections written in bulk."""
    world = RevocationWorld(units=9, individuals=3)
    office, cycle = world.office, world.cycle
    due = timezone.localdate() + datetime.timedelta(days=30)
    for honour in world.honours:
        sharing_request(
            honour=honour, topic="卓越绩效管理经验", details="3000字以内。", due_on=due, by=office
        )
    round_ = round_plan(
        name="2026年度定期评估", year=2026, due_on=due, cycles=[cycle], agency=None, by=office
    )
    for index, honour in enumerate(world.honours):
        cache.clear()  # the public filing's rate limit
        complaint_file(
            complainant_kind=ComplainantKind.PERSON,
            name="张三",
            id_number=ID_NUMBER,
            phone="13800000000",
            subject=honour.holder_name,
            facts=f"获奖后产品抽检不合格（{index}）。",
        )
    for index, honour in enumerate(world.honours[:4]):
        world.open_case(honour, summary=f"举报材料反映申报数据造假（{index}）。")
    applications = [h.application for h in world.honours]
    Objection.objects.bulk_create(
        Objection(
            cycle=cycle,
            application=applications[i % len(applications)],
            objector_kind=ObjectorKind.PERSON,
            name=f"异议人{i}",
            phone="13800000000",
            receipt_code=f"BENCH{i:06d}",
        )
        for i in range(60)
    )
    return [
        ListPage("decisions:honours_index", reverse("decisions:honours_index"), office, "cycles"),
        ListPage(
            "decisions:honours_cycle",
            reverse("decisions:honours_cycle", args=[cycle.pk]),
            office,
            "rows.honour",
        ),
        ListPage(
            "decisions:publicity_index", reverse("decisions:publicity_index"), office, "cycles"
        ),
        ListPage(
            "decisions:publicity_objections",
            reverse("decisions:publicity_objections", args=[cycle.pk]),
            office,
            "page_obj",
        ),
        ListPage("revocation:case_list", reverse("revocation:case_list"), office, "cases"),
        ListPage(
            "revocation:complaint_list", reverse("revocation:complaint_list"), office, "page_obj"
        ),
        ListPage(
            "revocation:assessment_rounds",
            reverse("revocation:assessment_rounds"),
            office,
            "rounds",
        ),
        ListPage(
            "revocation:assessment_round",
            reverse("revocation:assessment_round", args=[round_.pk]),
            office,
            "records",
        ),
        ListPage(
            "revocation:sharing_list", reverse("revocation:sharing_list"), office, "rows.request"
        ),
    ]


WORLDS = {
    "applications": applications_pages,
    "review": review_pages,
    "published": published_pages,
}


@pytest.mark.parametrize("world", WORLDS)
def test_list_pages_beside_a_bare_view_of_their_rows(world, client, settings):
    settings.ROOT_URLCONF = "tests.perf.urls"
    print_machine_speed()
    started = time.perf_counter()
    pages = WORLDS[world]()
    print(f"\n[seed] {world} world in {time.perf_counter() - started:.1f} s")
    results = [measure(client, page) for page in pages]
    print_table(
        f"List pages of the {world} world beside a bare view of the same rows "
        f"({REQUESTS} interleaved requests each through Django's WSGI handler)",
        ["page", "rows", "queries", "median ms", "bare ms", "ratio"],
        [[*row[:5], f"{row[5]:.1f}x"] for row in results],
    )
    over = [f"{row[0]} ({row[5]:.1f}x)" for row in results if row[5] > LIMIT]
    print(f"over {LIMIT:.0f}x: {', '.join(over) if over else 'none'}")
    assert all(row[1] > 0 for row in results), "every page lists rows"
