"""The agency's pages: pool, plan, groups, assignment, checks, start and finish (第八条)."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.enums import ApplicationState as S
from award.enums import Role
from award.models import AuditEntry
from review.enums import ExclusionSource, Stage
from review.models import Assignment, Exclusion, Expert, ReviewGroup, ReviewPlan, StageCheck
from review.services import expert_update, group_create
from review.services.common import record_exclusion
from tests.applications.factories import new_uscc, pdf_upload
from tests.factories import make_user
from tests.review.factories import ReviewWorld, new_expert, other_agency_user

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"review:{name}", args=args)


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def page(response) -> str:
    return response.content.decode()


def read_urls(world) -> list[str]:
    """Pages the cycle's agency, the office and the auditor may read."""
    cycle, application = world.cycle.pk, world.application.pk
    return [
        url("plan", cycle),
        url("group_list", cycle),
        url("assign", cycle),
        url("exclusion_list", cycle),
        url("board", cycle),
        url("application", application),
    ]


def write_urls(world) -> list[str]:
    """Pages only the cycle's agency opens (forms and confirmations)."""
    cycle, application = world.cycle.pk, world.application.pk
    return [
        url("group_create", cycle),
        url("auto_assign", cycle),
        url("start", application),
        url("complete", application),
        url("check_record", application, Stage.PUBLIC_OPINION, "pass"),
        url("check_record", application, Stage.QUALIFICATION, "fail"),
    ]


def pool_urls(world) -> list[str]:
    return [
        url("agency_applications"),
        url("expert_create"),
        url("expert_update", world.experts[1].pk),
    ]


def outsider(kind, world):
    if kind == "other_agency":
        return other_agency_user()
    if kind == "expert":
        return world.experts[1].user
    if kind == "county":
        return world.county_user
    return world.application.applicant


# Who sees what


@pytest.mark.parametrize("kind", ["other_agency", "expert", "county", "applicant"])
def test_everyone_but_the_cycles_agency_and_the_staff_gets_404(client, kind):
    world = ReviewWorld()
    world.assign()
    client.force_login(outsider(kind, world))
    # Another agency has a home and a pool of its own, just not this one's experts.
    pool = pool_urls(world)[2:] if kind == "other_agency" else pool_urls(world)
    for address in read_urls(world) + write_urls(world) + pool:
        assert client.get(address).status_code == 404, address
        assert client.post(address, {"reason": "x"}).status_code == 404, address


def test_the_cycles_agency_opens_every_page(client):
    world = ReviewWorld()
    world.assign()
    client.force_login(world.agency_user)
    for address in read_urls(world) + write_urls(world) + pool_urls(world):
        assert client.get(address).status_code == 200, address


def test_the_auditor_reads_but_never_acts(client, auditor_user):
    world = ReviewWorld()
    world.assign()
    client.force_login(auditor_user)
    for address in read_urls(world):
        response = client.get(address)
        assert response.status_code == 200, address
        assert response.context["may_write"] is False
    for address in read_urls(world)[:-1]:  # every list page that takes a POST
        assert client.post(address, {"group": world.group.pk}).status_code == 403, address
    for address in write_urls(world) + pool_urls(world):
        assert client.get(address).status_code == 404, address
    plan = page(client.get(url("plan", world.cycle.pk)))
    assert 'name="materials_weight"' not in plan and "材料评审权重" in plan
    assert client.get(url("expert_list")).status_code == 200


def test_the_office_may_set_the_plan_but_not_form_groups(client):
    world = ReviewWorld()
    client.force_login(world.office)
    assert 'name="materials_weight"' in page(client.get(url("plan", world.cycle.pk)))
    assert client.get(url("group_create", world.cycle.pk)).status_code == 404
    response = client.post(
        url("assign", world.cycle.pk),
        {"application": world.application.pk, "group": world.group.pk},
    )
    assert response.status_code == 404
    assert not Assignment.objects.exists()


# 专家库


