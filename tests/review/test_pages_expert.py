"""The expert's pages: 我的评审任务, 回避声明, the score sheet saved item by item, submitting."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.enums import ApplicationState
from award.enums import Role
from award.models import AuditEntry
from review.enums import Stage
from review.models import ConflictDeclaration, Criterion, Exclusion, Score, StageSubmission
from review.scoring import BANDS
from review.services import score_save, stage_check_record
from tests.factories import make_user
from tests.review.factories import ReviewWorld, items_of, new_expert

pytestmark = pytest.mark.django_db

MATERIALS = Stage.MATERIALS
BAND_MESSAGE = (
    "评分比例须为0%～100%之间5的整数倍，落在六个评分档之一：0–5%、10–25%、30–45%、"
    "50–65%、70–85%、90–100%。"
)


def url(name, *args):
    return reverse(f"review:{name}", args=args)


def save_url(application, item, stage=MATERIALS):
    return url("expert_score_save", application.pk, stage, item.pk)


def text_of(response) -> str:
    return response.content.decode()


def queries_for(client, path) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries), response


@pytest.fixture
def world():
    world = ReviewWorld()
    world.start()
    return world


@pytest.fixture
def expert(world, client):
    expert = world.experts[1]
    client.force_login(expert.user)
    return expert


def score_items(world, expert, items, percentage=50, application=None):
    for item in items:
        score_save(
            application=application or world.application,
            stage=MATERIALS,
            by=expert.user,
            criterion=item,
            percentage=percentage,
            strengths="方针目标清晰",
            opportunities="展开不够充分",
        )


# 我的评审任务 -----------------------------------------------------------------------------------


def test_task_list_shows_own_assignments_with_progress_per_stage(world, expert, client):
    score_items(world, expert, items_of(world.application)[:2])

    response = client.get(url("expert_tasks"))

    assert response.status_code == 200
    [task] = response.context["tasks"]
    assert task.application == world.application
    assert task.declared is True
    assert task.is_leader is False
    assert [(s.stage, s.scored, s.items, s.submitted, s.signed) for s in task.stages] == [
        (Stage.MATERIALS, 2, 23, False, False),
        (Stage.SITE_VISIT, 0, 23, False, False),
        (Stage.DEFENCE, 0, 23, False, False),
    ]
    assert "已评 2 / 23 项" in text_of(response)
    assert url("expert_scoring", world.application.pk, MATERIALS) in text_of(response)


def test_task_list_says_a_failed_review_needs_no_scores(world, expert, client):
    """一票否决 (第十四条第（四）项): no 已评 0 / 23 项 under an ended review."""
    stage_check_record(
        application=world.application,
        stage=Stage.PUBLIC_OPINION,
        passed=False,
        evidence="检索到近三年重大质量事故报道。",
        reason="不符合第十条第（五）项。",
        by=world.agency_user,
    )
    assert world.refresh(world.application).state == ApplicationState.REVIEW_FAILED
    page = text_of(client.get(url("expert_tasks")))
    assert "舆情调查或资格审查未通过，评审已终止，无需评分。" in page
    assert "已评 0 / 23 项" not in page


def test_task_list_leaves_out_what_is_not_assigned_to_the_expert(client):
    world = ReviewWorld(units=2)
    world.start()  # only the first application goes to the group
    outsider = new_expert(world.agency_user, name="组外专家")
    client.force_login(outsider.user)
    assert client.get(url("expert_tasks")).context["tasks"] == []

    client.force_login(world.experts[2].user)
    tasks = client.get(url("expert_tasks")).context["tasks"]
    assert [t.application for t in tasks] == [world.application]


def test_an_undeclared_assignment_asks_for_the_declaration_first(client):
    world = ReviewWorld()
    world.assign()
    client.force_login(world.experts[1].user)

    response = client.get(url("expert_tasks"))

    [task] = response.context["tasks"]
    assert task.declared is False
    assert "待声明有无利害关系" in text_of(response)
    assert url("expert_declare", world.application.pk) in text_of(response)


def test_task_list_runs_the_same_queries_for_3_and_30_assignments(client):
    world = ReviewWorld(units=30)
    expert = world.experts[1]
    client.force_login(expert.user)
    for application in world.applications[:3]:
        world.start(application)
    score_items(world, expert, items_of(world.application)[:3])
    few, response = queries_for(client, url("expert_tasks"))
    assert len(response.context["tasks"]) == 3

    for application in world.applications[3:]:
        world.assign(application)
    world.declare_all(world.applications[3])
    many, response = queries_for(client, url("expert_tasks"))
    assert len(response.context["tasks"]) == 30
    assert many == few


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.AGENCY, Role.OFFICE, Role.COUNTY])
def test_the_expert_pages_answer_404_to_other_roles(world, client, role):
    client.force_login(make_user(role))
    for path in (
        url("expert_tasks"),
        url("expert_declare", world.application.pk),
        url("expert_application", world.application.pk),
        url("expert_scoring", world.application.pk, MATERIALS),
    ):
        assert client.get(path).status_code == 404


# 回避声明 -----------------------------------------------------------------------------------


@pytest.fixture
def assigned(client):
    """Assigned but not yet declared: the application is in 复核通过, not started."""
    world = ReviewWorld()
    world.assign()
    client.force_login(world.experts[1].user)
    return world


def test_content_waits_for_the_declaration(assigned, client):
    application = assigned.application
    for path in (
        url("expert_application", application.pk),
        url("expert_scoring", application.pk, MATERIALS),
    ):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == url("expert_declare", application.pk)

    page = client.get(url("expert_declare", application.pk))

    assert page.status_code == 200
    body = text_of(page)
    assert application.name in body
    # Nothing of the submission itself before the declaration: no key figures, no files.
    assert "近三年主要经济指标" not in body
    assert "自我评价报告" not in body
    assert "ISO 9001" not in body


def test_declaring_no_conflict_opens_the_application(assigned, client):
    application = assigned.application

    response = client.post(url("expert_declare", application.pk), {"has_conflict": "none"})

    assert response.status_code == 302
    assert response.url == url("expert_application", application.pk)
    declaration = ConflictDeclaration.objects.get(expert=assigned.experts[1])
    assert declaration.has_conflict is False
    page = client.get(response.url)
    assert page.status_code == 200
    assert "ISO 9001" in text_of(page)  # the frozen submission is now shown


def test_a_conflict_needs_its_relationship(assigned, client):
    response = client.post(
        url("expert_declare", assigned.application.pk), {"has_conflict": "conflict"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["relationship"] == [
        "请说明与申报主体的利益关系（如任职、亲属、业务往来等）。"
    ]
    assert not ConflictDeclaration.objects.exists()


def test_a_declared_conflict_is_confirmed_then_removes_the_application(assigned, client):
    application = assigned.application
    expert = assigned.experts[1]
    data = {"has_conflict": "conflict", "relationship": "本人配偶在该单位任财务经理"}

    confirm = client.post(url("expert_declare", application.pk), data)

    assert confirm.status_code == 200
    assert confirm.templates[0].name == "review/expert_declare_confirm.html"
    assert "本人配偶在该单位任财务经理" in text_of(confirm)
    assert not ConflictDeclaration.objects.exists()

    done = client.post(url("expert_declare", application.pk), {**data, "confirmed": "1"})

    assert done.status_code == 302
    assert done.url == url("expert_tasks")
    exclusion = Exclusion.objects.get(expert=expert, application=application)
    assert exclusion.reason == "本人配偶在该单位任财务经理"
    assert client.get(url("expert_tasks")).context["tasks"] == []
    for path in (
        url("expert_declare", application.pk),
        url("expert_application", application.pk),
        url("expert_scoring", application.pk, MATERIALS),
    ):
        assert client.get(path).status_code == 404


def test_a_conflicted_expert_gets_404_by_url_even_once_scoring_started(world, expert, client):
    application = world.application
    score_items(world, expert, items_of(application)[:1])
    client.post(
        url("expert_declare", application.pk),
        {"has_conflict": "conflict", "relationship": "曾在该单位任职", "confirmed": "1"},
    )

    assert client.get(url("expert_scoring", application.pk, MATERIALS)).status_code == 404
    item = items_of(application)[1]
    assert client.post(save_url(application, item), {"percentage": "50"}).status_code == 404
    assert Score.objects.get(expert=expert).excluded is True


# Who may open a score sheet ---------------------------------------------------------------------


def test_an_unassigned_application_answers_404(world, client):
    other = ReviewWorld()
    other.start()
    client.force_login(world.experts[1].user)
    item = items_of(other.application)[0]

    for path in (
        url("expert_declare", other.application.pk),
        url("expert_application", other.application.pk),
        url("expert_scoring", other.application.pk, MATERIALS),
    ):
        assert client.get(path).status_code == 404
    response = client.post(save_url(other.application, item), {"percentage": "50"})
    assert response.status_code == 404
    assert not Score.objects.exists()


def test_a_stage_the_plan_does_not_score_answers_404(client):
    world = ReviewWorld(plan={"materials_weight": 60, "site_visit_weight": 40, "defence_weight": 0})
    world.start()
    client.force_login(world.experts[1].user)

    assert client.get(url("expert_scoring", world.application.pk, "defence")).status_code == 404
    assert client.get(url("expert_scoring", world.application.pk, "nonsense")).status_code == 404


# The score sheet --------------------------------------------------------------------------


def test_the_sheet_lists_every_item_with_points_kind_and_the_bands(world, expert, client):
    response = client.get(url("expert_scoring", world.application.pk, MATERIALS))

    assert response.status_code == 200
    items = response.context["items"]
    assert [i.criterion.code for i in items] == [c.code for c in items_of(world.application)]
    assert len(items) == 23
    first, result = items[0], items[17]
    assert (first.criterion.code, first.criterion.points) == ("4.1.2", 50)
    assert (result.criterion.code, result.criterion.kind) == ("4.7.2", "result")
    assert [b.label for b in first.bands] == [
        "0%–5%",
        "10%–25%",
        "30%–45%",
        "50%–65%",
        "70%–85%",
        "90%–100%",
    ]
    assert [v for b in first.bands for v, _chosen in b.values] == list(range(0, 101, 5))
    assert [b.descriptor for b in first.bands] == [b.descriptor("process") for b in BANDS]
    assert [b.descriptor for b in result.bands] == [b.descriptor("result") for b in BANDS]
    body = text_of(response)
    assert str(BANDS[3].process) in body and str(BANDS[3].result) in body
    assert "按方法—展开—学习—整合评价" in body and "按水平—趋势—对比—整合评价" in body
    assert 'hx-trigger="submit, change, keyup changed delay:800ms, retry"' in body
    assert (
        f'data-autosave-key="scoring:{world.application.pk}:materials:{first.criterion.pk}"' in body
    )
    assert "已评 0 / 23 项，合计 0.00 分" in body
    assert "js/scoring.js" in body


def test_the_sheet_runs_the_same_queries_whatever_the_number_of_items(client):
    """23 unit items or 5 individual ones, scored or not: no query per criterion."""
    world = ReviewWorld(units=1, individuals=1)
    unit, person = world.applications
    world.start(unit)
    world.start(person)
    expert = world.experts[1]
    client.force_login(expert.user)

    empty_unit, _response = queries_for(client, url("expert_scoring", unit.pk, MATERIALS))
    score_items(world, expert, items_of(unit), application=unit)
    score_items(world, expert, items_of(person), application=person)
    scored_unit, response = queries_for(client, url("expert_scoring", unit.pk, MATERIALS))
    assert len(response.context["items"]) == 23
    scored_person, response = queries_for(client, url("expert_scoring", person.pk, MATERIALS))
    assert len(response.context["items"]) == 5

    assert empty_unit == scored_unit == scored_person


def test_an_item_autosaves_through_htmx_with_its_status_and_the_running_total(
    world, expert, client
):
    item = items_of(world.application)[0]  # 4.1.2, 50 points

    response = client.post(
        save_url(world.application, item),
        {"percentage": "55", "strengths": "高层领导以身作则", "opportunities": "战略沟通不足"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert response.templates[0].name == "review/partials/score_status.html"
    body = text_of(response)
    assert f'id="status-{item.pk}"' in body
    assert 'data-status="saved"' in body and "已保存 " in body
    assert 'id="score-progress"' in body and 'hx-swap-oob="true"' in body
    assert "已评 1 / 23 项，合计 27.50 分" in body
    score = Score.objects.get()
    assert (score.percentage, score.points, score.strengths, score.opportunities) == (
        55,
        Decimal("27.50"),
        "高层领导以身作则",
        "战略沟通不足",
    )
    assert AuditEntry.objects.filter(action="review.score_save").count() == 1


def test_without_javascript_an_item_posts_and_comes_back_to_the_sheet(world, expert, client):
    item = items_of(world.application)[1]  # 4.1.3, 30 points

    response = client.post(save_url(world.application, item), {"percentage": "70"})

    sheet = url("expert_scoring", world.application.pk, MATERIALS)
    assert response.status_code == 302
    assert response.url == f"{sheet}#item-{item.pk}"
    page = client.get(sheet)
    saved = next(i for i in page.context["items"] if i.criterion == item)
    assert (saved.row.percentage, saved.row.points) == (70, Decimal("21.00"))
    assert [v for b in saved.bands for v, chosen in b.values if chosen] == [70]
    assert "4.1.3 组织治理：已保存" in text_of(page)
    assert "已评 1 / 23 项，合计 21.00 分" in text_of(page)


@pytest.mark.parametrize("value", ["7", "105", "-5", "abc", "120", "52.5"])
def test_a_percentage_outside_the_bands_is_refused_next_to_the_item(world, expert, client, value):
    item = items_of(world.application)[0]

    response = client.post(
        save_url(world.application, item),
        {"percentage": value, "strengths": "我写的优势"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    body = text_of(response)
    assert f'id="status-{item.pk}"' in body and 'data-status="error"' in body
    assert BAND_MESSAGE in body
    assert not Score.objects.exists()


def test_a_refused_percentage_without_javascript_keeps_what_was_typed(world, expert, client):
    items = items_of(world.application)
    item = items[2]

    response = client.post(
        save_url(world.application, item),
        {"percentage": "105", "strengths": "社会责任意识强", "opportunities": "公益投入偏少"},
    )

    assert response.status_code == 400
    shown = next(i for i in response.context["items"] if i.criterion == item)
    assert shown.form.errors["percentage"] == [BAND_MESSAGE]
    body = text_of(response)
    assert "社会责任意识强" in body and "公益投入偏少" in body
    assert not Score.objects.exists()


INVISIBLE = (
    "优势中含有不可见的控制字符（第3个字符处），常见于从网页或文档复制的内容，请删除后重新填写。"
)


def status_of(body, item) -> str:
    """The item's status area (role=status) up to the end of its first block."""
    start = body.index(f'<div id="status-{item.pk}"')
    return body[start : body.index("</div>", start)]


