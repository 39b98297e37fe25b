"""Builders for the applications tests: everything reached through the services."""

import datetime
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from applications.enums import ApplicationState, DocumentKind, Education, Gender, UnitSize
from applications.services import (
    application_accept,
    application_create,
    application_decline,
    application_recommend,
    application_reject,
    application_return,
    application_save_draft,
    application_submit,
    application_withdraw,
    declarations_accept,
    document_add,
    profile_save_individual,
    profile_save_unit,
)
from applications.validators import id_number_check_char, uscc_check_char
from award.enums import ApplicantKind, CyclePhase, Role
from award.models import Cycle, Message
from award.services.cycles import cycle_transition
from tests.factories import CycleFactory, county, make_user

_serial = itertools.count(1)


def new_uscc(region="371302") -> str:
    body = f"91{region}{next(_serial):09d}"
    return body + uscc_check_char(body)


def new_id_number(birth="19700315", gender=Gender.MALE) -> str:
    """A valid ID number born on `birth` (YYYYMMDD), whose 17th digit gives `gender`."""
    serial = next(_serial) % 500 * 2 + (1 if gender == Gender.MALE else 0)
    body = f"371302{birth}{serial:03d}"
    return body + id_number_check_char(body)


def years_ago(years: int, *, days: int = 0, since=None) -> datetime.date:
    """The date `years` before `since` (default today), then `days` more back."""
    since = since or timezone.localdate()
    try:
        day = since.replace(year=since.year - years)
    except ValueError:  # 29 Feb in a year without one
        day = since.replace(year=since.year - years, day=28)
    return day - datetime.timedelta(days=days)


# Files ----------------------------------------------------------------------------------


