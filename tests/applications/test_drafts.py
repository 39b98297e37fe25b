"""Saving the 申报表 as a draft and signing the 承诺书."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.declarations import declaration_items
from applications.services import application_create, application_save_draft, declarations_accept
from award.enums import ApplicantKind
from award.models import AuditEntry
from tests.applications.factories import World, unit_applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    world = World()
    return world, application_create(cycle=world.cycle, by=world.owner)


def test_sections_are_normalised_and_merged(draft):
    world, application = draft
    application_save_draft(
        application=application,
        by=world.owner,
        form_data={"key_figures": {"2024": {"revenue": "1,234.5", "profit": "-20"}}},
    )
    saved = application_save_draft(
        application=application, by=world.owner, form_data={"honours": "  省级荣誉 "}
    )
    assert saved.form_data == {
        "key_figures": {"2023": {}, "2024": {"revenue": "1234.50", "profit": "-20.00"}, "2025": {}},
        "honours": "省级荣誉",
    }
    assert AuditEntry.objects.filter(action="application.save_draft").count() == 2


def test_saving_the_same_again_is_not_audited(draft):
    world, application = draft
    for _ in range(2):
        application_save_draft(application=application, by=world.owner, form_data={"honours": "a"})
    assert AuditEntry.objects.filter(action="application.save_draft").count() == 1


def test_bad_values_are_reported_per_field(draft):
    world, application = draft
    with pytest.raises(ValidationError) as error:
        application_save_draft(
            application=application,
            by=world.owner,
            form_data={"key_figures": {"2024": {"revenue": "很多", "tax": "-1"}}},
        )
    assert error.value.message_dict == {
        "key_figures.2024.revenue": ["2024年营业收入应为数字（单位：万元）。"],
        "key_figures.2024.tax": ["2024年纳税总额不能为负数。"],
    }
    application.refresh_from_db()
    assert application.form_data == {}


def test_unknown_sections_and_years_are_refused(draft):
    world, application = draft
    with pytest.raises(ValidationError) as error:
        application_save_draft(
            application=application, by=world.owner, form_data={"achievements": "个人业绩"}
        )
    assert error.value.messages == ["申报表中没有以下栏目：achievements。"]
    with pytest.raises(ValidationError) as error:
        application_save_draft(
            application=application,
            by=world.owner,
            form_data={"key_figures": {"2019": {"revenue": "1"}}},
        )
    assert error.value.message_dict == {
        "key_figures": ["只需填写2023、2024、2025年的主要经济指标。"]
    }


def test_only_the_owner_saves(draft):
    world, application = draft
    for by in (unit_applicant(), world.county_user, world.office):
        with pytest.raises(PermissionDenied):
            application_save_draft(application=application, by=by, form_data={"honours": "x"})


def test_declarations_are_signed_with_the_legal_representatives_name(draft):
    world, application = draft
    with pytest.raises(ValidationError) as error:
        declarations_accept(application=application, by=world.owner, signed_name="李四")
    assert error.value.message_dict == {"signed_name": ["签名须与法定代表人姓名一致。"]}
    signed = declarations_accept(application=application, by=world.owner, signed_name=" 王建国 ")
    assert signed.declarations_accepted_by == "王建国"
    assert signed.declarations_accepted_at is not None
    entry = AuditEntry.objects.get(action="application.declarations_accept")
    assert entry.article == "第十条第（五）（六）项"


def test_individual_signs_with_own_name():
    world = World(kind=ApplicantKind.INDIVIDUAL)
    application = application_create(cycle=world.cycle, by=world.owner)
    with pytest.raises(ValidationError) as error:
        declarations_accept(application=application, by=world.owner, signed_name="王建国")
    assert error.value.message_dict == {"signed_name": ["签名须与本人姓名一致。"]}
    assert (
        declarations_accept(
            application=application, by=world.owner, signed_name="张质量"
        ).declarations_accepted_by
        == "张质量"
    )
    assert "第十二条第（七）项" in declaration_items(ApplicantKind.INDIVIDUAL)[3]