def test_without_javascript_a_refused_item_shows_the_whole_sheet_with_every_reason(
    world, expert, client
):
    items = items_of(world.application)
    item = items[1]

    response = client.post(
        save_url(world.application, item),
        {"percentage": "37", "strengths": "体系\u200b完整", "opportunities": "量化目标不足"},
    )

    assert response.status_code == 400
    assert response.templates[0].name == "review/expert_scoring.html"
    body = text_of(response)
    assert '<nav class="navbar' in body and 'href="/review/expert/"' in body
    assert body.count('class="card mb-3 score-item"') == len(items)
    status = status_of(body, item)
    assert 'role="status"' in status and 'data-status="error"' in status
    assert f'<p class="mb-0">{BAND_MESSAGE}</p>' in status
    assert f'<p class="mb-0">{INVISIBLE}</p>' in status
    assert "体系\u200b完整" in body and "量化目标不足" in body
    assert not Score.objects.exists()


def test_through_htmx_a_refused_item_gets_every_reason_in_its_status(world, expert, client):
    item = items_of(world.application)[1]

    response = client.post(
        save_url(world.application, item),
        {"percentage": "37", "strengths": "体系\u200b完整"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    assert response.templates[0].name == "review/partials/score_status.html"
    status = status_of(text_of(response), item)
    assert f'<p class="mb-0">{BAND_MESSAGE}</p>' in status
    assert f'<p class="mb-0">{INVISIBLE}</p>' in status


def test_a_missing_percentage_says_so(world, expert, client):
    item = items_of(world.application)[0]

    response = client.post(
        save_url(world.application, item), {"strengths": "先写评语"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 400
    assert "请选择本项的得分比例，优势和改进机会随得分一并保存。" in text_of(response)


def test_an_overlong_comment_is_refused_next_to_the_item(world, expert, client):
    item = items_of(world.application)[0]

    response = client.post(
        save_url(world.application, item),
        {"percentage": "50", "strengths": "很" * 2001},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    assert (
        '<p class="mb-0">优势不能超过2000个字（现有2001个字），请精简后重新填写。</p>'
        in text_of(response)
    )


def test_an_item_of_another_criteria_set_answers_404(world, expert, client):
    foreign = Criterion.objects.items().filter(criteria_set__kind="individual").first()

    response = client.post(save_url(world.application, foreign), {"percentage": "50"})

    assert response.status_code == 404


def test_saving_before_the_declaration_is_refused_with_the_reason(assigned, client):
    item = items_of(assigned.application)[0]

    response = client.post(
        save_url(assigned.application, item), {"percentage": "50"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 409
    assert "请先声明与该申报主体有无利害关系，再查看材料和评分（第二十条）。" in text_of(response)


def test_scoring_before_the_review_started_is_refused(assigned, client):
    client.post(url("expert_declare", assigned.application.pk), {"has_conflict": "none"})
    item = items_of(assigned.application)[0]

    page = client.get(url("expert_scoring", assigned.application.pk, MATERIALS))
    response = client.post(
        save_url(assigned.application, item), {"percentage": "50"}, HTTP_HX_REQUEST="true"
    )

    assert page.context["editable"] is False
    assert "第三方机构尚未开始对该申报的专家评审" in text_of(page)
    assert response.status_code == 409
    assert "不在专家评审中，不能评分" in text_of(response)


# Submitting the stage and seeing the others ------------------------------------------------


def test_submitting_with_items_missing_lists_them(world, expert, client):
    items = items_of(world.application)
    score_items(world, expert, items[:20])

    response = client.post(url("expert_stage_submit", world.application.pk, MATERIALS))

    assert response.status_code == 409
    assert response.context["submit_errors"] == ["尚有3个评分项未评分，请评分后再提交："]
    assert [c.code for c in response.context["missing"]] == ["4.7.5", "4.7.6", "4.7.7"]
    body = text_of(response)
    assert "4.7.5 资源结果" in body and "4.7.7 领导方面的结果" in body
    assert not StageSubmission.objects.exists()


def test_other_experts_scores_are_hidden_until_ones_own_are_submitted(world, expert, client):
    other = world.experts[2]
    world.score(world.application, MATERIALS, other, 85)  # scored and submitted
    score_items(world, expert, items_of(world.application), percentage=40)
    sheet = url("expert_scoring", world.application.pk, MATERIALS)

    before = client.get(sheet)

    assert before.context["group"] is None
    assert 'id="group-heading"' not in text_of(before)
    assert "<td>85%</td>" not in text_of(before)

    response = client.post(url("expert_stage_submit", world.application.pk, MATERIALS))

    assert response.status_code == 302
    assert response.url == sheet
    after = client.get(sheet)
    group = after.context["group"]
    assert [e.name for e in group.experts] == sorted([expert.name, other.name])
    assert {e.name for e in group.pending} == {e.name for e in world.experts} - {
        expert.name,
        other.name,
    }
    spread = group.by_item[items_of(world.application)[0].pk]
    assert (spread.low, spread.high, spread.mean) == (40, 85, Decimal("62.5"))
    assert after.context["editable"] is False
    assert "您已提交本阶段评分，不能再修改。" in text_of(after)
    assert 'id="group-heading"' in text_of(after) and "<td>85%</td>" in text_of(after)


def test_a_submitted_stage_refuses_further_saves(world, expert, client):
    world.score(world.application, MATERIALS, expert, 50)
    item = items_of(world.application)[0]

    response = client.post(
        save_url(world.application, item), {"percentage": "90"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 409
    assert "您已提交材料评审的评分，不能再修改。" in text_of(response)
    assert Score.objects.get(expert=expert, criterion=item).percentage == 50


def test_after_sign_off_the_sheet_is_read_only_and_saving_is_refused(client):
    world = ReviewWorld(units=0, individuals=1)
    world.start()
    world.sign(world.application, MATERIALS)
    expert = world.experts[1]
    client.force_login(expert.user)
    sheet = url("expert_scoring", world.application.pk, MATERIALS)

    page = client.get(sheet)

    assert page.context["editable"] is False
    body = text_of(page)
    assert "评分已锁定，只能查看" in body
    assert "hx-post" not in body
    assert "得分比例 50%（50%–65%档），得分 10.00 分" in body
    item = items_of(world.application)[0]
    response = client.post(save_url(world.application, item), {"percentage": "90"})
    assert response.status_code == 409
    assert "材料评审已由组长签字确认，评分已锁定" in text_of(response)
    assert Score.objects.get(expert=expert, criterion=item).percentage == 50