def expert_data(**overrides):
    data = {
        "name": "王评审",
        "email": "wang.pingshen@example.cn",
        "username": "",
        "mobile": "13800001111",
        "employer": "临沂大学",
        "employer_uscc": new_uscc("371300"),
        "county": "",
        "contact_phone": "0539-8766666",
    }
    data.update(overrides)
    return data


def test_creating_an_expert_opens_the_account_and_says_how_to_log_in(client):
    world = ReviewWorld(experts=0)
    client.force_login(world.agency_user)
    response = client.post(url("expert_create"), expert_data())
    assert response.status_code == 302
    expert = Expert.objects.get(name="王评审")
    assert expert.agency == world.agency
    assert expert.user.has_role(Role.EXPERT)
    assert expert.user.username == "wang.pingshen@example.cn"
    assert texts(response) == [
        "已将王评审加入专家库并开通账号，登录名为“wang.pingshen@example.cn”。专家请在登录页"
        "点击“找回密码”，通过邮箱wang.pingshen@example.cn设置自己的密码。"
    ]
    listing = page(client.get(url("expert_list")))
    assert "王评审" in listing and "临沂大学" in listing


def test_an_invalid_uscc_is_refused_next_to_the_field_and_the_input_kept(client):
    world = ReviewWorld(experts=0)
    client.force_login(world.agency_user)
    response = client.post(url("expert_create"), expert_data(employer_uscc="91371300MA3C00000X"))
    assert response.status_code == 400
    assert response.context["form"].errors["employer_uscc"] == [
        "统一社会信用代码校验位不正确，请核对营业执照后重新填写。"
    ]
    assert 'value="王评审"' in page(response)
    assert not Expert.objects.exists()


def test_a_taken_email_comes_back_from_the_service_onto_the_form(client):
    world = ReviewWorld(experts=1)
    client.force_login(world.agency_user)
    taken = world.experts[0].user.email
    response = client.post(url("expert_create"), expert_data(email=taken))
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["该邮箱已注册，请核对或换一个。"]


HUGE = "99999999999999999999"  # beyond 64 bits: SQLite raised OverflowError inside `pk__in`


def test_a_speciality_id_out_of_range_is_refused_on_the_form(client):
    world = ReviewWorld(experts=0)
    client.force_login(world.agency_user)
    response = client.post(url("expert_create"), expert_data(specialities=[HUGE]))
    assert response.status_code == 400
    assert response.context["form"].errors["specialities"] == [
        f"请选择有效的选项：{HUGE} 不在可选范围内。"
    ]
    assert not Expert.objects.exists()


def test_editing_an_expert_and_another_agencys_expert_is_404(client):
    world = ReviewWorld(experts=1)
    expert = world.experts[0]
    client.force_login(world.agency_user)
    data = expert_data(name=expert.name, employer="山东省标准化研究院", is_active="on")
    response = client.post(url("expert_update", expert.pk), data)
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.employer == "山东省标准化研究院"
    stranger = other_agency_user()
    client.force_login(stranger)
    assert client.get(url("expert_update", expert.pk)).status_code == 404
    assert client.get(url("expert_list")).context["experts"].count() == 0


# 评审工作计划


def plan_data(world, **overrides):
    plan = world.plan
    data = {
        "starts_on": "",
        "ends_on": "",
        "materials_weight": 40,
        "site_visit_weight": 40,
        "defence_weight": 20,
        "min_group_size": 5,
        "aggregation": plan.aggregation,
        "unit_criteria": plan.unit_criteria_id,
        "individual_criteria": plan.individual_criteria_id,
        "award_min_percent": "",
        "nomination_min_percent": "",
    }
    data.update(overrides)
    return data


def test_weights_must_sum_to_100(client):
    world = ReviewWorld()
    client.force_login(world.agency_user)
    response = client.post(url("plan", world.cycle.pk), plan_data(world, defence_weight=30))
    assert response.status_code == 400
    assert response.context["form"].errors["materials_weight"] == [
        "材料评审、现场评审、陈述答辩的权重之和须为100%，现为110%。"
    ]
    assert 'value="30"' in page(response)
    assert ReviewPlan.objects.get(cycle=world.cycle).defence_weight == 20


