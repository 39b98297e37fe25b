"""Scoring an item: the bands, the points, who may, when, and two saves at once."""

import hashlib
import json
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections

from applications.enums import ApplicationState as S
from award.models import AuditEntry
from review.enums import Stage
from review.exceptions import NotAssigned, ReviewRefused
from review.models import Criterion, Score
from review.scoring import BANDS, PERCENTAGES, band_of, clean_percentage, item_points
from review.selectors import band_descriptors, stage_scores_for
from review.services import conflict_declare, score_save, stage_submit
from tests.review.factories import ReviewWorld, items_of

BAND_MESSAGE = (
    "评分比例须为0%～100%之间5的整数倍，落在六个评分档之一：0–5%、10–25%、30–45%、"
    "50–65%、70–85%、90–100%。"
)


def save(world, percentage, *, expert=None, criterion=None, stage=Stage.MATERIALS, app=None):
    application = app or world.application
    return score_save(
        application=application,
        stage=stage,
        by=(expert or world.experts[1]).user,
        criterion=criterion or items_of(application)[0],
        percentage=percentage,
        strengths="方针目标清晰",
        opportunities="展开不够充分",
    )


@pytest.fixture
def world(db):
    world = ReviewWorld()
    world.start()
    return world


def test_bands_are_the_six_of_the_standard():
    assert [(b.low, b.high) for b in BANDS] == [
        (0, 5),
        (10, 25),
        (30, 45),
        (50, 65),
        (70, 85),
        (90, 100),
    ]
    assert tuple(range(0, 101, 5)) == PERCENTAGES
    assert band_of(35).label == "30%–45%"
    assert band_of(5).choices == [0, 5]


def test_band_descriptors_differ_for_process_and_result_items():
    process = band_descriptors("process")
    result = band_descriptors("result")
    assert [row["label"] for row in process] == [b.label for b in BANDS]
    assert process[0]["descriptor"].startswith("没有系统的方法")
    assert result[0]["descriptor"].startswith("没有描述结果")
    assert process[3]["choices"] == [50, 55, 60, 65]


@pytest.mark.parametrize(
    ("value", "expected"), [(0, 0), (5, 5), ("35", 35), (Decimal("90"), 90), (100, 100)]
)
def test_clean_percentage_accepts_the_steps(value, expected):
    assert clean_percentage(value) == expected


@pytest.mark.parametrize("value", [7, 105, -5, 7.5, "abc", "", None, True, Decimal("12.5"), 110])
def test_clean_percentage_refuses_everything_else(value):
    with pytest.raises(ValidationError) as error:
        clean_percentage(value)
    assert error.value.message_dict == {"percentage": [BAND_MESSAGE]}


@pytest.mark.parametrize(
    ("percentage", "points", "expected"),
    [(35, 50, "17.50"), (100, 15, "15.00"), (0, 60, "0.00"), (55, 25, "13.75")],
)
def test_item_points(percentage, points, expected):
    assert item_points(percentage, points) == Decimal(expected)


@pytest.mark.parametrize("value", [7, 105, -5, 12.5, "abc"])
def test_score_outside_the_bands_is_refused(world, value):
    with pytest.raises(ValidationError) as error:
        save(world, value)
    assert error.value.message_dict == {"percentage": [BAND_MESSAGE]}
    assert not Score.objects.exists()


def test_points_follow_the_item_and_never_exceed_it(world):
    item = Criterion.objects.get(criteria_set=world.plan.unit_criteria, code="4.1.2")
    score = save(world, 35, criterion=item)
    assert (score.percentage, score.points) == (35, Decimal("17.50"))
    top = save(world, 100, criterion=item)
    assert top.points == Decimal("50.00") == item.points
    with pytest.raises(ValidationError):
        save(world, 105, criterion=item)
    assert Score.objects.get(criterion=item).points == Decimal("50.00")


def test_a_category_row_or_another_sets_item_is_refused(world):
    category = Criterion.objects.get(criteria_set=world.plan.unit_criteria, code="4.1")
    foreign = Criterion.objects.get(criteria_set=world.plan.individual_criteria, code="G1")
    for criterion in (category, foreign):
        with pytest.raises(ValidationError) as error:
            save(world, 50, criterion=criterion)
        assert error.value.message_dict == {
            "criterion": ["该评分项不属于本届评审使用的评分标准，或是只汇总分值的类目。"]
        }


