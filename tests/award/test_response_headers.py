"""Every response carries a Permissions-Policy; a signed-in person's pages are never cached."""

import pytest
from django.urls import reverse

from award.enums import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SWITCHED_OFF = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()")


def features(response) -> list[str]:
    return response["Permissions-Policy"].split(", ")


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def test_a_public_page_switches_off_the_browser_features_and_may_be_cached(client):
    response = client.get(reverse("award:home"))
    assert response.status_code == 200
    assert set(SWITCHED_OFF) <= set(features(response))
    assert "no-store" not in cache_control(response)


def test_static_files_carry_the_policy_too(client):
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert set(SWITCHED_OFF) <= set(features(response))


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.OFFICE, Role.EXPERT])
def test_a_signed_in_page_is_never_stored(client, role):
    client.force_login(make_user(role))
    for address in (reverse("award:workbench"), reverse("award:profile"), "/no-such-page/"):
        response = client.get(address)
        assert {"no-store", "private"} <= cache_control(response)
        assert set(SWITCHED_OFF) <= set(features(response))
