"""Supervision of the trail (第七章, DESIGN.md §9): one object's 操作记录 from its own page, and
the hash chain checked from the portal by the office or the auditor."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.urls import reverse

from award.enums import Role
from award.models import AuditEntry
from award.templatetags.audit_links import audit_history_url
from award.views.audit import AuditVerifyView
from decisions.models import Honour
from tests.award.test_audit import raw_sql_as_attacker, record
from tests.decisions.honours_world import published_world
from tests.factories import CycleFactory, NoticeFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return make_user(Role.OFFICE)


def ids(response) -> list[int]:
    return [entry.pk for entry in response.context["entries"]]


# --- the trail of one object -------------------------------------------------------------


def test_the_trail_filters_by_object(client, office):
    first, second = CycleFactory(), CycleFactory()
    notice = NoticeFactory(author=office)
    [a] = record(office, first)
    [b] = record(office, second)
    [c] = record(office, notice, action="notice.publish")
    client.force_login(make_user(Role.AUDITOR))
    url = reverse("award:audit_list")
    cycle_type = ContentType.objects.get_for_model(first).pk

    assert ids(client.get(url, {"object_type": cycle_type, "object_id": first.pk})) == [a.pk]
    assert ids(client.get(url, {"object_type": cycle_type, "object_id": second.pk})) == [b.pk]
    assert ids(client.get(url, {"object_type": cycle_type})) == [b.pk, a.pk]
    # The id alone finds that id across kinds; with a kind never in the trail, nothing.
    assert c.pk in ids(client.get(url, {"object_id": notice.pk}))
    honour_type = ContentType.objects.get_for_model(Honour).pk
    assert ids(client.get(url, {"object_type": honour_type, "object_id": first.pk})) == []


def test_the_filtered_trail_names_its_object(client, office):
    cycle = CycleFactory()
    record(office, cycle, n=2)
    client.force_login(office)

    page = client.get(audit_history_url(cycle)).content.decode()

    assert f"正在查看评选届次“{cycle}”的全部操作记录。" in page
    assert f'value="{cycle.pk}"' in page


def test_the_trail_of_one_object_is_query_bounded(client, office, django_assert_max_num_queries):
    cycle = CycleFactory()
    record(office, cycle, n=60)
    client.force_login(make_user(Role.AUDITOR))

    with django_assert_max_num_queries(12):
        response = client.get(audit_history_url(cycle))

    assert len(response.context["entries"]) == 50


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.OFFICE, True), (Role.AUDITOR, True), (Role.COUNTY, False), (Role.APPLICANT, False)],
)
def test_the_link_is_for_the_office_and_the_auditor(role, shown):
    cycle = CycleFactory()
    template = Template("{% load audit_links %}{% audit_history_link cycle %}")

    html = template.render(Context({"user": make_user(role), "cycle": cycle}))

    assert ("操作记录" in html) is shown
    if shown:
        assert audit_history_url(cycle).replace("&", "&amp;") in html


def test_anonymous_sees_no_link():
    from django.contrib.auth.models import AnonymousUser

    html = Template("{% load audit_links %}{% audit_history_link cycle %}").render(
        Context({"user": AnonymousUser(), "cycle": CycleFactory()})
    )
    assert html.strip() == ""


def test_the_main_pages_of_the_lower_floors_link_their_trail(client):
    world = published_world(units=1, individuals=0)
    application = world.applications[0]
    honour = Honour.objects.get(application=application)
    notice = world.cycle.notices.first()
    pages = {
        reverse("award:cycle_detail", args=[world.cycle.pk]): world.cycle,
        reverse("award:notice_preview", args=[notice.pk]): notice,
        reverse("applications:office_detail", args=[application.pk]): application,
        reverse("review:application", args=[application.pk]): application,
        reverse("decisions:honour_detail", args=[honour.pk]): honour,
    }
    for role in (Role.OFFICE, Role.AUDITOR):
        client.force_login(make_user(role))
        for url, obj in pages.items():
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            link = audit_history_url(obj).replace("&", "&amp;")
            assert link in response.content.decode(), (role, url)
            assert client.get(audit_history_url(obj)).context["entries"], (role, url)
    # The public notice page and the holder's honour page show no link.
    client.logout()
    assert "操作记录" not in client.get(reverse("award:notice_detail", args=[notice.pk])).text
    client.force_login(application.applicant)
    page = client.get(reverse("decisions:honour_detail", args=[honour.pk])).content.decode()
    assert "操作记录" not in page


# --- checking the chain ------------------------------------------------------------------


def verify(client, **params):
    return client.get(reverse("award:audit_verify"), params)


@pytest.mark.parametrize("role", [Role.OFFICE, Role.AUDITOR])
def test_an_intact_chain(client, office, role):
    record(office, CycleFactory(), n=3)
    client.force_login(make_user(role))

    untouched = verify(client)
    assert untouched.status_code == 200
    assert "开始校验" in untouched.content.decode()
    assert "审计链完整" not in untouched.content.decode()

    html = verify(client, run="1").content.decode()
    count = AuditEntry.objects.count()
    assert f"审计链完整：已校验{count}条记录，未发现改动或删除。" in html


def test_an_edited_entry_is_shown_where_the_chain_breaks(client, office):
    entries = record(office, CycleFactory(), n=4, action="cycle.announce")
    tampered = entries[2]
    raw_sql_as_attacker(
        "UPDATE award_auditentry SET reason = %s WHERE id = %s", ["事后改写", tampered.pk]
    )
    client.force_login(make_user(Role.AUDITOR))

    response = verify(client, run="1")

    html = response.content.decode()
    assert response.context["broken"].entry_id == tampered.pk
    assert "审计链已断裂" in html
    assert "内容与其哈希值不符（记录内容被改动）" in html
    assert reverse("award:audit_detail", args=[tampered.pk]) in html
    assert "发布申报通知" in html  # the action, in words
    assert tampered.created_at.strftime("%Y年") in html
    assert response.context["checked"] == AuditEntry.objects.filter(pk__lt=tampered.pk).count()


def test_a_deleted_newest_entry_breaks_the_end_of_the_chain(client, office):
    entries = record(office, CycleFactory(), n=3)
    raw_sql_as_attacker("DELETE FROM award_auditentry WHERE id = %s", [entries[-1].pk])
    client.force_login(office)

    html = verify(client, run="1").content.decode()

    assert "审计链已断裂" in html
    assert "链的末尾" in html


def test_a_long_trail_is_checked_in_part_on_the_page(client, office, monkeypatch):
    record(office, CycleFactory(), n=5)
    monkeypatch.setattr(AuditVerifyView, "limit", 2)
    client.force_login(office)

    response = verify(client, run="1")

    assert response.context["checked"] == 2
    assert "已校验最早的2条记录，均完整无误" in response.content.decode()


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.COUNTY, Role.EXPERT, Role.LEADER])
def test_others_may_not_check(client, role):
    client.force_login(make_user(role))
    assert verify(client, run="1").status_code == 404
