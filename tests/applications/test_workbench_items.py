"""What waits for whom on the workbench (我的待办)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState as S
from applications.services import application_recommend, application_submit
from applications.workbench_items import applicant_items, county_items, office_items
from award.enums import ApplicantKind
from award.models import User
from award.services.accounts import applicant_register
from tests.applications.factories import World, complete_application, unit_applicant

pytestmark = pytest.mark.django_db


def fresh(user):
    user = User.objects.get(pk=user.pk)
    user.role_codes  # noqa: B018
    return user


def test_applicant_sees_returned_application_as_urgent(client):
    world = World()
    world.application_in(S.RETURNED)
    (item,) = applicant_items(fresh(world.owner))
    assert (item.title, item.urgent) == ("申报被退回，请修改后重新提交", True)
    assert item.detail == _deadline_text(world.cycle)
    client.force_login(world.owner)
    page = client.get(reverse("award:workbench")).content.decode()
    assert "申报被退回，请修改后重新提交" in page


def _deadline_text(cycle):
    local = timezone.localtime(cycle.application_deadline)
    deadline = f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"  # not zero-padded
    return f"{cycle}，申报截止时间：{deadline}"


def test_a_new_applicant_is_led_to_the_profile_then_to_start_with_the_deadline(client):
    world = World()
    newcomer = applicant_register(
        applicant_kind=ApplicantKind.UNIT,
        username="newcomer",
        display_name="临沂新来示例有限公司",
        email="newcomer@example.org",
        mobile="13900001111",
        password="Linyi-Test-2026!",
    )
    items = list(applicant_items(fresh(newcomer)))
    assert [(i.title, i.urgent) for i in items] == [("完善申报主体信息", True), ("开始申报", False)]
    assert items[0].url == reverse("applications:profile")
    assert items[1].detail == _deadline_text(world.cycle)
    client.force_login(newcomer)
    page = client.get(reverse("award:workbench")).content.decode()
    assert "完善申报主体信息" in page and "开始申报" in page
    profile = client.get(reverse("applications:profile")).content.decode()
    assert 'value="临沂新来示例有限公司"' in profile


def test_an_applicant_who_started_is_no_longer_told_to_start():
    world = World()
    world.application_in(S.DRAFT)
    assert [i.title for i in applicant_items(fresh(world.owner))] == ["申报尚未提交"]


def test_applicant_with_a_submitted_application_has_nothing_waiting():
    world = World()
    world.application_in(S.SUBMITTED)
    assert list(applicant_items(fresh(world.owner))) == []


@pytest.mark.parametrize("rows", [1, 6])
def test_county_and_office_counts_in_one_query_each(rows, django_assert_num_queries):
    world = World()
    for index in range(rows):
        owner = unit_applicant()
        application = application_submit(
            application=complete_application(owner, world.cycle), by=owner
        )
        if index % 2:
            application_recommend(application=application, by=world.county_user, opinion="推荐")
    county_user, office = fresh(world.county_user), fresh(world.office)
    with django_assert_num_queries(1):
        items = list(county_items(county_user))
    assert [(i.title, i.count) for i in items] == [("待初审的申报", rows - rows // 2)]
    with django_assert_num_queries(1):
        items = list(office_items(office))
    assert [(i.title, i.count) for i in items] == (
        [("待复核的申报", rows // 2)] if rows // 2 else []
    )


def test_county_page_shows_the_count(client):
    world = World()
    owner = unit_applicant()
    application_submit(application=complete_application(owner, world.cycle), by=owner)
    client.force_login(world.county_user)
    page = client.get(reverse("award:workbench")).content.decode()
    assert "待初审的申报" in page
