"""The candidate list (第十四条第（五）项): ranking page, minimum scores, nominating one or a
batch with scores frozen, sending to the leading group, the list page and PDF."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications.enums import ApplicationState as S
from applications.exceptions import ApplicationTransitionRefused
from applications.models import Application
from award.enums import Role
from award.models import AuditEntry, Message
from decisions.models import Candidate, CandidateList
from decisions.services.candidates import (
    candidate_list_send,
    candidate_minimum_save,
    candidate_nominate,
    candidates_nominate,
)
from review.selectors.ranking import ranking
from tests.decisions.factories import DecisionWorld
from tests.factories import make_user
from tests.review.factories import new_expert

pytestmark = pytest.mark.django_db

REFUSED_ROLES = ["applicant", "county", "agency", "expert", "leader", "auditor"]


def someone(role, world):
    return {
        "applicant": lambda: world.applications[0].applicant,
        "county": lambda: world.county_user,
        "agency": lambda: world.agency_user,
        "expert": lambda: new_expert(world.agency_user).user,
        "leader": lambda: world.leaders[0],
        "auditor": lambda: make_user(Role.AUDITOR),
    }[role]()


@pytest.fixture
def world():
    return DecisionWorld(units=2, individuals=1)


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_only_the_office_nominates(world, role):
    with pytest.raises(PermissionDenied):
        candidate_nominate(application=world.applications[0], by=someone(role, world))
    assert not Candidate.objects.exists()
    assert Application.objects.get(pk=world.applications[0].pk).state == S.REVIEWED


@pytest.mark.parametrize(
    "state", [S.CANDIDATE, S.PROPOSED, S.NOT_SELECTED, S.REVIEW_FAILED, S.IN_REVIEW]
)
def test_nominate_refused_in_a_wrong_state(world, state):
    application = world.applications[0]
    Application.objects.filter(pk=application.pk).update(state=state)
    with pytest.raises(ApplicationTransitionRefused):
        candidate_nominate(application=application, by=world.office)
    assert not Candidate.objects.exists()


def test_nominating_moves_to_candidate_with_event_audit_and_message(world):
    application = world.applications[0]
    candidate = candidate_nominate(application=application, by=world.office)
    application.refresh_from_db()
    assert application.state == S.CANDIDATE
    assert candidate.final_score is None  # never scored in this world: 无评分
    assert AuditEntry.objects.filter(action="application.nominate").count() == 1
    assert Message.objects.filter(recipient=application.applicant).exists()


def test_nomination_freezes_the_final_and_stage_scores():
    world = DecisionWorld(units=1, individuals=0, fully_reviewed=1)
    application = world.applications[0]
    row = ranking(world.cycle).get(pk=application.pk)
    assert row.final_score is not None
    candidate = candidate_nominate(application=application, by=world.office)
    candidate.refresh_from_db()
    assert candidate.final_score == Decimal(row.final_score).quantize(Decimal("0.01"))
    assert set(candidate.stage_scores) == {"materials", "site_visit", "defence"}
    for stage, value in candidate.stage_scores.items():
        assert value == str(Decimal(getattr(row, f"score_{stage}")).quantize(Decimal("0.01")))


def test_below_the_minimum_is_refused_naming_the_article():
    world = DecisionWorld(units=1, individuals=1, fully_reviewed=1)
    unit, person = world.units[0], world.individuals[0]
    score = ranking(world.cycle).get(pk=unit.pk).final_score
    candidate_minimum_save(
        cycle=world.cycle,
        by=world.office,
        min_score_unit=Decimal(score) + 1,
        min_score_individual=Decimal("10"),
    )
    with pytest.raises(ValidationError) as refused:
        candidate_nominate(application=unit, by=world.office)
    assert "低于本届申报单位列入候选名单的最低分" in refused.value.messages[0]
    assert "第十四条第（五）项" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        candidate_nominate(application=person, by=world.office)
    assert "无评分" in refused.value.messages[0]
    assert Application.objects.get(pk=unit.pk).state == S.REVIEWED
    candidate_minimum_save(
        cycle=world.cycle, by=world.office, min_score_unit=Decimal(score), min_score_individual=None
    )
    candidate_nominate(application=unit, by=world.office)
    candidate_nominate(application=person, by=world.office)
    assert Candidate.objects.count() == 2


def test_a_batch_nominates_each_and_keeps_each_refusal(world):
    candidate_minimum_save(
        cycle=world.cycle, by=world.office, min_score_unit=None, min_score_individual=Decimal("1")
    )
    results = candidates_nominate(applications=world.applications, by=world.office)
    assert [r.ok for r in results] == [True, True, False]
    assert "第十四条第（五）项" in results[2].message
    assert Candidate.objects.count() == 2


def test_sending_notifies_the_leaders_and_freezes_the_list(world):
    with pytest.raises(ValidationError, match="还没有候选对象"):
        candidate_list_send(cycle=world.cycle, by=world.office)
    candidate_nominate(application=world.applications[0], by=world.office)
    with pytest.raises(PermissionDenied):
        candidate_list_send(cycle=world.cycle, by=world.leaders[0])
    candidate_list_send(cycle=world.cycle, by=world.office)
    assert CandidateList.objects.get(cycle=world.cycle).sent_at is not None
    for leader in world.leaders:
        assert Message.objects.filter(recipient=leader).exists()
    with pytest.raises(ValidationError, match="已于"):
        candidate_nominate(application=world.applications[1], by=world.office)
    with pytest.raises(ValidationError, match="已于"):
        candidate_list_send(cycle=world.cycle, by=world.office)


def test_the_page_ranks_marks_and_lists_in_few_queries(
    client, world, django_assert_max_num_queries
):
    candidate_minimum_save(
        cycle=world.cycle, by=world.office, min_score_unit=Decimal("50"), min_score_individual=None
    )
    client.force_login(world.office)
    url = reverse("decisions:candidates_cycle", args=[world.cycle.pk])
    with django_assert_max_num_queries(20):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "无评分" in html and "低于最低分" in html
    assert world.applications[0].name in html
    candidates_nominate(applications=world.applications[1:], by=world.office)
    with django_assert_max_num_queries(20):
        client.get(url)


def test_the_page_nominates_the_ticked_rows(client, world):
    client.force_login(world.office)
    url = reverse("decisions:candidates_cycle", args=[world.cycle.pk])
    response = client.post(url, {"applications": [world.applications[0].pk]})
    assert response.status_code == 302
    assert Candidate.objects.filter(application=world.applications[0]).exists()
    refused = client.post(url, {"applications": ["99999"]})
    assert refused.status_code == 400
    assert "不在本届评审完成的申报之中" in refused.content.decode()


def test_pages_are_404_to_others_and_for_unknown_cycles(client, world):
    url = reverse("decisions:candidates_cycle", args=[world.cycle.pk])
    for user in (world.applications[0].applicant, world.county_user, world.leaders[0]):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(make_user(Role.AUDITOR))
    assert client.get(url).status_code == 200
    assert client.post(url, {"applications": [world.applications[0].pk]}).status_code == 403
    client.force_login(world.office)
    assert client.get(reverse("decisions:candidates_cycle", args=[99999])).status_code == 404
    # The leading group reads the list only once it was sent.
    list_url = reverse("decisions:candidates_list", args=[world.cycle.pk])
    client.force_login(world.leaders[0])
    assert client.get(list_url).status_code == 404
    candidate_nominate(application=world.applications[0], by=world.office)
    candidate_list_send(cycle=world.cycle, by=world.office)
    assert client.get(list_url).status_code == 200
    client.force_login(world.applications[0].applicant)
    assert client.get(list_url).status_code == 404


def test_the_list_as_pdf():
    world = DecisionWorld(units=1, individuals=0, fully_reviewed=1)
    candidate_nominate(application=world.applications[0], by=world.office)
    from django.test import Client

    client = Client()
    client.force_login(world.office)
    response = client.get(reverse("decisions:candidates_list_pdf", args=[world.cycle.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="decisions.candidate_list_export").exists()


def test_minimum_and_send_pages(client, world):
    client.force_login(world.office)
    minimum = reverse("decisions:candidates_minimum", args=[world.cycle.pk])
    assert client.get(minimum).status_code == 200
    refused = client.post(minimum, {"min_score_unit": "-1", "min_score_individual": ""})
    assert refused.status_code == 400
    assert (
        client.post(minimum, {"min_score_unit": "600.5", "min_score_individual": ""}).status_code
        == 302
    )
    assert CandidateList.objects.get(cycle=world.cycle).min_score_unit == Decimal("600.50")
    send = reverse("decisions:candidates_send", args=[world.cycle.pk])
    empty = client.post(send)
    assert empty.status_code == 409
    assert "还没有候选对象" in empty.content.decode()
    candidate_minimum_save(
        cycle=world.cycle, by=world.office, min_score_unit=None, min_score_individual=None
    )
    candidate_nominate(application=world.applications[0], by=world.office)
    page = client.get(send).content.decode()
    assert 'data-confirm="' in page and "尚有2件评审完成的申报未列入候选名单" in page
    assert client.post(send).status_code == 302
    assert CandidateList.objects.get(cycle=world.cycle).sent_at is not None
