"""The public files objections during 公示 (第十四条第（六）项): real-name by default, files
checked by content, refused outside the window, rate-limited, double-click safe, with a
receipt and a lookup that never shows who objected."""

import datetime
import uuid

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.enums import ApplicationState
from applications.models import Application
from applications.validators import id_number_check_char
from award.exceptions import SubmissionReplayed
from award.models import AuditEntry, Cycle, Message
from decisions.enums import ObjectionFileKind, ObjectionState, ObjectorKind
from decisions.models import Objection, Publicity
from decisions.services import real_name
from decisions.services.objections import objection_dismiss, objection_file
from decisions.services.publicity import publicity_settings_update
from tests.award.sample_files import image_bytes, minimal_pdf, upload
from tests.decisions.test_publicity_world import PublicityWorld

pytestmark = pytest.mark.django_db

NAME, PHONE = "孙秉公", "13912345678"
ID_NUMBER = "37130219800101123" + id_number_check_char("37130219800101123")


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    return PublicityWorld()


def person(world, **overrides):
    fields = {
        "cycle": world.cycle,
        "application_id": world.application.pk,
        "objector_kind": ObjectorKind.PERSON,
        "name": NAME,
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "reasons": "该单位存在未如实申报的质量问题。",
    }
    return {**fields, **overrides}


def refusal(error) -> dict:
    return {key: " ".join(str(m) for m in value) for key, value in error.message_dict.items()}


# The service ------------------------------------------------------------------------------


def test_a_person_files_a_real_name_objection(world):
    objection = objection_file(
        **person(world),
        evidence=[upload("证明.pdf", minimal_pdf()), upload("照片.png", image_bytes("PNG"))],
    )
    assert objection.state == ObjectionState.OPEN
    assert len(objection.receipt_code) == 16
    assert (objection.name, objection.id_number, objection.phone) == (NAME, ID_NUMBER, PHONE)
    assert [f.kind for f in objection.files.all()] == [ObjectionFileKind.EVIDENCE] * 2
    entry = AuditEntry.objects.get(action="decisions.objection_file")
    assert entry.article == "第十四条第（六）项"
    for secret in (NAME, ID_NUMBER, PHONE):
        assert secret not in str(entry.after)
    office_message = Message.objects.filter(recipient=world.office).latest("pk")
    assert "公示异议调查核实" in office_message.body
    assert NAME not in office_message.body


def test_the_id_number_is_checked_by_its_checksum(world):
    wrong = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")
    with pytest.raises(ValidationError) as refused:
        objection_file(**person(world, id_number=wrong))
    assert "校验位" in refusal(refused.value)["id_number"]


def test_a_person_must_give_name_id_number_and_phone(world):
    with pytest.raises(ValidationError) as refused:
        objection_file(**person(world, name="", id_number="", phone=""))
    errors = refusal(refused.value)
    assert set(errors) == {"name", "id_number", "phone"}
    assert all("第十四条第（六）项" in message for message in errors.values())


def test_reasons_are_required(world):
    with pytest.raises(ValidationError) as refused:
        objection_file(**person(world, reasons="  "))
    assert "第十四条第（六）项" in refusal(refused.value)["reasons"]


def test_a_unit_must_upload_a_letter_bearing_its_seal(world):
    unit = person(
        world,
        objector_kind=ObjectorKind.UNIT,
        name="临沂某某贸易有限公司",
        id_number="",
        contact_person="周经理",
    )
    with pytest.raises(ValidationError) as refused:
        objection_file(**unit)
    assert "加盖单位公章的异议书（第十四条第（六）项）" in refusal(refused.value)["seal_letter"]
    objection = objection_file(
        **unit, seal_letter=upload("异议书.jpg", image_bytes("JPEG"), "image/jpeg")
    )
    assert [f.kind for f in objection.files.all()] == [ObjectionFileKind.SEAL_LETTER]
    assert objection.contact_person == "周经理"


def test_anonymous_objections_only_where_the_office_allowed_them(world):
    anonymous = person(world, objector_kind=ObjectorKind.ANONYMOUS, name="", id_number="", phone="")
    with pytest.raises(ValidationError) as refused:
        objection_file(**anonymous)
    assert "不受理匿名异议" in refusal(refused.value)["objector_kind"]
    assert "第十四条第（六）项" in refusal(refused.value)["objector_kind"]
    publicity_settings_update(
        cycle=world.cycle,
        by=world.office,
        allows_anonymous_objections=True,
        contact="质量强市办 0539-8000000",
        confirm_anonymous=True,
    )
    objection = objection_file(**anonymous)
    assert objection.objector_kind == ObjectorKind.ANONYMOUS
    assert objection.name == objection.id_number == objection.phone == ""


