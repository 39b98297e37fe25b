"""Uploads: kinds checked by content, cycle size limits, one report, removal before submit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.enums import DocumentKind
from applications.models import ApplicationDocument
from applications.services import application_create, document_add, document_remove
from award.enums import ApplicantKind
from award.models import AuditEntry, Cycle
from tests.applications.factories import World, pdf_bytes, pdf_upload, png_upload, unit_applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    world = World()
    return world, application_create(cycle=world.cycle, by=world.owner)


def test_report_is_stored_under_a_random_name_and_audited(draft):
    world, application = draft
    document = document_add(
        application=application,
        by=world.owner,
        kind=DocumentKind.SELF_ASSESSMENT,
        file=pdf_upload("自我评价报告.pdf"),
    )
    assert document.original_name == "自我评价报告.pdf"
    assert document.content_type == "application/pdf"
    assert document.frozen_in_round is None
    assert "自我评价报告" not in document.file.name
    assert document.file.name.startswith(f"applications/{application.pk}/")
    entry = AuditEntry.objects.get(action="application.document_add")
    assert entry.after["sha256"] == document.sha256


def test_report_must_be_a_pdf(draft):
    world, application = draft
    with pytest.raises(ValidationError) as error:
        document_add(
            application=application,
            by=world.owner,
            kind=DocumentKind.SELF_ASSESSMENT,
            file=png_upload("报告.png"),
        )
    assert error.value.message_dict["file"] == [
        "文件内容不是允许的类型（允许：PDF）。仅修改文件扩展名不能改变文件类型。"
    ]
    assert not ApplicationDocument.objects.exists()


def test_renamed_image_is_not_taken_for_a_pdf(draft):
    world, application = draft
    fake = SimpleUploadedFile("证书.pdf", png_upload().read(), content_type="application/pdf")
    with pytest.raises(ValidationError):
        document_add(
            application=application,
            by=world.owner,
            kind=DocumentKind.EVIDENCE,
            title="证书",
            file=fake,
        )


def test_cycle_size_limit_applies(draft):
    world, application = draft
    Cycle.objects.filter(pk=world.cycle.pk).update(evidence_max_mb=1)
    big = pdf_bytes().replace(b"%%EOF", b"%" + b"0" * (1024 * 1024) + b"\n%%EOF")
    with pytest.raises(ValidationError) as error:
        document_add(
            application=application,
            by=world.owner,
            kind=DocumentKind.EVIDENCE,
            title="检测报告",
            file=pdf_upload("检测报告.pdf", big),
        )
    assert error.value.message_dict["file"] == ["文件大小超过1MB的上限，请压缩或拆分后再上传。"]


def test_evidence_needs_a_title_and_accepts_images(draft):
    world, application = draft
    with pytest.raises(ValidationError) as error:
        document_add(
            application=application, by=world.owner, kind=DocumentKind.EVIDENCE, file=png_upload()
        )
    assert error.value.message_dict == {"title": ["请填写材料名称。"]}
    document = document_add(
        application=application,
        by=world.owner,
        kind=DocumentKind.EVIDENCE,
        title="  质量  管理体系证书 ",
        file=png_upload("证书.png"),
    )
    assert (document.title, document.content_type) == ("质量 管理体系证书", "image/png")


def test_only_one_current_report(draft):
    world, application = draft
    document_add(
        application=application,
        by=world.owner,
        kind=DocumentKind.SELF_ASSESSMENT,
        file=pdf_upload(),
    )
    with pytest.raises(ValidationError) as error:
        document_add(
            application=application,
            by=world.owner,
            kind=DocumentKind.SELF_ASSESSMENT,
            file=pdf_upload(),
        )
    assert error.value.message_dict["file"] == [
        "已上传自我评价报告/个人事迹材料，如需更换请先删除原文件。"
    ]


def test_photo_is_for_individuals(draft):
    world, application = draft
    with pytest.raises(ValidationError) as error:
        document_add(
            application=application, by=world.owner, kind=DocumentKind.PHOTO, file=png_upload()
        )
    assert error.value.message_dict == {"kind": ["只有申报个人需要上传个人照片。"]}
    person = World(kind=ApplicantKind.INDIVIDUAL, cycle=world.cycle)
    own = application_create(cycle=world.cycle, by=person.owner)
    photo = document_add(
        application=own, by=person.owner, kind=DocumentKind.PHOTO, file=png_upload()
    )
    assert photo.title == "个人照片"


def test_removing_an_unsubmitted_document_deletes_its_file(
    draft, django_capture_on_commit_callbacks
):
    world, application = draft
    document = document_add(
        application=application,
        by=world.owner,
        kind=DocumentKind.SELF_ASSESSMENT,
        file=pdf_upload(),
    )
    storage, name = document.file.storage, document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        document_remove(application=application, by=world.owner, document=document)
    assert not ApplicationDocument.objects.exists()
    assert not storage.exists(name)
    assert AuditEntry.objects.get(action="application.document_remove").before["sha256"] == (
        document.sha256
    )


def test_someone_else_cannot_upload_or_remove(draft):
    world, application = draft
    document = document_add(
        application=application,
        by=world.owner,
        kind=DocumentKind.SELF_ASSESSMENT,
        file=pdf_upload(),
    )
    stranger = unit_applicant()
    with pytest.raises(PermissionDenied):
        document_add(
            application=application,
            by=stranger,
            kind=DocumentKind.EVIDENCE,
            title="x",
            file=pdf_upload(),
        )
    for by in (stranger, world.county_user, world.office):
        with pytest.raises(PermissionDenied):
            document_remove(application=application, by=by, document=document)
    assert ApplicationDocument.objects.count() == 1
