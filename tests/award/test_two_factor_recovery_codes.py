"""Renewing the recovery codes (等保 2.0 level 3, GB/T 22239-2019 8.1.4.1 d): confirmed with the
app's current code only, the old codes stop working, the new ones are shown once, audited and
told to the user."""

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from award.enums import EmailStatus, Role
from award.models import AuditEntry, Message
from award.services.audit import audit_verify_chain
from tests.award.test_two_factor import (
    LOCKED,
    VERIFY,
    WORKBENCH,
    WRONG,
    enrolled,
    next_code,
    path_and_next,
    sign_in,
)
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_required")]

RENEW = reverse("award:two_factor_regenerate")
PROFILE = reverse("award:profile")
CODES = reverse("award:two_factor_recovery_codes")
WRONG_APP_CODE = "动态口令不正确。请输入身份验证器应用当前显示的6位数字，恢复码不能用于此操作。"
NO_APP_CODE = "请输入身份验证器应用当前显示的6位动态口令。"


def verified_with_recovery_code(client, user, code):
    """Signed in and past the code step with a recovery code, so that the app's next code is
    still unused (django-otp accepts each step's code once)."""
    sign_in(client, user)
    assert client.post(VERIFY, {"code": code})["Location"] == WORKBENCH


def stored_codes(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def renew(client, code):
    """Post the code from the profile page and follow back to it: the errors shown there."""
    response = client.post(RENEW, {"regenerate-code": code}, follow=True)
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


def test_renewing_replaces_every_code_shows_the_new_ones_once_and_is_recorded(
    client, django_capture_on_commit_callbacks
):
    user = make_user(Role.OFFICE)
    key, old = enrolled(user)
    verified_with_recovery_code(client, user, old[0])
    profile = client.get(PROFILE).content.decode()
    assert RENEW in profile and "重新生成恢复码" in profile

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RENEW, {"regenerate-code": next_code(key)})
    assert path_and_next(response["Location"]) == (CODES, PROFILE)
    page = client.get(response["Location"])
    html = page.content.decode()
    new = page.context["codes"]
    assert page.context["renewed"] is True
    assert "新的恢复码" in html and "只显示这一次" in html
    assert "已生成新的恢复码，原有恢复码已全部失效。" in html
    assert len(new) == 10 and all(code in html for code in new)
    assert set(new).isdisjoint(old)
    assert stored_codes(user) == set(new)
    # Shown once only.
    assert client.get(CODES)["Location"] == PROFILE

    entry = AuditEntry.objects.get(action="account.recovery_codes_regenerate")
    assert entry.actor == user and entry.object_id == str(user.pk)
    assert entry.before == {"recovery_codes_left": 9}
    assert entry.after == {"recovery_codes": 10}
    assert not any(code in str(entry.before) + str(entry.after) for code in new + old)
    assert audit_verify_chain()[1] is None
    message = Message.objects.get(recipient=user)
    assert message.subject == "您的双因素认证恢复码已重新生成"
    assert message.email_status == EmailStatus.SENT
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "原有恢复码已全部失效" in mail.outbox[0].body
    assert "如非本人操作" in mail.outbox[0].body

    # The old codes no longer let anyone in; a new one does.
    client.logout()
    sign_in(client, user)
    response = client.post(VERIFY, {"code": old[1]})
    assert response.context["form"].errors["code"] == [WRONG]
    assert client.post(VERIFY, {"code": new[0]})["Location"] == WORKBENCH


def test_a_recovery_code_or_a_wrong_code_does_not_renew(client):
    user = make_user(Role.AGENCY)
    _key, old = enrolled(user)
    verified_with_recovery_code(client, user, old[0])
    for code in (old[1], "123456", "000000"):
        assert renew(client, code) == [WRONG_APP_CODE]
    assert renew(client, "") == [NO_APP_CODE]
    # The recovery code offered was not spent either.
    assert stored_codes(user) == set(old[1:])
    assert not AuditEntry.objects.filter(action="account.recovery_codes_regenerate").exists()
    assert not Message.objects.filter(recipient=user).exists()


def test_wrong_codes_count_toward_the_same_lock_out(client):
    user = make_user(Role.OFFICE)
    key, old = enrolled(user)
    verified_with_recovery_code(client, user, old[0])
    refusals = [renew(client, "000000") for _ in range(5)]
    assert refusals == [[WRONG_APP_CODE]] * 4 + [[LOCKED]]
    assert renew(client, next_code(key)) == [LOCKED]
    assert stored_codes(user) == set(old[1:])


def test_an_unverified_session_is_sent_to_the_code_step(client):
    user = make_user(Role.OFFICE)
    key, old = enrolled(user)
    sign_in(client, user)
    response = client.post(RENEW, {"regenerate-code": next_code(key)})
    assert path_and_next(response["Location"])[0] == VERIFY
    assert stored_codes(user) == set(old)


def test_the_read_only_auditor_may_renew_their_own_codes(client):
    user = make_user(Role.AUDITOR)
    key, old = enrolled(user)
    verified_with_recovery_code(client, user, old[0])
    response = client.post(RENEW, {"regenerate-code": next_code(key)})
    assert path_and_next(response["Location"])[0] == CODES
    assert stored_codes(user).isdisjoint(old)
