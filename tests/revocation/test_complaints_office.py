"""The office handles complaints (第二十一条): accepts or refuses, links the complaint to an
application, expert or honour, investigates, closes with a result; from a complaint it may open
a revocation case (第二十三条、第二十四条) or disqualify the expert (第二十二条). Only the office
acts; the auditor reads; nobody else sees a complaint or the complainant's identity."""

import uuid

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications.validators import id_number_check_char
from award.enums import Role
from award.fsm import TransitionRefused
from award.models import AuditEntry
from revocation.enums import CaseSource, ComplainantKind, ComplaintState
from revocation.models import Complaint, RevocationCase
from revocation.services.complaints import (
    complaint_accept,
    complaint_close,
    complaint_disqualify_expert,
    complaint_file,
    complaint_link,
    complaint_note_add,
    complaint_open_case,
    complaint_reject,
)
from tests.award.sample_files import minimal_pdf, upload
from tests.factories import make_user
from tests.revocation.factories import RevocationWorld

pytestmark = pytest.mark.django_db

NAME, PHONE = "钱举报", "13812345678"
ID_NUMBER = "37132319900708002" + id_number_check_char("37132319900708002")
SECRETS = (NAME, PHONE, ID_NUMBER)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def _world_db(django_db_setup, django_db_blocker):
    """One world for the module (built through the services, it takes a while)."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        world = RevocationWorld()
        world.experts = world.world.base.review.experts
        world.county_user = world.world.base.county_user
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def world(_world_db):
    return _world_db


def file_one(**overrides):
    fields = {
        "complainant_kind": ComplainantKind.PERSON,
        "name": NAME,
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "subject": "某获评单位",
        "facts": "该单位获奖后产品抽检不合格。",
        "evidence": [upload("证明.pdf", minimal_pdf())],
    }
    return complaint_file(**{**fields, **overrides})


def accepted(world, **overrides):
    complaint = file_one(**overrides)
    return complaint_accept(complaint=complaint, by=world.office)


# Triage, investigation and closing ------------------------------------------------------------


def test_the_office_accepts_investigates_and_closes(world):
    complaint = accepted(world)
    assert complaint.handling == ComplaintState.INVESTIGATING
    assert complaint.accepted_by == world.office
    complaint_note_add(complaint=complaint, by=world.office, text="已调取抽检记录。")
    complaint = complaint_close(complaint=complaint, by=world.office, result="经查属实。")
    assert complaint.handling == ComplaintState.CLOSED and complaint.result == "经查属实。"
    actions = list(
        AuditEntry.objects.filter(object_id=str(complaint.pk), action__startswith="revocation.")
        .order_by("pk")
        .values_list("action", "article")
    )
    assert actions == [
        ("revocation.complaint_file", "第二十一条"),
        ("revocation.complaint_accept", "第二十一条"),
        ("revocation.complaint_note", "第二十一条"),
        ("revocation.complaint_close", "第二十一条"),
    ]
    for entry in AuditEntry.objects.filter(object_id=str(complaint.pk)):
        for secret in SECRETS:
            assert secret not in str(entry.after) + str(entry.before)


def test_the_office_refuses_with_a_reason_and_then_nothing_more_is_done(world):
    complaint = file_one()
    with pytest.raises(ValidationError):
        complaint_reject(complaint=complaint, by=world.office, reason=" ")
    complaint = complaint_reject(complaint=complaint, by=world.office, reason="不属于受理范围。")
    assert complaint.handling == ComplaintState.REJECTED
    assert AuditEntry.objects.get(action="revocation.complaint_reject").reason == "不属于受理范围。"
    with pytest.raises(TransitionRefused):
        complaint_accept(complaint=complaint, by=world.office)
    with pytest.raises(ValidationError):
        complaint_note_add(complaint=complaint, by=world.office, text="记录")


def test_closing_needs_the_investigation_and_a_result(world):
    complaint = file_one()
    with pytest.raises(TransitionRefused):
        complaint_close(complaint=complaint, by=world.office, result="结果")
    complaint_accept(complaint=complaint, by=world.office)
    with pytest.raises(ValidationError) as refused:
        complaint_close(complaint=complaint, by=world.office, result="")
    assert "result" in refused.value.message_dict


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.COUNTY, Role.LEADER, Role.APPLICANT])
def test_only_the_office_acts(world, role):
    complaint = file_one()
    someone = make_user(role)
    for act in (
        lambda: complaint_accept(complaint=complaint, by=someone),
        lambda: complaint_reject(complaint=complaint, by=someone, reason="理由"),
        lambda: complaint_link(complaint=complaint, by=someone, honour=world.unit_honour),
    ):
        with pytest.raises(PermissionDenied):
            act()
    assert Complaint.objects.get(pk=complaint.pk).handling == ComplaintState.RECEIVED


def test_linking_an_honour_brings_its_application_and_is_audited(world):
    complaint = accepted(world)
    complaint = complaint_link(
        complaint=complaint, by=world.office, honour=world.unit_honour, expert=world.experts[0]
    )
    assert complaint.application_id == world.unit_honour.application_id
    entry = AuditEntry.objects.filter(action="revocation.complaint_link").latest("pk")
    assert entry.after["complaint_honour"] == world.unit_honour.serial
    assert entry.after["complaint_expert"] == world.experts[0].pk


# From the complaint: a revocation case, an expert disqualified ---------------------------------


def test_a_complaint_linked_to_an_honour_opens_a_revocation_case(world):
    complaint = accepted(world)
    with pytest.raises(ValidationError):  # nothing linked yet
        complaint_open_case(
            complaint=complaint,
            by=world.office,
            grounds=[world.ground(world.unit_honour, 1)],
            summary="举报反映数据造假。",
        )
    complaint_link(complaint=complaint, by=world.office, honour=world.unit_honour)
    case = complaint_open_case(
        complaint=complaint,
        by=world.office,
        grounds=[world.ground(world.unit_honour, 1)],
        summary="举报反映数据造假。",
    )
    assert case.source == CaseSource.COMPLAINT and case.honour == world.unit_honour
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.case == case
    assert AuditEntry.objects.filter(action="revocation.case_open").exists()
    entry = AuditEntry.objects.get(action="revocation.complaint_case")
    assert entry.after["complaint_case"] == case.number
    with pytest.raises(ValidationError):  # one case per complaint
        complaint_open_case(
            complaint=complaint,
            by=world.office,
            grounds=[world.ground(world.unit_honour, 1)],
            summary="再次立案",
        )


def test_the_case_is_opened_from_the_complaint_page_with_confirmation(world, client):
    complaint = accepted(world)
    complaint_link(complaint=complaint, by=world.office, honour=world.person_honour)
    client.force_login(world.office)
    detail = client.get(reverse("revocation:complaint_detail", args=[complaint.pk]))
    url = reverse("revocation:complaint_case", args=[complaint.pk])
    assert url in detail.content.decode()
    page = client.get(url)
    assert "data-confirm" in page.content.decode()
    assert "第二十四条第（一）项" in page.content.decode()
    ground = world.ground(world.person_honour, 1)
    data = {"grounds": [ground.pk], "summary": "举报反映。", "submission_token": str(uuid.uuid4())}
    response = client.post(url, data)
    assert response.status_code == 302
    case = RevocationCase.objects.get(honour=world.person_honour)
    assert case.source == CaseSource.COMPLAINT
    assert client.post(url, data).status_code == 302  # a double click opens one case
    assert RevocationCase.objects.filter(honour=world.person_honour).count() == 1


def test_a_complaint_linked_to_an_expert_disqualifies_the_expert(world, client):
    expert = world.experts[-1]
    complaint = accepted(world, subject=expert.name, subject_kind="expert")
    complaint_link(complaint=complaint, by=world.office, expert=expert)
    client.force_login(world.office)
    url = reverse("revocation:complaint_disqualify", args=[complaint.pk])
    assert "data-confirm" in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "经查实，该专家评审期间私下接触申报单位。"})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.is_disqualified
    assert AuditEntry.objects.filter(action="review.expert_disqualify").exists()
    entry = AuditEntry.objects.get(action="revocation.complaint_expert")
    assert entry.article == "第二十一条、第二十二条"
    with pytest.raises(ValidationError):
        complaint_disqualify_expert(complaint=complaint, by=world.office, reason="再次")


# Pages and permissions --------------------------------------------------------------------------


def test_the_office_triages_from_the_page(world, client):
    complaint = file_one()
    client.force_login(world.office)
    detail = reverse("revocation:complaint_detail", args=[complaint.pk])
    page = client.get(detail).content.decode()
    assert NAME in page and ID_NUMBER in page and PHONE in page
    reject = reverse("revocation:complaint_reject", args=[complaint.pk])
    response = client.post(reject, {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["reject_form"].errors
    assert (
        client.post(reverse("revocation:complaint_accept", args=[complaint.pk])).status_code == 302
    )
    link = reverse("revocation:complaint_link", args=[complaint.pk])
    assert client.post(link, {"honour": world.unit_honour.pk}).status_code == 302
    note = reverse("revocation:complaint_note", args=[complaint.pk])
    assert client.post(note, {"text": "已约谈。"}).status_code == 302
    close = reverse("revocation:complaint_close", args=[complaint.pk])
    assert client.post(close, {"result": "经查不属实。"}).status_code == 302
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.handling == ComplaintState.CLOSED
    assert complaint.honour == world.unit_honour


def test_the_list_masks_personal_numbers_and_its_queries_do_not_grow(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.office)
    url = reverse("revocation:complaint_list")
    file_one()
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    baseline = len(few.captured_queries)
    for expert in world.experts[:3]:
        complaint_link(
            complaint=accepted(world), by=world.office, expert=expert, honour=world.unit_honour
        )
    with django_assert_max_num_queries(baseline):
        page = client.get(url).content.decode()
    assert PHONE not in page and ID_NUMBER not in page
    assert PHONE[:3] + "****" + PHONE[-4:] in page


def test_the_auditor_reads_everything_and_changes_nothing(world, client):
    """第七章 and 第二十一条: the auditor reads the complaint and its evidence, but the
    complainant's identity is the office's alone."""
    complaint = file_one()
    auditor = make_user(Role.AUDITOR)
    client.force_login(auditor)
    listing = client.get(reverse("revocation:complaint_list")).content.decode()
    assert complaint.receipt_code in listing and NAME not in listing
    assert PHONE[:3] + "****" not in listing
    page = client.get(reverse("revocation:complaint_detail", args=[complaint.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and complaint.facts in body
    assert ID_NUMBER not in body and NAME not in body and PHONE not in body
    assert "举报人身份信息仅质量强市办可见" in body
    assert 'action="' + reverse("revocation:complaint_accept", args=[complaint.pk]) not in (
        page.content.decode()
    )
    file = complaint.files.get()
    download = client.get(reverse("revocation:complaint_file", args=[complaint.pk, file.pk]))
    assert download.status_code == 200
    assert AuditEntry.objects.filter(action="revocation.complaint_file_download").exists()
    response = client.post(reverse("revocation:complaint_accept", args=[complaint.pk]))
    assert response.status_code == 403  # the read-only middleware refuses first (第七章)
    assert Complaint.objects.get(pk=complaint.pk).handling == ComplaintState.RECEIVED


def test_a_units_seal_letter_is_the_offices_alone(world, client):
    """第二十一条: the letter bearing the unit's seal names the complainant."""
    complaint = file_one(
        complainant_kind=ComplainantKind.UNIT,
        id_number="",
        contact_person="赵联系",
        name="某某建材有限公司",
        seal_letter=upload("举报书.pdf", minimal_pdf()),
    )
    letter = complaint.files.get(kind="seal_letter")
    url = reverse("revocation:complaint_file", args=[complaint.pk, letter.pk])
    client.force_login(make_user(Role.AUDITOR))
    page = client.get(reverse("revocation:complaint_detail", args=[complaint.pk])).content.decode()
    assert url not in page and "某某建材有限公司" not in page
    assert client.get(url).status_code == 404
    client.force_login(world.office)
    assert (
        url
        in client.get(reverse("revocation:complaint_detail", args=[complaint.pk])).content.decode()
    )
    assert client.get(url).status_code == 200