def test_saving_again_replaces_the_score(world):
    first = save(world, 40)
    second = save(world, 60)
    assert first.pk == second.pk
    row = Score.objects.get()
    assert (row.percentage, row.points, row.strengths) == (60, Decimal("30.00"), "方针目标清晰")
    entries = AuditEntry.objects.filter(action="review.score_save").order_by("pk")
    assert [e.before for e in entries] == [None, {"percentage": 40}]
    assert entries.last().after["percentage"] == 60


def test_invisible_characters_in_a_comment_are_refused(world):
    item = items_of(world.application)[0]
    with pytest.raises(ValidationError) as error:
        score_save(
            application=world.application,
            stage=Stage.MATERIALS,
            by=world.experts[1].user,
            criterion=item,
            percentage=55,
            strengths="方针\u200b目标清晰",
            opportunities="第一行\n第二行",  # line breaks are fine in a comment
        )
    assert error.value.message_dict == {
        "strengths": [
            "优势中含有不可见的控制字符（第3个字符处），常见于从网页或文档复制的内容，"
            "请删除后重新填写。"
        ]
    }
    assert not Score.objects.exists()


def test_text_only_saves_are_not_audited_one_by_one(world):
    """Autosave while typing a comment writes no entry; a changed percentage does."""
    item = items_of(world.application)[0]
    expert = world.experts[1].user
    for text in ("过程", "过程清晰", "过程清晰，展开充分"):
        score_save(
            application=world.application,
            stage=Stage.MATERIALS,
            by=expert,
            criterion=item,
            percentage=55,
            strengths=text,
        )
    assert Score.objects.get().strengths == "过程清晰，展开充分"
    assert AuditEntry.objects.filter(action="review.score_save").count() == 1
    save(world, 60)
    assert AuditEntry.objects.filter(action="review.score_save").count() == 2


def test_scoring_an_unassigned_application_is_not_found(world):
    other = ReviewWorld()
    with pytest.raises(NotAssigned):
        save(world, 50, app=other.application)


def test_scoring_before_declaring_is_refused(db):
    world = ReviewWorld()
    world.assign()
    world.declare_all()
    from review.services import review_start

    review_start(application=world.application, by=world.agency_user)
    late = world.experts[1]
    # Declarations were made; a fresh group member added later has not declared yet.
    from review.services import group_member_add
    from tests.review.factories import new_expert

    newcomer = new_expert(world.agency_user)
    group_member_add(group=world.group, expert=newcomer, by=world.agency_user)
    with pytest.raises(ReviewRefused) as error:
        save(world, 50, expert=newcomer)
    assert error.value.messages == [
        "请先声明与该申报主体有无利害关系，再查看材料和评分（第二十条）。"
    ]
    assert save(world, 50, expert=late).percentage == 50


def test_a_conflicted_expert_is_refused(world):
    expert = world.experts[2]
    conflict_declare(
        application=world.application,
        by=expert.user,
        has_conflict=True,
        relationship="本人配偶在该单位任职",
    )
    with pytest.raises(NotAssigned):
        save(world, 50, expert=expert)


def test_scoring_after_submitting_is_refused(db):
    world = ReviewWorld(units=0, individuals=1)
    world.start()
    expert = world.experts[1]
    world.score(world.application, Stage.MATERIALS, expert, 50)
    with pytest.raises(ReviewRefused) as error:
        save(world, 70, expert=expert)
    assert error.value.messages == ["您已提交材料评审的评分，不能再修改。"]


def test_scoring_after_sign_off_is_refused(db):
    world = ReviewWorld(units=0, individuals=1)
    world.start()
    world.sign(world.application, Stage.MATERIALS)
    with pytest.raises(ReviewRefused) as error:
        save(world, 70, expert=world.experts[1])
    assert error.value.messages == [
        "材料评审已由组长签字确认，评分已锁定；如需更正，请由组长提出更正并说明原因。"
    ]


def test_a_stage_outside_the_plan_is_refused(db):
    world = ReviewWorld(
        units=0,
        individuals=1,
        plan={"materials_weight": 60, "site_visit_weight": 0, "defence_weight": 40},
    )
    world.start()
    with pytest.raises(ValidationError) as error:
        save(world, 50, stage=Stage.SITE_VISIT)
    assert error.value.message_dict == {"stage": ["本届评审工作计划中没有需要评分的这一环节。"]}
    with pytest.raises(ValidationError):
        save(world, 50, stage=Stage.PUBLIC_OPINION)


