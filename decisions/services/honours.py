"""公布 (第十四条第（七）项): publishing the 公布公告 makes every application still in 公示 a
winner with an Honour, whose certificate is rendered after commit.

Serial numbers (证书编号) read ``LY2025AU03-7K4QX``:

- ``LY``: 临沂;
- the cycle's year (four digits);
- the category: ``A`` 临沂市市长质量奖, ``N`` 提名奖;
- the kind: ``U`` unit, ``P`` person;
- a two-digit number within the cycle, category and kind (01, 02, … by seat);
- ``-`` and five random characters from Crockford's base-32 alphabet (no I, L, O, U),
  drawn with `secrets`: 32⁵ ≈ 3 300万 possibilities per number, so knowing one serial tells
  nothing about another and serials cannot be enumerated.
"""

import logging
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.services.common import (
    check_transition,
    lock_application,
    take_transition,
    tell_state_change,
)
from award.enums import ApplicantKind, AwardCategory
from award.models import Cycle, User
from award.services.audit import audit_record
from decisions.enums import VoteChoice
from decisions.models import Approval, Honour

logger = logging.getLogger(__name__)

ARTICLE = "第十四条第（七）项"
CHECK_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_LENGTH = 5
CATEGORY_LETTER = {AwardCategory.AWARD: "A", AwardCategory.NOMINATION: "N"}
KIND_LETTER = {ApplicantKind.UNIT: "U", ApplicantKind.INDIVIDUAL: "P"}
SERIAL_PATTERN = re.compile(r"^LY\d{4}[AN][UP]\d{2,4}-[0-9A-HJKMNP-TV-Z]{5}$")


def serial_make(*, year: int, category: str, kind: str, number: int) -> str:
    check = "".join(secrets.choice(CHECK_ALPHABET) for _ in range(CHECK_LENGTH))
    return f"LY{year:04d}{CATEGORY_LETTER[category]}{KIND_LETTER[kind]}{number:02d}-{check}"


def serial_normalise(typed: str) -> str:
    """What a person typed or a QR code carried, as serials are stored (upper case, no
    spaces; the look-alike letters O, I, L read as 0, 1, 1 in the check part)."""
    text = re.sub(r"\s+", "", str(typed or "")).upper()
    if "-" in text:
        head, _sep, check = text.partition("-")
        check = check.replace("O", "0").replace("I", "1").replace("L", "1")
        text = f"{head}-{check}"
    return text


def serial_is_well_formed(serial: str) -> bool:
    return bool(SERIAL_PATTERN.match(serial or ""))


def honour_category(application: Application) -> str | None:
    """The category the leading group resolved for this winner, or None if none on record."""
    resolution = getattr(application, "resolution", None)
    if resolution is None or resolution.outcome == VoteChoice.NONE:
        return None
    return AwardCategory(resolution.outcome)


def award_guard(application: Application) -> list[str]:
    """Transition guard on "award": 市政府's approval recorded, and a resolution to award."""
    reasons = []
    if not Approval.objects.filter(cycle_id=application.cycle_id).exists():
        reasons.append(_("尚未记录市政府批准文件（第十四条第（七）项）"))
    if honour_category(application) is None:
        reasons.append(_("没有领导小组拟获评的决议，不能公布获评（第十四条第（五）项）。"))
    return reasons


def _next_number(cycle: Cycle, category: str, kind: str) -> int:
    return Honour.objects.filter(cycle=cycle, category=category, kind=kind).count() + 1


def honour_create(*, application: Application, by: User) -> Honour:
    """The winner's Honour, created as the application takes `award` (caller's transaction)."""
    category = honour_category(application)
    number = _next_number(application.cycle, category, application.kind)
    for _attempt in range(5):
        honour = Honour(
            application=application,
            cycle=application.cycle,
            category=category,
            kind=application.kind,
            holder_name=application.name,
            county=application.county,
            serial=serial_make(
                year=application.cycle.year,
                category=category,
                kind=application.kind,
                number=number,
            ),
            awarded_on=timezone.localdate(),
        )
        try:
            with transaction.atomic():
                honour.save()
        except IntegrityError:
            if Honour.objects.filter(application=application).exists():
                raise
            continue  # the random part met an existing serial: draw again
        break
    else:
        raise ValidationError(_("证书编号生成失败，请重试。"))
    audit_record(
        actor=by,
        action="decisions.honour_create",
        obj=honour,
        after={
            "application": application.pk,
            "serial": honour.serial,
            "category": honour.category,
            "kind": honour.kind,
            "awarded_on": honour.awarded_on,
        },
        article=ARTICLE,
    )
    return honour


def _seat_order(application):
    resolution = getattr(application, "resolution", None)
    seat = resolution.seat.number if resolution and resolution.seat_id else 0
    return (seat, application.pk)


def publish_winners(cycle: Cycle, *, by: User) -> list[Honour]:
    """Cycle listener on "publish" (the 公布公告 is published; inside its transaction).

    Every application of the cycle still in 公示 takes `award` (已获评, audited) and gets an
    Honour with its serial. After commit each holder is told and the certificates are
    queued for rendering (decisions.tasks.certificates).
    """
    waiting = list(
        Application.objects.filter(cycle=cycle, state=ApplicationState.IN_PUBLICITY)
        .select_related("resolution__seat")
        .order_by("pk")
    )
    honours = []
    for application in sorted(waiting, key=_seat_order):
        locked = lock_application(application)
        transition = check_transition(locked, "award", by)
        take_transition(locked, transition, by=by)
        honours.append(honour_create(application=locked, by=by))
        tell_state_change(locked, recipients=[locked.applicant], action=_("公布获评"))
    if honours:
        ids = [honour.pk for honour in honours]
        transaction.on_commit(lambda: queue_certificates(ids))
    return honours


def queue_certificates(honour_ids) -> int:
    """Hand each certificate to Celery; rendering is idempotent, so a lost job is harmless:
    the certificate is also rendered when first downloaded."""
    from decisions.tasks.certificates import render_certificate

    queued = 0
    for honour_id in honour_ids:
        try:
            render_certificate.delay(honour_id)
        except Exception:  # broker unreachable: the download renders it on demand
            logger.warning("could not queue certificate %s", honour_id)
            break
        queued += 1
    return queued