@pytest.mark.parametrize("size", [0, -1, 2])
def test_min_group_size_below_the_floor_is_refused(client, size):
    world = ReviewWorld()
    client.force_login(world.agency_user)
    response = client.post(url("plan", world.cycle.pk), plan_data(world, min_group_size=size))
    assert response.status_code == 400
    assert response.context["form"].errors["min_group_size"] == ["评审组最少专家人数不能少于3人。"]


def test_saving_the_plan_goes_through_the_service(client):
    world = ReviewWorld()
    client.force_login(world.agency_user)
    data = plan_data(
        world, materials_weight=50, site_visit_weight=30, min_group_size=7, starts_on="2026-12-01"
    )
    response = client.post(url("plan", world.cycle.pk), data)
    assert response.status_code == 302
    plan = ReviewPlan.objects.get(cycle=world.cycle)
    assert (plan.materials_weight, plan.site_visit_weight, plan.min_group_size) == (50, 30, 7)
    entry = AuditEntry.objects.filter(action="review.plan_update").latest("pk")
    assert entry.after["materials_weight"] == 50 and entry.actor == world.agency_user


def test_the_plan_is_read_only_once_review_started(client):
    world = ReviewWorld()
    world.start()
    client.force_login(world.agency_user)
    response = client.get(url("plan", world.cycle.pk))
    assert "已冻结" in page(response)
    assert response.context["editable"] is False
    assert 'name="materials_weight"' not in page(response)
    response = client.post(
        url("plan", world.cycle.pk),
        plan_data(world, materials_weight=50, site_visit_weight=30),
    )
    assert response.status_code == 400
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("评审工作计划已于") and "不能再修改" in error
    assert ReviewPlan.objects.get(cycle=world.cycle).materials_weight == 40


# 评审组


def test_forming_a_group_warns_of_conflicts_in_the_pool(client):
    world = ReviewWorld(experts=0)
    conflicted = new_expert(world.agency_user, employer_uscc=world.application.identifier)
    others = [new_expert(world.agency_user) for _ in range(4)]
    client.force_login(world.agency_user)
    form_page = page(client.get(url("group_create", world.cycle.pk)))
    assert (
        f"{conflicted.name} —— {world.application.name}（工作单位统一社会信用代码与申报单位相同）"
        in (form_page)
    )
    data = {
        "name": "第二评审组",
        "leader": others[0].pk,
        "members": [e.pk for e in [conflicted, *others]],
    }
    response = client.post(url("group_create", world.cycle.pk), data)
    assert response.status_code == 302
    group = ReviewGroup.objects.get(name="第二评审组")
    assert set(group.members.values_list("pk", flat=True)) == {conflicted.pk} | {
        e.pk for e in others
    }
    listing = page(client.get(url("group_list", world.cycle.pk)))
    assert (
        f"利害关系：{conflicted.name}与“{world.application.name}”工作单位统一社会信用代码与申报单位相同，"
        "分配时将自动回避。"
    ) in listing


def test_a_refused_group_shows_why_on_the_form(client):
    world = ReviewWorld()
    fresh = [new_expert(world.agency_user) for _ in range(2)]
    client.force_login(world.agency_user)
    data = {"name": "第一评审组", "leader": fresh[0].pk, "members": [e.pk for e in fresh]}
    response = client.post(url("group_create", world.cycle.pk), data)
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["本届已有同名评审组。"]
    assert ReviewGroup.objects.count() == 1


def test_a_member_id_out_of_range_is_refused_on_the_form(client):
    world = ReviewWorld(experts=0)
    fresh = [new_expert(world.agency_user) for _ in range(2)]
    client.force_login(world.agency_user)
    data = {"name": "第二评审组", "leader": fresh[0].pk, "members": [fresh[1].pk, HUGE]}
    response = client.post(url("group_create", world.cycle.pk), data)
    assert response.status_code == 400
    assert response.context["form"].errors["members"] == [
        f"请选择有效的选项：{HUGE} 不在可选范围内。"
    ]
    assert not ReviewGroup.objects.filter(name="第二评审组").exists()


