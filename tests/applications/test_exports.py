"""The office's Excel export of applications: content, masking, constant queries."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from applications.enums import ApplicationState
from applications.exports import write_applications_xlsx
from applications.models import Application, UnitProfile
from applications.selectors import applications_for
from applications.services import (
    application_accept,
    application_create,
    application_recommend,
    application_reject,
    application_return,
    application_submit,
)
from applications.validators import mask_id_number
from award.enums import CyclePhase
from tests.applications.factories import (
    World,
    advance_cycle,
    complete_application,
    individual_applicant,
    individual_profile_fields,
    sign_declarations,
    unit_applicant,
)

pytestmark = pytest.mark.django_db

HEADERS = [
    "届次",
    "申报编号",
    "申报主体",
    "类型",
    "县区",
    "状态",
    "提报时间",
    "统一社会信用代码/身份证号码",
    "联系人",
    "联系电话",
    "初审意见",
    "复核意见",
]


def export(queryset):
    buffer = io.BytesIO()
    write_applications_xlsx(queryset, buffer)
    buffer.seek(0)
    sheet = load_workbook(buffer).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def submit(application):
    return application_submit(application=application, by=application.applicant)


@pytest.fixture
def world():
    """A cycle holding a unit application in each of several states and one individual's."""
    world = World()
    county_user, office = world.county_user, world.office
    world.person = individual_applicant(
        **individual_profile_fields(name="赵示范", contact_phone="13900001111")
    )
    world.draft = complete_application(unit_applicant(), world.cycle)
    world.submitted = submit(complete_application(unit_applicant(name="兰山甲公司"), world.cycle))
    world.accepted = application_recommend(
        application=submit(complete_application(world.person, world.cycle)),
        by=county_user,
        opinion="事迹突出，同意推荐",
    )
    world.rejected = application_recommend(
        application=submit(complete_application(unit_applicant(), world.cycle)),
        by=county_user,
        opinion="同意推荐",
    )
    advance_cycle(world.cycle, CyclePhase.PRELIMINARY, office=office)
    application_accept(application=world.accepted, by=office, opinion="材料齐全")
    application_reject(application=world.rejected, by=office, reason="近三年纳税证明缺失")
    return world


def test_workbook_has_chinese_headers_and_one_row_per_submitted_application(world):
    rows = export(applications_for(world.office, cycle=world.cycle))

    assert rows[0] == HEADERS
    body = rows[1:]
    # The office sees submitted applications only; the draft stays private.
    assert sorted(row[1] for row in body) == sorted(
        [world.submitted.pk, world.accepted.pk, world.rejected.pk]
    )
    by_pk = {row[1]: row for row in body}
    assert world.draft.pk not in by_pk

    submitted = by_pk[world.submitted.pk]
    profile = world.submitted.applicant.unit_profile
    assert submitted[0] == f"第{world.cycle.number_label}届（{world.cycle.year}年）"
    assert submitted[2:6] == ["兰山甲公司", "申报单位", "兰山区", "已提报"]
    submitted_at = timezone.localtime(Application.objects.get(pk=world.submitted.pk).submitted_at)
    assert isinstance(submitted[6], datetime.datetime)
    assert abs(submitted[6] - submitted_at.replace(tzinfo=None)) < datetime.timedelta(seconds=1)
    assert submitted[7] == profile.uscc  # a unit's code is public information: in full
    assert submitted[8:10] == [profile.contact_name, profile.contact_phone]
    assert submitted[10:] == [None, None]

    accepted = by_pk[world.accepted.pk]
    assert accepted[2:6] == ["赵示范", "申报个人", "兰山区", "复核通过"]
    assert accepted[8:10] == ["赵示范", "13900001111"]
    assert accepted[10:] == ["初审推荐：事迹突出，同意推荐", "复核通过：材料齐全"]

    rejected = by_pk[world.rejected.pk]
    assert rejected[5] == "复核不通过"
    assert rejected[10:] == ["初审推荐：同意推荐", "复核不通过：近三年纳税证明缺失"]


def test_personal_id_number_appears_only_masked(world):
    id_number = world.person.individual_profile.id_number

    rows = export(Application.objects.filter(pk=world.accepted.pk))

    assert rows[1][7] == mask_id_number(id_number)
    assert rows[1][7].startswith(id_number[:4]) and "**********" in rows[1][7]
    cells = [str(value) for row in rows for value in row if value is not None]
    assert not any(id_number in cell or id_number[4:14] in cell for cell in cells)


def test_latest_opinion_of_each_step_after_a_return_and_resubmission():
    world = World()
    application = submit(complete_application(world.owner, world.cycle))
    application_return(application=application, by=world.county_user, reason="补充纳税证明")
    rows = export(Application.objects.filter(pk=application.pk))
    assert rows[1][5] == "退回修改"
    assert rows[1][10] == "退回修改：补充纳税证明"

    submit(sign_declarations(application))
    application_recommend(application=application, by=world.county_user, opinion="已补充，推荐")
    rows = export(Application.objects.filter(pk=application.pk))
    assert rows[1][5] == "县区推荐"
    assert rows[1][10:] == ["初审推荐：已补充，推荐", None]


def make_applications(world, count):
    """`count` applications of both kinds, every fifth submitted."""
    for index in range(count):
        applicant = unit_applicant() if index % 2 else individual_applicant()
        if index % 5 == 0:
            submit(complete_application(applicant, world.cycle))
        else:
            application_create(cycle=world.cycle, by=applicant)


def count_export_queries(queryset):
    buffer = io.BytesIO()
    with CaptureQueriesContext(connection) as queries:
        write_applications_xlsx(queryset, buffer)
    return len(queries), buffer


def test_query_count_does_not_grow_with_rows():
    world = World()
    make_applications(world, 5)
    few, few_buffer = count_export_queries(Application.objects.all())
    make_applications(world, 45)
    many, many_buffer = count_export_queries(Application.objects.all())

    assert few == many == 1
    assert len(load_workbook(few_buffer).active["A"]) == 1 + 5
    assert len(load_workbook(many_buffer).active["A"]) == 1 + 50
    states = {row[5] for row in export(Application.objects.all())[1:]}
    assert states == {ApplicationState.DRAFT.label, ApplicationState.SUBMITTED.label}


def test_empty_queryset_gives_the_header_row_only():
    assert export(Application.objects.none()) == [HEADERS]


def test_column_widths_and_frozen_header(world):
    buffer = io.BytesIO()
    write_applications_xlsx(Application.objects.all(), buffer)
    buffer.seek(0)
    sheet = load_workbook(buffer).active
    assert sheet.title == "申报汇总"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width == 32
    assert sheet.column_dimensions["K"].width == 40
    assert sheet["A1"].font.bold


def test_user_written_text_is_never_a_formula_and_loses_control_characters():
    world = World()
    formula = '=HYPERLINK("http://example.com","点我")'
    applicant = unit_applicant(name=formula)
    # Saved before input was checked (profile_save_unit now refuses control characters).
    UnitProfile.objects.filter(user=applicant).update(contact_name="李\x0b质量")
    application = submit(complete_application(applicant, world.cycle))
    application_return(application=application, by=world.county_user, reason="#N/A")

    buffer = io.BytesIO()
    write_applications_xlsx(Application.objects.filter(pk=application.pk), buffer)
    buffer.seek(0)
    sheet = load_workbook(buffer).active

    name, contact, opinion = sheet["C2"], sheet["I2"], sheet["K2"]
    assert (name.value, name.data_type) == (formula, "s")
    assert contact.value == "李质量"
    assert (opinion.value, opinion.data_type) == ("退回修改：#N/A", "s")
