"""The session gets a new key once the second factor is given (session fixation; GB/T
22239-2019 8.1.4.1 d): the login and everything else in it stay, the old key is worthless."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from award.enums import Role
from tests.award.test_two_factor import (
    SETUP,
    VERIFY,
    WORKBENCH,
    code_for,
    enrolled,
    next_code,
    path_and_next,
    sign_in,
)
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_required")]


def session_store(key: str) -> SessionBase:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)


def cookie(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def planted_copy(client) -> Client:
    """Another browser holding the same session cookie, as a fixation attacker would."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = cookie(client)
    return other


def assert_rotated(client, user, before: str, copy: Client) -> None:
    after = cookie(client)
    assert after != before
    assert client.session.session_key == after
    assert int(client.session[SESSION_KEY]) == user.pk
    assert client.session[DEVICE_ID_SESSION_KEY]
    assert client.get(WORKBENCH).status_code == 200
    # The key known before the code step opens nothing any more.
    assert not session_store(before).exists(before)
    response = copy.get(WORKBENCH)
    assert response.status_code == 302
    assert reverse("award:login") in response["Location"]


@pytest.mark.parametrize("with_recovery_code", [False, True], ids=["app", "recovery code"])
def test_the_code_step_gives_the_session_a_new_key(client, with_recovery_code):
    user = make_user(Role.OFFICE)
    key, codes = enrolled(user)
    sign_in(client, user)
    before, copy = cookie(client), planted_copy(client)
    # Before the code, the same key is what the password step left.
    assert path_and_next(copy.get(WORKBENCH)["Location"])[0] == VERIFY
    code = codes[0] if with_recovery_code else next_code(key)
    response = client.post(VERIFY, {"code": code, "next": WORKBENCH})
    assert response["Location"] == WORKBENCH
    assert_rotated(client, user, before, copy)


def test_enrolment_gives_the_session_a_new_key_and_keeps_the_codes_to_show(client):
    user = make_user(Role.AGENCY)
    sign_in(client, user)
    client.get(SETUP)
    key = client.session["two_factor_pending_key"]
    before, copy = cookie(client), planted_copy(client)
    response = client.post(SETUP, {"code": code_for(key)})
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    # What the session held goes with it to the new key: the codes to show once.
    page = client.get(response["Location"])
    assert len(page.context["codes"]) == 10
    assert_rotated(client, user, before, copy)


def test_a_wrong_code_keeps_the_key(client):
    user = make_user(Role.OFFICE)
    enrolled(user)
    sign_in(client, user)
    before = cookie(client)
    client.post(VERIFY, {"code": "000000"})
    assert cookie(client) == before
    assert session_store(before).exists(before)