def test_guessed_ids_are_404_for_the_office_too(world, client):
    client.force_login(world.office)
    assert client.get(reverse("revocation:complaint_detail", args=[999999])).status_code == 404
    complaint = accepted(world)
    # No honour or expert linked: nothing to open or disqualify.
    assert client.get(reverse("revocation:complaint_case", args=[complaint.pk])).status_code == 404
    assert (
        client.get(reverse("revocation:complaint_disqualify", args=[complaint.pk])).status_code
        == 404
    )


def _others(world):
    holder = world.unit_honour.application.applicant
    return {
        "holder": (holder, [reverse("decisions:honours_mine"), reverse("award:workbench")]),
        "county": (world.county_user, [reverse("applications:county_queue")]),
        "expert": (world.experts[0].user, [reverse("review:expert_tasks")]),
        "leader": (world.leaders[0], [reverse("decisions:meetings_mine")]),
        "agency": (world.world.base.agency_user, [reverse("award:workbench")]),
    }


@pytest.mark.parametrize("who", ["holder", "county", "expert", "leader", "agency"])
def test_the_identity_is_hidden_from_everyone_else(world, client, who):
    complaint = accepted(world, subject=world.unit_honour.holder_name)
    complaint_link(
        complaint=complaint, by=world.office, honour=world.unit_honour, expert=world.experts[0]
    )
    complaint_open_case(
        complaint=complaint,
        by=world.office,
        grounds=[world.ground(world.unit_honour, 1)],
        summary="举报反映数据造假。",
    )
    user, pages = _others(world)[who]
    client.force_login(user)
    file = complaint.files.get()
    for url in (
        reverse("revocation:complaint_list"),
        reverse("revocation:complaint_detail", args=[complaint.pk]),
        reverse("revocation:complaint_file", args=[complaint.pk, file.pk]),
    ):
        assert client.get(url).status_code == 404
    for url in [*pages, reverse("award:message_list")]:
        response = client.get(url, follow=True)
        page = response.content.decode()
        for secret in SECRETS:
            assert secret not in page, (who, url)