def test_submit_needs_every_item(world):
    expert = world.experts[1]
    items = items_of(world.application)
    for item in items[:20]:
        save(world, 50, expert=expert, criterion=item)
    with pytest.raises(ReviewRefused) as error:
        stage_submit(application=world.application, stage=Stage.MATERIALS, by=expert.user)
    assert error.value.messages == ["尚有3个评分项未评分：4.7.5、4.7.6、4.7.7。"]
    for item in items[20:]:
        save(world, 50, expert=expert, criterion=item)
    submission = stage_submit(application=world.application, stage=Stage.MATERIALS, by=expert.user)
    assert submission.expert == expert
    entry = AuditEntry.objects.get(action="review.stage_submit")
    digest = entry.after.pop("sheet_sha256")
    assert entry.after == {"stage": "materials", "expert": expert.pk, "total": "500.00"}
    # The digest covers every item's percentage and texts as handed in.
    rows = sorted([item.code, 50, "方针目标清晰", "展开不够充分"] for item in items)
    canonical = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    assert digest == hashlib.sha256(canonical.encode()).hexdigest()


def test_others_scores_show_only_after_submitting(db):
    world = ReviewWorld(units=0, individuals=1)
    world.start()
    me, other = world.experts[1], world.experts[2]
    world.score(world.application, Stage.MATERIALS, other, 80)
    world.score(world.application, Stage.MATERIALS, me, 40, submit=False)

    def seen():
        rows = stage_scores_for(world.application, Stage.MATERIALS, me.user)
        return {(row.expert_id, row.percentage) for row in rows}

    assert seen() == {(me.pk, 40)}
    stage_submit(application=world.application, stage=Stage.MATERIALS, by=me.user)
    assert seen() == {(me.pk, 40), (other.pk, 80)}
    # A third member still drafting: their scores stay hidden from me until they submit.
    drafting = world.experts[3]
    world.score(world.application, Stage.MATERIALS, drafting, 60, submit=False)
    assert seen() == {(me.pk, 40), (other.pk, 80)}
    stage_submit(application=world.application, stage=Stage.MATERIALS, by=drafting.user)
    assert seen() == {(me.pk, 40), (other.pk, 80), (drafting.pk, 60)}
    outsider_rows = stage_scores_for(world.application, Stage.MATERIALS, world.county_user)
    assert list(outsider_rows) == []
    assert stage_scores_for(world.application, Stage.MATERIALS, world.agency_user).count() == 15


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_item_at_once_leave_one_row():
    world = ReviewWorld()
    world.start()
    expert = world.experts[1]
    item = items_of(world.application)[0]
    barrier = threading.Barrier(2)
    errors = []

    def worker(percentage):
        try:
            barrier.wait()
            score_save(
                application=world.application,
                stage=Stage.MATERIALS,
                by=expert.user,
                criterion=item,
                percentage=percentage,
            )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker, args=(p,)) for p in (40, 90)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = Score.objects.filter(application=world.application, expert=expert, criterion=item)
    assert rows.count() == 1
    entries = list(AuditEntry.objects.filter(action="review.score_save").order_by("pk"))
    assert len(entries) == 2
    # The last write wins: the row holds what the second entry recorded.
    assert entries[0].before is None
    assert entries[1].before == {"percentage": entries[0].after["percentage"]}
    assert rows.get().percentage == entries[1].after["percentage"]


@pytest.mark.django_db(transaction=True)
def test_two_experts_saving_the_same_item_at_once_keep_their_own_rows():
    world = ReviewWorld()
    world.start()
    item = items_of(world.application)[0]
    barrier = threading.Barrier(2)
    errors = []

    def worker(expert, percentage):
        try:
            barrier.wait()
            score_save(
                application=world.application,
                stage=Stage.MATERIALS,
                by=expert.user,
                criterion=item,
                percentage=percentage,
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    pairs = [(world.experts[1], 45), (world.experts[2], 75)]
    threads = [threading.Thread(target=worker, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(Score.objects.values_list("expert_id", "percentage")) == {
        (world.experts[1].pk, 45),
        (world.experts[2].pk, 75),
    }


def test_review_failed_application_cannot_be_scored(db):
    world = ReviewWorld(units=0, individuals=1)
    application = world.review_to(S.REVIEW_FAILED)
    with pytest.raises(ReviewRefused):
        save(world, 50, app=application)
