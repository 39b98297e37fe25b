"""A refused save of one item is shown in that item's status; the rest of the sheet stays
as it was, and so does what was typed. Run with DEBUG on, as `make run DEBUG=1` serves the
portal: that is when django-htmx's debug script replaced the whole page on a 400."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from review.enums import Stage
from review.models import Score
from tests.e2e.steps import choose, expect_saved, item_of, menu, signed_in
from tests.e2e.test_review_flow import expect_same_page, mark_page
from tests.review.factories import ReviewWorld, items_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

INVISIBLE = (
    "优势中含有不可见的控制字符（第3个字符处），常见于从网页或文档复制的内容，请删除后重新填写。"
)


@pytest.fixture
def world():
    """One individual application (5 items) in review, every expert declared."""
    world = ReviewWorld(units=0, individuals=1)
    world.start()
    return world


def test_a_refused_item_says_why_in_its_status_and_the_sheet_stays(
    browser, live_server, world, settings
):
    settings.DEBUG = True
    expert = world.experts[1]
    items = items_of(world.application)
    item = items[1]
    context, page = signed_in(browser, live_server, expert.user)
    try:
        page.goto(reverse("review:expert_scoring", args=[world.application.pk, Stage.MATERIALS]))
        mark_page(page)
        choose(page, item, 70)
        expect_saved(page, item)

        # A zero-width space pasted into 优势, then 保存本项.
        strengths = item_of(page, item).get_by_label("优势")
        strengths.fill("体系\u200b完整")
        item_of(page, item).get_by_role("button", name="保存本项").click()

        status = item_of(page, item).get_by_role("status")
        expect(status.locator("[data-status=error]")).to_have_text(INVISIBLE)
        expect_same_page(page)
        expect(menu(page, "我的评审任务")).to_be_visible()
        expect(page.get_by_role("heading", name="材料评审评分")).to_be_visible()
        expect(page.locator(".score-item")).to_have_count(len(items))
        for other in items:
            if other != item:
                expect(item_of(page, other).get_by_role("status")).to_have_text("尚未评分")
        expect(page.locator("#score-progress")).to_contain_text("已评 1 / 5 项")
        expect(strengths).to_have_value("体系\u200b完整")
        expect(page.locator(f"#pct-{item.pk}-70")).to_be_checked()
        assert Score.objects.get(expert=expert, criterion=item).strengths == ""

        # Corrected, the item saves and the error is gone.
        strengths.fill("体系完整")
        item_of(page, item).get_by_role("button", name="保存本项").click()
        expect_saved(page, item)
        expect(status.locator("[data-status=error]")).to_have_count(0)
        expect_same_page(page)
        assert Score.objects.get(expert=expert, criterion=item).strengths == "体系完整"
    finally:
        context.close()
