"""An expert declares, scores a stage item by item (autosaved, surviving a lost connection)
and submits it; the group leader records the consensus and signs; the stage is locked."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.enums import ApplicationState
from review.enums import Stage
from review.models import ConsensusScore, Score, StageSignOff, StageSubmission
from review.selectors.pool import active_assignment, live_experts
from review.services import conflict_declare, review_start
from tests.e2e.steps import (
    choose,
    expect_message,
    expect_saved,
    expert_declares,
    item_of,
    leader_agrees,
    leader_signs,
    signed_in,
)
from tests.review.factories import ReviewWorld, items_of

# serialized_rollback keeps the roles, counties, rulebook and criteria that migrations seed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MATERIALS = Stage.MATERIALS
STRENGTHS = "质量意识突出，主持完成多项工艺改进，通过ISO 9001"
OFFLINE = "未保存（网络中断，恢复后自动重试）"


def mark_page(page):
    """A flag that survives htmx swaps but not a page load: proves nothing was reloaded."""
    page.evaluate("window.scoringPageMark = 'same page'")


def expect_same_page(page):
    assert page.evaluate("window.scoringPageMark") == "same page"


@pytest.fixture
def world():
    """One individual application (5 items) assigned to a group of five; every member but
    the one in the browser has declared no conflict."""
    world = ReviewWorld(units=0, individuals=1)
    world.assign()
    for expert in live_experts(active_assignment(world.application)):
        if expert != world.experts[1]:
            conflict_declare(application=world.application, by=expert.user, has_conflict=False)
    return world


def expert_declares_and_scores(browser, live_server, world):
    expert = world.experts[1]
    application = world.application
    items = items_of(application)
    context, page = signed_in(browser, live_server, expert.user)
    try:
        expert_declares(page, application)

        # The agency starts the review once every member has declared.
        review_start(application=application, by=world.agency_user)
        for other in world.live():
            if other != expert:
                world.score(application, MATERIALS, other, 60)

        page.get_by_role("link", name="材料评审").first.click()
        expect(page.get_by_role("heading", name="材料评审评分")).to_be_visible()
        progress = page.locator("#score-progress")
        expect(progress).to_contain_text("已评 0 / 5 项，合计 0.00 分")
        mark_page(page)

        # Each item autosaves: the band choice at once, the comment as it is typed.
        for criterion in items:
            choose(page, criterion, 70)
            expect_saved(page, criterion)
        item_of(page, items[0]).get_by_label("优势").press_sequentially(STRENGTHS)
        expect(progress).to_contain_text("已评 5 / 5 项，合计 70.00 分")
        expect_same_page(page)
        page.wait_for_function(
            "() => !Object.keys(localStorage).some(k => k.startsWith('scoring:'))"
        )
        assert Score.objects.get(expert=expert, criterion=items[0]).strengths == STRENGTHS

        # The connection drops: the item says so and keeps the value; back online, it saves.
        context.set_offline(True)
        choose(page, items[1], 85)
        expect(item_of(page, items[1]).locator(".score-status")).to_contain_text(OFFLINE)
        assert Score.objects.get(expert=expert, criterion=items[1]).percentage == 70
        context.set_offline(False)
        expect_saved(page, items[1])
        expect(progress).to_contain_text("已评 5 / 5 项，合计 73.75 分")
        expect_same_page(page)
        assert Score.objects.get(expert=expert, criterion=items[1]).percentage == 85

        # Saves keep failing and the page is reloaded: the unsaved choice comes back from
        # localStorage, is retried, and is saved once the connection is back.
        failing = "**/items/**"
        page.route(failing, lambda route: route.abort())
        choose(page, items[2], 90)
        expect(item_of(page, items[2]).locator(".score-status")).to_contain_text(OFFLINE)
        page.reload()
        expect(page.locator(f"#pct-{items[2].pk}-90")).to_be_checked()
        expect(item_of(page, items[2]).locator(".score-status")).to_contain_text(OFFLINE)
        assert Score.objects.get(expert=expert, criterion=items[2]).percentage == 70
        page.unroute(failing)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect_saved(page, items[2])
        expect(page.locator("#score-progress")).to_contain_text("已评 5 / 5 项，合计 78.75 分")
        assert Score.objects.get(expert=expert, criterion=items[2]).percentage == 90

        # A reload shows what the server kept.
        page.reload()
        expect(item_of(page, items[0]).get_by_label("优势")).to_have_value(STRENGTHS)
        expect(page.locator(f"#pct-{items[1].pk}-85")).to_be_checked()
        expect(page.locator(f"#pct-{items[4].pk}-70")).to_be_checked()

        page.get_by_role("button", name="提交本阶段评分").click()
        expect_message(page, "已提交材料评审评分")
        expect(page.get_by_role("heading", name="本组专家材料评审评分")).to_be_visible()
        assert StageSubmission.objects.filter(expert=expert, stage=MATERIALS).exists()
    finally:
        context.close()


def leader_agrees_and_signs(browser, live_server, world):
    application = world.application
    items = items_of(application)
    context, page = signed_in(browser, live_server, world.leader.user)
    try:
        leader_agrees(page, application, items, 65, opened=mark_page)
        expect_same_page(page)
        leader_signs(page)
    finally:
        context.close()
    assert ConsensusScore.objects.filter(application=application, stage=MATERIALS).count() == 5
    assert StageSignOff.objects.filter(application=application, stage=MATERIALS).exists()


def test_expert_scores_leader_agrees_and_signs(browser, live_server, world):
    expert_declares_and_scores(browser, live_server, world)
    leader_agrees_and_signs(browser, live_server, world)

    # The expert finds the stage locked: read-only, with the leader's signature on record.
    context, page = signed_in(browser, live_server, world.experts[1].user)
    try:
        page.goto(reverse("review:expert_scoring", args=[world.application.pk, MATERIALS]))
        expect(page.get_by_role("note")).to_contain_text("评分已锁定，只能查看")
        expect(page.locator("form[data-autosave-key]")).to_have_count(0)
        expect(page.locator("#history")).to_contain_text("签字确认，评分已锁定")
    finally:
        context.close()
    world.application.refresh_from_db()
    assert world.application.state == ApplicationState.IN_REVIEW
