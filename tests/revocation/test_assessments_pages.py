"""Pages of the periodic assessment (第二十五条): who sees what, forms keep input, 404s."""

import pytest
from django.urls import reverse

from award.enums import Role
from revocation.enums import AssessmentOutcome
from revocation.models import AssessmentEvidence
from revocation.services.assessments import record_fill
from tests.award.sample_files import minimal_pdf, upload
from tests.revocation.assessment_helpers import (
    FINDINGS,
    agency_manager,
    filled,
    planned,
    record_of,
)
from tests.revocation.factories import RevocationWorld

pytestmark = pytest.mark.django_db


def test_office_plans_a_round_from_the_page(client):
    world = RevocationWorld()
    client.force_login(world.office)
    page = client.get(reverse("revocation:assessment_round_new"))
    assert page.status_code == 200
    response = client.post(
        reverse("revocation:assessment_round_new"),
        {
            "name": "2026年度定期评估",
            "year": 2026,
            "due_on": "2000-01-01",
            "cycles": [world.cycle.pk],
            "submission_token": page.context["form"]["submission_token"].value(),
        },
    )
    assert response.status_code == 200
    assert "完成期限不能早于今天" in response.content.decode()
    assert response.context["form"]["name"].value() == "2026年度定期评估"


def test_round_list_queries_do_not_grow(client, django_assert_max_num_queries):
    world, _ = planned()
    planned(world)
    client.force_login(world.office)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("revocation:assessment_rounds"))
    assert response.status_code == 200


def test_round_records_queries_do_not_grow(client, django_assert_max_num_queries):
    world, round_ = planned()
    client.force_login(world.office)
    url = reverse("revocation:assessment_round", kwargs={"pk": round_.pk})
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.content.decode().count("/revocation/assessments/records/") == len(world.honours)


def test_auditor_reads_without_forms(client, user_of_role):
    world, round_ = planned()
    record = record_of(round_, world.unit_honour)
    client.force_login(user_of_role(Role.AUDITOR))
    page = client.get(reverse("revocation:assessment_record", kwargs={"pk": record.pk}))
    assert page.status_code == 200 and b"<form" not in page.content.split(b"<main")[-1]
    assert page.context["fill_form"] is None and page.context["decide_form"] is None
    response = client.post(
        reverse("revocation:assessment_record_decide", kwargs={"pk": record.pk}),
        {"outcome": "passed", "confirm": "on"},
    )
    assert response.status_code == 403  # the read-only middleware refuses first (第七章)


def test_others_get_404_on_guessed_ids(client, user_of_role):
    manager = agency_manager()
    world, round_ = planned(agency=manager.agency)
    record = record_of(round_, world.unit_honour)
    record_fill(record=record, by=manager, files=[upload("报告.pdf", minimal_pdf())], **FINDINGS)
    evidence = AssessmentEvidence.objects.get()
    urls = [
        reverse("revocation:assessment_round", kwargs={"pk": round_.pk}),
        reverse("revocation:assessment_record", kwargs={"pk": record.pk}),
        reverse("revocation:assessment_evidence", kwargs={"pk": evidence.pk}),
    ]
    for outsider in (
        agency_manager(),
        world.unit_honour.application.applicant,
        user_of_role(Role.LEADER),
    ):
        client.force_login(outsider)
        for url in urls:
            assert client.get(url).status_code == 404, url
    client.force_login(manager)
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("revocation:assessment_agency")).status_code == 200


def test_agency_fills_from_the_page_and_bad_input_is_kept(client):
    manager = agency_manager()
    world, round_ = planned(agency=manager.agency)
    record = record_of(round_, world.unit_honour)
    client.force_login(manager)
    url = reverse("revocation:assessment_record_fill", kwargs={"pk": record.pk})
    bad = client.post(url, {**FINDINGS, "files": [upload("x.pdf", b"not a pdf")]})
    assert bad.status_code == 200
    assert bad.context["fill_form"]["lawful"].value() == FINDINGS["lawful"]
    assert bad.context["fill_form"].errors["files"]
    good = client.post(url, {**FINDINGS, "proposed_outcome": "passed"})
    assert good.status_code == 302
    record.refresh_from_db()
    assert record.proposed_outcome == AssessmentOutcome.PASSED


def test_office_decides_unfit_from_the_page_and_the_case_shows(client):
    world, round_ = planned()
    record = filled(record_of(round_, world.unit_honour), world.office)
    client.force_login(world.office)
    url = reverse("revocation:assessment_record_decide", kwargs={"pk": record.pk})
    page = client.get(reverse("revocation:assessment_record", kwargs={"pk": record.pk}))
    assert "data-confirm" in page.content.decode()
    ground = world.ground(world.unit_honour, 2)
    response = client.post(
        url, {"outcome": "unfit", "grounds": [ground.pk], "confirm": "on"}, follow=True
    )
    record.refresh_from_db()
    assert record.case is not None
    assert record.case.number in response.content.decode()
