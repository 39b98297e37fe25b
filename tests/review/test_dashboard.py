"""The agency's review dashboard (评审看板): figures against counts made in the test, the
calibration and spread rules, who may read it, constant queries at two sizes."""

import io
import statistics

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from award.enums import Role
from award.workbench import workbench
from review.enums import Stage
from review.selectors.dashboard import (
    SPREAD_FLAG,
    MeanRow,
    _flag,
    review_dashboard,
    score_spread,
)
from review.services import score_save
from tests.factories import make_user
from tests.review.factories import ReviewWorld, items_of, other_agency_user

pytestmark = pytest.mark.django_db

M, V = Stage.MATERIALS, Stage.SITE_VISIT
# Materials: application A scored by the five experts at these percentages, then agreed and
# signed; application B scored at 50 % by all and submitted, not agreed.
A_SCORES = [30, 50, 50, 50, 90]
B_SCORES = [50, 50, 50, 50, 50]


def dashboard_world(units=2):
    world = ReviewWorld(units=units)
    for application in world.applications:
        world.start(application)
        world.pass_checks(application)
    a, b = world.applications[:2]
    world.sign(a, M, scores=A_SCORES, consensus=50)
    world.score_all(b, M, B_SCORES)
    # One expert has started 现场评审 on B: items saved, nothing submitted.
    first = world.live(b)[0]
    item = items_of(b)[0]
    score_save(
        application=b,
        stage=V,
        by=first.user,
        criterion=item,
        percentage=60,
        strengths="体系完整",
        opportunities="量化目标不足",
    )
    return world


def url(world, **query):
    path = reverse("review:dashboard", args=[world.cycle.pk])
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def test_progress_per_group_and_stage_matches_counts_made_here():
    world = dashboard_world()
    rows = {(r.group, r.stage): r for r in review_dashboard(world.cycle)["progress"]}
    materials = rows[("第一评审组", M)]
    assert (materials.applications, materials.sheets) == (2, 2 * 5)
    assert (materials.scored, materials.submitted, materials.agreed, materials.signed) == (
        10,
        10,
        1,
        1,
    )
    visit = rows[("第一评审组", V)]
    assert (visit.scored, visit.submitted, visit.agreed, visit.signed) == (1, 0, 0, 0)
    assert materials.signed_pct == 50.0 and visit.scored_pct == 10.0
    assert rows[("第一评审组", Stage.DEFENCE)].scored == 0


def test_means_and_flags_match_numbers_computed_here():
    world = dashboard_world()
    items = len(items_of(world.application))
    data = review_dashboard(world.cycle)
    every = [p for p in A_SCORES + B_SCORES for _ in range(items)]
    cycle_mean = statistics.fmean(every)
    assert data["cycle_means"][M] == pytest.approx(cycle_mean)
    # site visit: one item at 60 %
    assert data["cycle_means"][V] == pytest.approx(60)
    experts = world.live(world.application)
    expected = {
        e.pk: statistics.fmean([a, b]) for e, a, b in zip(experts, A_SCORES, B_SCORES, strict=True)
    }
    rows = {row.key: row for row in data["experts"]}
    for pk, mean in expected.items():
        assert rows[pk].means[M] == pytest.approx(mean)
        assert rows[pk].deviations[M] == pytest.approx(mean - cycle_mean)
    # 40 and 70 are 12 and 18 points from 52: flagged; 50 is 2 points off: not.
    flagged = {pk for pk, row in rows.items() if M in row.flags}
    assert flagged == {experts[0].pk, experts[4].pk}
    assert {rows[e.pk].flags[M] for e in (experts[0], experts[4])} == {"points"}
    [group] = data["groups"]
    assert group.means[M] == pytest.approx(cycle_mean) and not group.flags


def test_the_standard_deviation_rule_has_a_floor():
    rows = [MeanRow(i, f"专家{i}") for i in range(5)]
    for row, mean in zip(rows, [50, 50, 50, 50, 58], strict=True):
        row.means[M] = mean
    _flag(rows, {M: 51.6})
    # 58 is 6.4 points off, more than 1.5 × 3.2 and above the 5-point floor: flagged;
    # the others are 1.6 points off, beyond 1.5 SD of nothing that matters: not flagged.
    assert [row.flags.get(M) for row in rows] == [None, None, None, None, "sd"]


