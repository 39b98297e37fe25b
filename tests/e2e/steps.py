"""Steps the browser walks share: signing in and out, the navigation bar, flash messages,
the expert's declaration and score sheet, and screenshots of a walk's steps."""

import contextlib
import re
import shutil

from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOT_DIR
from tests.factories import PASSWORD

TIMEOUT = 10_000


@contextlib.contextmanager
def browsing(context, page, who):
    """Use `page` of `context`, closed either way. A failure leaves a screenshot in var/e2e/
    (as the `page` fixture does); while a walk records its steps (StepShots), the actor's
    last page joins them, on success or failure."""
    try:
        yield page
    except BaseException:
        with contextlib.suppress(Exception):  # the test's own error is the one to report
            if StepShots.recording is not None:
                StepShots.recording.take(page, f"failed-{who}")
            else:
                SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOT_DIR / f"e2e_{who}.png"), full_page=True)
        raise
    else:
        if StepShots.recording is not None:
            StepShots.recording.take(page, who)
    finally:
        context.close()


def accept_confirm_dialogs(page):
    """data-confirm forms ask window.confirm(); the user answers 确定."""
    page.on("dialog", lambda dialog: dialog.accept())


def new_page(browser, live_server):
    """A fresh context (no session) and its page, answering 确定 to confirmations."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    accept_confirm_dialogs(page)
    return context, page


def sign_in(browser, live_server, username):
    """A fresh context signed in through the login form."""
    context, page = new_page(browser, live_server)
    page.goto(reverse("award:login"))
    page.get_by_label("登录名或电子邮箱").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(menu(page, "我的待办")).to_be_visible()
    return context, page


def sign_out(page):
    """退出登录 from the account menu at the right of the navigation bar."""
    page.locator("nav.navbar a.dropdown-toggle").last.click()
    page.get_by_role("button", name="退出登录").click()
    expect(menu(page, "我的待办")).to_have_count(0)


def signed_in(browser, live_server, user):
    """A browser context holding a session of `user` (set up fast, as the other data)."""
    client = Client()
    client.force_login(user)
    context, page = new_page(browser, live_server)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context, page


def menu(page, name):
    """A link of the portal's top navigation bar."""
    return page.locator("nav.navbar").get_by_role("link", name=name, exact=True)


def expect_message(page, text):
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


# Review --------------------------------------------------------------------------------


def item_of(page, criterion):
    return page.locator(f"#item-{criterion.pk}")


def choose(page, criterion, percentage):
    item_of(page, criterion).locator(f"label[for=pct-{criterion.pk}-{percentage}]").click()


def expect_saved(page, criterion):
    expect(item_of(page, criterion).locator("[data-status=saved]")).to_contain_text("已保存")


def expert_declares(page, application):
    """From 我的评审任务: 无利害关系 for `application` (第十二条)."""
    page.goto(reverse("award:workbench"))
    menu(page, "我的评审任务").click()
    row = page.get_by_role("row").filter(has_text=application.name)
    expect(row).to_contain_text("待声明有无利害关系")
    row.get_by_role("link", name="声明利害关系").click()
    expect(page.get_by_role("heading", name="回避声明")).to_be_visible()
    page.get_by_label("无利害关系").check()
    page.get_by_role("button", name="提交声明").click()
    expect_message(page, "已声明无利害关系")


def leader_agrees(page, application, items, percentage, opened=None):
    """The group leader opens 组织合议 and records one agreed band per item (autosaved) of
    an individual's sheet (100 points); `opened(page)` runs once the page has loaded."""
    page.goto(reverse("award:workbench"))
    menu(page, "我的评审任务").click()
    row = page.get_by_role("row").filter(has_text=application.name)
    row.get_by_role("link", name="组织合议").click()
    expect(page.get_by_role("heading", name="材料评审合议")).to_be_visible()
    if opened:
        opened(page)
    for criterion in items:
        choose(page, criterion, percentage)
        expect_saved(page, criterion)
    total = f"{percentage:.2f}"
    expect(page.locator("#score-progress")).to_contain_text(
        f"已合议 {len(items)} / {len(items)} 项，合议合计 {total} 分"
    )


def leader_signs(page):
    """签署本阶段 from the consensus page: the stage's scores are locked."""
    page.get_by_role("link", name="签署本阶段").click()
    expect(page.get_by_role("heading", name="签署材料评审")).to_be_visible()
    page.get_by_role("button", name="确认签署").click()
    expect_message(page, "已签署材料评审，本阶段评分已锁定")
    expect(page.get_by_role("note")).to_contain_text("评分已锁定")
    expect(page.locator("form[data-autosave-key]")).to_have_count(0)


# Screenshots ---------------------------------------------------------------------------


class StepShots:
    """One numbered full-page screenshot per step of a long walk, in var/e2e/<name>/.

    The folder is emptied when the walk starts; a failed walk keeps every step up to the
    failure and the page it failed on, for CI to collect as artefacts; a walk that passed
    removes them (`passed()`), so the folder only ever shows failures. While recording,
    `browsing` adds the last page of the shared steps' actors.
    """

    recording = None

    def __init__(self, name):
        self.folder = SCREENSHOT_DIR / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        StepShots.recording = self

    def take(self, page, title):
        """After a step: what its actor saw last."""
        self.count += 1
        slug = re.sub(r"[^\w.-]+", "_", title)
        page.screenshot(path=str(self.folder / f"{self.count:02d}-{slug}.png"), full_page=True)

    @contextlib.contextmanager
    def acting(self, context, page, who):
        """Use `page` of `context`; a failure is photographed before the context closes."""
        try:
            yield page
        except BaseException:
            with contextlib.suppress(Exception):  # the test's own error is the one to report
                self.take(page, f"failed-{who}")
            raise
        finally:
            context.close()

    def stop(self, *, passed):
        StepShots.recording = None
        if passed:
            shutil.rmtree(self.folder, ignore_errors=True)
