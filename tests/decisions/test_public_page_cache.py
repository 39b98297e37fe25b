"""The public 公示 page, 获评名单 and certificate verification served from the cache to
anonymous visitors (award/public_cache.py): one query per page, each visitor's own CSRF
token, and every change to what the page shows visible on the very next request."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from applications.enums import ApplicationState
from applications.validators import id_number_check_char
from award.models import Cycle
from decisions.enums import HonourStatus, ObjectorKind, VoteChoice
from decisions.models import Honour, Publicity
from decisions.services.objections import objection_dismiss, objection_file, objection_uphold
from tests.decisions.honours_world import published_world
from tests.decisions.test_publicity_world import PublicityWorld

pytestmark = pytest.mark.django_db

ID_NUMBER = "37130219800101123" + id_number_check_char("37130219800101123")
TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def publicity_url(world):
    return reverse("public_decisions:publicity_cycle", args=[world.cycle.number])


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def file_objection(world, application):
    return objection_file(
        cycle=world.cycle,
        application_id=application.pk,
        objector_kind=ObjectorKind.PERSON,
        name="孙秉公",
        id_number=ID_NUMBER,
        phone="13912345678",
        reasons="该单位存在未如实申报的质量问题。",
    )


def test_a_cached_page_costs_one_query_and_carries_each_visitors_own_token(
    django_assert_num_queries,
):
    world = PublicityWorld()
    url = publicity_url(world)
    first, second = Client(), Client()
    rendered = page(first, url)
    with django_assert_num_queries(1):
        response = second.get(url)
    cached = response.content.decode()
    assert world.application.name in cached
    for client, text in ((first, rendered), (second, cached)):
        token = TOKEN.search(text).group(1)
        secret = client.cookies["csrftoken"].value
        assert _unmask_cipher_token(token) == secret
    assert TOKEN.sub("", rendered) == TOKEN.sub("", cached)


def test_an_upheld_objection_removes_the_entry_on_the_next_request():
    world = PublicityWorld()
    upheld, kept = world.winners[0], world.winners[1]
    first = file_objection(world, upheld)
    second = file_objection(world, kept)
    url = publicity_url(world)
    assert upheld.name in page(Client(), url)
    assert upheld.name in page(Client(), url)  # now from the cache
    objection_dismiss(objection=second, by=world.office, reason="经核实，反映情况不属实。")
    objection_uphold(objection=first, by=world.office, reason="经核实，反映的质量问题属实。")
    upheld.refresh_from_db()
    assert upheld.state == ApplicationState.PUBLICITY_FAILED
    shown = page(Client(), url)
    assert upheld.name not in shown
    assert kept.name in shown


def test_changed_settings_and_window_show_at_once():
    world = PublicityWorld()
    url = publicity_url(world)
    assert "本次公示亦受理匿名异议" not in page(Client(), url)
    Publicity.objects.update_or_create(
        cycle=world.cycle,
        defaults={
            "allows_anonymous_objections": True,
            "contact": "0539-8888888",
            "updated_by": world.office,
        },
    )
    shown = page(Client(), url)
    assert "本次公示亦受理匿名异议" in shown and "0539-8888888" in shown
    ended = world.cycle.publicity_starts_on + datetime.timedelta(days=1)
    Cycle.objects.filter(pk=world.cycle.pk).update(
        publicity_starts_on=ended - datetime.timedelta(days=7),
        publicity_ends_on=ended - datetime.timedelta(days=3),
    )
    assert "逾期不予受理" in page(Client(), url)


def test_signed_in_office_is_never_served_the_visitors_page():
    world = PublicityWorld()
    url = publicity_url(world)
    assert "办理公示异议" not in page(Client(), url)
    office = Client()
    office.force_login(world.office)
    response = office.get(url)
    assert "办理公示异议" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_revoked_honour_shows_revoked_at_once_on_the_winners_and_verification_pages(
    django_assert_num_queries,
):
    world = published_world(
        units=2, individuals=1, outcomes=[VoteChoice.AWARD, VoteChoice.NOMINATION, VoteChoice.AWARD]
    )
    honour = Honour.objects.get(application=world.units[0])
    winners = reverse("public_decisions:winners", args=[world.cycle.number])
    latest = reverse("public_decisions:winners_latest")
    verify = reverse("public_decisions:verify_serial", args=[honour.serial])
    for url in (winners, latest, verify):
        assert "已撤销" not in page(Client(), url)
        with django_assert_num_queries(1):
            assert "已撤销" not in page(Client(), url)
    Honour.objects.filter(pk=honour.pk).update(
        status=HonourStatus.REVOKED,
        revoked_on=datetime.date(2026, 3, 1),
        revoked_article="第十九条",
    )
    for url in (winners, latest, verify):
        shown = page(Client(), url)
        assert "已撤销" in shown and "2026年3月1日" in shown


def test_unknown_cycles_and_serials_stay_404():
    world = published_world(units=1, individuals=0)
    client = Client()
    assert client.get(reverse("public_decisions:winners", args=[99])).status_code == 404
    assert client.get(reverse("public_decisions:publicity_cycle", args=[99])).status_code == 404
    assert (
        client.get(reverse("public_decisions:verify_serial", args=["LYZL2026-X999"])).status_code
        == 404
    )
    assert page(client, reverse("public_decisions:winners", args=[world.cycle.number]))
