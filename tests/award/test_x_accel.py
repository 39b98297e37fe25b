"""Private files through nginx: the view checks permission, nginx sends the bytes (X-Accel)."""

from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from applications.enums import ApplicationState as S
from award.enums import Role
from award.models import AuditEntry
from tests.applications.factories import World
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    world = World()
    world.application = world.application_in(S.SUBMITTED)
    world.document = world.application.documents.get()
    return world


def download_url(document):
    return reverse("applications:document_download", args=[document.pk])


def test_with_a_prefix_the_owner_gets_an_empty_answer_naming_the_file_for_nginx(
    client, settings, submitted
):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_protected/"
    client.force_login(submitted.owner)
    response = client.get(download_url(submitted.document))
    assert response.status_code == 200
    assert not response.streaming
    assert response.content == b""
    name = submitted.document.file.name
    assert default_storage.exists(name)
    assert response["X-Accel-Redirect"] == f"/_protected/{quote(name)}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('自我评价报告.pdf')}"
    )
    assert response["Cache-Control"] == "private, no-store"
    # The permission check and the audit entry stay with the portal.
    assert AuditEntry.objects.get(action="application.document_download").actor == submitted.owner


def test_a_prefix_without_its_closing_slash_still_names_one_path(client, settings, submitted):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_protected"
    client.force_login(submitted.owner)
    response = client.get(download_url(submitted.document))
    assert response["X-Accel-Redirect"] == f"/_protected/{quote(submitted.document.file.name)}"


def test_a_path_with_spaces_and_chinese_is_url_quoted(client, settings, submitted):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_protected/"
    document = submitted.document
    with default_storage.open(document.file.name, "rb") as source:
        new_name = default_storage.save("applications/测试 目录/报告 1.pdf", source)
    document.file.name = new_name
    document.save(update_fields=["file"])
    client.force_login(submitted.owner)
    header = client.get(download_url(document))["X-Accel-Redirect"]
    assert header == "/_protected/applications/%E6%B5%8B%E8%AF%95%20%E7%9B%AE%E5%BD%95/" + quote(
        new_name.rsplit("/", 1)[1]
    )
    assert " " not in header


def test_someone_else_gets_404_and_no_redirect_header(client, settings, submitted):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_protected/"
    client.force_login(make_user(Role.APPLICANT))
    response = client.get(download_url(submitted.document))
    assert response.status_code == 404
    assert not response.has_header("X-Accel-Redirect")


def test_a_missing_file_is_404_rather_than_a_redirect_to_nothing(client, settings, submitted):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_protected/"
    default_storage.delete(submitted.document.file.name)
    client.force_login(submitted.owner)
    response = client.get(download_url(submitted.document))
    assert response.status_code == 404
    assert not response.has_header("X-Accel-Redirect")


def test_without_a_prefix_the_file_is_streamed_by_the_portal(client, settings, submitted):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = ""
    client.force_login(submitted.owner)
    response = client.get(download_url(submitted.document))
    assert response.streaming
    assert not response.has_header("X-Accel-Redirect")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