def test_spread_per_item_for_one_application_and_the_cycle():
    world = dashboard_world()
    a, b = world.applications[:2]
    items = items_of(a)
    one = score_spread(world.cycle, [M, V], application=a)
    assert {(r.stage, r.criterion_id) for r in one} == {(M, i.pk) for i in items}
    assert {r.spread for r in one} == {max(A_SCORES) - min(A_SCORES)}
    assert all(r.highlighted and r.experts == 5 for r in one)
    quiet = score_spread(world.cycle, [M, V], application=b)
    # B's site visit has one expert only: left out; its materials agree: spread 0.
    assert {r.stage for r in quiet} == {M} and {r.spread for r in quiet} == {0}
    cycle = {r.criterion_id: r for r in score_spread(world.cycle, [M, V])}
    spread_a = max(A_SCORES) - min(A_SCORES)
    for item in items:
        row = cycle[item.pk]
        assert row.spread == spread_a
        assert row.mean_spread == pytest.approx((spread_a + 0) / 2)
        assert row.wide == int(spread_a >= SPREAD_FLAG) == 1


def test_page_shows_charts_tables_and_flags_to_the_agency(client):
    world = dashboard_world()
    client.force_login(world.agency_user)
    response = client.get(url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data:image/svg+xml;base64,") == 4
    assert "偏离较大" in html and "差异较大" in html and "<script" not in html.split("</main>")[0]
    assert 'id="progress-table"' in html and "52.00" in html
    response = client.get(url(world, application=world.application.pk))
    assert response.status_code == 200 and "60" in response.content.decode()


def test_board_tab_links_to_the_dashboard(client):
    world = ReviewWorld()
    client.force_login(world.agency_user)
    html = client.get(reverse("review:board", args=[world.cycle.pk])).content.decode()
    assert reverse("review:dashboard", args=[world.cycle.pk]) in html


@pytest.mark.parametrize("role", [Role.OFFICE, Role.AUDITOR])
def test_office_and_auditor_read_it(client, role):
    world = ReviewWorld()
    client.force_login(make_user(role))
    assert client.get(url(world)).status_code == 200


def test_others_get_404(client):
    world = ReviewWorld()
    for user in (other_agency_user(), make_user(Role.APPLICANT), world.experts[0].user):
        client.force_login(user)
        assert client.get(url(world)).status_code == 404
    other = ReviewWorld()
    client.force_login(world.agency_user)
    assert client.get(url(world, application=other.application.pk)).status_code == 404
    assert client.get(url(world, application="x")).status_code == 404


@pytest.mark.parametrize("units", [2, 4])
def test_constant_queries_at_two_sizes(client, django_assert_max_num_queries, units):
    world = dashboard_world(units=units)
    for application in world.applications[2:]:
        world.score_all(application, M, [40, 45, 50, 55, 60])
    client.force_login(world.agency_user)
    with django_assert_max_num_queries(18):
        assert client.get(url(world)).status_code == 200
    with django_assert_max_num_queries(19):
        assert client.get(url(world, application=world.application.pk)).status_code == 200


def test_agency_report_pdf_carries_the_charts_drawn_with_chinese_text(client):
    world = dashboard_world()
    client.force_login(world.agency_user)
    response = client.get(reverse("review:cycle_report_pdf", args=[world.cycle.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "五、评审进度与评分分布" in text
    # The chart titles exist only inside the SVG images: WeasyPrint drew them as CJK text.
    assert "各评审组各环节进度" in text.replace("\n", "")
    assert "各专家平均得分比例与本届平均" in text.replace("\n", "")
    assert "偏离较大的评审组或专家" in text


def test_agency_report_workbook_has_the_dashboard_sheet(client):
    world = dashboard_world()
    client.force_login(world.agency_user)
    response = client.get(reverse("review:cycle_report_xlsx", args=[world.cycle.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["评审看板"]
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert ("第一评审组", "材料评审", 2, 10, 10, 10, 1, 1) in rows
    means = {row[0]: row for row in rows if row and row[0] == "本届平均"}
    assert float(means["本届平均"][2]) == pytest.approx(52.0)
    experts = world.live(world.application)
    flagged = {row[0] for row in rows if row and row[5] == "材料评审"}
    assert flagged == {experts[0].name, experts[4].name}


def test_the_agency_finds_the_dashboard_on_its_workbench():
    world = ReviewWorld()
    items = workbench.items_for(world.agency_user)
    target = reverse("review:dashboard", args=[world.cycle.pk])
    assert any(item.url == target for item in items)
    assert not any(item.url == target for item in workbench.items_for(other_agency_user()))
