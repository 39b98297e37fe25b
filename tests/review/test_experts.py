"""The agency's expert pool: accounts with role expert, validated details, who may."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from award.enums import Role
from award.models import AuditEntry, Message
from review.models import Expert, Speciality
from review.selectors import experts_for
from review.services import expert_create, expert_update
from tests.applications.factories import new_uscc
from tests.factories import county, make_user
from tests.review.factories import other_agency_user

pytestmark = pytest.mark.django_db


def create(by, **overrides):
    fields = {
        "name": "孙卓越",
        "email": "sun@example.cn",
        "mobile": "13700000000",
        "employer": "临沂大学",
        "employer_uscc": new_uscc("371300"),
        "county": county("371312"),
        "contact_phone": "0539-7258000",
        "specialities": [Speciality.objects.get(name="质量管理")],
    }
    fields.update(overrides)
    return expert_create(by=by, **fields)


def test_the_agency_adds_an_expert_with_an_account():
    manager = make_user(Role.AGENCY)
    expert = create(manager)
    assert expert.agency == manager.agency
    assert expert.user.has_role(Role.EXPERT)
    assert (expert.user.email, expert.user.username, expert.user.display_name) == (
        "sun@example.cn",
        "sun@example.cn",
        "孙卓越",
    )
    assert expert.user.has_usable_password()  # so 找回密码 works for the expert
    assert [s.name for s in expert.specialities.all()] == ["质量管理"]
    entry = AuditEntry.objects.get(action="review.expert_create")
    assert (entry.after["user"], entry.after["agency"], entry.article) == (
        expert.user_id,
        manager.agency_id,
        "第八条第（二）项",
    )
    assert Message.objects.filter(recipient=expert.user, body__contains="找回密码").exists()


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"employer_uscc": "91310115MA1H8R7C6D"},
            {"employer_uscc": ["统一社会信用代码校验位不正确，请核对营业执照后重新填写。"]},
        ),
        (
            {"contact_phone": "12345"},
            {
                "contact_phone": [
                    "请输入手机号码或带区号的固定电话，例如 13812345678 或 0539-8123456。"
                ]
            },
        ),
        ({"name": " "}, {"name": ["此字段不能为空。"], "display_name": ["此字段不能为空。"]}),
        (
            {"name": "孙\u202e卓越"},
            {
                "name": [
                    "姓名中含有不可见的控制字符（第2个字符处），常见于从网页或文档复制的内容，"
                    "请删除后重新填写。"
                ]
            },
        ),
        ({"employer": "临沂\n大学"}, {"employer": ["工作单位应在一行内填写，请删除其中的换行。"]}),
    ],
)
def test_bad_details_are_refused(overrides, errors):
    with pytest.raises(ValidationError) as error:
        create(make_user(Role.AGENCY), **overrides)
    assert error.value.message_dict == errors
    assert not Expert.objects.exists()


def test_a_taken_email_is_refused():
    manager = make_user(Role.AGENCY)
    create(manager)
    with pytest.raises(ValidationError) as error:
        create(manager, email="SUN@example.cn", username="sun2")
    assert error.value.message_dict == {"email": ["该邮箱已注册，请核对或换一个。"]}


@pytest.mark.parametrize(
    "role", [Role.OFFICE, Role.EXPERT, Role.COUNTY, Role.AUDITOR, Role.APPLICANT]
)
def test_only_an_agency_keeps_a_pool(role):
    with pytest.raises(PermissionDenied):
        create(make_user(role))


def test_another_agency_cannot_change_the_expert():
    expert = create(make_user(Role.AGENCY))
    with pytest.raises(PermissionDenied):
        expert_update(expert=expert, by=other_agency_user(), employer="别的单位")


def test_update_keeps_the_account_name_in_step():
    manager = make_user(Role.AGENCY)
    expert = create(manager)
    expert_update(expert=expert, by=manager, name="孙卓越（教授）", is_active=False)
    expert.refresh_from_db()
    assert (expert.name, expert.user.display_name, expert.is_active) == (
        "孙卓越（教授）",
        "孙卓越（教授）",
        False,
    )
    assert not Expert.objects.available().filter(pk=expert.pk).exists()
    entry = AuditEntry.objects.get(action="review.expert_update")
    assert entry.before == {"name": "孙卓越", "is_active": True}


def test_update_refuses_invisible_characters_and_tidies_spaces():
    manager = make_user(Role.AGENCY)
    expert = create(manager)
    with pytest.raises(ValidationError) as error:
        expert_update(expert=expert, by=manager, name="孙\x00卓越")
    assert list(error.value.message_dict) == ["name"]
    expert_update(expert=expert, by=manager, employer=" 临沂大学   商学院 ")
    expert.refresh_from_db()
    assert (expert.name, expert.employer) == ("孙卓越", "临沂大学 商学院")


def test_who_sees_which_pool():
    mine = make_user(Role.AGENCY)
    theirs = make_user(Role.AGENCY)
    own = create(mine)
    other = create(theirs, email="li@example.cn")
    assert list(experts_for(mine)) == [own]
    assert set(experts_for(make_user(Role.OFFICE))) == {own, other}
    assert list(experts_for(make_user(Role.COUNTY))) == []
