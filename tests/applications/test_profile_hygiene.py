"""Typed profile text without invisible characters, and years of quality work that agree with
their start date (第十条, 第十二条第（二）项)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.eligibility import full_years_between
from applications.enums import Gender
from applications.models import IndividualProfile, UnitProfile
from applications.services import (
    application_create,
    application_save_draft,
    declarations_accept,
    profile_save_individual,
    profile_save_unit,
)
from award.enums import ApplicantKind, Role
from award.models import AuditEntry
from award.text import control_character_positions, reject_control_characters
from tests.applications.factories import (
    World,
    individual_applicant,
    individual_profile_fields,
    new_id_number,
    unit_profile_fields,
    years_ago,
)
from tests.applications.test_bad_input import individual_post, unit_post
from tests.factories import make_user

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
ZWSP = "\u200b"  # ZERO WIDTH SPACE


def person():
    return make_user(Role.APPLICANT, applicant_kind=ApplicantKind.INDIVIDUAL)


def invisible(label, position):
    return (
        f"{label}中含有不可见的控制字符（第{position}个字符处），"
        "常见于从网页或文档复制的内容，请删除后重新填写。"
    )


def url(name, *args):
    return reverse(f"applications:{name}", args=args)


# The validator ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "char",
    ["\x00", "\x07", "\t", "\x1b", "\x1f", "\x7f", "\x85", "\x9f", RLO, ZWSP, "\ufeff", "\u00ad"],
)
def test_single_line_text_refuses_every_invisible_character(char):
    with pytest.raises(ValidationError) as error:
        reject_control_characters(f"临沂{char}公司", label="单位名称")
    assert error.value.messages == [invisible("单位名称", 3)]
    assert error.value.error_list[0].code == "control_characters"


@pytest.mark.parametrize("text", ["临沂\n公司", "临沂\r\n公司", "临沂\u2028公司"])
def test_single_line_text_refuses_a_line_break(text):
    with pytest.raises(ValidationError) as error:
        reject_control_characters(text, label="通讯地址")
    assert error.value.messages == ["通讯地址应在一行内填写，请删除其中的换行。"]


def test_a_zero_width_space_at_the_end_is_found_where_it_is():
    assert control_character_positions(f"临沂示范机械有限公司{ZWSP}") == [11]


@pytest.mark.parametrize(
    "text",
    [
        "临沂示范机械（集团）有限公司·第一分厂",
        "John Smith",
        "兰山区　示范路8号",  # full-width space
        "\ue000",  # private use: some input methods type rare names with these
        "𠀀",  # CJK Extension B
    ],
)
def test_ordinary_text_passes(text):
    reject_control_characters(text)
    reject_control_characters(text, multiline=True)


def test_multi_line_text_keeps_tabs_and_line_breaks_but_nothing_else():
    reject_control_characters("一、铸件\r\n二、\t锻件\n", multiline=True)
    with pytest.raises(ValidationError) as error:
        reject_control_characters(
            f"一、铸件\n二、{RLO}锻件", multiline=True, label="主要产品或服务"
        )
    assert error.value.messages == [invisible("主要产品或服务", 8)]


# The services ---------------------------------------------------------------------------


def test_unit_profile_with_a_bidi_override_in_its_name_is_refused():
    user = make_user(Role.APPLICANT)
    with pytest.raises(ValidationError) as error:
        profile_save_unit(by=user, **unit_profile_fields(name=f"临沂{RLO}示范机械有限公司"))
    assert error.value.message_dict == {"name": [invisible("单位名称", 3)]}
    assert not UnitProfile.objects.exists()


def test_every_field_with_invisible_characters_is_named_at_once():
    user = make_user(Role.APPLICANT)
    with pytest.raises(ValidationError) as error:
        profile_save_unit(
            by=user,
            **unit_profile_fields(
                legal_representative="王建国\x00",
                address="临沂市兰山区\n测试路1号",
                main_products="\x1b[31m工程机械",
            ),
        )
    assert error.value.message_dict == {
        "legal_representative": [invisible("法定代表人", 4)],
        "address": ["通讯地址应在一行内填写，请删除其中的换行。"],
        "main_products": [invisible("主要产品或服务", 1)],
    }


def test_single_line_person_fields_refuse_control_characters():
    user = person()
    with pytest.raises(ValidationError) as error:
        profile_save_individual(
            by=user,
            **individual_profile_fields(
                employer="临沂测试\t制造有限公司", position=f"{ZWSP}质量总监"
            ),
        )
    assert error.value.message_dict == {
        "employer": [invisible("工作单位", 5)],
        "position": [invisible("职务", 1)],
    }
    assert not IndividualProfile.objects.exists()


def test_a_phone_number_with_a_trailing_line_break_is_refused():
    """`$` in the phone pattern matches before a final newline; the service does not."""
    user = make_user(Role.APPLICANT)
    with pytest.raises(ValidationError) as error:
        profile_save_unit(by=user, **unit_profile_fields(contact_phone="13812345678\n"))
    assert error.value.message_dict == {
        "contact_phone": ["联系电话应在一行内填写，请删除其中的换行。"]
    }


def test_text_is_trimmed_and_runs_of_spaces_in_single_lines_made_one():
    user = make_user(Role.APPLICANT)
    profile = profile_save_unit(
        by=user,
        **unit_profile_fields(
            name="  临沂　示范   机械有限公司 ",
            contact_name="李　 质量",
            main_products="  一、铸件\r\n二、  锻件  \n",
        ),
    )
    profile.refresh_from_db()
    assert profile.name == "临沂 示范 机械有限公司"
    assert profile.contact_name == "李 质量"
    assert profile.main_products == "一、铸件\n二、  锻件"  # line breaks made LF


def test_a_legal_representative_typed_with_two_spaces_can_still_sign():
    """The 承诺 signature collapses spaces; the profile's name now does too (第十条第（五）项)."""
    world = World()
    profile_save_unit(by=world.owner, legal_representative="Wang  Jianguo")
    application = application_create(cycle=world.cycle, by=world.owner)
    declarations_accept(application=application, by=world.owner, signed_name="Wang Jianguo")
    application.refresh_from_db()
    assert application.declarations_accepted_by == "Wang Jianguo"