def pdf_bytes() -> bytes:
    """A small one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (155, 27, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_upload(name="自我评价报告.pdf", content=None):
    return SimpleUploadedFile(name, content or pdf_bytes(), content_type="application/pdf")


def png_upload(name="照片.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


# Cycles ---------------------------------------------------------------------------------

CYCLE_STEPS = [
    ("announce", CyclePhase.ANNOUNCED, "call"),
    ("close", CyclePhase.CLOSED, None),
    ("begin_preliminary", CyclePhase.PRELIMINARY, None),
    ("begin_recheck", CyclePhase.RECHECK, None),
]
PHASE_ORDER = [CyclePhase.DRAFT] + [phase for _name, phase, _via in CYCLE_STEPS]


def let_deadline_pass(cycle: Cycle) -> None:
    """Time passes (no service moves the clock): the application deadline is behind us."""
    Cycle.objects.filter(pk=cycle.pk).update(
        application_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    cycle.refresh_from_db()


def advance_cycle(cycle: Cycle, phase: CyclePhase, *, office=None) -> Cycle:
    """Move the cycle forward to `phase` through cycle_transition, as the office would."""
    office = office or make_user(Role.OFFICE)
    for name, target, via in CYCLE_STEPS:
        if PHASE_ORDER.index(cycle.phase) >= PHASE_ORDER.index(phase):
            break
        if PHASE_ORDER.index(target) <= PHASE_ORDER.index(cycle.phase):
            continue
        if name == "close":
            let_deadline_pass(cycle)
        cycle_transition(cycle=cycle, name=name, by=office, via_notice=via)
    assert cycle.phase == phase
    return cycle


def announced_cycle(*, office=None, **kwargs) -> Cycle:
    """A cycle open for applications; other cycles still open are closed out of the way."""
    office = office or make_user(Role.OFFICE)
    for other in Cycle.objects.filter(phase=CyclePhase.ANNOUNCED):
        advance_cycle(other, CyclePhase.CLOSED, office=office)
    return advance_cycle(CycleFactory(**kwargs), CyclePhase.ANNOUNCED, office=office)


def last_message_pk() -> int:
    """The newest 站内信 so far, to pick out the ones an action sends after it."""
    return Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# Applicants -----------------------------------------------------------------------------


def unit_profile_fields(**overrides) -> dict:
    fields = {
        "name": f"临沂测试制造有限公司{next(_serial)}",
        "uscc": new_uscc(),
        "legal_representative": "王建国",
        "founded_on": years_ago(8),
        "industry": "通用设备制造业",
        "county": county("371302"),
        "address": "临沂市兰山区测试路1号",
        "contact_name": "李质量",
        "contact_phone": "0539-8123456",
        "size": UnitSize.MEDIUM,
        "is_new_field": False,
        "main_products": "工程机械零部件",
    }
    fields.update(overrides)
    return fields


def individual_profile_fields(**overrides) -> dict:
    fields = {
        "name": "张质量",
        "gender": Gender.MALE,
        "birth_date": datetime.date(1970, 3, 15),
        "id_number": new_id_number("19700315", Gender.MALE),
        "education": Education.BACHELOR,
        "title": "高级工程师",
        "employer": "临沂测试制造有限公司",
        "position": "质量总监",
        "quality_work_years": 15,
        "quality_work_since": years_ago(15),
        "county": county("371302"),
        "contact_phone": "13912345678",
    }
    fields.update(overrides)
    return fields


def unit_applicant(**profile):
    user = make_user(Role.APPLICANT, applicant_kind=ApplicantKind.UNIT)
    profile_save_unit(by=user, **unit_profile_fields(**profile))
    return user


def individual_applicant(**profile):
    user = make_user(Role.APPLICANT, applicant_kind=ApplicantKind.INDIVIDUAL)
    profile_save_individual(by=user, **individual_profile_fields(**profile))
    return user


def unit_form_data(cycle) -> dict:
    return {
        "key_figures": {
            str(year): {
                "revenue": "52000.50",
                "profit": "3100",
                "tax": "1800",
                "rd_spend": "2100",
                "exports": "0",
            }
            for year in (cycle.year - 3, cycle.year - 2, cycle.year - 1)
        },
        "certifications": "ISO 9001、ISO 14001、ISO 45001",
        "honours": "山东省制造业单项冠军",
    }


INDIVIDUAL_FORM = {
    "achievements": "主持建立企业卓越绩效管理模式。",
    "honours": "临沂市质量标兵",
    "contest_results": "",
}


# Applications ---------------------------------------------------------------------------


def complete_application(applicant, cycle):
    """A draft with the 申报表 filled, the required documents and the 承诺 signed."""
    application = application_create(cycle=cycle, by=applicant)
    is_unit = application.kind == ApplicantKind.UNIT
    form = unit_form_data(cycle) if is_unit else INDIVIDUAL_FORM
    application_save_draft(application=application, by=applicant, form_data=form)
    document_add(
        application=application, by=applicant, kind=DocumentKind.SELF_ASSESSMENT, file=pdf_upload()
    )
    if not is_unit:
        document_add(
            application=application, by=applicant, kind=DocumentKind.PHOTO, file=png_upload()
        )
    sign_declarations(application)
    return application


def sign_declarations(application):
    """The 承诺 signed by the legal representative (units) or the person; again after a return."""
    applicant = application.applicant
    is_unit = application.kind == ApplicantKind.UNIT
    profile = applicant.unit_profile if is_unit else applicant.individual_profile
    signer = profile.legal_representative if is_unit else profile.name
    declarations_accept(application=application, by=applicant, signed_name=signer)
    application.refresh_from_db()
    return application


class World:
    """The people around one application: its owner, its county's coordinator, the office."""

    def __init__(self, *, kind=ApplicantKind.UNIT, cycle=None):
        self.office = make_user(Role.OFFICE)
        self.county_user = make_user(Role.COUNTY, county=county("371302"))
        self.cycle = cycle or announced_cycle(office=self.office)
        self.owner = unit_applicant() if kind == ApplicantKind.UNIT else individual_applicant()

    def application_in(self, state: str):
        """An application of `owner` brought to `state` through the services (a draft is
        complete, ready to submit; a returned one has its 承诺 signed again, ready to resubmit)."""
        s = ApplicationState
        application = complete_application(self.owner, self.cycle)
        if state == s.DRAFT:
            return application
        application = application_submit(application=application, by=self.owner)
        if state == s.SUBMITTED:
            return application
        if state == s.WITHDRAWN:  # a draft is deleted, not withdrawn
            return application_withdraw(application=application, by=self.owner, reason="暂不申报")
        if state == s.RETURNED:
            application_return(
                application=application, by=self.county_user, reason="补充近三年纳税证明"
            )
            return sign_declarations(application)
        if state == s.DECLINED:
            return application_decline(
                application=application, by=self.county_user, reason="不符合推荐条件"
            )
        application = application_recommend(
            application=application, by=self.county_user, opinion="材料齐全，同意推荐"
        )
        if state == s.RECOMMENDED:
            return application
        advance_cycle(self.cycle, CyclePhase.PRELIMINARY, office=self.office)
        if state == s.ACCEPTED:
            return application_accept(application=application, by=self.office)
        if state == s.RECHECK_FAILED:
            return application_reject(application=application, by=self.office, reason="复核不通过")
        raise ValueError(state)
