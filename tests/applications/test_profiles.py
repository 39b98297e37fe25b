"""Saving unit and individual profiles: validation, one kind per account, audit, drafts follow."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.enums import Gender
from applications.models import IndividualProfile, UnitProfile
from applications.services import (
    application_create,
    profile_save_individual,
    profile_save_unit,
)
from award.enums import ApplicantKind, Role
from award.models import AuditEntry
from tests.applications.factories import (
    announced_cycle,
    individual_profile_fields,
    new_id_number,
    unit_applicant,
    unit_profile_fields,
)
from tests.factories import county, make_user

pytestmark = pytest.mark.django_db


def test_unit_profile_is_created_and_audited():
    user = make_user(Role.APPLICANT, applicant_kind="")
    profile = profile_save_unit(by=user, **unit_profile_fields(uscc="91350100m000100y43"))
    assert profile.uscc == "91350100M000100Y43"
    user.refresh_from_db()
    assert user.applicant_kind == ApplicantKind.UNIT
    entry = AuditEntry.objects.get(action="profile.create")
    assert entry.actor == user
    assert entry.after["uscc"] == "91350100M000100Y43"
    assert entry.after["county"] == county("371302").pk


def test_bad_uscc_is_reported_on_its_field():
    user = make_user(Role.APPLICANT)
    with pytest.raises(ValidationError) as error:
        profile_save_unit(by=user, **unit_profile_fields(uscc="91310115MA1H8R7C6D"))
    assert error.value.message_dict["uscc"] == [
        "统一社会信用代码校验位不正确，请核对营业执照后重新填写。"
    ]
    assert not UnitProfile.objects.exists()


def test_the_same_uscc_cannot_be_registered_twice():
    first = unit_applicant()
    second = make_user(Role.APPLICANT)
    with pytest.raises(ValidationError) as error:
        profile_save_unit(by=second, **unit_profile_fields(uscc=first.unit_profile.uscc))
    assert error.value.message_dict["uscc"] == [
        "该统一社会信用代码已由其他账号登记，同一单位只能注册一个账号。"
    ]


def test_founding_date_cannot_lie_ahead():
    user = make_user(Role.APPLICANT)
    with pytest.raises(ValidationError) as error:
        profile_save_unit(
            by=user,
            **unit_profile_fields(founded_on=datetime.date.today() + datetime.timedelta(days=1)),
        )
    assert error.value.message_dict["founded_on"] == ["成立日期不能晚于今天。"]


def test_county_is_required():
    user = make_user(Role.APPLICANT)
    with pytest.raises(ValidationError) as error:
        profile_save_unit(by=user, **unit_profile_fields(county=None))
    assert "county" in error.value.message_dict


def test_update_changes_only_given_fields_and_audits_the_difference():
    user = unit_applicant()
    profile_save_unit(by=user, contact_phone="13800000000")
    profile = UnitProfile.objects.get(user=user)
    assert profile.contact_phone == "13800000000"
    entry = AuditEntry.objects.filter(action="profile.update").get()
    assert entry.after == {"contact_phone": "13800000000"}
    assert entry.before == {"contact_phone": "0539-8123456"}


def test_individual_profile_checks_id_against_birth_date_and_gender():
    user = make_user(Role.APPLICANT, applicant_kind=ApplicantKind.INDIVIDUAL)
    number = new_id_number("19700315", Gender.MALE)
    with pytest.raises(ValidationError) as error:
        profile_save_individual(
            by=user,
            **individual_profile_fields(
                id_number=number, birth_date=datetime.date(1971, 3, 15), gender=Gender.FEMALE
            ),
        )
    assert error.value.message_dict["birth_date"] == ["出生日期与身份证号码不一致。"]
    assert error.value.message_dict["gender"] == ["性别与身份证号码不一致。"]


def test_individual_id_number_is_masked_in_the_audit_trail():
    user = make_user(Role.APPLICANT, applicant_kind=ApplicantKind.INDIVIDUAL)
    number = new_id_number("19700315", Gender.MALE)
    profile = profile_save_individual(by=user, **individual_profile_fields(id_number=number))
    assert profile.masked_id_number == f"{number[:4]}**********{number[-4:]}"
    entry = AuditEntry.objects.get(action="profile.create")
    assert entry.after["id_number"] == profile.masked_id_number
    assert number not in str(entry.after)


def test_impossible_id_number_is_refused():
    user = make_user(Role.APPLICANT, applicant_kind=ApplicantKind.INDIVIDUAL)
    with pytest.raises(ValidationError) as error:
        profile_save_individual(
            by=user, **individual_profile_fields(id_number="110105194902300020")
        )
    assert error.value.message_dict["id_number"] == ["身份证号码中的出生日期不是有效日期。"]
    assert not IndividualProfile.objects.exists()


def test_an_account_holds_one_kind_of_profile():
    user = unit_applicant()
    with pytest.raises(ValidationError) as error:
        profile_save_individual(by=user, **individual_profile_fields())
    assert error.value.messages == ["您的账号登记为“申报单位”，不能填写其他类型的申报主体信息。"]


@pytest.mark.parametrize("role", [Role.COUNTY, Role.OFFICE, Role.AUDITOR, Role.EXPERT])
def test_only_applicants_keep_profiles(role):
    with pytest.raises(PermissionDenied):
        profile_save_unit(by=make_user(role), **unit_profile_fields())


def test_drafts_follow_the_profile_county_and_name():
    user = unit_applicant()
    application = application_create(cycle=announced_cycle(), by=user)
    profile_save_unit(by=user, county=county("371321"), name="临沂新名称有限公司")
    application.refresh_from_db()
    assert application.county == county("371321")
    assert application.name == "临沂新名称有限公司"
