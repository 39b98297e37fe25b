"""Smoke test in a real browser: the home page renders, breaks no CSP rule, loads nothing remote."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AWARD = "临沂市市长质量奖"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def test_home_page_renders_locally_without_console_errors(page, live_server):
    console_errors = []
    page_errors = []
    requests = []
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    page.on("request", lambda req: requests.append(req.url))

    response = page.goto(live_server.url + reverse("award:home"), wait_until="networkidle")

    assert response.status == 200
    assert AWARD in page.title()
    assert page.locator("nav .navbar-brand").inner_text().strip() == AWARD
    assert AWARD in page.locator("body").inner_text()
    assert "临政发〔2024〕8号" in page.locator("footer").inner_text()

    # A CSP violation, a failed load or a script error shows up here.
    assert console_errors == []
    assert page_errors == []

    remote = [
        url
        for url in requests
        if urlsplit(url).scheme not in {"data", "blob"}
        and urlsplit(url).hostname not in LOCAL_HOSTS
    ]
    assert remote == []
    stylesheets = [url for url in requests if url.endswith("/bootstrap/css/bootstrap.min.css")]
    assert len(stylesheets) == 1
    assert urlsplit(stylesheets[0]).netloc == urlsplit(live_server.url).netloc

    # Bootstrap's CSS and JS are not only requested but applied and running.
    assert page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).display") == (
        "flex"
    )
    assert page.evaluate("typeof window.bootstrap.Collapse") == "function"
    assert page.evaluate("typeof window.htmx") == "object"
