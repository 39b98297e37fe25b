"""The group leader's pages: consensus per item, the site visit, signing a stage, corrections."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from award.enums import Role
from award.models import AuditEntry
from review.enums import Stage
from review.models import ConsensusScore, ScoreCorrection, SiteVisit, StageSignOff
from tests.factories import make_user
from tests.review.factories import ReviewWorld, items_of

pytestmark = pytest.mark.django_db

MATERIALS = Stage.MATERIALS
BAND_MESSAGE = (
    "评分比例须为0%～100%之间5的整数倍，落在六个评分档之一：0–5%、10–25%、30–45%、"
    "50–65%、70–85%、90–100%。"
)


def url(name, *args):
    return reverse(f"review:{name}", args=args)


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def world(client):
    """One individual application (5 items) in 专家评审; the leader is logged in."""
    world = ReviewWorld(units=0, individuals=1)
    world.start()
    client.force_login(world.leader.user)
    return world


def consensus_url(world, stage=MATERIALS):
    return url("group_leader_consensus", world.application.pk, stage)


def save_url(world, item, stage=MATERIALS):
    return url("group_leader_consensus_save", world.application.pk, stage, item.pk)


def submitted(world, stage=MATERIALS, scores=(30, 50, 50, 70, 100)):
    world.score_all(world.application, stage, list(scores))
    return world


# Who may open the leader's pages -------------------------------------------------------------


def test_an_expert_who_does_not_lead_the_group_gets_404(world, client):
    client.force_login(world.experts[1].user)
    item = items_of(world.application)[0]
    for path in (
        consensus_url(world),
        url("group_leader_sign", world.application.pk, MATERIALS),
        url("group_leader_correct", world.application.pk, MATERIALS),
    ):
        assert client.get(path).status_code == 404
    assert client.post(save_url(world, item), {"percentage": "50"}).status_code == 404
    assert client.post(url("group_leader_sign", world.application.pk, MATERIALS)).status_code == 404
    assert not StageSignOff.objects.exists()


def test_the_leader_of_another_group_gets_404(world, client):
    other = ReviewWorld(units=0, individuals=1)
    other.start()
    client.force_login(other.leader.user)

    assert client.get(consensus_url(world)).status_code == 404


@pytest.mark.parametrize("role", [Role.AGENCY, Role.OFFICE, Role.APPLICANT])
def test_other_roles_get_404(world, client, role):
    client.force_login(make_user(role))

    assert client.get(consensus_url(world)).status_code == 404


# Consensus -----------------------------------------------------------------------------------


def test_consensus_waits_until_every_expert_submitted(world, client):
    live = world.live()
    for expert in live[:4]:
        world.score(world.application, MATERIALS, expert, 50)

    response = client.get(consensus_url(world))

    assert response.status_code == 200
    assert response.context["all_submitted"] is False
    assert [e.name for e in response.context["group"].pending] == [live[4].name]
    body = text_of(response)
    assert f"全体专家提交独立评分后才能合议。尚未提交：{live[4].name}" in body
    assert "hx-post" not in body
    item = items_of(world.application)[0]
    refused = client.post(save_url(world, item), {"percentage": "50"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 409
    assert f"尚有专家未提交材料评审的独立评分：{live[4].name}。" in text_of(refused)


def test_the_consensus_page_shows_each_items_spread(world, client):
    submitted(world)

    response = client.get(consensus_url(world))

    assert response.status_code == 200
    group = response.context["group"]
    live = world.live()
    assert [e.name for e in group.experts] == [e.name for e in live]
    first = response.context["items"][0]
    assert first.criterion.code == "G1"
    assert [s.percentage for s in first.spread.scores] == [30, 50, 50, 70, 100]
    assert (first.spread.low, first.spread.high, first.spread.mean) == (30, 100, Decimal("60.0"))
    body = text_of(response)
    assert "<td>30%</td><td>50%</td><td>50%</td><td>70%</td><td>100%</td>" in body
    assert "<td>60.00%</td>" in body
    assert 'data-autosave-key="consensus:' in body
    assert "已合议 0 / 5 项，合议合计 0.00 分" in body


def test_consensus_saves_item_by_item_through_htmx(world, client):
    submitted(world)
    item = items_of(world.application)[0]  # G1, 20 points

    response = client.post(
        save_url(world, item),
        {"percentage": "65", "strengths": "质量意识强", "opportunities": "推广不足"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    body = text_of(response)
    assert 'data-status="saved"' in body
    assert "已合议 1 / 5 项，合议合计 13.00 分" in body
    row = ConsensusScore.objects.get()
    assert (row.percentage, row.points, row.strengths, row.recorded_by) == (
        65,
        Decimal("13.00"),
        "质量意识强",
        world.leader,
    )


@pytest.mark.parametrize("value", ["7", "105", "-5", "abc"])
def test_a_consensus_outside_the_bands_is_refused_next_to_the_item(world, client, value):
    submitted(world)
    item = items_of(world.application)[0]

    response = client.post(save_url(world, item), {"percentage": value}, HTTP_HX_REQUEST="true")

    assert response.status_code == 400
    assert f'id="status-{item.pk}"' in text_of(response)
    assert BAND_MESSAGE in text_of(response)
    assert not ConsensusScore.objects.exists()


def test_consensus_without_javascript_comes_back_to_the_item(world, client):
    submitted(world)
    item = items_of(world.application)[1]

    response = client.post(save_url(world, item), {"percentage": "55"})

    assert response.status_code == 302
    assert response.url == f"{consensus_url(world)}#item-{item.pk}"
    assert ConsensusScore.objects.get().percentage == 55


def test_a_refused_consensus_without_javascript_shows_the_sheet_with_every_reason(world, client):
    submitted(world)
    items = items_of(world.application)
    item = items[1]

    response = client.post(
        save_url(world, item), {"percentage": "37", "strengths": "体系\u200b完整"}
    )

    assert response.status_code == 400
    assert response.templates[0].name == "review/group_leader_consensus.html"
    body = text_of(response)
    assert '<nav class="navbar' in body
    assert body.count('class="card mb-3 score-item"') == len(items)
    start = body.index(f'<div id="status-{item.pk}"')
    status = body[start : body.index("</div>", start)]
    assert f'<p class="mb-0">{BAND_MESSAGE}</p>' in status
    assert (
        '<p class="mb-0">优势中含有不可见的控制字符（第3个字符处），'
        "常见于从网页或文档复制的内容，请删除后重新填写。</p>"
    ) in status
    assert "体系\u200b完整" in body
    assert not ConsensusScore.objects.exists()


# Signing -------------------------------------------------------------------------------------


def test_signing_with_consensus_missing_is_refused_with_the_list(world, client):
    submitted(world)
    items = items_of(world.application)
    for item in items[:2]:
        client.post(save_url(world, item), {"percentage": "50"})
    sign_url = url("group_leader_sign", world.application.pk, MATERIALS)

    page = client.get(sign_url)

    assert page.status_code == 200
    assert page.context["problems"] == [
        "尚有3个评分项未形成合议分：G3 质量工作业绩与社会认同、G4 技能竞赛与荣誉、G5 示范引领。"
    ]
    # The page lists what is missing and offers no active 确认签署 meanwhile.
    html = page.content.decode()
    assert '<button type="button" class="btn btn-danger" disabled' in html
    assert 'type="submit" class="btn btn-danger"' not in html

    response = client.post(sign_url)

    assert response.status_code == 409
    assert response.context["refusal"] == ["尚有3个评分项未形成合议分：G3、G4、G5。"]
    body = text_of(response)
    assert "不能签署：" in body and "G5 示范引领" in body
    assert not StageSignOff.objects.exists()


def test_signing_with_scores_missing_is_refused_with_the_names(world, client):
    live = world.live()
    for expert in live[:3]:
        world.score(world.application, MATERIALS, expert, 50)

    response = client.post(url("group_leader_sign", world.application.pk, MATERIALS))

    assert response.status_code == 409
    pending = "、".join(e.name for e in live[3:])
    assert response.context["refusal"] == [f"尚有专家未提交材料评审的独立评分：{pending}。"]
    assert f"尚有专家未提交独立评分：{pending}。" in response.context["problems"]
    assert not StageSignOff.objects.exists()


def test_signing_locks_the_stage_for_everyone(world, client):
    submitted(world)
    world.agree(world.application, MATERIALS, 60)
    sign_url = url("group_leader_sign", world.application.pk, MATERIALS)

    confirm = client.get(sign_url)
    assert confirm.context["problems"] == []
    assert "确认签署" in text_of(confirm)
    response = client.post(sign_url)

    assert response.status_code == 302
    assert response.url == consensus_url(world)
    sign_off = StageSignOff.objects.get()
    assert sign_off.signed_by == world.leader
    assert AuditEntry.objects.filter(action="review.stage_sign").count() == 1
    page = client.get(consensus_url(world))
    assert page.context["editable"] is False
    assert "本阶段已由组长" in text_of(page) and "评分已锁定" in text_of(page)
    assert "hx-post" not in text_of(page)
    item = items_of(world.application)[0]
    refused = client.post(save_url(world, item), {"percentage": "90"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 409
    assert "材料评审已由组长签字确认，评分已锁定" in text_of(refused)
    # An expert's sheet of the signed stage is read-only too.
    client.force_login(world.experts[2].user)
    sheet = client.get(url("expert_scoring", world.application.pk, MATERIALS))
    assert sheet.context["editable"] is False
    assert "评分已锁定，只能查看" in text_of(sheet)
    # Signing twice is refused, not a 500.
    client.force_login(world.leader.user)
    again = client.post(sign_url)
    assert again.status_code == 409


def test_the_site_visit_stage_needs_the_visit_on_record(world, client):
    submitted(world, Stage.SITE_VISIT)
    world.agree(world.application, Stage.SITE_VISIT, 60)
    sign_url = url("group_leader_sign", world.application.pk, Stage.SITE_VISIT)

    refused = client.post(sign_url)

    assert refused.status_code == 409
    assert refused.context["refusal"] == ["请先记录现场评审的日期和发现的问题。"]
    visit_url = url("group_leader_site_visit", world.application.pk, Stage.SITE_VISIT)
    bad = client.post(visit_url, {"visited_on": "2026-13-45", "issues_found": "x"})
    assert bad.status_code == 400
    assert bad.context["visit_form"].errors["visited_on"] == ["请按“年-月-日”填写日期。"]
    recorded = client.post(
        visit_url, {"visited_on": "2026-06-18", "issues_found": "质量追溯记录不完整。"}
    )
    assert recorded.status_code == 302
    visit = SiteVisit.objects.get()
    assert (visit.visited_on, visit.issues_found) == (
        datetime.date(2026, 6, 18),
        "质量追溯记录不完整。",
    )
    assert client.post(sign_url).status_code == 302
    # The experts' sheet of 现场评审 shows the record.
    client.force_login(world.experts[1].user)
    sheet = client.get(url("expert_scoring", world.application.pk, Stage.SITE_VISIT))
    assert "2026-06-18" in text_of(sheet) and "质量追溯记录不完整。" in text_of(sheet)


def test_the_site_visit_form_belongs_to_its_stage(world, client):
    response = client.post(
        url("group_leader_site_visit", world.application.pk, MATERIALS),
        {"visited_on": "2026-06-18"},
    )

    assert response.status_code == 404


# Corrections after sign-off ------------------------------------------------------------------


@pytest.fixture
def signed(world):
    world.sign(world.application, MATERIALS)
    return world


def correct_url(world):
    return url("group_leader_correct", world.application.pk, MATERIALS)


def test_a_correction_needs_a_reason(signed, client):
    item = items_of(signed.application)[0]

    response = client.post(
        correct_url(signed), {"criterion": item.pk, "target": "consensus", "percentage": "70"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["请填写更正原因。"]
    assert not ScoreCorrection.objects.exists()


def test_a_correction_outside_the_bands_is_refused(signed, client):
    item = items_of(signed.application)[0]

    response = client.post(
        correct_url(signed),
        {"criterion": item.pk, "target": "consensus", "percentage": "72", "reason": "笔误"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["percentage"] == [BAND_MESSAGE]


def test_a_correction_is_a_new_audited_entry_in_the_stages_history(signed, client):
    item = items_of(signed.application)[0]  # G1, 20 points; consensus 50 % = 10

    response = client.post(
        correct_url(signed),
        {
            "criterion": item.pk,
            "target": "consensus",
            "percentage": "70",
            "reason": "合议记录誊写错误，应为70%",
        },
    )

    assert response.status_code == 302
    assert response.url == f"{consensus_url(signed)}#history"
    correction = ScoreCorrection.objects.get()
    assert (
        correction.previous_percentage,
        correction.percentage,
        correction.delta,
        correction.expert,
    ) == (50, 70, Decimal("4.00"), None)
    original = ConsensusScore.objects.get(criterion=item, excluded=False)
    assert original.percentage == 50  # never overwritten
    entry = AuditEntry.objects.get(action="review.score_correct")
    assert entry.reason == "合议记录誊写错误，应为70%"
    page = client.get(consensus_url(signed))
    assert page.context["corrections"] == [correction]
    body = text_of(page)
    assert "合议记录誊写错误，应为70%" in body
    assert "50%（10.00）" in body and "70%（14.00）" in body
    assert "合议合计 50.00 分；计入更正后 54.00 分。" in body


def test_an_experts_own_score_can_be_corrected_too(signed, client):
    item = items_of(signed.application)[1]
    expert = signed.live()[2]

    response = client.post(
        correct_url(signed),
        {"criterion": item.pk, "target": str(expert.pk), "percentage": "55", "reason": "录入错误"},
    )

    assert response.status_code == 302
    assert ScoreCorrection.objects.get().expert == expert


def test_before_sign_off_there_is_nothing_to_correct(world, client):
    submitted(world)
    page = client.get(correct_url(world))
    assert page.status_code == 200
    assert "本阶段尚未签字确认，请直接在合议页修改合议分，无需更正。" in text_of(page)
    item = items_of(world.application)[0]

    response = client.post(
        correct_url(world),
        {"criterion": item.pk, "target": "consensus", "percentage": "70", "reason": "更正"},
    )

    assert response.status_code == 409
    assert response.context["form"].non_field_errors() == [
        "材料评审尚未签字确认，请直接修改合议分，无需更正。"
    ]


def test_the_consensus_page_runs_the_same_queries_for_5_and_23_items(client):
    world = ReviewWorld(units=1, individuals=1)
    unit, person = world.applications
    for application in (unit, person):
        world.start(application)
        world.score_all(application, MATERIALS, [40, 50, 60, 70, 80])
    world.agree(person, MATERIALS, 60)
    client.force_login(world.leader.user)

    counts = []
    for application, items in ((person, 5), (unit, 23)):
        with CaptureQueriesContext(connection) as context:
            response = client.get(url("group_leader_consensus", application.pk, MATERIALS))
        assert response.status_code == 200
        assert len(response.context["items"]) == items
        counts.append(len(context.captured_queries))

    assert counts[0] == counts[1]
