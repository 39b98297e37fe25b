"""Issue 12, items 3–5: the leading group's candidates at a glance (the candidate list, the
ballot and the candidate-list PDF) and the public's results in numbers on the winners page.
Figures are checked against counts made here; query counts do not grow with the data; the
public page names no applicant that did not win."""

import base64
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications.enums import ApplicationState
from applications.models import Application
from award.enums import ApplicantKind, AwardCategory, Role
from decisions.enums import HonourStatus, VoteChoice
from decisions.models import Candidate, Honour
from decisions.selectors.candidates import candidate_page
from decisions.selectors.charts import candidate_charts, received_counts
from decisions.selectors.meetings import active_leaders
from decisions.services.meetings import meeting_open
from tests.decisions.honours_world import published_world
from tests.decisions.test_meetings import sent_world
from tests.factories import county, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def give_scores(world) -> dict:
    """Test fixture only: distinct frozen scores on each candidate; {application pk: (stage
    values, final)} as the chart must show them."""
    expected = {}
    for number, candidate in enumerate(
        Candidate.objects.filter(candidate_list__cycle=world.cycle).select_related("application")
    ):
        scale = 10 if candidate.application.kind == ApplicantKind.UNIT else 1
        stages = {
            "materials": Decimal(60 + number) * scale,
            "site_visit": Decimal("70.25") * scale + number,
            "defence": Decimal("80.5") * scale,
        }
        final = (sum(stages.values()) / 3).quantize(Decimal("0.01"))
        candidate.stage_scores = {stage: f"{value:.2f}" for stage, value in stages.items()}
        candidate.final_score = final
        candidate.save(update_fields=["stage_scores", "final_score"])
        expected[candidate.application_id] = (
            [f"{stages[s]:.2f}" for s in ("materials", "site_visit", "defence")],
            f"{final:.2f}",
        )
    return expected


def chart_rows(html: str) -> set[tuple[str, ...]]:
    """(label, value, …) of every row of the charts' tables on a page."""
    rows = set()
    for figure in html.split('<figure class="chart')[1:]:
        body = figure.split("</figure>")[0]
        for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", body, re.S):
            label = re.sub(r"<[^>]+>", "", row.split("</th>", 1)[0])
            rows.add((label, *re.findall(r'<td class="text-end">(.*?)</td>', row)))
    return rows


def expected_rows(world, expected) -> set[tuple[str, ...]]:
    return {
        (a.name, *expected[a.pk][0], expected[a.pk][1])
        for a in world.applications
        if a.pk in expected
    }


