"""The office's reference data pages: counties, rulebooks, holiday schedules, agencies."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from award.enums import Role
from award.models import Agency, AuditEntry, CalendarDay, County, HolidaySchedule, Rulebook
from award.services.office import (
    agency_create,
    calendar_day_remove,
    calendar_day_set,
    county_create,
    county_update,
    holiday_schedule_create,
)
from tests.factories import AgencyFactory, CycleFactory, current_rulebook, make_user

pytestmark = pytest.mark.django_db

OUTSIDERS = [Role.APPLICANT, Role.COUNTY, Role.AGENCY, Role.EXPERT, Role.LEADER]
VALID_USCC = "91110000600037341L"


# 县区


def test_office_adds_a_county_without_a_code(office_client, office_user):
    response = office_client.post(
        reverse("award:county_create"),
        {"name": "蒙山旅游区管委会", "code": "", "sort_order": "16", "is_active": "on"},
    )
    assert response.status_code == 302
    county = County.objects.get(name="蒙山旅游区管委会")
    assert county.code is None
    assert county.is_active is True
    entry = AuditEntry.objects.get(action="county.create", object_id=str(county.pk))
    assert entry.actor == office_user
    assert entry.after == {
        "code": None,
        "name": "蒙山旅游区管委会",
        "is_active": True,
        "sort_order": 16,
    }
    page = office_client.get(reverse("award:county_list")).content.decode()
    assert "蒙山旅游区管委会" in page


def test_office_renames_a_county_and_the_change_is_audited(office_client, office_user):
    county = County.objects.get(code="371371")
    response = office_client.post(
        reverse("award:county_update", args=[county.pk]),
        {
            "name": "临沂高新区",
            "code": "371371",
            "sort_order": str(county.sort_order),
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    county.refresh_from_db()
    assert county.name == "临沂高新区"
    entry = AuditEntry.objects.get(action="county.update", object_id=str(county.pk))
    assert entry.before == {"name": "临沂高新技术产业开发区"}
    assert entry.after == {"name": "临沂高新区"}


def test_county_errors_stand_next_to_the_field_and_the_input_is_kept(office_client):
    response = office_client.post(
        reverse("award:county_create"),
        {"name": "兰山区", "code": "37AB", "sort_order": "1", "is_active": "on"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["code"] == ["行政区划代码应为6位数字。"]
    assert set(errors) == {"name", "code"}  # 兰山区 exists already
    assert 'value="37AB"' in response.content.decode()
    assert County.objects.filter(name="兰山区").count() == 1


def test_only_the_office_changes_counties(auditor_user, county_user):
    for user in (auditor_user, county_user):
        with pytest.raises(PermissionDenied):
            county_create(by=user, name="蒙山旅游区管委会")
        with pytest.raises(PermissionDenied):
            county_update(county=County.objects.get(code="371302"), by=user, name="兰山")
    assert not County.objects.filter(name="蒙山旅游区管委会").exists()


# 评定规则


def test_rulebook_pages_show_the_numbers_with_their_articles(office_client, office_user):
    rulebook = current_rulebook()
    cycle = CycleFactory()
    listing = office_client.get(reverse("award:rulebook_list")).content.decode()
    assert "临政发〔2024〕8号" in listing
    page = office_client.get(reverse("award:rulebook_detail", args=[rulebook.pk])).content.decode()
    assert "公示期（工作日）" in page
    assert "第十四条第（六）项" in page
    assert '<td>单位奖励上限（元）</td><td class="text-end">300000</td><td>第十五条</td>' in page
    assert "临沂市市长质量奖、临沂市市长质量奖提名奖" in page
    assert reverse("award:cycle_detail", args=[cycle.pk]) in page


# 节假日安排


def test_office_enters_a_holiday_schedule_and_its_days(office_client, office_user):
    response = office_client.post(
        reverse("award:holiday_schedule_create"),
        {"year": "2027", "source": "国办发明电〔2026〕7号"},
    )
    schedule = HolidaySchedule.objects.get(year=2027)
    detail = reverse("award:holiday_schedule_detail", args=[schedule.pk])
    assert response.status_code == 302
    assert response["Location"] == detail
    assert schedule.entered_by == office_user

    response = office_client.post(
        detail, {"date": "2027-10-01", "is_workday": "0", "name": "国庆节"}
    )
    assert response.status_code == 302
    response = office_client.post(
        detail, {"date": "2027-10-09", "is_workday": "1", "name": "国庆节调休上班"}
    )
    assert response.status_code == 302
    days = dict(schedule.days.values_list("date", "is_workday"))
    assert days == {datetime.date(2027, 10, 1): False, datetime.date(2027, 10, 9): True}
    page = office_client.get(detail).content.decode()
    assert "国庆节调休上班" in page

    saturday = CalendarDay.objects.get(date=datetime.date(2027, 10, 9))
    response = office_client.post(
        reverse("award:calendar_day_remove", args=[schedule.pk, saturday.pk])
    )
    assert response.status_code == 302
    assert list(schedule.days.values_list("date", flat=True)) == [datetime.date(2027, 10, 1)]
    actions = list(
        AuditEntry.objects.filter(object_id=str(schedule.pk), action__contains="calendar")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["calendar_day.set", "calendar_day.set", "calendar_day.remove"]
    assert AuditEntry.objects.filter(action="holiday_schedule.create").count() == 1


def test_changing_a_day_records_before_and_after(office_user):
    schedule = holiday_schedule_create(year=2027, source="", by=office_user)
    day = datetime.date(2027, 5, 3)
    calendar_day_set(schedule=schedule, date=day, is_workday=False, name="劳动节", by=office_user)
    calendar_day_set(schedule=schedule, date=day, is_workday=True, name="", by=office_user)
    entry = AuditEntry.objects.filter(action="calendar_day.set").order_by("-pk").first()
    assert entry.before == {"date": "2027-05-03", "is_workday": False, "name": "劳动节"}
    assert entry.after == {"date": "2027-05-03", "is_workday": True, "name": ""}
    assert CalendarDay.objects.get(date=day).is_workday is True


def test_a_day_outside_the_schedule_year_is_refused_next_to_the_field(office_client, office_user):
    schedule = holiday_schedule_create(year=2027, source="", by=office_user)
    response = office_client.post(
        reverse("award:holiday_schedule_detail", args=[schedule.pk]),
        {"date": "2028-01-01", "is_workday": "0", "name": "元旦"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["日期必须在2027年内。"]
    assert 'value="元旦"' in response.content.decode()
    assert not schedule.days.exists()


def test_a_year_can_be_entered_once(office_client, office_user):
    holiday_schedule_create(year=2027, source="", by=office_user)
    response = office_client.post(reverse("award:holiday_schedule_create"), {"year": "2027"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["year"]


def test_only_the_office_changes_holiday_schedules(office_user, auditor_user):
    with pytest.raises(PermissionDenied):
        holiday_schedule_create(year=2027, source="", by=auditor_user)
    schedule = holiday_schedule_create(year=2027, source="", by=office_user)
    day = calendar_day_set(
        schedule=schedule,
        date=datetime.date(2027, 1, 1),
        is_workday=False,
        name="元旦",
        by=office_user,
    )
    with pytest.raises(PermissionDenied):
        calendar_day_remove(day=day, by=auditor_user)
    assert CalendarDay.objects.filter(pk=day.pk).exists()


# 第三方机构


def test_office_adds_and_corrects_an_agency(office_client, office_user):
    response = office_client.post(
        reverse("award:agency_create"),
        {
            "name": "山东质量评价研究院",
            "uscc": VALID_USCC.lower(),
            "contact_name": "王工",
            "contact_phone": "0539-8888888",
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="山东质量评价研究院")
    assert agency.uscc == VALID_USCC
    response = office_client.post(
        reverse("award:agency_update", args=[agency.pk]),
        {"name": "山东质量评价研究院", "uscc": VALID_USCC, "contact_name": "李工"},
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.contact_name == "李工"
    entry = AuditEntry.objects.get(action="agency.update", object_id=str(agency.pk))
    assert entry.before == {"contact_name": "王工", "contact_phone": "0539-8888888"}
    assert entry.after == {"contact_name": "李工", "contact_phone": ""}
    assert entry.article == "第七条第（二）项"


def test_a_wrong_credit_code_is_explained_next_to_the_field(office_client):
    response = office_client.post(
        reverse("award:agency_create"),
        {"name": "某评价中心", "uscc": "91310115MA1H8R7C6D", "contact_phone": "12"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["uscc"] == ["统一社会信用代码不正确：应为18位，且校验位符合GB 32100-2015。"]
    assert "contact_phone" in errors
    assert 'value="某评价中心"' in response.content.decode()
    assert not Agency.objects.filter(name="某评价中心").exists()


def test_only_the_office_adds_agencies(auditor_user):
    with pytest.raises(PermissionDenied):
        agency_create(by=auditor_user, name="某评价中心")


# Who sees what


def office_urls():
    county = County.objects.get(code="371302")
    agency = AgencyFactory()
    schedule = HolidaySchedule.objects.create(year=2027)
    day = CalendarDay.objects.create(
        schedule=schedule, date=datetime.date(2027, 1, 1), is_workday=False
    )
    reading = [
        reverse("award:county_list"),
        reverse("award:rulebook_list"),
        reverse("award:rulebook_detail", args=[current_rulebook().pk]),
        reverse("award:holiday_schedule_list"),
        reverse("award:holiday_schedule_detail", args=[schedule.pk]),
        reverse("award:agency_list"),
    ]
    writing = [
        reverse("award:county_create"),
        reverse("award:county_update", args=[county.pk]),
        reverse("award:holiday_schedule_create"),
        reverse("award:agency_create"),
        reverse("award:agency_update", args=[agency.pk]),
    ]
    posting = [
        reverse("award:holiday_schedule_detail", args=[schedule.pk]),
        reverse("award:calendar_day_remove", args=[schedule.pk, day.pk]),
    ]
    return reading, writing, posting


@pytest.mark.parametrize("role", OUTSIDERS)
def test_other_roles_get_404_on_every_office_page(client, role):
    reading, writing, posting = office_urls()
    client.force_login(make_user(role))
    for url in reading + writing:
        assert client.get(url).status_code == 404, url
    for url in writing + posting:
        assert client.post(url).status_code == 404, url
    assert CalendarDay.objects.count() == 1


def test_the_auditor_reads_but_cannot_change(client, auditor_user):
    reading, writing, posting = office_urls()
    client.force_login(auditor_user)
    for url in reading:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "修改</a>" not in response.content.decode()
    for url in writing:
        assert client.get(url).status_code == 404, url
    for url in writing + posting:
        assert client.post(url, {"date": "2027-02-01", "is_workday": "0"}).status_code == 403
    assert CalendarDay.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client):
    reading, writing, _posting = office_urls()
    for url in reading + writing:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("award:login"))


# List pages take the same number of queries however long they are.


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_county_list_queries_do_not_grow(office_client, office_user):
    url = reverse("award:county_list")
    few = count_queries(office_client, url)
    for n in range(30):
        county = county_create(by=office_user, name=f"测试管委会{n}")
        make_user(Role.COUNTY, county=county)
    assert count_queries(office_client, url) == few


def test_agency_list_queries_do_not_grow(office_client):
    url = reverse("award:agency_list")
    for _ in range(3):
        make_user(Role.AGENCY)
    few = count_queries(office_client, url)
    for _ in range(27):
        make_user(Role.AGENCY)
    assert count_queries(office_client, url) == few


def test_holiday_schedule_list_queries_do_not_grow(office_client, office_user):
    url = reverse("award:holiday_schedule_list")
    for year in range(2030, 2033):
        holiday_schedule_create(year=year, source="", by=office_user)
    few = count_queries(office_client, url)
    for year in range(2033, 2060):
        holiday_schedule_create(year=year, source="", by=office_user)
    assert count_queries(office_client, url) == few


def test_rulebook_list_queries_do_not_grow(office_client):
    url = reverse("award:rulebook_list")
    few = count_queries(office_client, url)
    template = Rulebook.objects.get(pk=current_rulebook().pk)
    for n in range(29):
        template.pk = None
        template.document_number = f"测试〔{2000 + n}〕1号"
        template.save()
    assert count_queries(office_client, url) == few