def test_files_are_checked_by_content_and_size(world, monkeypatch):
    with pytest.raises(ValidationError) as refused:
        objection_file(
            **person(world), evidence=[upload("伪装.pdf", b"MZ\x90\x00" + b"\x00" * 300)]
        )
    assert "伪装.pdf" in refusal(refused.value)["evidence"]
    monkeypatch.setattr(real_name, "FILE_MAX_BYTES", 100)
    with pytest.raises(ValidationError) as refused:
        objection_file(**person(world), evidence=[upload("大.pdf", minimal_pdf())])
    assert "上限" in refusal(refused.value)["evidence"]
    assert not Objection.objects.exists()


def test_refused_after_the_last_day(world):
    end = world.cycle.publicity_ends_on
    with pytest.raises(ValidationError) as refused:
        objection_file(**person(world), today=end + datetime.timedelta(days=1))
    message = refused.value.messages[0]
    assert message == (
        f"公示期已于{end.year}年{end.month}月{end.day}日结束，逾期不予受理（第十四条第（六）项）。"
    )
    assert objection_file(**person(world), today=end).pk


def test_refused_before_the_first_day(world):
    start = world.cycle.publicity_starts_on
    with pytest.raises(ValidationError, match="此前不受理异议（第十四条第（六）项）"):
        objection_file(**person(world), today=start - datetime.timedelta(days=1))


def test_refused_when_the_cycle_is_not_in_publicity(world):
    Cycle.objects.filter(pk=world.cycle.pk).update(phase="published")
    world.cycle.refresh_from_db()
    with pytest.raises(ValidationError, match="不在公示期内"):
        objection_file(**person(world))


def test_only_names_in_publicity_can_be_objected_to(world):
    Application.objects.filter(pk=world.application.pk).update(
        state=ApplicationState.PUBLICITY_FAILED
    )
    with pytest.raises(ValidationError) as refused:
        objection_file(**person(world))
    assert "公示名单" in refusal(refused.value)["application"]


def test_one_token_files_once(world):
    token = uuid.uuid4()
    first = objection_file(**person(world), submission_token=token)
    with pytest.raises(SubmissionReplayed) as replayed:
        objection_file(**person(world), submission_token=token)
    assert replayed.value.first == first
    assert Objection.objects.count() == 1


# The public pages --------------------------------------------------------------------------


def form_data(world, **overrides):
    data = {
        "application": world.application.pk,
        "objector_kind": ObjectorKind.PERSON,
        "name": NAME,
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "reasons": "该单位存在未如实申报的质量问题。",
        "submission_token": str(uuid.uuid4()),
    }
    return {**data, **overrides}


def object_url(world):
    return reverse("public_decisions:objection_create", args=[world.cycle.number])


def test_the_publicity_page_lists_names_without_identifiers(client, world):
    Publicity.objects.filter(cycle=world.cycle).update(contact="质量强市办，电话0539-8000000")
    response = client.get(reverse("public_decisions:publicity"))
    assert response.status_code == 200
    page = response.content.decode()
    for winner in world.winners:
        assert winner.name in page
        assert winner.identifier not in page
        assert winner.county.name in page
    assert "临沂市市长质量奖提名奖" in page
    start, end = world.cycle.publicity_starts_on, world.cycle.publicity_ends_on
    assert f"{start.year}年{start.month}月{start.day}日" in page
    assert f"{end.year}年{end.month}月{end.day}日" in page
    assert "质量强市办，电话0539-8000000" in page
    assert "不受理匿名异议" in page
    assert object_url(world) in page