def test_the_candidate_list_shows_each_kinds_scores_as_a_chart_beside_the_table(client):
    world = sent_world(units=2, individuals=1)
    expected = give_scores(world)
    client.force_login(world.leaders[0])
    response = client.get(reverse("decisions:candidates_list", args=[world.cycle.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data:image/svg+xml;base64,") == 2  # one chart per kind
    assert "满分1000分" in html and "满分100分" in html
    assert chart_rows(html) == expected_rows(world, expected)
    page = candidate_page(world.cycle)
    charts = candidate_charts(page["sections"], page["stages"])
    unit_chart = next(c.chart for c in charts if c.kind == ApplicantKind.UNIT)
    assert unit_chart.labels == [
        a.name for a in sorted(world.units, key=lambda a: Decimal(expected[a.pk][1]), reverse=True)
    ]
    assert b"<script" not in unit_chart.svg
    # Drawn top down in ranking order, as the table reads.
    svg = unit_chart.svg.decode()
    first, second = unit_chart.labels
    assert label_y(svg, first) < label_y(svg, second)


def label_y(svg: str, label: str) -> float:
    return float(re.search(rf'<text[^>]*y="([\d.]+)"[^>]*>{re.escape(label)}</text>', svg).group(1))


def test_the_ballot_shows_the_same_charts(client):
    world = sent_world(units=2, individuals=1)
    expected = give_scores(world)
    meeting = meeting_open(
        cycle=world.cycle,
        by=world.office,
        held_on=timezone.localdate(),
        place="市政府第一会议室",
        members_present=world.leaders,
        secret_ballot=False,
    )
    client.force_login(world.leaders[0])
    html = client.get(reverse("decisions:meetings_vote", args=[meeting.pk])).content.decode()
    assert "候选对象得分一览" in html
    assert html.count("data:image/svg+xml;base64,") == 2
    assert chart_rows(html) == expected_rows(world, expected)


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_leaders_pages_cost_the_same_queries_at_two_sizes():
    counts = []
    for units, individuals in ((1, 1), (4, 3)):
        world = sent_world(units=units, individuals=individuals)
        give_scores(world)
        meeting = meeting_open(
            cycle=world.cycle,
            by=world.office,
            held_on=timezone.localdate(),
            place="市政府第一会议室",
            members_present=list(active_leaders()),
            secret_ballot=False,
        )
        client = Client()
        client.force_login(world.leaders[0])
        counts.append(
            (
                queries_of(client, reverse("decisions:candidates_list", args=[world.cycle.pk])),
                queries_of(client, reverse("decisions:meetings_vote", args=[meeting.pk])),
                queries_of(client, reverse("decisions:candidates_list_pdf", args=[world.cycle.pk])),
            )
        )
    assert counts[0] == counts[1]


def test_the_candidate_list_pdf_carries_the_chart_and_its_figures(client):
    world = sent_world(units=2, individuals=1)
    expected = give_scores(world)
    client.force_login(world.leaders[0])
    page = candidate_page(world.cycle)
    charts = candidate_charts(page["sections"], page["stages"])
    response = client.get(reverse("decisions:candidates_list_pdf", args=[world.cycle.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(p.extract_text() for p in reader.pages)
    # The chart is drawn into the PDF (WeasyPrint embeds the SVG as an XObject).
    xobjects = [
        name
        for p in reader.pages
        for name in p["/Resources"].get("/XObject") or {}
        if "/Resources" in p
    ]
    assert xobjects
    compact = text.replace(" ", "").replace("\n", "")
    for item in charts:
        assert item.chart.title.replace(" ", "") in compact
    for stages, final in expected.values():
        for value in (*stages, final):
            assert value in compact
    # The same image the page shows is what the PDF was rendered from.
    svg = base64.b64decode(charts[0].chart.data_uri.split(",", 1)[1])
    assert svg.startswith(b"<?xml")


# The public's results in numbers ------------------------------------------------------------

NOT_WINNERS = ("临沂落选测试机械有限公司", "临沂撤回测试食品有限公司", "张落选")


def add_non_winners(world) -> list[Application]:
    """Test fixture only: applications of the published cycle that did not win — two units
    (not selected, withdrawn) in 罗庄区 and an individual not selected in 兰山区 — and a draft
    never submitted (not counted)."""
    made = []
    states = (
        (NOT_WINNERS[0], ApplicantKind.UNIT, ApplicationState.NOT_SELECTED, "371311"),
        (NOT_WINNERS[1], ApplicantKind.UNIT, ApplicationState.WITHDRAWN, "371311"),
        (NOT_WINNERS[2], ApplicantKind.INDIVIDUAL, ApplicationState.NOT_SELECTED, "371302"),
    )
    for number, (name, kind, state, code) in enumerate(states):
        made.append(
            Application.objects.create(
                cycle=world.cycle,
                applicant=make_user(Role.APPLICANT, applicant_kind=kind),
                kind=kind,
                state=state,
                round=1,
                name=name,
                identifier=f"91371300MA3C0000{number}X",
                county=county(code),
                submitted_at=timezone.now(),
            )
        )
    Application.objects.create(
        cycle=world.cycle,
        applicant=make_user(Role.APPLICANT, applicant_kind=ApplicantKind.UNIT),
        kind=ApplicantKind.UNIT,
        name="临沂草稿测试有限公司",
        identifier="91371300MA3C00009X",
        county=county("371311"),
    )
    return made


def independent_counts(cycle):
    by_county, by_kind = {}, {}
    for application in Application.objects.filter(cycle=cycle).select_related("county"):
        if application.submitted_at is None or application.state == ApplicationState.DRAFT:
            continue
        key = (application.county.name, application.kind)
        by_county[key] = by_county.get(key, 0) + 1
        by_kind[application.kind] = by_kind.get(application.kind, 0) + 1
    return by_county, by_kind


@pytest.fixture
def public_world():
    world = published_world(
        units=2, individuals=1, outcomes=[VoteChoice.AWARD, VoteChoice.NOMINATION, VoteChoice.AWARD]
    )
    add_non_winners(world)
    return world


def test_the_winners_page_shows_results_in_numbers_and_no_non_winner(public_world):
    world = public_world
    url = reverse("public_decisions:winners", args=[world.cycle.number])
    html = Client().get(url).content.decode()
    assert "本届评选数据一览" in html and html.count("data:image/svg+xml;base64,") == 3
    by_county, by_kind = independent_counts(world.cycle)
    assert sum(by_kind.values()) == 6  # 3 winners + 3 non-winners, the draft not counted
    rows = chart_rows(html)
    counties = {name for name, _kind in by_county}
    for name in counties:
        assert (
            name,
            str(by_county.get((name, ApplicantKind.UNIT), 0)),
            str(by_county.get((name, ApplicantKind.INDIVIDUAL), 0)),
        ) in rows
    for kind, label in ApplicantKind.choices:
        assert (str(label), str(by_kind[kind])) in rows
    honours = list(Honour.objects.filter(cycle=world.cycle))
    for category, label in AwardCategory.choices:
        assert (
            label,
            str(sum(1 for h in honours if h.category == category and h.kind == "unit")),
            str(sum(1 for h in honours if h.category == category and h.kind == "individual")),
        ) in rows
    assert f"本届共受理申报{sum(by_kind.values())}件" in html
    # Nothing identifies an applicant that did not win, in the page or in its images.
    images = b"".join(
        base64.b64decode(part.split('"', 1)[0])
        for part in html.split("data:image/svg+xml;base64,")[1:]
    ).decode()
    for name in (*NOT_WINNERS, "临沂草稿测试有限公司"):
        assert name not in html and name not in images
    for application in world.applications:
        assert application.name in html  # the winners are listed


def test_the_cached_winners_page_follows_a_changed_figure(public_world, django_assert_num_queries):
    world = public_world
    url = reverse("public_decisions:winners", args=[world.cycle.number])
    first = Client().get(url).content.decode()
    with django_assert_num_queries(1):
        assert Client().get(url).content.decode().count("本届评选数据一览") == 1
    moved = Application.objects.get(name=NOT_WINNERS[0])
    Application.objects.filter(pk=moved.pk).update(county=county("371312"))
    after = Client().get(url).content.decode()
    assert after != first
    assert any(row[0] == county("371312").name for row in chart_rows(after))
    assert received_counts(world.cycle) == [
        (name, kind, n)
        for (name, kind), n in sorted(
            independent_counts(world.cycle)[0].items(),
            key=lambda item: (county_order(item[0][0]), item[0][0], item[0][1]),
        )
    ]


def county_order(name):
    from award.models import County

    return County.objects.get(name=name).sort_order


def test_a_revoked_honour_is_still_counted_and_noted(public_world):
    world = public_world
    Honour.objects.filter(application=world.units[0]).update(
        status=HonourStatus.REVOKED, revoked_on=timezone.localdate(), revoked_article="第十九条"
    )
    html = Client().get(reverse("public_decisions:winners_latest")).content.decode()
    assert "获评数量含已撤销的1项" in html


def test_the_public_page_costs_the_same_queries_at_two_sizes():
    counts = []
    for units, individuals in ((1, 1), (3, 2)):
        world = published_world(units=units, individuals=individuals)
        add_non_winners(world)
        cache.clear()
        counts.append(
            queries_of(Client(), reverse("public_decisions:winners", args=[world.cycle.number]))
        )
    assert counts[0] == counts[1]
