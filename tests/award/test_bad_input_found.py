"""The server errors the bad-input corpus (demo_world/test_bad_input_corpus.py) found, each
kept as a case: a login name of any length is refused next to the field, a certificate serial
with a NUL is one not found, and the action addresses of the 经验分享 (第十八条) and
定期评估 (第二十五条) pages opened directly lead to their page."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.badinput import TEXT_VALUES, shown_value
from tests.revocation.assessment_helpers import planned, record_of
from tests.revocation.sharing_helpers import requested

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["a" * 300, TEXT_VALUES["long"], "办" * 255])
def test_an_overlong_login_name_is_refused_not_a_server_error(client, typed):
    """It used to reach axes, whose record of the failure holds 255 characters (DataError)."""
    cache.clear()
    path = reverse("award:login")
    response = client.post(path, {"username": typed, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert shown_value(response.content.decode(), path, "username") == typed


@pytest.mark.parametrize("action", ["sharing_publish", "sharing_case"])
def test_a_sharing_action_opened_directly_leads_to_the_request(client, action):
    """A GET here raised KeyError('form'); a login's `next` can lead to it."""
    world, request = requested()
    client.force_login(world.office)
    response = client.get(reverse(f"revocation:{action}", args=[request.pk]))
    assert response.status_code == 302
    assert response.url == reverse("revocation:sharing_detail", args=[request.pk])


@pytest.mark.parametrize("action", ["assessment_record_fill", "assessment_record_decide"])
def test_an_assessment_action_opened_directly_leads_to_the_record(client, action):
    world, round_ = planned()
    record = record_of(round_, world.unit_honour)
    client.force_login(world.office)
    response = client.get(reverse(f"revocation:{action}", args=[record.pk]))
    assert response.status_code == 302
    assert response.url == reverse("revocation:assessment_record", args=[record.pk])


@pytest.mark.parametrize("serial", ["LY\x00001", "\x07", "长" * 3000])
def test_a_hostile_serial_in_the_case_finder_is_not_found(client, serial):
    """A NUL reached PostgreSQL (DataError); now it is a serial like any unknown one."""
    world, _ = requested()
    client.force_login(world.office)
    response = client.get(reverse("revocation:case_find_honour"), {"serial": serial})
    assert response.status_code == 302
    assert response.url == reverse("revocation:case_list")