def test_a_group_below_the_minimum_is_flagged(client):
    world = ReviewWorld(experts=3)
    client.force_login(world.agency_user)
    listing = page(client.get(url("group_list", world.cycle.pk)))
    assert "可参加评审的专家3人，少于评审工作计划要求的5人。" in listing


# 分配


def test_assigning_by_hand(client):
    world = ReviewWorld(units=2)
    client.force_login(world.agency_user)
    response = client.get(url("assign", world.cycle.pk))
    assert {a.pk for a in response.context["applications"]} == {a.pk for a in world.applications}
    data = {"application": world.application.pk, "group": world.group.pk}
    response = client.post(url("assign", world.cycle.pk), data)
    assert response.status_code == 302
    assert texts(response) == [f"已将“{world.application.name}”分配给“第一评审组”。"]
    assert Assignment.objects.active().get().application == world.application
    response = client.get(url("assign", world.cycle.pk))
    assert [a.pk for a in response.context["applications"]] == [world.applications[1].pk]


def test_a_refused_assignment_is_explained_on_the_page(client):
    world = ReviewWorld()
    expert_update(
        expert=world.experts[4], by=world.agency_user, employer_uscc=world.application.identifier
    )
    client.force_login(world.agency_user)
    data = {"application": world.application.pk, "group": world.group.pk}
    response = client.post(url("assign", world.cycle.pk), data)
    assert response.status_code == 400
    assert "“第一评审组”回避后可参加评审的专家仅4人，少于评审工作计划要求的5人。" in page(response)
    assert not Assignment.objects.exists()


def test_assigning_an_application_of_another_cycle_is_404(client):
    world = ReviewWorld()
    other = ReviewWorld()
    client.force_login(world.agency_user)
    data = {"application": other.application.pk, "group": world.group.pk}
    assert client.post(url("assign", world.cycle.pk), data).status_code == 404


def test_auto_assign_confirms_then_lists_what_could_not_be_assigned(client):
    world = ReviewWorld(units=2)
    blocked = world.applications[1]
    expert_update(expert=world.experts[4], by=world.agency_user, employer_uscc=blocked.identifier)
    client.force_login(world.agency_user)
    confirm = client.get(url("auto_assign", world.cycle.pk))
    assert "2件复核通过、尚未分配的申报，将在1个评审组之间均衡分配" in page(confirm)
    assert 'data-confirm="确定自动分配全部待分配的申报吗？"' in page(confirm)
    response = client.post(url("auto_assign", world.cycle.pk))
    assert response.status_code == 302
    assert response["Location"] == url("auto_assign_result", world.cycle.pk)
    result = client.get(response["Location"])
    assert result.context["result"]["assigned"] == [
        {"pk": world.application.pk, "name": world.application.name, "group": "第一评审组"}
    ]
    assert result.context["result"]["unassignable"] == [
        {
            "pk": blocked.pk,
            "name": blocked.name,
            "reason": "“第一评审组”回避后可参加评审的专家仅4人，少于评审工作计划要求的5人。",
        }
    ]
    assert "已分配1件，未能分配1件。" in page(result)
    assert Assignment.objects.active().get().application == world.application


def test_exclusions_are_listed(client):
    world = ReviewWorld(experts=6)
    expert_update(
        expert=world.experts[5], by=world.agency_user, employer_uscc=world.application.identifier
    )
    world.assign()
    client.force_login(world.agency_user)
    response = client.get(url("exclusion_list", world.cycle.pk))
    [exclusion] = response.context["exclusions"]
    assert exclusion.expert == world.experts[5]
    assert "专家工作单位的统一社会信用代码与申报单位相同。" in page(response)
    assert "系统自动回避" in page(response)


# 舆情调查 / 资格审查


