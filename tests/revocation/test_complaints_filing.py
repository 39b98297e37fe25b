"""The public files complaints at any time (第二十一条: 评审活动接受社会各界的监督，质量强市办
负责受理评选活动中违反评审规则的问题反馈): real-name unless the office enabled anonymous ones
(凡以匿名方式提出举报投诉的，不予受理), files checked by content, rate-limited per address,
double-click safe, with a receipt code and a lookup that says nothing about other codes."""

import uuid

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.validators import id_number_check_char
from award.enums import Role
from award.exceptions import SubmissionReplayed
from award.models import AuditEntry, Message
from revocation.enums import ComplainantKind, ComplaintFileKind, ComplaintState
from revocation.models import Complaint
from revocation.models.complaints import RECEIPT_ALPHABET
from revocation.services.complaints import (
    complaint_accept,
    complaint_close,
    complaint_file,
    complaint_settings_update,
)
from tests.award.sample_files import image_bytes, minimal_pdf, upload
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NAME, PHONE = "孙秉公", "13912345678"
ID_NUMBER = "37130219800101123" + id_number_check_char("37130219800101123")
CREATE = "public_revocation:complaint_create"
RECEIPT = "public_revocation:complaint_receipt"


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def office():
    return make_user(Role.OFFICE)


def person(**overrides):
    fields = {
        "complainant_kind": ComplainantKind.PERSON,
        "name": NAME,
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "subject": "某评审专家",
        "subject_kind": "expert",
        "facts": "评审期间该专家与申报单位人员私下接触。",
    }
    return {**fields, **overrides}


def form_data(**overrides):
    return {**person(), "submission_token": str(uuid.uuid4()), **overrides}


def refusal(error) -> dict:
    return {key: " ".join(str(m) for m in value) for key, value in error.message_dict.items()}


# The service ------------------------------------------------------------------------------


def test_a_person_files_a_real_name_complaint_with_a_receipt_code(office):
    """第二十一条: filed, audited without the identity, the office told."""
    complaint = complaint_file(
        **person(),
        evidence=[upload("证明.pdf", minimal_pdf()), upload("照片.png", image_bytes("PNG"))],
    )
    assert complaint.handling == ComplaintState.RECEIVED
    assert len(complaint.receipt_code) >= 10
    assert set(complaint.receipt_code) <= set(RECEIPT_ALPHABET)
    assert [f.kind for f in complaint.files.all()] == [ComplaintFileKind.EVIDENCE] * 2
    entry = AuditEntry.objects.get(action="revocation.complaint_file")
    assert entry.article == "第二十一条"
    for secret in (NAME, ID_NUMBER, PHONE):
        assert secret not in str(entry.after)
    message = Message.objects.filter(recipient=office).latest("pk")
    assert complaint.receipt_code in message.subject
    assert NAME not in message.body and PHONE not in message.body


def test_receipt_codes_are_not_sequential():
    codes = {complaint_file(**person()).receipt_code for _ in range(3)}
    assert len(codes) == 3


def test_the_id_number_is_checked_by_its_checksum():
    wrong = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")
    with pytest.raises(ValidationError) as refused:
        complaint_file(**person(id_number=wrong))
    assert "校验位" in refusal(refused.value)["id_number"]


def test_a_person_must_give_name_id_number_and_phone_and_say_what_happened():
    with pytest.raises(ValidationError) as refused:
        complaint_file(**person(name="", id_number="", phone="", facts=" ", subject=""))
    errors = refusal(refused.value)
    assert set(errors) == {"name", "id_number", "phone", "facts", "subject"}
    assert "第二十一条" in errors["name"]


def test_a_unit_must_upload_a_letter_bearing_its_seal():
    unit = person(
        complainant_kind=ComplainantKind.UNIT,
        name="临沂某某贸易有限公司",
        id_number="",
        contact_person="周经理",
    )
    with pytest.raises(ValidationError) as refused:
        complaint_file(**unit)
    assert "加盖单位公章" in refusal(refused.value)["seal_letter"]
    complaint = complaint_file(
        **unit, seal_letter=upload("举报书.jpg", image_bytes("JPEG"), "image/jpeg")
    )
    assert [f.kind for f in complaint.files.all()] == [ComplaintFileKind.SEAL_LETTER]


def test_anonymous_is_refused_while_off_and_accepted_once_the_office_enables_it(office):
    anonymous = {
        "complainant_kind": ComplainantKind.ANONYMOUS,
        "subject": "某单位",
        "facts": "事实",
    }
    with pytest.raises(ValidationError) as refused:
        complaint_file(**anonymous)
    assert "凡以匿名方式提出举报投诉的，不予受理" in refusal(refused.value)["complainant_kind"]
    complaint_settings_update(by=office, allows_anonymous=True, contact="0539-1234567")
    complaint = complaint_file(**anonymous)
    assert complaint.is_anonymous and complaint.name == "" and complaint.id_number == ""
    entry = AuditEntry.objects.get(action="revocation.complaint_settings")
    assert entry.after["allows_anonymous_complaints"] is True


