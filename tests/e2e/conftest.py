"""Browser fixtures: Debian's headless Chromium driven by Playwright against live_server."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "var" / "e2e"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item so the page fixture knows whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def _unserved_media_url(tmp_path_factory):
    # Django's live server always mounts a media handler, which breaks on MEDIA_URL = None
    # (uploads are private and have no URL). Give it a path nothing links to and an empty root.
    with override_settings(
        MEDIA_URL="/__private-media-is-not-served__/",
        MEDIA_ROOT=str(tmp_path_factory.mktemp("no-media")),
    ):
        yield


@pytest.fixture(scope="session")
def live_server(_unserved_media_url, live_server):
    return live_server


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API keeps an event loop running in this thread; Django's ORM refuses
    # to run under a running loop unless told this is deliberate.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context per test; a failed test leaves a screenshot in var/e2e/."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)
    context.close()
