"""The leader's consensus, signing a stage, and corrections after it (组长负责制, §9)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from applications.enums import ApplicationState as S
from award.models import AuditEntry
from review.enums import Stage
from review.exceptions import NotAssigned, ReviewRefused
from review.models import ConsensusScore, Score, ScoreCorrection, StageSignOff
from review.selectors import consensus_spread
from review.services import consensus_save, score_correct, stage_sign
from tests.review.factories import ReviewWorld, items_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = ReviewWorld(units=0, individuals=1)
    world.start()
    return world


def agree_one(world, percentage=60, by=None, criterion=None):
    return consensus_save(
        application=world.application,
        stage=Stage.MATERIALS,
        criterion=criterion or items_of(world.application)[0],
        percentage=percentage,
        strengths="质量意识强",
        opportunities="创新成果推广不足",
        by=(by or world.leader).user,
    )


def test_consensus_waits_for_every_submission(world):
    live = world.live()
    for expert in live[:4]:
        world.score(world.application, Stage.MATERIALS, expert, 50)
    with pytest.raises(ReviewRefused) as error:
        agree_one(world)
    assert error.value.messages == [f"尚有专家未提交材料评审的独立评分：{live[4].name}。"]


def test_only_the_leader_records_consensus(world):
    world.score_all(world.application, Stage.MATERIALS, [50] * 5)
    with pytest.raises(NotAssigned):
        agree_one(world, by=world.experts[1])
    row = agree_one(world, 60)
    again = agree_one(world, 65)
    assert row.pk == again.pk
    assert (ConsensusScore.objects.get().percentage, ConsensusScore.objects.get().points) == (
        65,
        Decimal("13.00"),
    )


def test_consensus_refuses_a_score_outside_the_bands(world):
    world.score_all(world.application, Stage.MATERIALS, [50] * 5)
    with pytest.raises(ValidationError):
        agree_one(world, 33)


def test_the_spread_shows_the_experts_range(world):
    world.score_all(world.application, Stage.MATERIALS, [30, 50, 50, 70, 100])
    agree_one(world, 55)
    rows = consensus_spread(world.application, Stage.MATERIALS)
    assert [row["criterion"].code for row in rows] == ["G1", "G2", "G3", "G4", "G5"]
    first = rows[0]
    assert (first["low"], first["high"], first["mean"], first["experts"]) == (
        30,
        100,
        Decimal("60.0"),
        5,
    )
    assert (first["consensus_percentage"], first["consensus_points"]) == (55, Decimal("11.00"))
    assert rows[1]["consensus_percentage"] is None


def test_signing_with_missing_scores_is_refused(world):
    live = world.live()
    for expert in live[1:]:
        world.score(world.application, Stage.MATERIALS, expert, 50)
    with pytest.raises(ReviewRefused) as error:
        stage_sign(application=world.application, stage=Stage.MATERIALS, by=world.leader.user)
    assert error.value.messages == [f"尚有专家未提交材料评审的独立评分：{live[0].name}。"]
    assert not StageSignOff.objects.exists()


def test_signing_with_missing_consensus_is_refused(world):
    world.score_all(world.application, Stage.MATERIALS, [50] * 5)
    agree_one(world)
    with pytest.raises(ReviewRefused) as error:
        stage_sign(application=world.application, stage=Stage.MATERIALS, by=world.leader.user)
    assert error.value.messages == ["尚有4个评分项未形成合议分：G2、G3、G4、G5。"]


def test_site_visit_needs_its_record_before_signing(world):
    world.score_all(world.application, Stage.SITE_VISIT, [50] * 5)
    world.agree(world.application, Stage.SITE_VISIT, 50)
    with pytest.raises(ReviewRefused) as error:
        stage_sign(application=world.application, stage=Stage.SITE_VISIT, by=world.leader.user)
    assert error.value.messages == ["请先记录现场评审的日期和发现的问题。"]
    world.visit(world.application)
    sign_off = stage_sign(
        application=world.application, stage=Stage.SITE_VISIT, by=world.leader.user
    )
    assert sign_off.signed_by == world.leader


def test_signing_locks_the_stage(world):
    world.sign(world.application, Stage.MATERIALS)
    entry = AuditEntry.objects.get(action="review.stage_sign")
    assert entry.after["consensus_total"] == "50.00"
    with pytest.raises(ReviewRefused):
        agree_one(world, 90)
    with pytest.raises(ReviewRefused):
        stage_sign(application=world.application, stage=Stage.MATERIALS, by=world.leader.user)


def test_a_correction_is_a_new_row_never_an_overwrite(world):
    world.sign(world.application, Stage.MATERIALS, consensus=50)
    item = items_of(world.application)[0]
    original = ConsensusScore.objects.get(criterion=item)
    correction = score_correct(
        application=world.application,
        stage=Stage.MATERIALS,
        criterion=item,
        percentage=70,
        reason="合议记录誊录错误，应为70%",
        by=world.leader.user,
    )
    assert (correction.previous_percentage, correction.percentage, correction.delta) == (
        50,
        70,
        Decimal("4.00"),
    )
    original.refresh_from_db()
    assert (original.percentage, original.points) == (50, Decimal("10.00"))
    second = score_correct(
        application=world.application,
        stage=Stage.MATERIALS,
        criterion=item,
        percentage=65,
        reason="复核后调整",
        by=world.leader.user,
    )
    assert (second.previous_percentage, second.delta) == (70, Decimal("-1.00"))
    entries = AuditEntry.objects.filter(action="review.score_correct").order_by("pk")
    assert [(e.before["percentage"], e.after["percentage"], e.reason) for e in entries] == [
        (50, 70, "合议记录誊录错误，应为70%"),
        (70, 65, "复核后调整"),
    ]


def test_a_correction_needs_a_reason_a_signed_stage_and_the_leader(world):
    item = items_of(world.application)[0]
    with pytest.raises(ValidationError) as error:
        score_correct(
            application=world.application,
            stage=Stage.MATERIALS,
            criterion=item,
            percentage=70,
            reason="",
            by=world.leader.user,
        )
    assert error.value.message_dict == {"reason": ["请填写更正原因。"]}
    with pytest.raises(ReviewRefused) as error:
        score_correct(
            application=world.application,
            stage=Stage.MATERIALS,
            criterion=item,
            percentage=70,
            reason="更正",
            by=world.leader.user,
        )
    assert error.value.messages == ["材料评审尚未签字确认，请直接修改合议分，无需更正。"]
    world.sign(world.application, Stage.MATERIALS)
    with pytest.raises(NotAssigned):
        score_correct(
            application=world.application,
            stage=Stage.MATERIALS,
            criterion=item,
            percentage=70,
            reason="更正",
            by=world.experts[2].user,
        )
    assert not ScoreCorrection.objects.exists()


def test_an_experts_item_may_be_corrected_too(world):
    world.sign(world.application, Stage.MATERIALS, scores=[40, 50, 50, 60, 70])
    expert = world.live()[0]
    item = items_of(world.application)[1]
    correction = score_correct(
        application=world.application,
        stage=Stage.MATERIALS,
        criterion=item,
        percentage=80,
        reason="该专家打分时选错档次，经本人确认",
        by=world.leader.user,
        expert=expert,
    )
    original = Score.objects.get(expert=expert, criterion=item)
    assert (correction.previous_percentage, original.percentage) == (40, 40)
    assert correction.delta == Decimal("10.00")


def test_corrections_stop_once_review_is_over():
    world = ReviewWorld(units=0, individuals=1)
    world.review_to(S.REVIEWED)
    from award.services.cycles import cycle_transition

    cycle_transition(cycle=world.cycle, name="begin_deliberation", by=world.office)
    with pytest.raises(ReviewRefused) as error:
        score_correct(
            application=world.application,
            stage=Stage.MATERIALS,
            criterion=items_of(world.application)[0],
            percentage=70,
            reason="更正",
            by=world.leader.user,
        )
    assert error.value.messages == ["专家评审已经结束，不能再更正评分。"]