def test_draft_text_with_invisible_characters_is_refused_by_section():
    world = World(kind=ApplicantKind.INDIVIDUAL)
    application = application_create(cycle=world.cycle, by=world.owner)
    with pytest.raises(ValidationError) as error:
        application_save_draft(
            application=application,
            by=world.owner,
            form_data={"achievements": f"主持{RLO}质量改进", "honours": "第一\n第二\t"},
        )
    assert error.value.message_dict == {"achievements": [invisible("主要质量工作业绩", 3)]}
    application.refresh_from_db()
    assert application.form_data == {}


def test_draft_text_keeps_its_line_breaks():
    world = World(kind=ApplicantKind.INDIVIDUAL)
    application = application_create(cycle=world.cycle, by=world.owner)
    application_save_draft(
        application=application, by=world.owner, form_data={"honours": "第一\r\n\t第二"}
    )
    application.refresh_from_db()
    assert application.form_data["honours"] == "第一\r\n\t第二"


# The pages: the error next to the field, nothing typed lost ------------------------------


@pytest.fixture
def unit_client(client):
    client.force_login(make_user(Role.APPLICANT, applicant_kind=ApplicantKind.UNIT))
    return client


@pytest.fixture
def person_client(client):
    client.force_login(make_user(Role.APPLICANT, applicant_kind=ApplicantKind.INDIVIDUAL))
    return client


def test_unit_page_shows_the_error_under_the_name_and_keeps_the_rest(unit_client):
    response = unit_client.post(url("profile"), unit_post(name=f"临沂示范机械有限公司{ZWSP}"))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {"name": [invisible("单位名称", 11)]}
    page = response.content.decode()
    assert f'value="临沂示范机械有限公司{ZWSP}"' in page
    assert 'value="0539-8123456"' in page
    assert "工程机械零部件</textarea>" in page
    assert not UnitProfile.objects.exists()


def test_a_nul_typed_on_the_page_is_explained_like_any_other_control_character(unit_client):
    response = unit_client.post(url("profile"), unit_post(contact_name="李\x00质量"))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "contact_name": [
            "联系人中含有不可见的控制字符（第2个字符处），常见于从网页或文档复制的内容，"
            "请删除后重新填写。"
        ]
    }
    assert 'value="临沂示范机械有限公司"' in response.content.decode()


def test_person_page_shows_the_error_under_the_employer(person_client):
    response = person_client.post(url("profile"), individual_post(employer=f"临沂{RLO}测试"))
    assert response.status_code == 400
    assert response.context["form"].errors == {"employer": [invisible("工作单位", 3)]}
    assert 'value="质量总监"' in response.content.decode()


def test_draft_page_shows_the_error_under_the_section_and_keeps_the_text(client):
    world = World(kind=ApplicantKind.INDIVIDUAL)
    application = application_create(cycle=world.cycle, by=world.owner)
    client.force_login(world.owner)
    typed = f"主持{RLO}质量改进"
    response = client.post(url("application_step", application.pk, "main"), {"achievements": typed})
    assert response.status_code == 400
    assert response.context["form"].errors == {"achievements": [invisible("主要质量工作业绩", 3)]}
    assert f"{typed}</textarea>" in response.content.decode()


# Years of quality work ------------------------------------------------------------------


def test_the_profile_page_no_longer_asks_for_the_years(person_client):
    form = person_client.get(url("profile")).context["form"]
    assert "quality_work_years" not in form.fields
    assert "quality_work_since" in form.fields


