"""The office's review pages: 评审情况, 取消评审资格 (第二十二条), criteria sets (第七条)."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from award.enums import ApplicantKind, Role
from award.models import AuditEntry
from review.models import Assignment, CriteriaSet, Criterion
from review.models.groups import SCORE_ASSIGNMENT
from review.selectors import applications_needing_reassignment
from review.selectors.pool import live_experts
from review.services import criteria_set_copy, review_plan_save
from tests.factories import CycleFactory, make_user
from tests.review.factories import ReviewWorld, new_expert, other_agency_user

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"review:{name}", args=args)


def page(response) -> str:
    return response.content.decode()


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def default_set(kind=ApplicantKind.UNIT) -> CriteriaSet:
    return CriteriaSet.objects.get(kind=kind, is_default=True)


# 评审情况


def test_overview_for_the_office_and_the_auditor_only(client, auditor_user):
    world = ReviewWorld()
    pages = [url("office_overview_index"), url("office_overview", world.cycle.pk)]
    for user in (world.office, auditor_user):
        client.force_login(user)
        for address in pages:
            assert client.get(address).status_code == 200, address
    for user in (
        world.agency_user,
        world.experts[0].user,
        world.county_user,
        world.application.applicant,
    ):
        client.force_login(user)
        for address in pages:
            assert client.get(address).status_code == 404, address


def test_overview_shows_the_agency_and_the_applications(client):
    world = ReviewWorld(units=2)
    world.start()
    client.force_login(world.office)
    response = client.get(url("office_overview", world.cycle.pk))
    body = page(response)
    assert f"承担本届技术评审的第三方机构：{world.agency.name}" in body
    assert [row["id"] for row in response.context["report"]["applications"]] == [
        a.pk for a in world.applications
    ]
    assert "专家评审：1" in body and "复核通过：1" in body


def test_overview_index_does_not_grow_with_cycles(client, office_user):
    client.force_login(office_user)
    CycleFactory.create_batch(3)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("office_overview_index")).status_code == 200
        return len(captured)

    few = queries()
    CycleFactory.create_batch(27)
    assert queries() == few


# 取消评审资格 (第二十二条)


def test_disqualifying_asks_for_a_reason_on_a_confirmation_page(client):
    world = ReviewWorld()
    world.assign()
    expert = world.experts[2]
    client.force_login(world.office)
    address = url("expert_disqualify", expert.pk)
    confirm = client.get(address)
    assert "执行后不能撤销" in page(confirm)
    assert [a.application for a in confirm.context["assignments"]] == [world.application]
    response = client.post(address, {"reason": "  "})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["此项为必填项。"]
    expert.refresh_from_db()
    assert not expert.is_disqualified


def test_disqualification_takes_the_expert_off_every_assignment(client):
    world = ReviewWorld(experts=6)
    world.start()
    expert = world.experts[3]
    assignment = Assignment.objects.active().get()
    assert fresh(expert.user).has_perm(SCORE_ASSIGNMENT, assignment)
    client.force_login(world.office)
    response = client.post(
        url("expert_disqualify", expert.pk), {"reason": "泄露评审信息，徇私舞弊。"}
    )
    assert response.status_code == 302
    assert texts(response) == [
        f"已取消{expert.name}的评审资格（第二十二条），其参与的申报已标记需重新核查分配。"
    ]
    expert.refresh_from_db()
    assert expert.is_disqualified and expert.disqualification_reason == "泄露评审信息，徇私舞弊。"
    assert not fresh(expert.user).has_perm(SCORE_ASSIGNMENT, assignment)
    assert expert not in live_experts(assignment)
    assignment.refresh_from_db()
    assert f"专家{expert.name}被取消评审资格（第二十二条）" in assignment.needs_reassignment
    assert list(applications_needing_reassignment(world.cycle)) == [assignment]
    entry = AuditEntry.objects.get(action="review.expert_disqualify")
    assert (entry.actor, entry.article) == (world.office, "第二十二条")
    # The pool shows it; the agency's assignment page offers the reassignment.
    listing = page(client.get(url("expert_list")))
    assert "已取消评审资格" in listing and "泄露评审信息，徇私舞弊。" in listing
    client.force_login(world.agency_user)
    assign = client.get(url("assign", world.cycle.pk))
    assert list(assign.context["flagged"]) == [assignment]
    removed = client.post(
        url("assignment_remove", world.cycle.pk, assignment.pk),
        {"reason": "原评审组专家被取消资格，改由其他评审组评审。"},
    )
    assert removed.status_code == 302
    assignment.refresh_from_db()
    assert not assignment.is_active
    assign = client.get(url("assign", world.cycle.pk))
    assert [a.pk for a in assign.context["applications"]] == [world.application.pk]


def test_the_agency_disqualifies_its_own_experts_only(client):
    world = ReviewWorld()
    client.force_login(world.agency_user)
    response = client.post(
        url("expert_disqualify", world.experts[0].pk), {"reason": "玩忽职守，造成不良后果。"}
    )
    assert response.status_code == 302
    world.experts[0].refresh_from_db()
    assert world.experts[0].is_disqualified
    stranger = other_agency_user()
    foreign = new_expert(stranger)
    response = client.post(url("expert_disqualify", foreign.pk), {"reason": "无"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert not foreign.is_disqualified


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.EXPERT, Role.COUNTY, Role.APPLICANT])
def test_no_one_else_may_disqualify(client, role):
    world = ReviewWorld(experts=1)
    client.force_login(make_user(role))
    address = url("expert_disqualify", world.experts[0].pk)
    assert client.get(address).status_code == 404
    # The auditor's POST is refused before the view (award.middleware, 第七章).
    refused = 403 if role == Role.AUDITOR else 404
    assert client.post(address, {"reason": "无"}).status_code == refused
    world.experts[0].refresh_from_db()
    assert not world.experts[0].is_disqualified


def test_disqualifying_twice_is_explained(client):
    world = ReviewWorld(experts=1)
    expert = world.experts[0]
    client.force_login(world.office)
    client.post(url("expert_disqualify", expert.pk), {"reason": "滥用职权。"})
    response = client.post(url("expert_disqualify", expert.pk), {"reason": "再次提交。"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["该专家已被取消评审资格。"]


def test_office_pool_list_does_not_grow_with_experts(client, office_user):
    world = ReviewWorld(experts=3)
    client.force_login(office_user)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("expert_list")).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(27):
        new_expert(world.agency_user)
    assert queries() == few


# 评分标准 (第七条)


def test_criteria_pages_for_the_office_the_auditor_and_the_agency(
    client, auditor_user, office_user
):
    unit = default_set()
    pages = [url("criteria_list"), url("criteria_detail", unit.pk)]
    for user in (office_user, auditor_user, make_user(Role.AGENCY)):
        client.force_login(user)
        for address in pages:
            assert client.get(address).status_code == 200, address
    for role in (Role.EXPERT, Role.COUNTY, Role.APPLICANT):
        client.force_login(make_user(role))
        for address in pages:
            assert client.get(address).status_code == 404, address
    client.force_login(auditor_user)
    response = client.post(url("criteria_copy", unit.pk), {"name": "审计员的副本"})
    assert response.status_code == 403
    assert not CriteriaSet.objects.filter(name="审计员的副本").exists()


def test_the_default_set_is_read_only_and_shows_its_total(client, office_user):
    unit = default_set()
    client.force_login(office_user)
    response = client.get(url("criteria_detail", unit.pk))
    assert response.context["editable"] is False
    assert response.context["total"] == 1000
    assert "系统默认评分标准为只读" in page(response)
    assert "criterion_update" not in page(response) and "/criteria/items/" not in page(response)
    item = Criterion.objects.items().filter(criteria_set=unit).order_by("order").first()
    response = client.post(
        url("criterion_update", item.pk), {f"c{item.pk}-name": item.name, f"c{item.pk}-points": 1}
    )
    assert response.status_code == 400
    assert "系统默认评分标准不能修改，请复制后修改副本。" in page(response)
    item.refresh_from_db()
    assert item.points == 50


def test_copy_and_edit_the_copys_items(client, office_user):
    person = default_set(ApplicantKind.INDIVIDUAL)
    client.force_login(office_user)
    response = client.post(url("criteria_copy", person.pk), {"name": "2026年个人评分标准"})
    copy = CriteriaSet.objects.get(name="2026年个人评分标准")
    assert response["Location"] == url("criteria_detail", copy.pk)
    detail = client.get(response["Location"])
    assert detail.context["editable"] is True and detail.context["total"] == 100
    item = Criterion.objects.get(criteria_set=copy, code="G1")
    prefix = f"c{item.pk}"
    saved = client.post(
        url("criterion_update", item.pk),
        {f"{prefix}-name": "质量意识、创新意识与工匠精神", f"{prefix}-points": 30},
    )
    assert saved.status_code == 302
    item.refresh_from_db()
    assert (item.name, item.points) == ("质量意识、创新意识与工匠精神", 30)
    detail = client.get(url("criteria_detail", copy.pk))
    assert detail.context["total"] == 110
    assert "5个评分项，合计110分" in page(detail)
    # The default set is untouched.
    assert Criterion.objects.get(criteria_set=person, code="G1").points == 20


def test_bad_item_input_stays_on_the_page(client, office_user):
    copy = criteria_set_copy(
        source=default_set(ApplicantKind.INDIVIDUAL), by=office_user, name="副本"
    )
    item = Criterion.objects.get(criteria_set=copy, code="G2")
    client.force_login(office_user)
    prefix = f"c{item.pk}"
    response = client.post(
        url("criterion_update", item.pk),
        {f"{prefix}-name": "履职贡献（修订）", f"{prefix}-points": -5},
    )
    assert response.status_code == 400
    assert "履职贡献（修订）" in page(response)
    assert "确保该值大于或等于0" in page(response)
    item.refresh_from_db()
    assert (item.name, item.points) == ("履职贡献", 25)


def test_a_copy_in_a_started_review_cannot_be_edited(client):
    world = ReviewWorld()
    copy = criteria_set_copy(source=default_set(), by=world.office, name="本届单位评分标准")
    review_plan_save(cycle=world.cycle, by=world.agency_user, unit_criteria=copy)
    world.start()
    client.force_login(world.office)
    detail = client.get(url("criteria_detail", copy.pk))
    assert detail.context["editable"] is False
    assert "该评分标准已用于已开始的评审，不能再修改。" in page(detail)
    item = Criterion.objects.items().filter(criteria_set=copy).order_by("order").first()
    response = client.post(
        url("criterion_update", item.pk), {f"c{item.pk}-name": item.name, f"c{item.pk}-points": 1}
    )
    assert response.status_code == 400
    assert "该评分标准已用于已开始的评审，不能再修改。" in page(response)


def test_criteria_pages_do_not_grow_with_rows(client, office_user):
    client.force_login(office_user)

    def queries(address):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    person = default_set(ApplicantKind.INDIVIDUAL)
    copy = criteria_set_copy(source=person, by=office_user, name="副本0")
    unit_copy = criteria_set_copy(source=default_set(), by=office_user, name="单位副本")
    # 5 rows against 36 rows, both editable.
    assert queries(url("criteria_detail", copy.pk)) == queries(url("criteria_detail", unit_copy.pk))
    few = queries(url("criteria_list"))
    for n in range(27):
        criteria_set_copy(source=person, by=office_user, name=f"副本{n + 1}")
    assert CriteriaSet.objects.count() == 31
    assert queries(url("criteria_list")) == few
