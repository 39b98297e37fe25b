"""On a phone (390 px wide) a staff list keeps each name on one line and scrolls sideways."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from applications.enums import ApplicationState as S
from tests.applications.factories import World, unit_applicant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_office_list_keeps_names_on_one_line_on_a_phone(browser, live_server):
    world = World()
    long_name = "临沂市示例高端装备智能制造股份有限公司"
    for _ in range(2):
        world.owner = unit_applicant(name=long_name)
        world.application_in(S.RECOMMENDED)
    client = Client()
    client.force_login(world.office)
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}
    )
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
    page.goto(reverse("applications:office_queue"))
    link = page.get_by_role("link", name=long_name).first
    box = link.bounding_box()
    line = float(link.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert box["height"] < 1.5 * line  # one line, not one character per line
    wrapper = page.locator(".table-responsive").first
    scroll, width = wrapper.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert scroll > width  # the table scrolls sideways instead of squeezing
    context.close()
