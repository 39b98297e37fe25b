"""市政府's approval (第十四条第（七）项): recorded by the office after the 公示期."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from award.enums import Role
from award.models import AuditEntry
from decisions.models import Approval
from decisions.services.approval import approval_record
from tests.applications.factories import pdf_bytes, png_upload
from tests.decisions.honours_world import HonoursWorld
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def record(world, by=None, **overrides):
    fields = {
        "document_number": "临政字〔2026〕21号",
        "approved_on": world.cycle.publicity_ends_on + datetime.timedelta(days=1),
        "file": SimpleUploadedFile("批复.pdf", pdf_bytes(), content_type="application/pdf"),
    }
    return approval_record(cycle=world.cycle, by=by or world.office, **{**fields, **overrides})


@pytest.fixture
def world():
    return HonoursWorld(units=1, individuals=0)


def test_office_records_the_approval_after_the_window(world):
    approval = record(world)
    assert approval.sha256 and approval.content_type == "application/pdf"
    entry = AuditEntry.objects.get(action="decisions.approval_record")
    assert entry.after["document_number"] == "临政字〔2026〕21号"
    assert entry.article == "第十四条第（七）项"


def test_a_png_scan_is_accepted(world):
    assert record(world, file=png_upload("批复.png")).content_type == "image/png"


def test_a_renamed_file_is_refused_by_content(world):
    fake = SimpleUploadedFile("批复.pdf", b"not a pdf at all" * 10, content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        record(world, file=fake)
    assert "file" in refused.value.message_dict


def test_not_before_the_window_is_over():
    world = HonoursWorld(units=1, individuals=0, window_over=False)
    with pytest.raises(ValidationError) as refused:
        record(world, approved_on=datetime.date.today())
    assert "第十四条第（六）（七）项" in refused.value.messages[0]
    assert not Approval.objects.exists()


def test_once_per_cycle(world):
    record(world)
    with pytest.raises(ValidationError) as refused:
        record(world)
    assert "不能重复记录" in refused.value.messages[0]


def test_date_must_follow_the_window_and_not_be_in_the_future(world):
    with pytest.raises(ValidationError) as refused:
        record(world, approved_on=world.cycle.publicity_ends_on)
    assert "第十四条第（七）项" in refused.value.message_dict["approved_on"][0]
    with pytest.raises(ValidationError):
        record(world, approved_on=datetime.date.today() + datetime.timedelta(days=1))


@pytest.mark.parametrize("role", [r for r in Role if r != Role.OFFICE])
def test_only_the_office_records(world, role):
    with pytest.raises(PermissionDenied):
        record(world, by=make_user(role))


def test_approval_page_records_and_the_file_is_staff_only(world, client):
    client.force_login(world.office)
    url = reverse("decisions:honours_approval_record", args=[world.cycle.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "document_number": "临政字〔2026〕21号",
            "approved_on": (world.cycle.publicity_ends_on + datetime.timedelta(days=1)).isoformat(),
            "file": SimpleUploadedFile("批复.pdf", pdf_bytes(), content_type="application/pdf"),
            "confirm": "on",
            "submission_token": page.context["form"]["submission_token"].value(),
        },
    )
    assert response.status_code == 302
    file_url = reverse("decisions:honours_approval_file", args=[world.cycle.pk])
    for role in (Role.OFFICE, Role.AUDITOR):
        client.force_login(make_user(role))
        response = client.get(file_url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="decisions.approval_download").count() == 2
    for role in (Role.APPLICANT, Role.COUNTY, Role.LEADER, Role.AGENCY):
        client.force_login(make_user(role))
        assert client.get(file_url).status_code == 404


def test_approval_page_keeps_what_was_typed_when_refused(world, client):
    client.force_login(world.office)
    url = reverse("decisions:honours_approval_record", args=[world.cycle.pk])
    response = client.post(
        url,
        {
            "document_number": "临政字〔2026〕21号",
            "approved_on": world.cycle.publicity_ends_on.isoformat(),
            "file": SimpleUploadedFile("批复.pdf", pdf_bytes(), content_type="application/pdf"),
            "confirm": "on",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "临政字〔2026〕21号" in page
    assert "批复日期应在公示期结束" in page


def test_workbench_shows_the_approval_to_record(world, client):
    client.force_login(world.office)
    page = client.get(reverse("award:workbench")).content.decode()
    assert "记录市政府批准文件" in page
    record(world)
    page = client.get(reverse("award:workbench")).content.decode()
    assert "记录市政府批准文件" not in page


def test_document_number_follows_the_text_rule(world):
    with pytest.raises(ValidationError) as refused:
        record(world, document_number="临政字\x00〔2026〕21号")
    assert "document_number" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        record(world, document_number="   ")
    assert refused.value.message_dict["document_number"] == ["请填写市政府批复文号。"]
