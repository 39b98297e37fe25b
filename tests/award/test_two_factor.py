"""Two-factor login (等保 2.0 level 3, GB/T 22239-2019 8.1.4.1 d): the office, agency,
auditor and Django admin staff give a 动态口令 after the password; others may opt in."""

import re
from binascii import unhexlify
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from award.enums import Role
from award.models import AuditEntry
from award.services.audit import audit_verify_chain
from award.services.two_factor import two_factor_enable
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_required")]

REQUIRED = [Role.OFFICE, Role.AGENCY, Role.AUDITOR]
OPTIONAL = [Role.APPLICANT, Role.COUNTY, Role.EXPERT, Role.LEADER]
WRONG = "动态口令或恢复码不正确，请重新输入。"
LOCKED = "动态口令连续输错5次，请15分钟后再试。"
VERIFY = reverse("award:two_factor_verify")
SETUP = reverse("award:two_factor_setup")
WORKBENCH = reverse("award:workbench")
TWO_FACTOR_ACTIONS = [
    "account.two_factor_enable",
    "account.two_factor_disable",
    "account.recovery_code_used",
    "account.two_factor_locked",
]


def code_for(key: str, *, steps_ahead: int = 0) -> str:
    """What the person's authenticator app shows now for the secret `key`."""
    return f"{totp(unhexlify(key), t0=-30 * steps_ahead):06d}"


def enrolled(user) -> tuple[str, list[str]]:
    """A user who set up their app earlier: the secret and the recovery codes."""
    key = TOTPDevice(user=user).key
    _device, codes = two_factor_enable(user=user, key=key, code=code_for(key))
    return key, codes


def sign_in(client, user):
    return client.post(reverse("award:login"), {"username": user.username, "password": PASSWORD})


def path_and_next(location: str) -> tuple[str, str]:
    parts = urlsplit(location)
    return parts.path, parse_qs(parts.query).get("next", [""])[0]


def next_code(key: str) -> str:
    """A code of the next 30-second step (within the tolerance), so that it differs from one
    already used in this step, which django-otp refuses to accept twice."""
    return code_for(key, steps_ahead=1)


@pytest.mark.parametrize("role", REQUIRED)
def test_required_roles_without_an_app_are_sent_to_enrolment_from_every_page(client, role):
    user = make_user(role)
    response = sign_in(client, user)
    assert int(client.session[SESSION_KEY]) == user.pk
    # The password was right; the page the login sends to is not reached before the code.
    response = client.get(response["Location"])
    assert path_and_next(response["Location"]) == (SETUP, WORKBENCH)
    pages = ["award:profile", "award:message_list", "award:audit_list", "award:password_change"]
    for url in [*map(reverse, pages), "/django-admin/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert path_and_next(response["Location"])[0] == SETUP
    # The code step itself sends someone without an app to enrolment too.
    assert path_and_next(client.get(VERIFY)["Location"])[0] == SETUP


@pytest.mark.parametrize("role", REQUIRED)
def test_required_roles_with_an_app_give_the_code_before_anything_else(client, role):
    user = make_user(role)
    key, _codes = enrolled(user)
    response = client.get(sign_in(client, user)["Location"])
    assert path_and_next(response["Location"]) == (VERIFY, WORKBENCH)
    assert client.get(WORKBENCH).status_code == 302
    response = client.post(VERIFY, {"code": next_code(key), "next": WORKBENCH})
    assert response.status_code == 302 and response["Location"] == WORKBENCH
    assert client.get(WORKBENCH).status_code == 200
    assert client.get(reverse("award:profile")).status_code == 200


@pytest.mark.parametrize("role", OPTIONAL)
def test_applicants_experts_and_other_roles_are_never_forced(client, role):
    user = make_user(role)
    response = sign_in(client, user)
    assert response["Location"] == WORKBENCH
    assert client.get(WORKBENCH).status_code == 200
    profile = client.get(reverse("award:profile")).content.decode()
    assert "未开启" in profile and SETUP in profile


def test_with_the_setting_off_nobody_is_forced(client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    sign_in(client, make_user(Role.OFFICE))
    assert client.get(WORKBENCH).status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message(client):
    user = make_user(Role.OFFICE)
    key, _codes = enrolled(user)
    sign_in(client, user)
    right = next_code(key)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong, "next": WORKBENCH})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [WRONG]
    assert WRONG in response.content.decode()
    assert client.get(WORKBENCH).status_code == 302
    assert client.post(VERIFY, {"code": right})["Location"] == WORKBENCH


def test_five_wrong_codes_lock_the_step_even_for_the_right_code(client):
    user = make_user(Role.AGENCY)
    key, codes = enrolled(user)
    sign_in(client, user)
    errors = [
        client.post(VERIFY, {"code": "000000" if n % 2 else "zzzzzzzz"}).context["form"].errors
        for n in range(5)
    ]
    assert [e["code"] for e in errors] == [[WRONG]] * 4 + [[LOCKED]]
    for code in (next_code(key), codes[0]):
        response = client.post(VERIFY, {"code": code})
        assert response.status_code == 200
        assert response.context["form"].errors["code"] == [LOCKED]
    assert StaticToken.objects.filter(token=codes[0]).exists()
    assert AuditEntry.objects.filter(action="account.two_factor_locked", actor=user).count() == 1