def test_the_years_are_counted_from_the_start_date_typed_on_the_page(person_client):
    since = years_ago(12, days=1)
    data = individual_post(quality_work_since=since.isoformat())
    del data["quality_work_years"]
    assert person_client.post(url("profile"), data).status_code == 302
    assert IndividualProfile.objects.get().quality_work_years == 12
    form = person_client.get(url("profile")).context["form"]
    assert "按已保存的起始时间，至今已满12年。" in str(form.fields["quality_work_since"].help_text)


def test_a_years_value_posted_by_an_old_page_is_ignored_for_the_date(person_client):
    data = individual_post(quality_work_since="2000-01-01", quality_work_years="3")
    assert person_client.post(url("profile"), data).status_code == 302
    expected = full_years_between(datetime.date(2000, 1, 1), timezone.localdate())
    assert IndividualProfile.objects.get().quality_work_years == expected


@pytest.mark.parametrize("off", [-1, 0, 1])
def test_years_given_by_a_caller_within_a_year_are_stored_as_counted(off):
    user = person()
    since = years_ago(12, days=1)
    profile = profile_save_individual(
        by=user, **individual_profile_fields(quality_work_since=since, quality_work_years=12 + off)
    )
    profile.refresh_from_db()
    assert profile.quality_work_years == 12


@pytest.mark.parametrize("given", [10, 14, 30, "十二"])
def test_years_that_disagree_with_the_start_date_are_refused(given):
    user = person()
    since = years_ago(12, days=1)
    with pytest.raises(ValidationError) as error:
        profile_save_individual(
            by=user, **individual_profile_fields(quality_work_since=since, quality_work_years=given)
        )
    assert error.value.message_dict == {
        "quality_work_years": [
            f"在本市从事质量工作年限与起始时间不一致：自{since.isoformat()}起至今满12年"
            "（第十二条第（二）项）。年限按起始时间计算，请核对起始时间。"
        ]
    }
    assert not IndividualProfile.objects.exists()


def test_a_new_start_date_recounts_the_years_and_audits_them():
    user = individual_applicant()
    assert user.individual_profile.quality_work_years == 15
    profile_save_individual(by=user, quality_work_since=years_ago(11))
    profile = IndividualProfile.objects.get(user=user)
    assert profile.quality_work_years == 11
    entry = AuditEntry.objects.filter(action="profile.update").latest("pk")
    assert entry.before["quality_work_years"] == 15
    assert entry.after["quality_work_years"] == 11


def person_born_on(birth: datetime.date, **overrides):
    """A person's fields without years of quality work: the service counts them."""
    return individual_profile_fields(
        quality_work_years=None,
        birth_date=birth,
        id_number=new_id_number(birth.strftime("%Y%m%d"), Gender.MALE),
        gender=Gender.MALE,
        **overrides,
    )


def test_a_start_date_before_the_sixteenth_birthday_is_refused():
    birth = datetime.date(1990, 6, 15)
    with pytest.raises(ValidationError) as error:
        profile_save_individual(
            by=person(),
            **person_born_on(birth, quality_work_since=datetime.date(2006, 6, 14)),
        )
    assert error.value.message_dict == {
        "quality_work_since": [
            "从事质量工作起始时间不能早于年满16周岁之日（2006-06-15）。"
            "第十二条第（二）项的年限按此日期计算，请核对后重新填写。"
        ]
    }


def test_a_start_on_the_sixteenth_birthday_is_accepted():
    birth = datetime.date(1990, 6, 15)
    profile = profile_save_individual(
        by=person(),
        **person_born_on(birth, quality_work_since=datetime.date(2006, 6, 15)),
    )
    assert profile.quality_work_since == datetime.date(2006, 6, 15)


def test_changing_the_birth_date_alone_is_checked_against_the_start_date():
    user = individual_applicant()  # born 1970-03-15, quality work for 15 years
    since = user.individual_profile.quality_work_since
    birth = since.replace(year=since.year - 10)
    with pytest.raises(ValidationError) as error:
        profile_save_individual(
            by=user,
            birth_date=birth,
            id_number=new_id_number(birth.strftime("%Y%m%d"), Gender.MALE),
        )
    assert list(error.value.message_dict) == ["quality_work_since"]


def test_the_profile_page_refuses_a_start_at_age_ten(person_client):
    response = person_client.post(url("profile"), individual_post(quality_work_since="1959-12-31"))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "quality_work_since": [
            "从事质量工作起始时间不能早于年满16周岁之日（1965-12-31）。"
            "第十二条第（二）项的年限按此日期计算，请核对后重新填写。"
        ]
    }
    assert 'value="1959-12-31"' in response.content.decode()


def test_a_start_date_in_the_future_is_still_refused_by_the_model():
    with pytest.raises(ValidationError) as error:
        profile_save_individual(
            by=person(),
            **individual_profile_fields(
                quality_work_since=timezone.localdate() + datetime.timedelta(days=1),
                quality_work_years=None,
            ),
        )
    assert error.value.message_dict == {
        "quality_work_since": ["从事质量工作起始时间不能晚于今天。"]
    }