def test_a_fail_page_says_it_ends_the_review_and_needs_a_reason(client):
    world = ReviewWorld()
    application = world.start()
    client.force_login(world.agency_user)
    address = url("check_record", application.pk, Stage.PUBLIC_OPINION, "fail")
    confirm = page(client.get(address))
    assert "一票否决" in confirm and "评审淘汰" in confirm
    response = client.post(address, {"evidence": "检索到负面报道。", "reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["此项为必填项。"]
    assert "检索到负面报道。" in page(response)
    assert world.refresh(application).state == S.IN_REVIEW
    response = client.post(
        address,
        {
            "evidence": "检索到近三年重大质量事故报道。",
            "reason": "不符合第十条第（五）项。",
            "evidence_file": pdf_upload("舆情检索记录.pdf"),
        },
    )
    assert response.status_code == 302
    assert world.refresh(application).state == S.REVIEW_FAILED
    check = StageCheck.objects.get(application=application)
    assert (check.passed, check.reason, check.evidence_name) == (
        False,
        "不符合第十条第（五）项。",
        "舆情检索记录.pdf",
    )
    assert texts(response) == [
        f"已记录“{application.name}”舆情调查不通过，该申报评审终止（评审淘汰）。"
    ]


def test_a_check_without_any_evidence_is_refused_by_the_service(client):
    world = ReviewWorld()
    application = world.start()
    client.force_login(world.agency_user)
    response = client.post(url("check_record", application.pk, Stage.QUALIFICATION, "pass"), {})
    assert response.status_code == 400
    assert response.context["form"].errors["evidence"] == ["请填写调查或审查情况，或上传证明材料。"]
    assert not StageCheck.objects.exists()


def test_evidence_is_downloaded_by_readers_only(client, auditor_user):
    world = ReviewWorld()
    application = world.start()
    client.force_login(world.agency_user)
    client.post(
        url("check_record", application.pk, Stage.QUALIFICATION, "pass"),
        {"evidence": "营业执照、纳税证明齐全。", "evidence_file": pdf_upload("资格审查.pdf")},
    )
    address = url("check_evidence", application.pk, Stage.QUALIFICATION)
    client.force_login(auditor_user)
    response = client.get(address)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="review.evidence_download").count() == 1
    client.force_login(other_agency_user())
    assert client.get(address).status_code == 404


# 开始评审 / 完成评审


def test_start_shows_what_is_missing_then_starts(client):
    world = ReviewWorld()
    world.assign()
    client.force_login(world.agency_user)
    address = url("start", world.application.pk)
    waiting = client.get(address)
    [blocker] = waiting.context["blockers"]
    assert blocker.startswith("尚有专家未声明有无利害关系：")
    assert "data-confirm" not in page(waiting)
    refused = client.post(address)
    assert refused.status_code == 409
    assert world.refresh(world.application).state == S.ACCEPTED
    world.declare_all()
    assert client.get(address).context["blockers"] == []
    response = client.post(address)
    assert response.status_code == 302
    assert world.refresh(world.application).state == S.IN_REVIEW
    assert ReviewPlan.objects.get(cycle=world.cycle).is_frozen


def test_batch_start_from_the_board(client):
    world = ReviewWorld(units=3)
    ready, unready, unassigned = world.applications
    world.assign(ready)
    world.declare_all(ready)
    world.assign(unready)
    client.force_login(world.agency_user)
    board = client.get(url("board", world.cycle.pk))
    assert board.context["startable"] == {ready.pk, unready.pk}
    response = client.post(url("board", world.cycle.pk), {"applications": [ready.pk, unready.pk]})
    assert response.status_code == 302
    result = client.get(url("board", world.cycle.pk))
    rows = result.context["batch_results"]["rows"]
    assert [(row["pk"], row["ok"]) for row in rows] == [(ready.pk, True), (unready.pk, False)]
    assert rows[1]["message"].startswith("尚有专家未声明有无利害关系：")
    assert "批量开始评审：成功1件，未办理1件。" in page(result)
    assert world.refresh(ready).state == S.IN_REVIEW
    assert world.refresh(unready).state == S.ACCEPTED
    refused = client.post(url("board", world.cycle.pk), {"applications": [unassigned.pk]})
    assert refused.status_code == 400
    assert world.refresh(unassigned).state == S.ACCEPTED


def test_batch_start_refuses_an_id_out_of_range_on_the_board(client):
    world = ReviewWorld(units=1)
    world.assign(world.application)
    client.force_login(world.agency_user)
    response = client.post(url("board", world.cycle.pk), {"applications": [HUGE]})
    assert response.status_code == 400
    assert response.context["batch_form"].errors["applications"] == [
        f"请选择有效的选项：{HUGE} 不在可选范围内。"
    ]


def test_complete_waits_for_every_signed_stage(client):
    world = ReviewWorld(plan={"materials_weight": 100, "site_visit_weight": 0, "defence_weight": 0})
    application = world.start()
    world.pass_checks(application)
    client.force_login(world.agency_user)
    address = url("complete", application.pk)
    assert client.get(address).context["blockers"] == [
        "以下评审环节尚未完成或未经组长签字确认：材料评审（第十四条第（四）项）。"
    ]
    world.sign(application, Stage.MATERIALS)
    assert client.get(address).context["blockers"] == []
    response = client.post(address)
    assert response.status_code == 302
    assert world.refresh(application).state == S.REVIEWED
    assert texts(response) == [f"“{application.name}”的专家评审已完成。"]


# Query counts


def count_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_pool_and_group_pages_do_not_grow_with_rows(client):
    world = ReviewWorld(experts=3)
    client.force_login(world.agency_user)
    pages = [url("expert_list"), url("group_list", world.cycle.pk)]
    few = [count_queries(client, address) for address in pages]
    for n in range(27):
        expert = new_expert(world.agency_user)
        group_create(
            cycle=world.cycle, name=f"第{n + 2}组", leader=expert, members=[], by=world.agency_user
        )
    assert Expert.objects.count() == 30 and ReviewGroup.objects.count() == 28
    assert [count_queries(client, address) for address in pages] == few


def test_application_lists_do_not_grow_with_rows(client):
    small, large = ReviewWorld(units=3), ReviewWorld(units=30)
    counts = []
    for world in (small, large):
        for application in world.applications[:2]:
            world.assign(application)
        client.force_login(world.agency_user)
        cycle = world.cycle.pk
        counts.append(
            [
                count_queries(client, url("board", cycle)),
                count_queries(client, url("assign", cycle)),
                count_queries(client, url("agency_applications")),
            ]
        )
    assert counts[0] == counts[1]


def test_exclusion_list_does_not_grow_with_rows(client):
    world = ReviewWorld(units=30, experts=0)
    client.force_login(world.agency_user)
    expert = new_expert(world.agency_user)

    def exclude(applications):
        for application in applications:
            record_exclusion(
                application=application,
                expert=expert,
                source=ExclusionSource.DECLARED,
                reason="曾在该单位任职",
                by=expert.user,
            )

    exclude(world.applications[:3])
    few = count_queries(client, url("exclusion_list", world.cycle.pk))
    exclude(world.applications[3:])
    assert Exclusion.objects.count() == 30
    assert count_queries(client, url("exclusion_list", world.cycle.pk)) == few


def test_county_and_applicant_have_no_agency_home(client):
    for role in (Role.COUNTY, Role.APPLICANT, Role.EXPERT, Role.OFFICE):
        client.force_login(make_user(role))
        assert client.get(url("agency_applications")).status_code == 404


def test_the_agency_reads_the_criteria_its_plan_links_to_but_cannot_change_them(client):
    world = ReviewWorld()
    client.force_login(world.agency_user)
    response = client.get(url("criteria_detail", world.plan.unit_criteria_id))
    assert response.status_code == 200
    assert response.context["editable"] is False and response.context["is_office"] is False
    assert 'action="' + url("criteria_copy", world.plan.unit_criteria_id) not in page(response)
    assert client.get(url("criteria_list")).status_code == 200
    copied = client.post(url("criteria_copy", world.plan.unit_criteria_id), {"name": "副本"})
    assert copied.status_code == 404