def test_enrolment_end_to_end(client):
    user = make_user(Role.AUDITOR)
    sign_in(client, user)
    page = client.get(f"{SETUP}?next={WORKBENCH}")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/png;base64,' in html
    key = client.session["two_factor_pending_key"]
    secret = "".join(page.context["secret"])
    assert all(len(group) == 4 for group in page.context["secret"])
    assert " ".join(page.context["secret"][:2]) in " ".join(re.findall(r"[A-Z2-7]{4}", html))
    assert secret and "otpauth" not in html  # the QR carries the URI; the page shows the key

    # A wrong code does not enrol.
    response = client.post(f"{SETUP}?next={WORKBENCH}", {"code": "123456x"})
    assert response.context["form"].errors["code"] == [WRONG]
    assert not TOTPDevice.objects.filter(user=user).exists()

    response = client.post(f"{SETUP}?next={WORKBENCH}", {"code": code_for(key)})
    codes_url = response["Location"]
    assert urlsplit(codes_url).path == reverse("award:two_factor_recovery_codes")
    page = client.get(codes_url)
    codes = page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in page.content.decode() for code in codes)
    assert "只显示这一次" in page.content.decode()
    assert page.context["next"] == WORKBENCH
    # Shown once only.
    assert client.get(codes_url)["Location"] == reverse("award:profile")
    assert TOTPDevice.objects.get(user=user).confirmed
    stored = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    assert sorted(stored) == sorted(codes)
    # This session is verified; the next one asks for the code.
    assert client.get(WORKBENCH).status_code == 200
    client.logout()
    sign_in(client, user)
    assert path_and_next(client.get(WORKBENCH)["Location"])[0] == VERIFY
    # The setup page cannot replace the app from an unverified session.
    assert path_and_next(client.get(SETUP)["Location"])[0] == VERIFY


def test_a_recovery_code_works_once_and_is_recorded(client):
    user = make_user(Role.OFFICE)
    _key, codes = enrolled(user)
    sign_in(client, user)
    response = client.post(VERIFY, {"code": codes[3].upper()[:4] + " " + codes[3][4:]})
    assert response["Location"] == WORKBENCH
    assert client.get(WORKBENCH).status_code == 200
    assert not StaticToken.objects.filter(token=codes[3]).exists()
    entry = AuditEntry.objects.get(action="account.recovery_code_used")
    assert entry.actor == user and entry.after == {"recovery_codes_left": 9}

    client.logout()
    sign_in(client, user)
    response = client.post(VERIFY, {"code": codes[3]})
    assert response.context["form"].errors["code"] == [WRONG]
    assert client.get(WORKBENCH).status_code == 302


def test_django_admin_requires_the_second_factor(client):
    staff = make_user(Role.LEADER, is_staff=True, is_superuser=True)
    key, _codes = enrolled(staff)
    response = client.post(
        reverse("admin:login"), {"username": staff.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    response = client.get("/django-admin/")
    assert path_and_next(response["Location"]) == (VERIFY, "/django-admin/")
    assert client.get("/django-admin/award/user/").status_code == 302
    response = client.post(VERIFY, {"code": next_code(key), "next": "/django-admin/"})
    assert response["Location"] == "/django-admin/"
    assert client.get("/django-admin/").status_code == 200


def test_an_applicant_may_switch_it_on_and_off_and_both_are_audited(client):
    user = make_user(Role.APPLICANT)
    client.force_login(user)
    client.get(SETUP)
    key = client.session["two_factor_pending_key"]
    client.post(SETUP, {"code": code_for(key)})
    profile = client.get(reverse("award:profile")).content.decode()
    assert "已开启" in profile and "剩余恢复码10个" in profile

    # Once switched on, the applicant's next session asks for the code too.
    client.logout()
    sign_in(client, user)
    assert path_and_next(client.get(WORKBENCH)["Location"])[0] == VERIFY
    client.post(VERIFY, {"code": next_code(key)})

    response = client.post(reverse("award:two_factor_disable"), {"disable-code": "000000"})
    assert TOTPDevice.objects.filter(user=user).exists()
    _codes = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    response = client.post(reverse("award:two_factor_disable"), {"disable-code": _codes[0]})
    assert response["Location"] == reverse("award:profile")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert list(
        AuditEntry.objects.filter(actor=user, action__in=TWO_FACTOR_ACTIONS)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["account.two_factor_enable", "account.recovery_code_used", "account.two_factor_disable"]
    assert audit_verify_chain()[1] is None


def test_required_roles_cannot_switch_it_off(client):
    user = make_user(Role.OFFICE)
    _key, codes = enrolled(user)
    client.force_login(user)
    client.post(VERIFY, {"code": codes[0]})
    profile = client.get(reverse("award:profile")).content.decode()
    assert "您的角色必须使用双因素认证，不能关闭。" in profile
    assert reverse("award:two_factor_disable") not in profile
    client.post(reverse("award:two_factor_disable"), {"disable-code": codes[1]})
    assert TOTPDevice.objects.filter(user=user).exists()
    assert not AuditEntry.objects.filter(action="account.two_factor_disable").exists()


def test_signing_out_and_static_files_stay_open_before_the_code(client):
    user = make_user(Role.OFFICE)
    enrolled(user)
    sign_in(client, user)
    assert client.get("/static/js/portal.js").status_code == 200
    response = client.post(reverse("award:logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_an_htmx_request_is_sent_to_the_code_step_as_a_whole_page(client):
    user = make_user(Role.OFFICE)
    enrolled(user)
    sign_in(client, user)
    response = client.get(WORKBENCH, headers={"HX-Request": "true"})
    assert path_and_next(response["HX-Redirect"])[0] == VERIFY


def test_the_auditor_may_post_the_code_despite_being_read_only(client):
    user = make_user(Role.AUDITOR)
    key, _codes = enrolled(user)
    sign_in(client, user)
    response = client.post(VERIFY, {"code": next_code(key)})
    assert response["Location"] == WORKBENCH
    assert client.get(WORKBENCH).status_code == 200
