"""The office resets the two-factor login of a person who lost their phone, in a real browser
(GB/T 22239-2019 8.1.4.1 d): from its menu to the confirmation page, which refuses until the
reason is given and the check ticked without losing what was typed; the person then enrols a
new app at the next sign-in."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from award.enums import Role
from award.models import Message
from tests.award.test_two_factor import enrolled, next_code
from tests.e2e.test_two_factor_login import sign_in_with_password
from tests.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASON = "本人来电称手机丢失，已回拨单位座机核实身份"


def test_the_office_confirms_a_reset_and_the_person_enrols_again(page, settings):
    settings.TWO_FACTOR_REQUIRED = True
    office, agency = make_user(Role.OFFICE), make_user(Role.AGENCY)
    office_key, _codes = enrolled(office)
    enrolled(agency)
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))

    sign_in_with_password(page, office)
    page.wait_for_url("**/accounts/two-factor/?next=*")
    page.get_by_label("动态口令或恢复码").fill(next_code(office_key))
    page.get_by_role("button", name="验证并继续").click()
    page.wait_for_url(f"**{reverse('award:workbench')}")

    page.get_by_role("button", name="质量强市办").click()
    page.get_by_role("link", name="重置双因素认证").click()
    page.get_by_label("登录名、邮箱、手机号码或姓名").fill(agency.username)
    page.get_by_role("button", name="查找").click()
    page.get_by_role("link", name="重置…").click()
    page.wait_for_url(f"**{reverse('award:two_factor_reset', args=[agency.pk])}")
    main = page.locator("main")
    assert "已开启，剩余恢复码10个" in main.inner_text()

    # Nothing given: both fields say what is missing, and nothing is reset.
    page.get_by_role("button", name="确认重置").click()
    page.wait_for_load_state()
    assert "请勾选确认后再重置。" in main.inner_text()
    assert TOTPDevice.objects.filter(user=agency).exists()
    # The reason given, the box not ticked: refused again, the reason still there.
    page.get_by_label("重置原因").fill(REASON)
    page.get_by_role("button", name="确认重置").click()
    page.wait_for_load_state()
    assert "请勾选确认后再重置。" in main.inner_text()
    assert page.get_by_label("重置原因").input_value() == REASON
    assert TOTPDevice.objects.filter(user=agency).exists()

    page.get_by_label("我已核实申请人身份，确认重置其双因素认证").check()
    page.get_by_role("button", name="确认重置").click()
    page.wait_for_url(f"**{reverse('award:two_factor_reset_search')}")
    assert "并已通知本人" in main.inner_text()
    assert not TOTPDevice.objects.filter(user=agency).exists()
    assert Message.objects.filter(recipient=agency).exists()

    # The person signs in with the password alone and must bind a new app before anything.
    page.context.clear_cookies()
    sign_in_with_password(page, agency)
    page.wait_for_url("**/accounts/two-factor/setup/**")
    assert errors == []