def test_only_the_office_changes_the_settings():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        complaint_settings_update(by=make_user(Role.AUDITOR), allows_anonymous=True)


def test_a_file_is_checked_by_its_content():
    fake = upload("证明.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    with pytest.raises(ValidationError) as refused:
        complaint_file(**person(), evidence=[fake])
    assert "证明.pdf" in refusal(refused.value)["evidence"]
    assert not Complaint.objects.exists()


def test_the_same_form_posted_twice_files_once():
    token = uuid.uuid4()
    first = complaint_file(**person(), submission_token=token)
    with pytest.raises(SubmissionReplayed) as replayed:
        complaint_file(**person(), submission_token=token)
    assert replayed.value.first == first
    assert Complaint.objects.count() == 1


# The public pages --------------------------------------------------------------------------


def test_the_form_states_the_rule_against_anonymous_complaints(client):
    page = client.get(reverse(CREATE)).content.decode()
    assert "凡以匿名方式提出举报投诉的，不予受理" in page
    assert 'value="anonymous"' not in page


def test_the_form_offers_anonymous_once_enabled(client, office):
    complaint_settings_update(by=office, allows_anonymous=True)
    page = client.get(reverse(CREATE)).content.decode()
    assert 'value="anonymous"' in page
    response = client.post(
        reverse(CREATE),
        {
            "complainant_kind": "anonymous",
            "subject": "某单位",
            "facts": "情况",
            "submission_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    assert Complaint.objects.get().is_anonymous


def test_a_refusal_shows_next_to_the_field_and_keeps_the_input(client):
    wrong = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")
    response = client.post(reverse(CREATE), form_data(id_number=wrong))
    assert response.status_code == 400
    form = response.context["form"]
    assert "校验位" in " ".join(form.errors["id_number"])
    page = response.content.decode()
    assert "评审期间该专家与申报单位人员私下接触。" in page
    assert NAME in page
    assert not Complaint.objects.exists()


def test_filing_gives_the_receipt_and_the_lookup_shows_state_and_result(client, office):
    response = client.post(
        reverse(CREATE),
        {**form_data(), "evidence": [upload("证明.pdf", minimal_pdf())]},
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    receipt = client.get(response.url).content.decode()
    assert complaint.receipt_code in receipt
    complaint_accept(complaint=complaint, by=office)
    complaint_close(complaint=complaint, by=office, result="经查属实，已责令整改。")
    looked = client.post(reverse(RECEIPT), {"code": complaint.receipt_code.lower()})
    assert looked.status_code == 200
    page = looked.content.decode()
    assert "已办结" in page and "经查属实，已责令整改。" in page
    for secret in (NAME, ID_NUMBER, PHONE, "私下接触"):
        assert secret not in page


def test_a_double_click_files_once(client):
    data = form_data()
    first = client.post(reverse(CREATE), data)
    second = client.post(reverse(CREATE), data)
    assert first.status_code == second.status_code == 302
    assert Complaint.objects.count() == 1


def test_a_wrong_code_says_nothing_and_every_wrong_code_gets_the_same_answer(client):
    complaint = complaint_file(**person())
    near = complaint.receipt_code[:-1] + ("0" if complaint.receipt_code[-1] != "0" else "1")
    answers = []
    for code in (near, "ZZZZZZZZZZZZ", "abc"):
        response = client.post(reverse(RECEIPT), {"code": code})
        assert response.status_code == 404
        answers.append(" ".join(response.context["form"].errors["code"]))
        assert complaint.receipt_code not in response.content.decode()
    assert len(set(answers)) == 1


def test_a_flood_of_complaints_from_one_address_gets_429_with_the_retry_time(client):
    for _ in range(3):
        assert client.post(reverse(CREATE), form_data()).status_code == 302
    response = client.post(reverse(CREATE), form_data())
    assert response.status_code == 429
    assert "以后再试" in response.content.decode()
    assert response.context["retry_at"] is not None
    assert Complaint.objects.count() == 3
    # The lookup counts separately.
    assert client.post(reverse(RECEIPT), {"code": "ABCDEFGHJKMN"}).status_code == 404


def test_a_flood_of_wrong_codes_gets_429(client):
    for _ in range(20):
        assert client.post(reverse(RECEIPT), {"code": "ABCDEFGHJKMN"}).status_code == 404
    response = client.post(reverse(RECEIPT), {"code": "ABCDEFGHJKMN"})
    assert response.status_code == 429
    assert "回执号" in response.content.decode()
    # Filing counts separately.
    assert client.post(reverse(CREATE), form_data()).status_code == 302
