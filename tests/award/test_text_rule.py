"""One rule for typed text (award.text): nothing invisible, one-line fields on one line and
tidied, every free-text field within its limit; refused next to the field, in Chinese, with
what was typed kept in the form, by the page and by the service alike."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from award.enums import NoticeKind
from award.forms.notices import NoticeWithdrawForm
from award.models import Agency, County, Notice
from award.services.accounts import user_update_contact
from award.services.notices import notice_create, notice_update
from award.services.office import agency_create, county_create
from award.text import NOTICE_TEXT, clean_line, clean_model_text, clean_text

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
ZWSP = "\u200b"  # ZERO WIDTH SPACE
BEL = "\x07"
HOSTILE = [RLO, ZWSP, BEL, "\x00", "\ufeff", "\u2028"]


def invisible(label, position):
    return (
        f"{label}中含有不可见的控制字符（第{position}个字符处），"
        "常见于从网页或文档复制的内容，请删除后重新填写。"
    )


def assert_refused_and_kept(response, field, message, typed):
    assert response.status_code in (200, 400)
    assert response.context["form"].errors[field] == [message]
    assert response.context["form"][field].value() == typed
    assert typed in response.content.decode()


# The rule ---------------------------------------------------------------------------------


def test_one_line_text_is_trimmed_and_its_spaces_made_one():
    assert clean_line("  临沂\u3000示范   机械 有限公司 ") == "临沂 示范 机械 有限公司"


def test_one_line_text_may_not_break_the_line():
    with pytest.raises(ValidationError) as error:
        clean_line("临沂\n公司", label="单位名称")
    assert error.value.messages == ["单位名称应在一行内填写，请删除其中的换行。"]


def test_multi_line_text_keeps_tabs_and_breaks_and_makes_them_lf():
    assert clean_text("  一、铸件\r\n二、\t锻件\r三、 \n") == "一、铸件\n二、\t锻件\n三、"


@pytest.mark.parametrize("char", HOSTILE)
def test_invisible_characters_are_refused_in_both_kinds(char):
    for clean in (clean_line, clean_text):
        if char == "\u2028" and clean is clean_line:
            continue  # a line break in one line: the message says so instead
        with pytest.raises(ValidationError) as error:
            clean(f"正文{char}内容", label="正文")
        assert error.value.messages == [invisible("正文", 3)]


def test_text_over_its_limit_is_refused_with_the_count():
    with pytest.raises(ValidationError) as error:
        clean_text("字" * 11, label="说明", max_length=10)
    assert error.value.messages == ["说明不能超过10个字（现有11个字），请精简后重新填写。"]


def test_a_models_fields_take_their_label_kind_and_limit_from_the_model():
    cleaned, errors = clean_model_text(
        Notice, {"title": f"通知{RLO} ", "body": "  正文\r\n第二段 ", "kind": NoticeKind.GENERAL}
    )
    assert list(errors) == ["title"]
    assert [e.message for e in errors["title"]] == [invisible("标题", 3)]
    assert cleaned["body"] == "正文\n第二段"
    cleaned, errors = clean_model_text(Notice, {"body": "字" * (NOTICE_TEXT + 1)})
    assert list(errors) == ["body"]


# Services refuse too: they are the gate ----------------------------------------------------


def test_services_refuse_hostile_names_and_notice_text(office_user):
    with pytest.raises(ValidationError) as error:
        county_create(by=office_user, name=f"蒙山{RLO}旅游区", code=None)
    assert error.value.message_dict == {"name": [invisible("名称", 3)]}
    with pytest.raises(ValidationError) as error:
        agency_create(by=office_user, name=f"山东{ZWSP}评价中心")
    assert error.value.message_dict == {"name": [invisible("机构名称", 3)]}
    with pytest.raises(ValidationError) as error:
        notice_create(by=office_user, kind=NoticeKind.GENERAL, title="通知", body=f"正文{BEL}")
    assert error.value.message_dict == {"body": [invisible("正文", 3)]}
    notice = notice_create(by=office_user, kind=NoticeKind.GENERAL, title=" 通 知 ", body="正文")
    assert notice.title == "通 知"
    with pytest.raises(ValidationError) as error:
        notice_update(notice=notice, by=office_user, title=f"通知{RLO}")
    assert error.value.message_dict == {"title": [invisible("标题", 3)]}
    with pytest.raises(ValidationError) as error:
        user_update_contact(
            user=office_user,
            email=office_user.email,
            mobile="",
            display_name="王\u202e五",
            by=office_user,
        )
    assert error.value.message_dict == {"display_name": [invisible("单位名称/姓名", 2)]}
    assert not County.objects.filter(name__startswith="蒙山").exists()
    assert not Agency.objects.exists()


# The pages: next to the field, in Chinese, what was typed kept --------------------------------


@pytest.mark.parametrize("char", [RLO, ZWSP, BEL])
def test_an_account_name_is_refused_on_the_profile_page(client, applicant_user, char):
    client.force_login(applicant_user)
    typed = f"临沂{char}示范公司"
    response = client.post(
        reverse("award:profile"),
        {"display_name": typed, "email": applicant_user.email, "mobile": "13812345678"},
    )
    assert_refused_and_kept(response, "display_name", invisible("单位名称/姓名", 3), typed)
    applicant_user.refresh_from_db()
    assert char not in applicant_user.display_name


def test_an_account_name_is_refused_on_registration(client):
    typed = f"临沂{RLO}示范公司"
    response = client.post(
        reverse("award:register"),
        {
            "applicant_kind": "unit",
            "username": "linyi-demo",
            "display_name": typed,
            "email": "demo@example.cn",
            "mobile": "13812345678",
            "password": "Yimeng-Mountain-2026",
            "password_confirm": "Yimeng-Mountain-2026",
        },
    )
    assert_refused_and_kept(response, "display_name", invisible("单位名称/姓名", 3), typed)


def test_county_and_agency_names_are_refused_on_their_forms(office_client):
    typed = f"蒙山{RLO}旅游区"
    response = office_client.post(
        reverse("award:county_create"), {"name": typed, "code": "", "sort_order": "90"}
    )
    assert_refused_and_kept(response, "name", invisible("名称", 3), typed)
    typed = f"山东{ZWSP}质量评价中心"
    response = office_client.post(reverse("award:agency_create"), {"name": typed, "uscc": ""})
    assert_refused_and_kept(response, "name", invisible("机构名称", 3), typed)
    assert not Agency.objects.exists()


@pytest.mark.parametrize("field, label", [("title", "标题"), ("body", "正文")])
def test_notice_title_and_body_are_refused_on_the_form(office_client, field, label):
    data = {"kind": NoticeKind.GENERAL, "title": "培训会通知", "body": "第一段\r\n\r\n第二段"}
    typed = data[field] = f"培训{RLO}会通知"
    response = office_client.post(reverse("award:notice_create"), data)
    assert_refused_and_kept(response, field, invisible(label, 3), typed)
    assert not Notice.objects.exists()


def test_a_notice_title_on_two_lines_is_refused(office_client):
    typed = "培训会\n通知"
    response = office_client.post(
        reverse("award:notice_create"), {"kind": NoticeKind.GENERAL, "title": typed, "body": "正文"}
    )
    assert response.context["form"].errors["title"] == ["标题应在一行内填写，请删除其中的换行。"]


def test_a_notice_body_over_its_limit_is_refused_and_the_form_says_the_limit(office_client):
    page = office_client.get(reverse("award:notice_create")).content.decode()
    assert f'maxlength="{NOTICE_TEXT}"' in page
    response = office_client.post(
        reverse("award:notice_create"),
        {"kind": NoticeKind.GENERAL, "title": "通知", "body": "字" * (NOTICE_TEXT + 1)},
    )
    assert "body" in response.context["form"].errors
    assert not Notice.objects.exists()


def test_the_withdraw_reason_carries_its_limit():
    assert 'maxlength="2000"' in str(NoticeWithdrawForm()["reason"])


def test_a_textarea_at_its_limit_counts_a_line_break_as_the_browser_does():
    # The browser counts a line break as one character but sends CR LF.
    form = NoticeWithdrawForm(data={"reason": "字" * 1000 + "\r\n" + "字" * 999})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["reason"] == "字" * 1000 + "\n" + "字" * 999
