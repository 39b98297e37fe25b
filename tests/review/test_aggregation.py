"""Stage and final scores computed in the database, checked against sums done by hand.

The individual criteria set has five items worth 20, 25, 25, 15 and 15 points, so an
expert who gives every item p % scores p points out of 100.
"""

from decimal import Decimal

import pytest

from applications.enums import ApplicationState as S
from review.enums import Aggregation, Stage
from review.selectors import ranking, set_totals
from review.selectors.ranking import ranked_scores
from review.services import review_complete, score_correct
from tests.review.factories import ReviewWorld, items_of

pytestmark = pytest.mark.django_db

MATERIALS_CONSENSUS = {"G1": 60, "G2": 70, "G3": 50, "G4": 40, "G5": 80}  # 12+17.5+12.5+6+12


def by_code(table):
    return lambda item: table[item.code]


def row_of(world, application):
    return next(row for row in ranking(world.cycle) if row.pk == application.pk)


def scores_of(rows):
    stages = ("score_materials", "score_site_visit", "score_defence")
    return [
        (row.pk, *(getattr(row, stage) for stage in stages), row.final_score, row.rank)
        for row in rows
    ]


def assert_ranked_scores_agree(cycle, **filters):
    """ranked_scores() works the final score and the rank out in Python: as ranking() does."""
    assert scores_of(ranked_scores(cycle, **filters)) == scores_of(ranking(cycle).filter(**filters))


def test_default_sets_total_1000_and_100():
    world = ReviewWorld(experts=0)
    assert set_totals(world.plan) == {"unit": 1000, "individual": 100}


def test_consensus_rule_by_hand():
    world = ReviewWorld(units=0, individuals=1)
    application = world.start()
    world.pass_checks()
    world.sign(application, Stage.MATERIALS, consensus=by_code(MATERIALS_CONSENSUS))
    world.sign(application, Stage.SITE_VISIT, consensus=50)
    row = row_of(world, application)
    # Signed stages show; the unsigned one and the final score wait.
    assert (row.score_materials, row.score_site_visit, row.score_defence) == (
        Decimal("60.00"),
        Decimal("50.00"),
        None,
    )
    assert row.final_score is None and row.rank is None
    world.sign(application, Stage.DEFENCE, consensus=90)
    review_complete(application=application, by=world.agency_user)
    row = row_of(world, application)
    # 40 % × 60 + 40 % × 50 + 20 % × 90 = 24 + 20 + 18
    assert (row.score_defence, row.final_score, row.final_percent, row.rank) == (
        Decimal("90.00"),
        Decimal("62.00"),
        Decimal("62.00"),
        1,
    )
    assert (row.public_opinion_passed, row.qualification_passed) == (True, True)
    # A correction after sign-off: G4 40 % → 60 % adds 3 points to 材料评审.
    score_correct(
        application=application,
        stage=Stage.MATERIALS,
        criterion=next(i for i in items_of(application) if i.code == "G4"),
        percentage=60,
        reason="合议记录誊录错误",
        by=world.leader.user,
    )
    row = row_of(world, application)
    assert (row.score_materials, row.final_score, row.corrections) == (
        Decimal("63.00"),
        Decimal("63.20"),
        1,
    )


def test_trimmed_mean_rule_by_hand():
    world = ReviewWorld(units=0, individuals=1, plan={"aggregation": Aggregation.TRIMMED_MEAN})
    application = world.start()
    world.pass_checks()
    # The consensus (10 %) does not count under this rule; the experts' totals do.
    world.sign(application, Stage.MATERIALS, scores=[30, 50, 60, 70, 95], consensus=10)
    world.sign(application, Stage.SITE_VISIT, scores=[40, 40, 50, 60, 60], consensus=10)
    world.sign(application, Stage.DEFENCE, scores=[85, 90, 90, 95, 100], consensus=10)
    row = row_of(world, application)
    # (50 + 60 + 70) / 3, (40 + 50 + 60) / 3, (90 + 90 + 95) / 3
    assert (row.score_materials, row.score_site_visit, row.score_defence) == (
        Decimal("60.00"),
        Decimal("50.00"),
        Decimal("91.67"),
    )
    # 0.4 × 60 + 0.4 × 50 + 0.2 × 91.67 = 62.334
    assert row.final_score == Decimal("62.33")
    # The expert who gave 50 % has G1 corrected to 100 %: +10, a total of 60.
    expert = world.live()[1]
    score_correct(
        application=application,
        stage=Stage.MATERIALS,
        criterion=items_of(application)[0],
        percentage=100,
        reason="选错档次，经本人确认",
        by=world.leader.user,
        expert=expert,
    )
    row = row_of(world, application)
    # Totals 30, 60, 60, 70, 95 → (60 + 60 + 70) / 3 = 63.33
    assert row.score_materials == Decimal("63.33")
    assert row.final_score == Decimal("63.67")  # 25.332 + 20 + 18.334
    assert_ranked_scores_agree(world.cycle)


def test_ranking_within_each_kind_and_minimums():
    world = ReviewWorld(
        units=1,
        individuals=3,
        plan={"award_min_percent": 60, "nomination_min_percent": 55},
    )
    unit, low, high, failed = world.applications
    for application, consensus in ((low, 50), (high, 80), (unit, 55)):
        world.start(application)
        world.pass_checks(application)
        for stage in (Stage.MATERIALS, Stage.SITE_VISIT, Stage.DEFENCE):
            world.sign(application, stage, consensus=consensus)
    world.review_to(S.REVIEW_FAILED, failed)
    rows = list(ranking(world.cycle))
    summary = [
        (row.name, row.kind, row.final_score, row.final_percent, row.rank, row.meets_award_minimum)
        for row in rows
    ]
    assert summary == [
        (high.name, "individual", Decimal("80.00"), Decimal("80.00"), 1, True),
        (low.name, "individual", Decimal("50.00"), Decimal("50.00"), 2, False),
        (failed.name, "individual", None, None, None, None),
        (unit.name, "unit", Decimal("550.00"), Decimal("55.00"), 1, False),
    ]
    assert [row.meets_nomination_minimum for row in rows] == [True, False, None, True]
    assert rows[2].public_opinion_passed is False
    assert_ranked_scores_agree(world.cycle)
    assert_ranked_scores_agree(world.cycle, state=S.IN_REVIEW)
    assert_ranked_scores_agree(world.cycle, pk=low.pk)


def test_ranking_takes_the_same_queries_for_one_or_many(django_assert_num_queries):
    small = ReviewWorld(units=0, individuals=1)
    small.review_to(S.REVIEWED)
    with django_assert_num_queries(4):
        assert len(list(ranking(small.cycle))) == 1
    large = ReviewWorld(units=0, individuals=3)
    for application in large.applications:
        large.review_to(S.REVIEWED, application)
    with django_assert_num_queries(4):
        rows = list(ranking(large.cycle))
    assert [row.final_score for row in rows] == [Decimal("50.00")] * 3
    assert [row.rank for row in rows] == [1, 1, 1]
    with django_assert_num_queries(3):
        listed = ranked_scores(large.cycle)
    assert scores_of(listed) == scores_of(rows)
