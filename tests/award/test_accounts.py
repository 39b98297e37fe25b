"""Accounts: applicant registration, login by name or email, logout, passwords, profile."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from award.enums import ApplicantKind, EmailStatus, Role
from award.models import AuditEntry, Message, User
from award.services.accounts import user_update_contact
from award.services.audit import audit_verify_chain
from tests.factories import PASSWORD, UserFactory, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Yimeng-Mountain-88"
MOBILE_MESSAGE = "请输入11位中国大陆手机号码，例如 13812345678。"


def registration(**overrides):
    data = {
        "applicant_kind": ApplicantKind.UNIT,
        "username": "lyzz",
        "display_name": "临沂智造装备有限公司",
        "email": "contact@lyzz.example.cn",
        "mobile": "13912345678",
        "password": "Quality-First-2026",
        "password_confirm": "Quality-First-2026",
    }
    return {**data, **overrides}


def input_value(page: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert tag is not None, name
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


def assert_typed_values_kept(page: str, data: dict):
    for field in ("username", "display_name", "email", "mobile"):
        assert input_value(page, field) == data[field]
    radio = re.search(rf'<input[^>]*\bvalue="{data["applicant_kind"]}"[^>]*>', page)
    assert radio is not None
    assert " checked" in radio.group(0)
    assert input_value(page, "password") is None
    assert input_value(page, "password_confirm") is None


def field_errors(response, field):
    return list(response.context["form"].errors.get(field, []))


# Registration


def test_register_page_offers_unit_or_individual(client):
    page = " ".join(client.get(reverse("award:register")).content.decode().split())
    assert 'type="radio" name="applicant_kind" value="unit"' in page
    assert 'type="radio" name="applicant_kind" value="individual"' in page
    for label in ("申报单位", "申报个人", "登录名", "单位名称/姓名", "电子邮箱", "手机号码"):
        assert label in page
    assert "确认密码" in page


@pytest.mark.parametrize(
    ("username", "password", "errors"),
    [
        ("lyzz", "Ab3$xyz", ["密码太短，至少需要 10 个字符。"]),
        ("lyzz", "1357924680", ["该密码过于常见，容易被猜中。", "密码不能全部为数字。"]),
        ("lyzz", "password123", ["该密码过于常见，容易被猜中。"]),
        ("linyizhizao", "Linyizhizao1", ["密码与登录名过于相似，请换一个。"]),
        ("lyzz", "contact@lyzz", ["密码与电子邮箱过于相似，请换一个。"]),
    ],
)
def test_weak_password_is_refused_next_to_the_field(client, username, password, errors):
    data = registration(username=username, password=password, password_confirm=password)
    response = client.post(reverse("award:register"), data)
    assert response.status_code == 200
    assert field_errors(response, "password") == errors
    page = response.content.decode()
    for error in errors:
        assert error in page
    assert_typed_values_kept(page, data)
    assert not User.objects.filter(username=username).exists()


def test_duplicate_email_is_refused_ignoring_case(client):
    UserFactory(email="contact@lyzz.example.cn")
    data = registration(email="Contact@LYZZ.example.cn")
    response = client.post(reverse("award:register"), data)
    assert response.status_code == 200
    assert field_errors(response, "email") == ["该邮箱已注册，可直接登录或找回密码。"]
    assert "该邮箱已注册，可直接登录或找回密码。" in response.content.decode()
    assert_typed_values_kept(response.content.decode(), data)
    assert not User.objects.filter(username="lyzz").exists()


def test_duplicate_username_is_refused_ignoring_case(client):
    UserFactory(username="LYZZ")
    response = client.post(reverse("award:register"), registration())
    assert field_errors(response, "username") == ["该登录名已被使用，请换一个。"]
    assert User.objects.filter(email="contact@lyzz.example.cn").count() == 0


@pytest.mark.parametrize("mobile", ["1391234567", "23912345678", "139-1234-5678"])
def test_malformed_mobile_is_refused_next_to_the_field(client, mobile):
    data = registration(mobile=mobile)
    response = client.post(reverse("award:register"), data)
    assert response.status_code == 200
    assert field_errors(response, "mobile") == [MOBILE_MESSAGE]
    assert MOBILE_MESSAGE in response.content.decode()
    assert_typed_values_kept(response.content.decode(), data)
    assert not User.objects.filter(username="lyzz").exists()


def test_passwords_that_differ_are_refused(client):
    response = client.post(
        reverse("award:register"), registration(password_confirm="Quality-First-2027")
    )
    assert field_errors(response, "password_confirm") == ["两次输入的密码不一致。"]
    assert field_errors(response, "password") == []
    assert not User.objects.filter(username="lyzz").exists()


def test_login_name_with_at_sign_is_refused(client):
    response = client.post(reverse("award:register"), registration(username="a@b.cn"))
    assert field_errors(response, "username") == [
        "登录名只能包含字母、数字、汉字和 . + - _ 字符，不能包含 @ 或空格。"
    ]


def test_registration_makes_a_signed_in_applicant_and_audits_it(
    client, django_capture_on_commit_callbacks
):
    data = registration(applicant_kind=ApplicantKind.INDIVIDUAL, display_name="王质量")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("award:register"), data, follow=True)

    user = User.objects.get(username="lyzz")
    assert response.redirect_chain == [(reverse("award:workbench"), 302)]
    assert int(client.session[SESSION_KEY]) == user.pk
    assert "注册成功，欢迎王质量使用临沂市市长质量奖评定平台。" in response.content.decode()
    assert sorted(user.groups.values_list("name", flat=True)) == [Role.APPLICANT]
    assert user.applicant_kind == ApplicantKind.INDIVIDUAL
    assert (user.email, user.mobile, user.display_name) == (
        "contact@lyzz.example.cn",
        "13912345678",
        "王质量",
    )
    assert user.check_password("Quality-First-2026")

    entry = AuditEntry.objects.get(action="account.register")
    assert entry.actor == user
    assert entry.object_id == str(user.pk)
    assert entry.after == {
        "username": "lyzz",
        "display_name": "王质量",
        "email": "contact@lyzz.example.cn",
        "mobile": "139****5678",
        "applicant_kind": "individual",
        "roles": ["applicant"],
    }
    assert audit_verify_chain() == (1, None)

    welcome = Message.objects.get(recipient=user)
    assert welcome.subject == "欢迎注册临沂市市长质量奖评定平台"
    assert welcome.email_status == EmailStatus.SENT
    assert [m.to for m in mail.outbox] == [["contact@lyzz.example.cn"]]
    assert mail.outbox[0].subject == "欢迎注册临沂市市长质量奖评定平台"
    assert "登录名：lyzz" in mail.outbox[0].body
    assert "申报主体类型：申报个人" in mail.outbox[0].body


def test_signed_in_user_is_not_offered_registration(client, applicant_user):
    client.force_login(applicant_user)
    response = client.get(reverse("award:register"))
    assert response.status_code == 302
    assert response["Location"] == reverse("award:workbench")


# Login and logout


def test_login_page_links_to_reset_and_registration(client):
    page = client.get(reverse("award:login")).content.decode()
    assert "登录名或电子邮箱" in page
    assert f'href="{reverse("award:password_reset")}"' in page
    assert f'href="{reverse("award:register")}"' in page


def test_login_by_username_goes_to_the_workbench(client, applicant_user):
    response = client.post(
        reverse("award:login"), {"username": applicant_user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("award:workbench")
    assert int(client.session[SESSION_KEY]) == applicant_user.pk


def test_login_by_email_in_any_case(client):
    user = make_user(Role.COUNTY, email="lanshan@example.cn")
    response = client.post(
        reverse("award:login"), {"username": "LanShan@Example.cn", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == user.pk


def test_login_honours_a_safe_next_and_ignores_another_site(client, applicant_user):
    credentials = {"username": applicant_user.username, "password": PASSWORD}
    safe = client.post(reverse("award:login"), {**credentials, "next": "/messages/"})
    assert safe["Location"] == "/messages/"
    client.logout()
    unsafe = client.post(
        reverse("award:login"), {**credentials, "next": "https://evil.example.com/"}
    )
    assert unsafe["Location"] == reverse("award:workbench")


def test_wrong_password_says_so_and_keeps_the_login_name(client, applicant_user):
    response = client.post(
        reverse("award:login"), {"username": applicant_user.username, "password": "nope"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "登录名（或电子邮箱）或密码不正确。请注意密码区分大小写。"
    ]
    assert f'value="{applicant_user.username}"' in response.content.decode()
    assert SESSION_KEY not in client.session


def test_logout_requires_post(client, applicant_user):
    client.force_login(applicant_user)
    assert client.get(reverse("award:logout")).status_code == 405
    assert int(client.session[SESSION_KEY]) == applicant_user.pk

    response = client.post(reverse("award:logout"), follow=True)
    assert response.redirect_chain == [(reverse("award:home"), 302)]
    assert "您已安全退出登录。" in response.content.decode()
    assert SESSION_KEY not in client.session


# Passwords


def test_password_change_needs_login(client):
    response = client.get(reverse("award:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("award:login"))


def test_password_change_keeps_the_session_and_is_audited(client, applicant_user):
    client.force_login(applicant_user)
    response = client.post(
        reverse("award:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("award:password_change_done")
    assert client.get(reverse("award:profile")).status_code == 200
    applicant_user.refresh_from_db()
    assert applicant_user.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="account.password_change")
    assert (entry.actor, entry.object_id) == (applicant_user, str(applicant_user.pk))
    assert entry.before is None
    assert entry.after is None


def test_password_change_refuses_a_wrong_old_password_and_a_short_new_one(client, applicant_user):
    client.force_login(applicant_user)
    response = client.post(
        reverse("award:password_change"),
        {"old_password": "wrong", "new_password1": "Short-1", "new_password2": "Short-1"},
    )
    assert response.status_code == 200
    assert field_errors(response, "old_password") == ["原密码不正确，请重新输入。"]
    assert field_errors(response, "new_password2") == ["密码太短，至少需要 10 个字符。"]
    applicant_user.refresh_from_db()
    assert applicant_user.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action="account.password_change").exists()


def reset_link_from_outbox() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", mail.outbox[0].body)
    assert match is not None, mail.outbox[0].body
    return match.group(1)


def test_password_reset_by_email_then_the_new_password_logs_in(client):
    user = make_user(Role.APPLICANT, email="reset-me@example.cn")
    response = client.post(reverse("award:password_reset"), {"email": "Reset-Me@example.cn"})
    assert response["Location"] == reverse("award:password_reset_done")
    assert mail.outbox[0].to == ["reset-me@example.cn"]
    assert mail.outbox[0].subject == "临沂市市长质量奖评定平台：重设密码"
    assert f"您的登录名：{user.username}" in mail.outbox[0].body

    form_url = client.get(reset_link_from_outbox())["Location"]
    assert form_url.endswith("/set-password/")
    assert "设置新密码" in client.get(form_url).content.decode()
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("award:password_reset_complete")

    entry = AuditEntry.objects.get(action="account.password_reset")
    assert (entry.actor, entry.reason) == (user, "通过电子邮件链接重设密码")
    old = client.post(reverse("award:login"), {"username": user.username, "password": PASSWORD})
    assert old.status_code == 200
    new = client.post(reverse("award:login"), {"username": user.username, "password": NEW_PASSWORD})
    assert new.status_code == 302
    assert int(client.session[SESSION_KEY]) == user.pk


def test_used_reset_link_no_longer_works(client):
    user = make_user(Role.APPLICANT)
    client.post(reverse("award:password_reset"), {"email": user.email})
    link = reset_link_from_outbox()
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    page = client.get(link).content.decode()
    assert "该重设密码链接无效，可能已被使用或已过期。" in page


def test_password_reset_for_an_unknown_email_reveals_nothing(client):
    response = client.post(reverse("award:password_reset"), {"email": "nobody@example.cn"})
    assert response["Location"] == reverse("award:password_reset_done")
    assert mail.outbox == []


# Profile


def test_profile_needs_login(client):
    response = client.get(reverse("award:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("award:login"))


def test_profile_shows_roles_and_county(client):
    user = make_user(Role.COUNTY)
    user.groups.add(*make_user(Role.AUDITOR).groups.all())
    client.force_login(user)
    response = client.get(reverse("award:profile"))
    assert response.context["roles"] == ["县区质量议事协调机构", "监督"]
    page = response.content.decode()
    assert "县区质量议事协调机构" in page
    assert str(user.county) in page
    assert f'value="{user.email}"' in page


def test_profile_shows_agency_and_applicant_kind(client):
    agency_user = make_user(Role.AGENCY)
    client.force_login(agency_user)
    assert agency_user.agency.name in client.get(reverse("award:profile")).content.decode()
    applicant = make_user(Role.APPLICANT, applicant_kind=ApplicantKind.UNIT)
    client.force_login(applicant)
    page = client.get(reverse("award:profile")).content.decode()
    assert "申报单位/个人" in page
    assert "申报主体类型" in page


def test_profile_edit_saves_through_the_service_and_audits(client, applicant_user):
    client.force_login(applicant_user)
    response = client.post(
        reverse("award:profile"),
        {"display_name": "临沂新名称有限公司", "email": "new@example.cn", "mobile": "13700001111"},
        follow=True,
    )
    assert "账户信息已保存。" in response.content.decode()
    applicant_user.refresh_from_db()
    assert (applicant_user.display_name, applicant_user.email, applicant_user.mobile) == (
        "临沂新名称有限公司",
        "new@example.cn",
        "13700001111",
    )
    entry = AuditEntry.objects.get(action="account.update_contact")
    assert entry.actor == applicant_user
    assert entry.before["mobile"] == "138****5678"
    assert entry.after == {
        "display_name": "临沂新名称有限公司",
        "email": "new@example.cn",
        "mobile": "137****1111",
    }


def test_profile_refuses_an_email_of_another_account(client, applicant_user):
    UserFactory(email="taken@example.cn")
    client.force_login(applicant_user)
    data = {"display_name": "改了名字", "email": "TAKEN@example.cn", "mobile": "1370000"}
    response = client.post(reverse("award:profile"), data)
    assert response.status_code == 200
    assert field_errors(response, "email") == ["该邮箱已注册，可直接登录或找回密码。"]
    assert field_errors(response, "mobile") == [MOBILE_MESSAGE]
    assert 'value="改了名字"' in response.content.decode()
    applicant_user.refresh_from_db()
    assert applicant_user.display_name != "改了名字"
    assert not AuditEntry.objects.filter(action="account.update_contact").exists()


def test_saving_unchanged_contact_writes_no_audit_entry(applicant_user):
    user_update_contact(
        user=applicant_user,
        email=applicant_user.email,
        mobile=applicant_user.mobile,
        display_name=applicant_user.display_name,
        by=applicant_user,
    )
    assert not AuditEntry.objects.filter(action="account.update_contact").exists()


def test_only_the_user_or_the_office_may_change_contact(applicant_user, office_user):
    stranger = make_user(Role.COUNTY)
    with pytest.raises(PermissionDenied):
        user_update_contact(
            user=applicant_user,
            email="x@example.cn",
            mobile="",
            display_name="别人",
            by=stranger,
        )
    updated = user_update_contact(
        user=applicant_user,
        email=applicant_user.email,
        mobile="13600002222",
        display_name=applicant_user.display_name,
        by=office_user,
    )
    assert updated.mobile == "13600002222"
    assert AuditEntry.objects.get(action="account.update_contact").actor == office_user


def test_the_database_refuses_the_same_email_in_another_case():
    """Two registrations racing past the form check still cannot share an address."""
    from django.db import IntegrityError, transaction

    from tests.factories import UserFactory

    UserFactory(email="Same@Example.cn")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="same@example.cn")


def test_pages_stay_chinese_for_a_browser_asking_for_english(client):
    """No English catalogue yet: a mixed-language page is worse than a Chinese one."""
    page = client.get(reverse("award:register"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    text = page.content.decode()
    assert "Your password" not in text
    assert "申报注册" in text
