"""Office, agency, county and auditor sessions end after 30 idle minutes, and say so."""

import datetime
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from award.enums import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

STAFF = [Role.OFFICE, Role.AGENCY, Role.COUNTY, Role.AUDITOR]
SIGNED_OUT = "您已超过30分钟未操作，为保护数据安全已自动退出，请重新登录。"
NOTE = "为保护数据安全，连续30分钟未操作将自动退出登录。"


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def after(clock, minutes):
    clock.shift(datetime.timedelta(minutes=minutes))


@pytest.mark.parametrize("role", STAFF)
def test_staff_idle_for_30_minutes_are_signed_out_with_a_warning(client, clock, role):
    client.force_login(make_user(role))
    workbench = reverse("award:workbench")
    assert client.get(workbench).status_code == 200
    after(clock, 30)
    response = client.get(workbench)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('award:login')}?next={workbench}"
    assert SESSION_KEY not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert SIGNED_OUT in login_page


def test_each_request_restarts_the_idle_clock(client, clock):
    client.force_login(make_user(Role.OFFICE))
    workbench = reverse("award:workbench")
    for _ in range(4):
        assert client.get(workbench).status_code == 200
        after(clock, 29)
    assert client.get(workbench).status_code == 200
    assert SESSION_KEY in client.session


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXPERT])
def test_applicants_and_experts_keep_their_sessions(client, clock, role):
    user = make_user(role)
    client.force_login(user)
    workbench = reverse("award:workbench")
    assert client.get(workbench).status_code == 200
    after(clock, 180)
    assert client.get(workbench).status_code == 200
    assert int(client.session[SESSION_KEY]) == user.pk


def test_someone_holding_a_staff_role_besides_is_timed_out(client, clock):
    user = make_user(Role.EXPERT)
    user.groups.add(Group.objects.get(name=Role.COUNTY))
    client.force_login(user)
    assert client.get(reverse("award:workbench")).status_code == 200
    after(clock, 31)
    assert client.get(reverse("award:workbench")).status_code == 302
    assert SESSION_KEY not in client.session


def test_django_admin_staff_are_timed_out_too(client, clock):
    client.force_login(make_user(Role.LEADER, is_staff=True, is_superuser=True))
    assert client.get(reverse("award:workbench")).status_code == 200
    after(clock, 30)
    assert client.get(reverse("award:workbench")).status_code == 302
    assert SESSION_KEY not in client.session


def test_the_timeout_is_a_setting(client, clock, settings):
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 10
    client.force_login(make_user(Role.OFFICE))
    assert client.get(reverse("award:workbench")).status_code == 200
    after(clock, 10)
    page = client.get(reverse("award:workbench"), follow=True).content.decode()
    assert "您已超过10分钟未操作，为保护数据安全已自动退出，请重新登录。" in page


def test_a_form_sent_after_the_timeout_is_refused_and_leads_back_to_its_page(client, clock):
    """The POST is not carried out; after logging in again the person lands on the form's page,
    not on an address that answers only POST."""
    user = make_user(Role.OFFICE)
    client.force_login(user)
    inbox = reverse("award:message_list")
    assert client.get(inbox).status_code == 200
    after(clock, 30)
    response = client.post(
        reverse("award:message_mark_all_read"), HTTP_REFERER=f"http://testserver{inbox}?unread=1"
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('award:login')}?next={quote(inbox + '?unread=1')}"
    assert SESSION_KEY not in client.session

    client.force_login(user)
    assert client.get(inbox).status_code == 200
    after(clock, 30)
    foreign = client.post(
        reverse("award:message_mark_all_read"), HTTP_REFERER="https://evil.example/"
    )
    assert foreign["Location"] == f"{reverse('award:login')}?next={reverse('award:workbench')}"


def test_an_htmx_request_reloads_the_whole_page_to_the_login(client, clock):
    client.force_login(make_user(Role.OFFICE))
    assert client.get(reverse("award:workbench")).status_code == 200
    after(clock, 45)
    inbox = reverse("award:message_list")
    response = client.get(inbox, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('award:login')}?next={inbox}"
    assert SESSION_KEY not in client.session


def test_staff_pages_say_so_and_warn_five_minutes_before(client):
    client.force_login(make_user(Role.AUDITOR))
    page = client.get(reverse("award:workbench")).content.decode()
    assert NOTE in page
    assert (
        '<div class="alert alert-warning d-none" id="idle-warning" role="alert" '
        'data-warn-after-minutes="25">'
    ) in page
    assert "您已近25分钟未操作，再过5分钟将自动退出登录。" in page


def test_an_applicants_pages_carry_no_such_note(client):
    client.force_login(make_user(Role.APPLICANT))
    page = client.get(reverse("award:workbench")).content.decode()
    assert NOTE not in page
    assert "idle-warning" not in page
