"""The office resets the two-factor login of someone who lost their phone (GB/T 22239-2019
8.1.4.1 d; audited, 8.1.4.3 a): with a reason, never for itself, never for an account outside
its rights; the person is told and enrols a new app at the next login."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from award.enums import Role
from award.models import AuditEntry, Message
from award.permissions import may_reset_two_factor
from award.selectors.two_factor import two_factor_reset_search, two_factor_resettable_users
from award.services.audit import audit_verify_chain
from award.services.two_factor import two_factor_reset
from tests.award.test_two_factor import (
    SETUP,
    VERIFY,
    WORKBENCH,
    enrolled,
    next_code,
    path_and_next,
    sign_in,
)
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_required")]

SEARCH = reverse("award:two_factor_reset_search")
REASON = "本人来电称手机丢失，已回拨单位座机核实身份"


def signed_in(client, user) -> None:
    """Signed in past the code step (the office and admin staff must give one)."""
    _key, codes = enrolled(user)
    client.force_login(user)
    assert client.post(VERIFY, {"code": codes[0]})["Location"] == WORKBENCH


def reset_url(user) -> str:
    return reverse("award:two_factor_reset", args=[user.pk])


PEOPLE = {
    "office": lambda: make_user(Role.OFFICE),
    "admin staff": lambda: make_user(Role.LEADER, is_staff=True),
    "superuser": lambda: make_user(Role.LEADER, is_staff=True, is_superuser=True),
    "agency": lambda: make_user(Role.AGENCY),
    "auditor": lambda: make_user(Role.AUDITOR),
    "county": lambda: make_user(Role.COUNTY),
    "applicant": lambda: make_user(Role.APPLICANT),
    "expert": lambda: make_user(Role.EXPERT),
    "leader": lambda: make_user(Role.LEADER),
}
TARGETS = ["applicant", "office", "agency", "auditor", "admin staff", "superuser", "self"]
# Whom each actor may reset, in the order of TARGETS (yes / no).
RIGHTS = {
    "office": "yyyy---",
    "admin staff": "yyyy---",
    "superuser": "yyyyyy-",
    "agency": "-------",
    "auditor": "-------",
    "county": "-------",
    "applicant": "-------",
    "expert": "-------",
    "leader": "-------",
}


@pytest.mark.parametrize("actor_kind", RIGHTS)
def test_who_may_reset_whom(actor_kind):
    actor = PEOPLE[actor_kind]()
    targets = {k: actor if k == "self" else PEOPLE[k]() for k in TARGETS}
    allowed = "".join("y" if may_reset_two_factor(actor, t) else "-" for t in targets.values())
    assert allowed == RIGHTS[actor_kind]
    # The pages' queryset says the same: a guessed id outside it is a 404.
    listed = set(two_factor_resettable_users(actor).values_list("pk", flat=True))
    assert {k for k, t in targets.items() if t.pk in listed} == {
        k for k, t in targets.items() if may_reset_two_factor(actor, t)
    }
    for kind, target in targets.items():
        enrolled(target)
        if may_reset_two_factor(actor, target):
            continue
        with pytest.raises(PermissionDenied):
            two_factor_reset(user=target, by=actor, reason=REASON)
        assert TOTPDevice.objects.filter(user=target).exists(), kind
    assert not AuditEntry.objects.filter(action="account.two_factor_reset").exists()


def test_an_inactive_office_account_may_not_reset():
    office = make_user(Role.OFFICE, is_active=False)
    user = make_user(Role.APPLICANT)
    assert not may_reset_two_factor(office, user)
    assert not two_factor_resettable_users(office).exists()


def test_the_reset_removes_the_app_and_codes_and_is_audited_with_the_reason(
    client, django_capture_on_commit_callbacks
):
    office = make_user(Role.OFFICE)
    user = make_user(Role.AGENCY)
    key, codes = enrolled(user)
    # The user is signed in and verified somewhere, and has typed wrong codes.
    sign_in(client, user)
    client.post(VERIFY, {"code": "000000"})
    client.post(VERIFY, {"code": next_code(key)})
    assert client.get(WORKBENCH).status_code == 200
    assert cache.get(f"two-factor-failures:{user.pk}") is None

    with pytest.raises(ValidationError) as refused:
        two_factor_reset(user=user, by=office, reason="  \n ")
    assert refused.value.message_dict == {"reason": ["请填写重置原因。"]}
    assert TOTPDevice.objects.filter(user=user).exists()

    cache.set(f"two-factor-failures:{user.pk}", 3)
    with django_capture_on_commit_callbacks(execute=True):
        two_factor_reset(user=user, by=office, reason=f"  {REASON} ")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert cache.get(f"two-factor-failures:{user.pk}") is None
    entry = AuditEntry.objects.get(action="account.two_factor_reset")
    assert (entry.actor, entry.object_id, entry.reason) == (office, str(user.pk), REASON)
    assert entry.before == {"two_factor_enabled": True, "recovery_codes_left": 10}
    assert entry.after == {"two_factor_enabled": False, "recovery_codes_left": 0}
    assert audit_verify_chain()[1] is None
    message = Message.objects.get(recipient=user)
    assert message.subject == "您的双因素认证已被重置"
    assert REASON in message.body and "重新扫码绑定" in message.body
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert REASON in mail.outbox[0].body

    # The session verified with the old app is verified no more: enrol again, now.
    assert path_and_next(client.get(WORKBENCH)["Location"])[0] == SETUP
    # And at the next login; the old codes open nothing.
    client.logout()
    sign_in(client, user)
    assert path_and_next(client.get(WORKBENCH)["Location"])[0] == SETUP
    assert path_and_next(client.post(VERIFY, {"code": codes[0]})["Location"])[0] == SETUP


def test_for_a_role_that_may_do_without_it_the_reset_switches_it_off(client):
    office = make_user(Role.OFFICE)
    user = make_user(Role.APPLICANT)
    enrolled(user)
    two_factor_reset(user=user, by=office, reason=REASON)
    assert "登录后在账户信息中重新开启" in Message.objects.get(recipient=user).body
    assert sign_in(client, user)["Location"] == WORKBENCH
    assert client.get(WORKBENCH).status_code == 200
    assert "未开启" in client.get(reverse("award:profile")).content.decode()


def test_the_office_finds_the_person_confirms_and_resets(client):
    office = make_user(Role.OFFICE)
    user = make_user(Role.EXPERT, display_name="李专家", mobile="13912345678")
    enrolled(user)
    signed_in(client, office)
    nav = client.get(WORKBENCH).content.decode()
    assert SEARCH in nav and "重置双因素认证" in nav

    for query in (user.username.upper(), user.email, "13912345678", "专家"):
        page = client.get(SEARCH, {"q": query})
        assert page.context["found"] == [user], query
        assert reset_url(user) in page.content.decode()
    # Only the exact login name, email or mobile, or part of the name; and never oneself.
    assert client.get(SEARCH, {"q": user.username[:-1]}).context["found"] == []
    assert client.get(SEARCH, {"q": office.username}).context["found"] == []
    assert "没有找到您可以重置的用户" in client.get(SEARCH, {"q": "无此人"}).content.decode()

    page = client.get(reset_url(user))
    html = page.content.decode()
    assert page.status_code == 200
    assert "确认重置双因素认证" in html and user.username in html and "剩余恢复码10个" in html
    assert "双因素认证随之关闭，本人可在账户信息中重新开启" in html  # experts may do without

    # The confirmation step: a reason and the tick, or nothing happens.
    response = client.post(reset_url(user), {"reason": REASON})
    assert response.context["form"].errors == {"confirm": ["请勾选确认后再重置。"]}
    response = client.post(reset_url(user), {"reason": " ", "confirm": "on"})
    assert response.context["form"].errors == {"reason": ["此项为必填项。"]}
    assert TOTPDevice.objects.filter(user=user).exists()

    response = client.post(reset_url(user), {"reason": REASON, "confirm": "on"}, follow=True)
    assert response.redirect_chain == [(SEARCH, 302)]
    assert "已重置李专家的双因素认证，并已通知本人" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.get(action="account.two_factor_reset").reason == REASON


def test_admin_staff_may_use_the_pages_too(client):
    staff = make_user(Role.LEADER, is_staff=True)
    user = make_user(Role.AGENCY)
    enrolled(user)
    signed_in(client, staff)
    assert client.get(SEARCH, {"q": user.username}).context["found"] == [user]
    assert "下次登录时必须重新绑定" in client.get(reset_url(user)).content.decode()
    client.post(reset_url(user), {"reason": REASON, "confirm": "on"})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.get(action="account.two_factor_reset").actor == staff


def test_guessed_ids_and_accounts_outside_ones_rights_are_404(client):
    office = make_user(Role.OFFICE)
    staff = make_user(Role.LEADER, is_staff=True)
    superuser = make_user(Role.LEADER, is_staff=True, is_superuser=True)
    for target in (office, staff, superuser):
        enrolled(target)
    signed_in(client, office)
    missing = reverse("award:two_factor_reset", args=[superuser.pk + 1000])
    for url in (missing, reset_url(office), reset_url(staff), reset_url(superuser)):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": REASON, "confirm": "on"}).status_code == 404, url
    assert client.get(SEARCH, {"q": staff.username}).context["found"] == []
    assert TOTPDevice.objects.filter(user__in=[office, staff, superuser]).count() == 3
    assert not AuditEntry.objects.filter(action="account.two_factor_reset").exists()


@pytest.mark.parametrize("kind", ["agency", "auditor", "county", "applicant", "expert", "leader"])
def test_other_roles_do_not_find_the_pages(client, kind):
    actor = PEOPLE[kind]()
    user = make_user(Role.APPLICANT)
    enrolled(user)
    signed_in(client, actor)
    assert client.get(SEARCH, {"q": user.username}).status_code == 404
    assert client.get(reset_url(user)).status_code == 404
    response = client.post(reset_url(user), {"reason": REASON, "confirm": "on"})
    assert response.status_code in (403, 404)  # the auditor's POST stops at the middleware
    assert TOTPDevice.objects.filter(user=user).exists()
    assert two_factor_reset_search(actor, user.username) == []


def test_anonymous_is_sent_to_the_login(client):
    user = make_user(Role.APPLICANT)
    for url in (SEARCH, reset_url(user)):
        assert reverse("award:login") in client.get(url)["Location"]


def test_the_admin_offers_no_unrecorded_way_to_delete_a_device():
    """Devices are reset only through the audited page: django-otp's device admin is gone."""
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
    admin_models = {model._meta.app_label for model in admin.site._registry}
    assert not admin_models & {"otp_totp", "otp_static"}
