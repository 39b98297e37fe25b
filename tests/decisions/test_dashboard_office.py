"""The office's cycle dashboard (数据看板): who sees it, its figures against counts made in
the test, and a constant number of queries whatever the number of applications."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.enums import ApplicationState as S
from applications.enums import EventAction as A
from applications.models import Application, ApplicationEvent
from award.enums import ApplicantKind, CyclePhase, Role
from award.models import AuditEntry, County, Cycle
from award.workbench import workbench
from decisions.selectors import dashboard as figures
from decisions.views.dashboard import funnel_chart, stuck_days
from tests.factories import CycleFactory, make_user
from tests.perf.conftest import seed_bench_applications

pytestmark = pytest.mark.django_db

PATH = [S.SUBMITTED, S.RECOMMENDED, S.ACCEPTED, S.IN_REVIEW, S.REVIEWED, S.CANDIDATE]
PATH += [S.PROPOSED, S.AWARDED]
AFTER_ACCEPTED = {
    "awarded": [S.IN_REVIEW, S.REVIEWED, S.CANDIDATE, S.PROPOSED, S.IN_PUBLICITY, S.AWARDED],
    "failed": [S.IN_REVIEW, S.REVIEW_FAILED],
    "passed_over": [S.IN_REVIEW, S.REVIEWED, S.CANDIDATE, S.NOT_SELECTED],
}


def advance(application, states, *, by):
    """Test data: walk an application on through `states`, one event per step."""
    at = timezone.now()
    source = application.state
    for state in states:
        ApplicationEvent.objects.create(
            application=application,
            round=application.round,
            actor=by,
            action=A.START_REVIEW,  # the action does not matter to the dashboard
            from_state=source,
            to_state=state,
            created_at=at,
        )
        source = state
    Application.objects.filter(pk=application.pk).update(state=source)


def world(count):
    """The bench world of `count` applications; of the accepted ones, one awarded, one
    failed in review and one passed over per kind where there are enough."""
    bench = seed_bench_applications(count)
    accepted = list(Application.objects.filter(pk__in=bench.pks, state=S.ACCEPTED).order_by("pk"))
    for application, path in zip(accepted, AFTER_ACCEPTED.values(), strict=False):
        advance(application, path, by=bench.office)
    return bench


def expected_funnel(cycle):
    """Independent count: an application reached a step when its timeline entered the step's
    state (the test data writes every step as an event)."""
    entered = {}
    for event in ApplicationEvent.objects.filter(application__cycle=cycle):
        entered.setdefault(event.application_id, set()).add(event.to_state)
    kinds = dict(Application.objects.filter(cycle=cycle, round__gte=1).values_list("pk", "kind"))
    counts = {kind: [0] * len(PATH) for kind in ApplicantKind.values}
    for pk, kind in kinds.items():
        for i, state in enumerate(PATH):
            if state in entered.get(pk, ()):
                counts[kind][i] += 1
    return counts


@pytest.mark.parametrize("count", [21, 70])
def test_the_funnel_matches_the_timelines(count):
    bench = world(count)
    assert figures.funnel(bench.cycle) == expected_funnel(bench.cycle)
    result = figures.funnel(bench.cycle)
    total = sum(result[kind][0] for kind in result)
    assert total == count
    # one awarded, one failed in review, one passed over: all three reached 专家评审
    assert sum(result[kind][3] for kind in result) == 3
    assert sum(result[kind][5] for kind in result) == 2  # 候选: awarded and passed over
    assert sum(result[kind][7] for kind in result) == 1  # 获评


def test_a_state_without_events_still_counts_as_reached():
    """DecisionWorld marks applications 评审完成 without events: the state proves the way."""
    bench = seed_bench_applications(7)
    accepted = Application.objects.get(pk__in=bench.pks, state=S.ACCEPTED)
    Application.objects.filter(pk=accepted.pk).update(state=S.REVIEWED)
    result = figures.funnel(bench.cycle)
    reached = [sum(result[kind][i] for kind in result) for i in range(len(PATH))]
    # 7 submitted; recommended: recommended, accepted→reviewed, recheck_failed
    assert reached == [7, 3, 1, 1, 1, 0, 0, 0]


def test_counties_and_state_groups_match_a_count_in_python():
    bench = world(70)
    rows = figures.by_county(bench.cycle)
    for row in rows:
        states = list(
            Application.objects.filter(cycle=bench.cycle, county=row.county).values_list(
                "state", flat=True
            )
        )
        assert row.total == len(states)
        for i, (_label, group) in enumerate(figures.STATE_GROUPS):
            assert row.by_group[i] == sum(1 for s in states if s in group), row.county.name
    assert sum(row.total for row in rows) == 70
    assert {row.county.pk for row in rows} >= set(
        County.objects.filter(is_active=True).values_list("pk", flat=True)
    )


def test_stuck_items_are_those_idle_longer_than_n_days_and_not_final():
    bench = seed_bench_applications(14)
    old = timezone.now() - datetime.timedelta(days=20)
    ApplicationEvent.objects.filter(application_id__in=bench.pks).update(created_at=old)
    settled = {S.DECLINED, S.RECHECK_FAILED, S.WITHDRAWN}
    expected = set(
        Application.objects.filter(pk__in=bench.pks)
        .exclude(state__in=settled)
        .values_list("pk", flat=True)
    )
    assert {a.pk for a in figures.stuck(bench.cycle, days=14)} == expected
    assert len(expected) == 8  # submitted, recommended, returned, accepted × 2
    assert list(figures.stuck(bench.cycle, days=30)) == []
    fresh = Application.objects.get(pk=min(expected))
    advance(fresh, [S.RETURNED] if fresh.state == S.SUBMITTED else [fresh.state], by=bench.office)
    assert fresh.pk not in {a.pk for a in figures.stuck(bench.cycle, days=14)}


def test_days_parameter_falls_back_to_the_default():
    assert stuck_days("30") == 30
    assert stuck_days("abc") == stuck_days(None) == stuck_days("0") == 14
    assert stuck_days("9999") == 14


def test_days_left_to_each_deadline_negative_when_passed():
    today = datetime.date(2026, 6, 10)
    cycle = CycleFactory.build(
        application_deadline=timezone.make_aware(datetime.datetime(2026, 6, 1, 17, 0)),
        preliminary_deadline=datetime.date(2026, 6, 10),
        recheck_deadline=datetime.date(2026, 6, 15),
        review_deadline=None,
        publicity_ends_on=datetime.date(2026, 7, 30),
    )
    rows = figures.deadlines(cycle, today=today)
    assert [(r.label, r.days_left) for r in rows] == [
        ("申报截止", -9),
        ("初审截止", 0),
        ("复核截止", 5),
        ("公示结束", 50),
    ]
    assert [r.badge for r in rows] == [
        "text-bg-secondary",
        "text-bg-danger",
        "text-bg-warning",
        "text-bg-success",
    ]


def two_cycles():
    """An archived earlier cycle with winners and the bench cycle after it."""
    bench = world(28)
    Cycle.objects.filter(pk=bench.cycle.pk).update(number=50)
    earlier = CycleFactory(number=10, year=2024)
    Cycle.objects.filter(pk=earlier.pk).update(phase=CyclePhase.ARCHIVED)
    moved = list(Application.objects.filter(pk__in=bench.pks).order_by("pk")[:4])
    Application.objects.filter(pk__in=[a.pk for a in moved]).update(cycle=earlier)
    Application.objects.filter(pk__in=[a.pk for a in moved[:3]]).update(state=S.AWARDED)
    bench.cycle.refresh_from_db()
    return bench, earlier, moved


def test_comparison_with_earlier_cycles():
    bench, earlier, _moved = two_cycles()
    rows = figures.earlier_cycles(bench.cycle)
    assert [(r.cycle.pk, r.applications, r.winners) for r in rows] == [
        (earlier.pk, 4, 3),
        (bench.cycle.pk, 24, 1),
    ]
    by_county = dict(figures.winners_by_county([earlier, bench.cycle]))
    expected = {}
    for application in Application.objects.filter(state=S.AWARDED).select_related("county"):
        counts = expected.setdefault(application.county, [0, 0])
        counts[0 if application.cycle_id == earlier.pk else 1] += 1
    assert by_county == expected
    # the earlier cycle's dashboard compares only with what came before it
    assert [r.cycle.pk for r in figures.earlier_cycles(earlier)] == [earlier.pk]


def test_the_page_shows_chinese_figures_and_links_to_the_filtered_lists(client):
    bench, earlier, _moved = two_cycles()
    client.force_login(bench.office)
    response = client.get(reverse("decisions:dashboard_cycle", args=[bench.cycle.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    queue = reverse("applications:office_queue")
    for text in ("申报漏斗", "初审推荐", "获评", "各县区申报进度", "截止日期", "历届对比"):
        assert text in html
    assert f"{queue}?cycle={bench.cycle.pk}&amp;state=recommended" in html
    county = County.objects.filter(is_active=True).first()
    assert f"{queue}?cycle={bench.cycle.pk}&amp;county={county.pk}" in html
    assert f"{queue}?cycle={earlier.pk}" in html
    assert "&amp;state=awarded" in html
    assert "data:image/svg+xml;base64," in html
    assert "<script" not in html.split("<body", 1)[1].split("</main>")[0]
    # the current cycle without an id: the newest cycle that has left 筹备
    assert client.get(reverse("decisions:dashboard")).context["cycle"] == bench.cycle


def test_stuck_list_on_the_page_follows_the_days_parameter(client):
    bench = seed_bench_applications(7)
    ApplicationEvent.objects.filter(application_id__in=bench.pks).update(
        created_at=timezone.now() - datetime.timedelta(days=20)
    )
    client.force_login(bench.office)
    url = reverse("decisions:dashboard")
    detail = reverse("applications:office_detail", args=[bench.pks[0]])
    assert detail in client.get(url).content.decode()
    assert detail not in client.get(url, {"days": 30}).content.decode()
    assert "超过30天未办理的申报" in client.get(url, {"days": 30}).content.decode()


@pytest.mark.parametrize("role", [Role.OFFICE, Role.AUDITOR])
def test_office_and_auditor_see_the_dashboard(client, role):
    bench = seed_bench_applications(7)
    client.force_login(make_user(role))
    assert client.get(reverse("decisions:dashboard")).status_code == 200
    url = reverse("decisions:dashboard_cycle", args=[bench.cycle.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("decisions:dashboard_cycle", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.APPLICANT, Role.COUNTY, Role.AGENCY, Role.EXPERT, Role.LEADER]
)
def test_other_roles_get_404(client, role):
    bench = seed_bench_applications(7)
    client.force_login(make_user(role))
    assert client.get(reverse("decisions:dashboard")).status_code == 404
    url = reverse("decisions:dashboard_cycle", args=[bench.cycle.pk])
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_log_in(client):
    assert client.get(reverse("decisions:dashboard")).status_code == 302


def test_no_cycle_yet(client, office_user):
    client.force_login(office_user)
    response = client.get(reverse("decisions:dashboard"))
    assert response.status_code == 200
    assert "尚无已发布申报通知的评选届次" in response.content.decode()


def test_the_office_finds_it_on_the_workbench_and_in_the_nav(client, office_user):
    items = workbench.items_for(office_user)
    assert any(i.title == "数据看板" and i.url == reverse("decisions:dashboard") for i in items)
    assert not any(i.title == "数据看板" for i in workbench.items_for(make_user(Role.COUNTY)))
    client.force_login(office_user)
    assert (
        reverse("decisions:dashboard")
        in client.get(reverse("decisions:dashboard")).content.decode()
    )


@pytest.mark.parametrize("count", [14, 140])
def test_a_constant_number_of_queries(client, django_assert_max_num_queries, count):
    bench = world(count)
    client.force_login(bench.office)
    url = reverse("decisions:dashboard_cycle", args=[bench.cycle.pk])
    ApplicationEvent.objects.filter(application_id__in=bench.pks).update(
        created_at=timezone.now() - datetime.timedelta(days=20)
    )
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200


def test_the_excel_workbook_carries_the_charts_figures_and_is_recorded(client):
    bench, _earlier, _moved = two_cycles()
    ApplicationEvent.objects.filter(application_id__in=bench.pks[:5]).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    client.force_login(bench.office)
    page = client.get(reverse("decisions:dashboard_cycle", args=[bench.cycle.pk]), {"days": 30})
    url = reverse("decisions:dashboard_xlsx", args=[bench.cycle.pk])
    assert f"{url}?days=30" in page.content.decode()
    response = client.get(url, {"days": 30})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "说明",
        "申报漏斗",
        "各县区申报",
        "截止日期",
        "超过30天未办理",
        "历届对比",
        "历届各县区获评",
    ]
    funnel = expected_funnel(bench.cycle)
    rows = list(book["申报漏斗"].iter_rows(values_only=True))
    assert rows[0] == ("环节", "申报单位", "申报个人")
    assert [row[1] for row in rows[1:]] == funnel[ApplicantKind.UNIT]
    assert [row[2] for row in rows[1:]] == funnel[ApplicantKind.INDIVIDUAL]
    stuck_rows = list(book["超过30天未办理"].iter_rows(values_only=True))[1:]
    expected = Application.objects.filter(pk__in=bench.pks[:5], cycle=bench.cycle).exclude(
        state__in=[S.DECLINED, S.RECHECK_FAILED, S.WITHDRAWN, S.AWARDED]
    )
    assert sorted(row[0] for row in stuck_rows) == sorted(a.name for a in expected)
    history = list(book["历届对比"].iter_rows(values_only=True))[1:]
    assert [row[1:] for row in history] == [(4, 3), (24, 1)]
    entry = AuditEntry.objects.filter(action="decisions.dashboard_export").get()
    assert entry.actor_id == bench.office.pk


def test_the_excel_workbook_is_404_for_other_roles(client):
    bench = seed_bench_applications(7)
    client.force_login(make_user(Role.COUNTY))
    assert client.get(reverse("decisions:dashboard_xlsx", args=[bench.cycle.pk])).status_code == 404
    client.force_login(bench.office)
    assert client.get(reverse("decisions:dashboard_xlsx", args=[999999])).status_code == 404


def test_the_funnel_reads_from_the_top_and_its_table_in_path_order():
    bench = world(21)
    chart = funnel_chart(bench.cycle)
    assert [row[0] for row in chart.rows] == [str(label) for label, _s in figures.FUNNEL]
    assert chart.rows[0][1].endswith(f"?cycle={bench.cycle.pk}&state=submitted")
    funnel = figures.funnel(bench.cycle)
    assert chart.rows[0][2] == [str(funnel["unit"][0]), str(funnel["individual"][0])]
    svg = chart.svg.decode()
    y = {
        label: float(at)
        for at, label in re.findall(r'<text[^>]*\by="([0-9.]+)"[^>]*>(申报|获评)</text>', svg)
    }
    assert y["申报"] < y["获评"]  # 申报 drawn at the top
