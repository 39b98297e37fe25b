"""Certificates: the PDF carries the serial and a QR code of the verification address; the
holder, the office and the auditor download it, anyone else gets 404."""

import io

import pytest
import segno
from django.urls import reverse
from pypdf import PdfReader

from award.enums import Role
from award.models import AuditEntry
from decisions.models import Honour
from decisions.services.certificates import (
    QR_BORDER,
    certificate_pdf,
    certificate_store,
    verification_url,
)
from tests.decisions.honours_world import published_world
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return published_world(units=1, individuals=1)


def qr_matrix_of(image, size: int) -> list[tuple[int, ...]]:
    """Read the modules back from the PNG the PDF embeds: sample each module's centre."""
    grey = image.convert("L")
    module = grey.size[0] / (size + 2 * QR_BORDER)
    return [
        tuple(
            1
            if grey.getpixel(
                (int((col + QR_BORDER + 0.5) * module), int((row + QR_BORDER + 0.5) * module))
            )
            < 128
            else 0
            for col in range(size)
        )
        for row in range(size)
    ]


def test_certificate_pdf_has_serial_holder_and_a_qr_of_the_verification_url(world, settings):
    settings.SITE_URL = "https://zlj.linyi.example"
    honour = Honour.objects.select_related("cycle").first()
    reader = PdfReader(io.BytesIO(certificate_pdf(honour)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert honour.serial in text
    assert honour.holder_name in text
    assert "临沂市市长质量奖" in text
    assert f"{honour.awarded_on.year}年" in text
    url = verification_url(honour.serial)
    assert url == f"https://zlj.linyi.example/verify/{honour.serial}/"
    expected = segno.make(url, error="m")
    images = reader.pages[0].images
    assert len(images) == 1
    size = len(expected.matrix)
    assert qr_matrix_of(images[0].image, size) == [tuple(row) for row in expected.matrix]
    # and not merely any QR code: another serial's would differ
    other = segno.make(verification_url("LY2025AU99-ZZZZZ"), error="m")
    assert qr_matrix_of(images[0].image, size) != [tuple(row) for row in other.matrix]


def test_certificate_store_is_idempotent(world):
    honour = Honour.objects.first()
    first = certificate_store(honour)
    name, digest = first.certificate.name, first.certificate_sha256
    again = certificate_store(honour)
    assert (again.certificate.name, again.certificate_sha256) == (name, digest)


def test_holder_downloads_own_certificate(world, client):
    honour = Honour.objects.select_related("application__applicant").first()
    client.force_login(honour.application.applicant)
    response = client.get(reverse("decisions:honour_certificate", args=[honour.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")


@pytest.mark.parametrize("role", [Role.OFFICE, Role.AUDITOR])
def test_staff_download_any_certificate_and_it_is_recorded(world, client, role):
    honour = Honour.objects.first()
    client.force_login(make_user(role))
    response = client.get(reverse("decisions:honour_certificate", args=[honour.pk]))
    assert response.status_code == 200
    assert AuditEntry.objects.filter(
        action="decisions.certificate_download", object_id=str(honour.pk)
    ).exists()


@pytest.mark.parametrize(
    "role", [Role.APPLICANT, Role.COUNTY, Role.AGENCY, Role.EXPERT, Role.LEADER]
)
def test_others_get_404_for_a_certificate(world, client, role):
    honour = Honour.objects.first()
    client.force_login(make_user(role))
    assert client.get(reverse("decisions:honour_certificate", args=[honour.pk])).status_code == 404
    assert client.get(reverse("decisions:honour_detail", args=[honour.pk])).status_code == 404


def test_another_winner_cannot_download_someone_elses_certificate(world, client):
    mine, theirs = Honour.objects.select_related("application__applicant").order_by("pk")[:2]
    client.force_login(mine.application.applicant)
    assert client.get(reverse("decisions:honour_certificate", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("decisions:honour_certificate", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(world, client):
    honour = Honour.objects.first()
    response = client.get(reverse("decisions:honour_certificate", args=[honour.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_certificate_whose_job_was_lost_is_rendered_on_first_download(world, client):
    honour = Honour.objects.select_related("application__applicant").first()
    Honour.objects.filter(pk=honour.pk).update(certificate="", certificate_sha256="")
    client.force_login(honour.application.applicant)
    response = client.get(reverse("decisions:honour_certificate", args=[honour.pk]))
    assert response.status_code == 200
    honour.refresh_from_db()
    assert honour.certificate and len(honour.certificate_sha256) == 64
