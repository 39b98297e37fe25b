"""The pages of the revocation cases (第二十三条、第二十四条): the office acts, the auditor
reads without forms, a leader present votes, the holder answers; anyone else gets 404 on a
guessed id; list pages cost the same number of queries however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from award.enums import Role
from revocation.enums import CaseState
from revocation.models import CaseBallot, CaseFile, RevocationCase
from tests.revocation import case_steps as steps
from tests.revocation.factories import RevocationWorld

pytestmark = pytest.mark.django_db


def test_office_list_and_detail_and_auditor_reads_only(client, user_of_role):
    world = RevocationWorld()
    case = world.open_case()
    client.force_login(world.office)
    listing = client.get(reverse("revocation:case_list")).content.decode()
    assert case.number in listing
    detail = client.get(reverse("revocation:case_detail", args=[case.pk])).content.decode()
    assert "查证属实，告知获评者陈述申辩" in detail
    auditor = user_of_role(Role.AUDITOR)
    client.force_login(auditor)
    detail = client.get(reverse("revocation:case_detail", args=[case.pk]))
    assert (
        detail.status_code == 200 and "查证属实，告知获评者陈述申辩" not in detail.content.decode()
    )
    act = reverse("revocation:case_act", args=[case.pk, "close"])
    assert client.get(act).status_code == 404
    # The read-only middleware refuses the auditor's write before the view (第七章).
    assert client.post(act, {"reason": "x", "confirm": "on"}).status_code == 403
    assert RevocationCase.objects.get(pk=case.pk).state == CaseState.INVESTIGATING


def test_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    world = RevocationWorld()
    world.open_case(world.unit_honour)
    client.force_login(world.office)
    url = reverse("revocation:case_list")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    world.open_case(world.person_honour, items=(1,))
    world.open_case(world.honours[1], items=(2,))
    with django_assert_max_num_queries(len(one)):
        response = client.get(url)
    assert response.content.decode().count("CX") >= 3


def test_others_get_404_on_guessed_ids(client, user_of_role):
    world = RevocationWorld()
    case = steps.run_to(world, world.open_case(), "awaiting_answer")
    evidence = CaseFile.objects.get(case=case)
    holder = case.honour.application.applicant
    other_holder = world.person_honour.application.applicant
    staff_urls = [
        reverse("revocation:case_detail", args=[case.pk]),
        reverse("revocation:case_act", args=[case.pk, "send"]),
        reverse("revocation:case_ballot", args=[case.pk]),
    ]
    for user in (
        other_holder,
        holder,
        user_of_role(Role.COUNTY),
        user_of_role(Role.EXPERT),
        user_of_role(Role.LEADER),
    ):
        client.force_login(user)
        for url in staff_urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.get(reverse("revocation:case_file", args=[evidence.pk])).status_code == 404
    client.force_login(other_holder)
    mine = reverse("revocation:case_mine", args=[case.pk])
    assert client.get(mine).status_code == 404
    assert client.post(mine, {"answer": "冒名申辩", "confirm": "on"}).status_code == 404
    assert RevocationCase.objects.get(pk=case.pk).answered_at is None
    client.logout()
    assert client.get(mine).status_code == 302  # to the login page


def test_open_form_refuses_a_ground_of_the_other_kind(client):
    world = RevocationWorld()
    client.force_login(world.office)
    url = reverse("revocation:case_open", args=[world.unit_honour.pk])
    page = client.get(url).content.decode()
    assert "第二十三条第（一）项" in page and "第二十四条" not in page.split("<form")[1]
    person_ground = world.ground(world.person_honour, 1)
    response = client.post(url, {"grounds": [person_ground.pk], "summary": "反映问题"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "不适用于该获评者" in text and "第二十三条" in text
    assert "反映问题" in text  # typed input kept
    assert not RevocationCase.objects.exists()
    ground = world.ground(world.unit_honour, 3)
    response = client.post(url, {"grounds": [ground.pk], "summary": "抽查不合格"})
    case = RevocationCase.objects.get()
    assert response.url == reverse("revocation:case_detail", args=[case.pk])


def test_web_run_find_answer_vote(client):
    """查证属实 with a file, the holder's answer with a file, a leader's ballot, by the pages."""
    world = RevocationWorld()
    case = world.open_case()
    client.force_login(world.office)
    from revocation.services.cases import earliest_answer_due

    due = earliest_answer_due()
    response = client.post(
        reverse("revocation:case_act", args=[case.pk, "find_true"]),
        {
            "findings": "查实检测报告伪造",
            "answer_due_on": due.isoformat(),
            "files": [steps.pdf("查证.pdf")],
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    holder = case.honour.application.applicant
    client.force_login(holder)
    mine = reverse("revocation:case_mine", args=[case.pk])
    page = client.get(mine).content.decode()
    assert "查实检测报告伪造" in page and "举报材料" not in page  # no 案由 / complainant
    assert "查证.pdf" not in page  # evidence stays with the office
    evidence = CaseFile.objects.get(case=case)
    assert client.get(reverse("revocation:case_file", args=[evidence.pk])).status_code == 404
    response = client.post(
        mine, {"answer": "我方不认可", "files": [steps.pdf("申辩.pdf")], "confirm": "on"}
    )
    assert response.status_code == 302
    answer_file = CaseFile.objects.get(case=case, purpose="answer")
    assert client.get(reverse("revocation:case_file", args=[answer_file.pk])).status_code == 200
    case = steps.fresh(case)
    steps.send(world, case)
    from django.utils import timezone

    from revocation.services.cases import case_vote_open

    case_vote_open(
        case=case, by=world.office, held_on=timezone.localdate(), members_present=world.leaders
    )
    leader = world.leaders[0]
    client.force_login(leader)
    assert case.number in client.get(reverse("revocation:case_votes")).content.decode()
    ballot = reverse("revocation:case_ballot", args=[case.pk])
    assert client.post(ballot, {"choice": "agree", "confirm": "on"}).status_code == 302
    response = client.post(ballot, {"choice": "disagree", "confirm": "on"})
    assert response.status_code == 400
    assert CaseBallot.objects.get(member=leader).choice == "agree"


def test_public_pages_are_anonymous(client, django_assert_max_num_queries):
    world = RevocationWorld()
    steps.run_to(world, world.open_case(), "revoked")
    url = reverse("public_revocation:announcements")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    steps.run_to(world, world.open_case(world.person_honour), "revoked")
    with django_assert_max_num_queries(len(one)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("关于撤销") == 2


def test_every_page_renders_for_its_reader(client, user_of_role):
    """Each office step's confirmation page, the decision file for the auditor, the holder's
    list, in Chinese."""
    from revocation.views.cases import ACTIONS

    world = RevocationWorld()
    case = steps.run_to(world, world.open_case(), "revoked")
    client.force_login(world.office)
    for name in ACTIONS:
        response = client.get(reverse("revocation:case_act", args=[case.pk, name]))
        assert response.status_code == 200, name
        assert "data-confirm" in response.content.decode()
    detail = client.get(reverse("revocation:case_detail", args=[case.pk])).content.decode()
    assert "临政字〔2026〕99号" in detail and "同意撤销5票" in detail
    client.force_login(user_of_role(Role.AUDITOR))
    decision = client.get(reverse("revocation:case_decision_file", args=[case.pk]))
    assert decision.status_code == 200
    client.force_login(case.honour.application.applicant)
    mine = client.get(reverse("revocation:case_mine_list")).content.decode()
    assert case.number in mine
    assert client.get(reverse("revocation:case_decision_file", args=[case.pk])).status_code == 404


def test_the_honour_page_offers_the_office_a_case_and_no_one_else(client):
    """第二十三条: from an honour's page the office opens a case, then finds it there; the
    holder's view of the same page offers neither."""
    world = RevocationWorld(units=1, individuals=1)
    honour = world.unit_honour
    url = reverse("decisions:honour_detail", args=[honour.pk])
    client.force_login(world.office)
    page = client.get(url).content.decode()
    assert reverse("revocation:case_open", args=[honour.pk]) in page
    case = world.open_case()
    page = client.get(url).content.decode()
    assert reverse("revocation:case_open", args=[honour.pk]) not in page
    assert f"撤销案件 {case.number}" in page and "调查核实中" in page
    client.force_login(honour.application.applicant)
    page = client.get(url).content.decode()
    assert "撤销案件" not in page and "立案调查" not in page
