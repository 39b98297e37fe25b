"""Downloading an application's files: who may, the audit entry, the safe file name."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from applications.enums import ApplicationState as S
from applications.enums import DocumentKind
from applications.models import ApplicationSnapshot
from applications.services import document_add, document_remove
from applications.services.pdf import snapshot_render_pdf
from award.enums import Role
from award.models import AuditEntry
from tests.applications.factories import World, pdf_bytes, pdf_upload, unit_applicant
from tests.factories import county, make_user

pytestmark = pytest.mark.django_db


def download_url(document):
    return reverse("applications:document_download", args=[document.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def submitted():
    world = World()
    world.application = world.application_in(S.SUBMITTED)
    world.document = world.application.documents.get()
    return world


def test_owner_downloads_the_file_as_an_attachment_and_it_is_audited(client, submitted):
    client.force_login(submitted.owner)
    response = client.get(download_url(submitted.document))
    assert response.status_code == 200
    assert body(response) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('自我评价报告.pdf')}"
    )
    assert response["Cache-Control"] == "private, no-store"
    entry = AuditEntry.objects.get(action="application.document_download")
    assert entry.actor == submitted.owner
    assert entry.object_id == str(submitted.application.pk)
    assert entry.after == {
        "document": submitted.document.pk,
        "kind": DocumentKind.SELF_ASSESSMENT,
        "title": submitted.document.title,
        "sha256": submitted.document.sha256,
    }


@pytest.mark.parametrize("reader", ["county", "office", "auditor"])
def test_reviewers_of_a_submitted_application_may_download(client, submitted, reader):
    user = {
        "county": submitted.county_user,
        "office": submitted.office,
        "auditor": make_user(Role.AUDITOR),
    }[reader]
    client.force_login(user)
    response = client.get(download_url(submitted.document))
    assert response.status_code == 200
    assert body(response) == pdf_bytes()
    assert AuditEntry.objects.get(action="application.document_download").actor == user


@pytest.mark.parametrize("role", [Role.EXPERT, Role.AGENCY, Role.LEADER, Role.APPLICANT])
def test_everyone_else_gets_404_and_no_audit_entry(client, submitted, role):
    client.force_login(make_user(role))
    assert client.get(download_url(submitted.document)).status_code == 404
    assert not AuditEntry.objects.filter(action="application.document_download").exists()


def test_coordinator_of_another_county_gets_404(client, submitted):
    client.force_login(make_user(Role.COUNTY, county=county("371321")))
    assert client.get(download_url(submitted.document)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, submitted):
    response = client.get(download_url(submitted.document))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("award:login"))


def test_a_draft_is_private_to_its_applicant(client):
    world = World()
    draft = world.application_in(S.DRAFT)
    document = draft.documents.get()
    for user in (world.county_user, world.office):
        client.force_login(user)
        assert client.get(download_url(document)).status_code == 404
    client.force_login(world.owner)
    assert client.get(download_url(document)).status_code == 200


def test_a_file_retired_after_a_return_stays_readable_for_the_county(client):
    world = World()
    returned = world.application_in(S.RETURNED)
    old_report = returned.documents.get()
    document_remove(application=returned, by=world.owner, document=old_report)
    document_add(
        application=returned,
        by=world.owner,
        kind=DocumentKind.SELF_ASSESSMENT,
        file=pdf_upload("自我评价报告（修订）.pdf"),
    )
    client.force_login(world.county_user)
    response = client.get(download_url(old_report))
    assert response.status_code == 200
    assert body(response) == pdf_bytes()


def test_the_form_pdf_of_a_round_downloads_for_owner_and_county_only(client, submitted):
    snapshot = ApplicationSnapshot.objects.get(application=submitted.application)
    path = reverse("applications:snapshot_pdf", args=[submitted.application.pk, 1])
    client.force_login(submitted.owner)
    assert client.get(path).status_code == 404  # not rendered yet
    assert snapshot_render_pdf(snapshot_id=snapshot.pk) is True

    response = client.get(path)
    assert response.status_code == 200
    assert body(response).startswith(b"%PDF")
    name = f"申报表_{submitted.application.name}_第1轮.pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    assert AuditEntry.objects.get(action="application.form_pdf_download").after["round"] == 1
    client.force_login(submitted.county_user)
    assert client.get(path).status_code == 200
    client.force_login(unit_applicant())
    assert client.get(path).status_code == 404
    detail = reverse("applications:county_detail", args=[submitted.application.pk])
    client.force_login(submitted.county_user)
    assert path in client.get(detail).content.decode()
