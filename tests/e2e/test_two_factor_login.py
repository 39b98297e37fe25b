"""The office signs in with password and 动态口令 in a real browser: enrolment on the first
sign-in (QR code, secret, recovery codes), then the code step on the next (等保 2.0 level 3)."""

from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp

from award.enums import Role
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in_with_password(page, user):
    page.goto(reverse("award:login"))
    page.get_by_label("登录名或电子邮箱").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_the_office_signs_in_with_password_and_totp(page, settings):
    settings.TWO_FACTOR_REQUIRED = True
    office = make_user(Role.OFFICE)
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))

    sign_in_with_password(page, office)
    page.wait_for_url("**/accounts/two-factor/setup/**")
    qr = page.get_by_alt_text("身份验证器设置二维码")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")
    secret = page.get_by_label("密钥").inner_text().replace(" ", "").replace("\n", "")
    key = b32decode(secret)
    page.get_by_label("6位动态口令").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="确认开启").click()
    page.wait_for_url("**/accounts/two-factor/recovery-codes/**")
    codes = page.get_by_label("恢复码").locator("li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="我已保存恢复码，继续").click()
    page.wait_for_url(f"**{reverse('award:workbench')}")

    page.context.clear_cookies()  # a new browser session: the password alone is not enough
    sign_in_with_password(page, office)
    page.wait_for_url("**/accounts/two-factor/?next=*")
    # The next 30-second step's code: the one used to enrol may not be used again.
    page.get_by_label("动态口令或恢复码").fill(f"{totp(key, t0=-30):06d}")
    page.get_by_role("button", name="验证并继续").click()
    page.wait_for_url(f"**{reverse('award:workbench')}")
    page.goto(reverse("award:profile"))
    assert "剩余恢复码10个" in page.locator("main").inner_text()
    assert errors == []