def test_the_publicity_page_reads_in_few_queries(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(reverse("public_decisions:publicity")).status_code == 200


def test_an_unpublished_cycle_has_no_publicity_page(client):
    world = PublicityWorld(publish=False)
    url = reverse("public_decisions:publicity_cycle", args=[world.cycle.number])
    assert client.get(url).status_code == 404
    assert client.get(object_url(world)).status_code == 404
    assert "当前没有正在进行" in client.get(reverse("public_decisions:publicity")).content.decode()


def test_filing_through_the_page_gives_a_receipt(client, world):
    response = client.post(
        object_url(world),
        {**form_data(world), "evidence": [upload("证明.pdf", minimal_pdf())]},
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.files.count() == 1
    receipt = client.get(response.url)
    page = receipt.content.decode()
    assert objection.receipt_code in page
    assert NAME not in page and ID_NUMBER not in page and PHONE not in page


def test_a_double_click_files_once(client, world):
    data = form_data(world)
    first = client.post(object_url(world), data)
    second = client.post(object_url(world), data)
    assert first.status_code == second.status_code == 302
    assert Objection.objects.count() == 1
    assert Objection.objects.get().receipt_code in client.get(second.url).content.decode()


def test_a_refused_form_keeps_what_was_typed_and_asks_for_the_file_again(client, world):
    response = client.post(
        object_url(world),
        {
            **form_data(world, id_number="370000000000000000"),
            "evidence": [upload("a.pdf", minimal_pdf())],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "身份证号码" in page
    assert "该单位存在未如实申报的质量问题。" in page
    assert NAME in page and PHONE in page
    assert "请重新选择要上传的文件" in page
    assert not Objection.objects.exists()


def test_the_form_refuses_after_the_window(client, world):
    Cycle.objects.filter(pk=world.cycle.pk).update(
        publicity_ends_on=world.cycle.publicity_starts_on
    )
    world.cycle.refresh_from_db()
    page = client.get(object_url(world)).content.decode()
    assert "逾期不予受理" in page
    response = client.post(object_url(world), form_data(world))
    assert response.status_code == 409
    assert "逾期不予受理（第十四条第（六）项）" in response.content.decode()


def test_one_address_files_at_most_three_objections_an_hour(client, world):
    for _ in range(3):
        assert client.post(object_url(world), form_data(world)).status_code == 302
    response = client.post(object_url(world), form_data(world))
    assert response.status_code == 429
    page = response.content.decode()
    assert "每小时最多提出3件异议" in page and "以后再试" in page
    assert Objection.objects.count() == 3
    other = client.post(object_url(world), form_data(world), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_refused_forms_do_not_count_against_the_limit(client, world):
    for _ in range(4):
        client.post(object_url(world), form_data(world, reasons=""))
    assert client.post(object_url(world), form_data(world)).status_code == 302


def test_the_receipt_lookup_shows_the_state_and_then_the_decision(client, world):
    objection = objection_file(**person(world))
    lookup = reverse("public_decisions:objection_receipt")
    page = client.post(lookup, {"code": objection.receipt_code.lower()}).content.decode()
    assert "调查核实中" in page and world.application.name in page
    objection_dismiss(objection=objection, by=world.office, reason="经核实，所反映问题不属实。")
    response = client.post(lookup, {"code": objection.receipt_code})
    page = response.content.decode()
    assert response.status_code == 200
    assert "异议不成立" in page and "经核实，所反映问题不属实。" in page
    for secret in (NAME, ID_NUMBER, PHONE):
        assert secret not in page


@pytest.mark.parametrize("code", ["0000000000000000", "ABC", "' OR 1=1 --"])
def test_an_unknown_receipt_code_is_not_found(client, world, code):
    objection_file(**person(world))
    response = client.post(reverse("public_decisions:objection_receipt"), {"code": code})
    assert response.status_code == 404
    page = response.content.decode()
    assert "未找到该回执号对应的异议" in page
    assert world.application.name not in page.split("<main")[1]


def test_unknown_codes_tried_in_bulk_are_stopped(client, world):
    objection = objection_file(**person(world))
    lookup = reverse("public_decisions:objection_receipt")
    for n in range(20):
        assert client.post(lookup, {"code": f"{n:016X}"}).status_code == 404
    response = client.post(lookup, {"code": objection.receipt_code})
    assert response.status_code == 429
    assert "以后再试" in response.content.decode()


def test_the_form_offers_the_names_in_publicity_and_anonymity_only_when_allowed(client, world):
    page = client.get(object_url(world) + f"?application={world.application.pk}").content.decode()
    for winner in world.winners:
        assert winner.name in page
    assert f'value="{world.application.pk}" selected' in page
    assert 'value="anonymous"' not in page
    Publicity.objects.filter(cycle=world.cycle).update(allows_anonymous_objections=True)
    assert 'value="anonymous"' in client.get(object_url(world)).content.decode()


def test_the_auditor_is_shown_no_objection_form(client, world, auditor_user):
    """第七章: the supervisor reads the 公示 and changes nothing, so the page tells them so
    instead of offering a form the portal would refuse."""
    client.force_login(auditor_user)
    page = client.get(object_url(world)).content.decode()
    assert "监督账号只能查阅，不能提出公示异议" in page
    assert 'method="post"' not in page.split("<main")[-1]
    client.logout()
    assert 'method="post"' in client.get(object_url(world)).content.decode()
