"""第七章: from a revocation case or a complaint, the office and the auditor reach the audit
trail of that object alone; nobody else is shown the link."""

import re

import pytest
from django.urls import reverse

from award.enums import Role
from tests.factories import make_user
from tests.revocation.case_steps import find_true
from tests.revocation.factories import RevocationWorld
from tests.revocation.test_complaints_office import NAME, file_one

pytestmark = pytest.mark.django_db


def history_link(page: str) -> str:
    found = re.search(r'href="([^"]*/audit/\?[^"]*)"[^>]*>\s*操作记录', page)
    return found.group(1).replace("&amp;", "&") if found else ""


def test_the_case_page_links_to_the_cases_own_trail(client):
    world = RevocationWorld(units=1, individuals=1)
    case = world.open_case()
    client.force_login(make_user(Role.AUDITOR))
    page = client.get(reverse("revocation:case_detail", args=[case.pk])).content.decode()
    link = history_link(page)
    assert link
    response = client.get(link)
    assert "立案调查撤销事项" in response.content.decode()
    # The honour's and the application's entries are not mixed in.
    entries = list(response.context["entries"])
    assert [entry.action for entry in entries] == ["revocation.case_open"]
    assert {entry.object_id for entry in entries} == {str(case.pk)}


def test_the_complaint_page_links_to_its_trail_for_the_office(client):
    complaint = file_one()
    client.force_login(make_user(Role.OFFICE))
    page = client.get(reverse("revocation:complaint_detail", args=[complaint.pk])).content.decode()
    trail = client.get(history_link(page)).content.decode()
    assert "收到举报投诉" in trail
    assert NAME not in trail  # the trail records what happened, not who complained


def test_nobody_else_is_shown_the_link(client):
    world = RevocationWorld(units=1, individuals=1)
    case = find_true(world, world.open_case())
    holder = world.unit_honour.application.applicant
    client.force_login(holder)
    page = client.get(reverse("revocation:case_mine", args=[case.pk]))
    assert page.status_code == 200 and case.number in page.content.decode()
    assert history_link(page.content.decode()) == ""
