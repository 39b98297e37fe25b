"""Certificates (证书): a PDF per honour with its serial and a QR code that opens the public
verification page (DESIGN.md §8, §9), rendered once and stored with its SHA-256."""

import hashlib

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from award.models import User
from award.pdf import render_pdf
from award.permissions import is_active_user, is_staff_reader
from award.services.audit import download_record
from decisions.enums import HonourStatus
from decisions.models import Honour

TEMPLATE = "pdf/decisions/certificate.html"
QR_SCALE = 6
QR_BORDER = 4


def verification_path(serial: str) -> str:
    return reverse("public_decisions:verify_serial", kwargs={"serial": serial})


def verification_url(serial: str) -> str:
    """The absolute address the certificate's QR code carries."""
    return settings.SITE_URL.rstrip("/") + verification_path(serial)


def qr_code(serial: str) -> segno.QRCode:
    return segno.make(verification_url(serial), error="m")


def qr_data_uri(serial: str) -> str:
    """The QR code as a PNG data URI, one module = QR_SCALE pixels, QR_BORDER modules quiet
    zone, embedded in the certificate's HTML (no file, no network)."""
    return qr_code(serial).png_data_uri(scale=QR_SCALE, border=QR_BORDER)


def certificate_context(honour: Honour) -> dict:
    return {
        "honour": honour,
        "cycle": honour.cycle,
        "category_label": honour.get_category_display(),
        "verification_url": verification_url(honour.serial),
        "qr": qr_data_uri(honour.serial),
    }


def certificate_pdf(honour: Honour) -> bytes:
    """The certificate of `honour` as PDF bytes (WeasyPrint, Noto CJK)."""
    honour = Honour.objects.select_related("cycle", "county").get(pk=honour.pk)
    return render_pdf(TEMPLATE, certificate_context(honour))


def certificate_store(honour: Honour) -> Honour:
    """Render and store the certificate once, with its SHA-256; running it again (a retried
    task, a download racing the task) leaves the first file in place. Returns the honour."""
    current = Honour.objects.get(pk=honour.pk)
    if current.certificate:
        return current
    data = certificate_pdf(current)
    with transaction.atomic():
        locked = Honour.objects.select_for_update().get(pk=honour.pk)
        if locked.certificate:
            return locked
        locked.certificate.save(f"{locked.serial}.pdf", ContentFile(data), save=False)
        locked.certificate_sha256 = hashlib.sha256(data).hexdigest()
        locked.save(update_fields=["certificate", "certificate_sha256"])
    return locked


def is_holder(honour: Honour, user) -> bool:
    return is_active_user(user) and honour.application.applicant_id == user.pk


def may_download_certificate(honour: Honour, user) -> bool:
    """The holder, the office and the auditor; nobody else learns the certificate exists."""
    return is_holder(honour, user) or is_staff_reader(user)


def _chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def certificate_open(*, honour: Honour, by: User) -> Honour:
    """The honour with its certificate stored (rendered now if the task has not run yet).

    PermissionDenied unless `by` holds the honour or is the office or the auditor; staff
    downloads are recorded (`decisions.certificate_download`).
    """
    if not may_download_certificate(honour, by):
        raise PermissionDenied
    if honour.status == HonourStatus.REVOKED and not is_staff_reader(by):
        raise ValidationError(
            _("该称号已于%(date)s撤销，证书随之失效，不再提供下载（第十九条）。")
            % {"date": _chinese_date(honour.revoked_on)},
            code="revoked",
        )
    stored = certificate_store(honour)
    if not is_holder(honour, by):
        download_record(
            by=by,
            obj=stored,
            action="decisions.certificate_download",
            what={"serial": stored.serial, "sha256": stored.certificate_sha256},
        )
    return stored


def certificate_filename(honour: Honour) -> str:
    return f"{honour.holder_name}_{honour.get_category_display()}证书_{honour.serial}.pdf"
