"""The review plan: defaults, validation, who writes it, and the freeze when review starts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from award.enums import ApplicantKind, Role
from award.models import AuditEntry
from review.enums import Aggregation
from review.models import CriteriaSet, ReviewPlan
from review.services import review_plan_save
from tests.factories import make_user
from tests.review.factories import ReviewWorld, other_agency_user

pytestmark = pytest.mark.django_db


def test_defaults():
    world = ReviewWorld(experts=0)
    plan = world.plan
    assert (plan.materials_weight, plan.site_visit_weight, plan.defence_weight) == (40, 40, 20)
    assert (plan.min_group_size, plan.aggregation) == (5, Aggregation.CONSENSUS)
    assert plan.unit_criteria == CriteriaSet.objects.get(kind="unit", is_default=True)
    assert plan.individual_criteria == CriteriaSet.objects.get(kind="individual", is_default=True)
    assert (plan.award_min_percent, plan.nomination_min_percent, plan.frozen_at) == (
        None,
        None,
        None,
    )
    assert AuditEntry.objects.get(action="review.plan_create").article == "第八条第（一）项"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"materials_weight": 50},
            {"materials_weight": ["材料评审、现场评审、陈述答辩的权重之和须为100%，现为110%。"]},
        ),
        (
            {"min_group_size": 2},
            {
                "min_group_size": [
                    "评审组至少需要3名专家：去掉一个最高分和一个最低分后仍须有专家的评分。"
                ]
            },
        ),
        (
            {"defence_weight": 120, "materials_weight": 0, "site_visit_weight": 0},
            {
                "defence_weight": ["权重须在0%～100%之间。"],
                "materials_weight": ["材料评审、现场评审、陈述答辩的权重之和须为100%，现为120%。"],
            },
        ),
        (
            {"award_min_percent": 50, "nomination_min_percent": 60},
            {"nomination_min_percent": ["提名奖最低得分率不能高于市长质量奖最低得分率。"]},
        ),
        (
            {"unit_criteria_kind": ApplicantKind.INDIVIDUAL},
            {"unit_criteria": ["请选择适用于申报单位的评分标准。"]},
        ),
    ],
)
def test_bad_plans_are_refused(fields, errors):
    world = ReviewWorld(experts=0)
    if "unit_criteria_kind" in fields:
        fields = {"unit_criteria": CriteriaSet.objects.get(kind=fields.pop("unit_criteria_kind"))}
    with pytest.raises(ValidationError) as error:
        review_plan_save(cycle=world.cycle, by=world.agency_user, **fields)
    assert error.value.message_dict == errors
    assert ReviewPlan.objects.get().materials_weight == 40


def test_weights_may_drop_a_stage_and_are_audited():
    world = ReviewWorld(experts=0)
    plan = review_plan_save(
        cycle=world.cycle,
        by=world.office,
        materials_weight=60,
        site_visit_weight=0,
        defence_weight=40,
    )
    assert plan.required_scored_stages == ["materials", "defence"]
    entry = AuditEntry.objects.get(action="review.plan_update")
    assert entry.before == {"materials_weight": 40, "site_visit_weight": 40, "defence_weight": 20}
    assert entry.after == {"materials_weight": 60, "site_visit_weight": 0, "defence_weight": 40}


@pytest.mark.parametrize(
    "role", [Role.COUNTY, Role.EXPERT, Role.APPLICANT, Role.AUDITOR, Role.LEADER]
)
def test_who_may_write_the_plan(role):
    world = ReviewWorld(experts=0)
    for by in (make_user(role), other_agency_user()):
        with pytest.raises(PermissionDenied):
            review_plan_save(cycle=world.cycle, by=by, min_group_size=7)


def test_the_plan_freezes_when_review_starts():
    world = ReviewWorld(units=0, individuals=1)
    world.start()
    plan = ReviewPlan.objects.get()
    assert plan.frozen_at is not None
    with pytest.raises(ValidationError) as error:
        review_plan_save(cycle=world.cycle, by=world.agency_user, min_group_size=7)
    (message,) = error.value.messages
    assert message.startswith("评审工作计划已于")
    assert message.endswith(
        "随专家评审开始而冻结，环节权重、计分规则、评分标准等均不能再修改（第二十条）。"
    )
    with pytest.raises(ValidationError):
        review_plan_save(cycle=world.cycle, by=world.office, defence_weight=20)
    assert AuditEntry.objects.filter(action="review.plan_freeze").count() == 1
