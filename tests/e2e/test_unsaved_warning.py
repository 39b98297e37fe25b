"""Typing into a form and leaving the page asks first; a page left untouched does not."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from award.enums import Role
from tests.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def office_page(browser, live_server):
    client = Client()
    client.force_login(make_user(Role.OFFICE))
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(reverse("award:notice_create"))
    return context, page


def test_leaving_a_form_with_typed_text_asks_before_losing_it(browser, live_server):
    context, page = office_page(browser, live_server)
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.locator("input[name=title]").fill("关于开展评审工作的通知")
    page.locator("nav .navbar-brand").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.locator("input[name=title]").input_value() == "关于开展评审工作的通知"
    context.close()


def test_a_page_left_untouched_asks_nothing(browser, live_server):
    context, page = office_page(browser, live_server)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.locator("nav .navbar-brand").click()
    page.wait_for_url(live_server.url + reverse("award:home"))
    assert asked == []
    context.close()
