"""The auditor reads every floor (第七章 评审监督, DESIGN.md §5): on the seeded demo, every page
the office reaches opens for the auditor, except the forms that act and the pages kept to the
office on purpose, and no page the auditor reaches offers a form that would change something.

The crawls are the package's (conftest.py's crawl_as), on the same demo world.
"""

import html
import re

import pytest
from django.urls import Resolver404, resolve

from award.middleware import AUDITOR_MAY_POST
from award.models import User

pytestmark = pytest.mark.django_db

FORM = re.compile(r"<form\b[^>]*>", re.I)
METHOD_POST = re.compile(r'method="post"', re.I)
ACTION = re.compile(r'action="([^"]*)"', re.I)

# Pages the office reaches that the auditor may not open, by URL name, and why.
OFFICE_ONLY = {
    # Forms that act: the auditor changes nothing.
    "revocation:assessment_round_new",
    "revocation:case_open",
    "revocation:complaint_case",
    "revocation:complaint_settings",
    "revocation:sharing_new",
    "award:agency_create",
    "award:agency_update",
    "award:county_create",
    "award:county_update",
    "award:cycle_create",
    "award:cycle_update",
    "award:holiday_schedule_create",
    "award:notice_create",
    "award:notice_withdraw",
    "decisions:honour_reward",
    "decisions:publicity_settings",
    "review:expert_disqualify",
    # The objections carry the objectors' identities (第十四条（六）): the office's only.
    "decisions:publicity_index",
    "decisions:publicity_objections",
    "decisions:objection_detail",
    # The office's own in-site messages.
    "award:message_detail",
    # Resetting someone's lost phone is an act of the office (or admin staff) on an account.
    "award:two_factor_reset_search",
    "award:two_factor_reset",
}


def url_name(path: str) -> str:
    try:
        return resolve(path.partition("?")[0]).view_name
    except Resolver404:
        return path


def post_forms(path: str, page: str) -> set[str]:
    """URL names the page's POST forms submit to."""
    targets = set()
    for tag in FORM.findall(page):
        if METHOD_POST.search(tag):
            action = ACTION.search(tag)
            targets.add(url_name(html.unescape(action[1]) if action and action[1] else path))
    return targets


def test_the_auditor_opens_every_page_the_office_reads(crawl_as, client):
    office = crawl_as("office").statuses
    client.force_login(User.objects.get(username="auditor1"))

    refused = {}
    for path in office:
        status = client.get(path).status_code
        if status not in (200, 302):
            refused.setdefault(url_name(path), set()).add(status)

    assert len(office) > 100
    assert all(statuses <= {403, 404} for statuses in refused.values()), refused
    assert set(refused) <= OFFICE_ONLY, set(refused) - OFFICE_ONLY


def test_no_page_the_auditor_reaches_offers_a_form_that_acts(crawl_as):
    reached = crawl_as("auditor1")

    assert len(reached.statuses) > 100
    assert {p: status for p, status in reached.statuses.items() if status not in (200, 302)} == {}
    offered = {}
    for path, page in reached.pages.items():
        targets = post_forms(path, page) - AUDITOR_MAY_POST
        if targets:
            offered[path] = targets
    assert offered == {}, sorted({t for ts in offered.values() for t in ts})
