"""Login throttling by django-axes: five failures lock a login name on one address."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from award.enums import Role
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOCKED = 429  # axes 8 answers a lockout with 429 Too Many Requests (AXES_HTTP_RESPONSE_CODE)
INVALID = "登录名（或电子邮箱）或密码不正确。请注意密码区分大小写。"


def attempt(client, username, password):
    return client.post(reverse("award:login"), {"username": username, "password": password})


def fail_five_times(client, username):
    """Four failures are told so on the form; the fifth already answers with the lockout."""
    statuses = [attempt(client, username, f"wrong-{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, LOCKED]


def test_five_failures_lock_out_even_the_right_password(client):
    user = make_user(Role.APPLICANT)
    fourth = None
    for n in range(4):
        fourth = attempt(client, user.username, f"wrong-{n}")
    assert fourth.status_code == 200
    assert fourth.context["form"].non_field_errors() == [INVALID]

    fifth = attempt(client, user.username, "wrong-4")
    assert fifth.status_code == LOCKED
    right = attempt(client, user.username, PASSWORD)
    assert right.status_code == LOCKED
    assert SESSION_KEY not in client.session
    assert "registration/locked_out.html" in [t.name for t in right.templates]
    page = right.content.decode()
    assert "登录已暂时锁定" in page
    assert "该账户在本机登录失败次数过多（连续 5 次密码错误），为保护账户安全，已暂停登录。" in page
    assert "请在 15 分钟后再试。" in page
    assert f'href="{reverse("award:password_reset")}"' in page


def test_typing_the_email_does_not_get_round_the_lock(client):
    user = make_user(Role.APPLICANT, email="locked@example.cn")
    fail_five_times(client, user.username)
    assert attempt(client, "locked@example.cn", PASSWORD).status_code == LOCKED
    assert SESSION_KEY not in client.session


def test_failures_by_email_count_against_the_same_account(client):
    user = make_user(Role.APPLICANT, email="mixed@example.cn")
    fail_five_times(client, "Mixed@example.cn")
    assert attempt(client, user.username, PASSWORD).status_code == LOCKED


def test_another_login_name_is_not_locked(client):
    locked = make_user(Role.APPLICANT)
    other = make_user(Role.COUNTY)
    fail_five_times(client, locked.username)
    response = attempt(client, other.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("award:workbench")
    assert int(client.session[SESSION_KEY]) == other.pk


def test_the_cool_off_ends_the_lock(client, settings):
    user = make_user(Role.APPLICANT)
    fail_five_times(client, user.username)
    settings.AXES_COOLOFF_TIME = 0  # hours: the cool-off has passed
    response = attempt(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == user.pk


def test_a_password_reset_lifts_the_lock(client):
    user = make_user(Role.APPLICANT)
    fail_five_times(client, user.username)
    client.post(reverse("award:password_reset"), {"email": user.email})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    form_url = client.get(link.group(1))["Location"]
    new_password = "Yimeng-Mountain-88"
    client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    response = attempt(client, user.username, new_password)
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == user.pk


def test_behind_the_proxy_each_real_address_is_throttled_on_its_own(client, settings):
    """nginx passes X-Real-IP; one attacker's address must not lock out everyone."""
    settings.BEHIND_PROXY = True
    user = make_user(Role.APPLICANT)
    attacker = {"HTTP_X_REAL_IP": "203.0.113.9"}
    for n in range(5):
        client.post(
            reverse("award:login"), {"username": user.username, "password": f"x{n}"}, **attacker
        )
    locked = client.post(
        reverse("award:login"), {"username": user.username, "password": PASSWORD}, **attacker
    )
    assert locked.status_code == LOCKED
    owner = client.post(
        reverse("award:login"),
        {"username": user.username, "password": PASSWORD},
        HTTP_X_REAL_IP="198.51.100.7",
    )
    assert owner.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_without_the_proxy_a_forged_header_changes_nothing(client, settings):
    settings.BEHIND_PROXY = False
    user = make_user(Role.APPLICANT)
    for n in range(5):
        client.post(
            reverse("award:login"),
            {"username": user.username, "password": f"x{n}"},
            HTTP_X_REAL_IP=f"203.0.113.{n}",
        )
    response = attempt(client, user.username, PASSWORD)
    assert response.status_code == LOCKED


ADDRESS_LOCKED = "本机所在网络地址登录失败次数过多（累计 20 次密码错误，涉及多个账户）"


def test_one_address_trying_every_account_is_locked_out(client):
    """Four guesses on each of five accounts: the twentieth failure locks the address."""
    accounts = [make_user(Role.APPLICANT) for _ in range(5)]
    statuses = [
        attempt(client, account.username, f"wrong-{n}").status_code
        for account in accounts
        for n in range(4)
    ]
    assert statuses == [200] * 19 + [LOCKED]

    fresh = make_user(Role.COUNTY)
    locked = attempt(client, fresh.username, PASSWORD)
    assert locked.status_code == LOCKED
    assert SESSION_KEY not in client.session
    page = locked.content.decode()
    assert ADDRESS_LOCKED in page
    assert "请在 15 分钟后再试。" in page
    assert "该账户在本机登录失败次数过多" not in page

    elsewhere = client.post(
        reverse("award:login"),
        {"username": fresh.username, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert elsewhere.status_code == 302
    assert int(client.session[SESSION_KEY]) == fresh.pk


def test_a_few_failures_on_several_accounts_do_not_lock_the_address(client):
    """An office behind one address: colleagues mistyping now and then stay below the limit."""
    accounts = [make_user(Role.OFFICE) for _ in range(6)]
    for account in accounts:
        for n in range(3):
            assert attempt(client, account.username, f"wrong-{n}").status_code == 200
    assert attempt(client, accounts[0].username, PASSWORD).status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_the_address(client):
    own = make_user(Role.APPLICANT)
    targets = [make_user(Role.APPLICANT) for _ in range(5)]
    for target in targets[:4]:
        for n in range(4):
            attempt(client, target.username, f"wrong-{n}")
    assert attempt(client, own.username, PASSWORD).status_code == 302
    client.logout()
    statuses = [attempt(client, targets[4].username, f"wrong-{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, LOCKED]
