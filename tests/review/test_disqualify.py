"""第二十二条: a disqualified expert's open work is excluded and the applications flagged."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.permissions import VIEW_APPLICATION
from award.models import AuditEntry, Message
from review.enums import Stage
from review.exceptions import NotAssigned, ReviewRefused
from review.models import ConsensusScore, Score, StageSubmission
from review.models.groups import SCORE_ASSIGNMENT
from review.selectors import applications_needing_reassignment
from review.selectors.pool import active_assignment
from review.services import (
    expert_disqualify,
    group_leader_set,
    group_member_add,
    score_save,
)
from tests.review.factories import ReviewWorld, items_of, new_expert, other_agency_user

pytestmark = pytest.mark.django_db

REASON = "收受申报单位礼金，经查属实"


def fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def world():
    """Two applications in review; 材料评审 of the first signed, 陈述答辩 under way."""
    world = ReviewWorld(units=0, individuals=2)
    first, second = world.applications
    world.start(first)
    world.start(second)
    world.sign(first, Stage.MATERIALS)
    world.score_all(first, Stage.DEFENCE, [60] * 5)
    world.agree(first, Stage.DEFENCE, 60)
    world.score(second, Stage.MATERIALS, world.experts[2], 70, submit=False)
    return world


def test_disqualification_excludes_open_work_and_flags_the_applications(world):
    first, second = world.applications
    expert = world.experts[2]
    expert_disqualify(expert=expert, by=world.agency_user, reason=REASON)
    expert.refresh_from_db()
    assert expert.is_disqualified and expert.disqualification_reason == REASON
    for application in (first, second):
        assignment = active_assignment(application)
        user = fresh(expert.user)
        assert not user.has_perm(SCORE_ASSIGNMENT, assignment)
        assert not user.has_perm(VIEW_APPLICATION, application)
    # Signed 材料评审 of the first stands; everything unsigned is flagged, nothing deleted.
    signed = Score.objects.filter(application=first, stage=Stage.MATERIALS, expert=expert)
    assert set(signed.values_list("excluded", flat=True)) == {False}
    open_rows = Score.objects.filter(expert=expert).exclude(
        application=first, stage=Stage.MATERIALS
    )
    assert open_rows.count() == 10
    assert set(open_rows.values_list("excluded", "excluded_reason")) == {(True, REASON)}
    assert StageSubmission.objects.get(
        application=first, stage=Stage.DEFENCE, expert=expert
    ).excluded
    assert set(
        ConsensusScore.objects.filter(application=first, stage=Stage.DEFENCE).values_list(
            "excluded", flat=True
        )
    ) == {True}
    assert not ConsensusScore.objects.filter(
        application=first, stage=Stage.MATERIALS, excluded=True
    ).exists()
    flagged = applications_needing_reassignment(world.cycle)
    assert [a.application for a in flagged] == [first, second]
    assert flagged[0].needs_reassignment == (
        "回避或取消资格后评审专家仅剩4人，少于评审工作计划要求的5人。"
        f"专家{expert.name}被取消评审资格（第二十二条），请核查并重新分配。"
    )
    entry = AuditEntry.objects.get(action="review.expert_disqualify")
    assert (entry.reason, entry.article) == (REASON, "第二十二条")
    assert Message.objects.filter(recipient=expert.user, subject="关于取消评审资格的通知").exists()
    assert Message.objects.filter(recipient=world.agency_user, body__contains="需重新分配").exists()


def test_a_disqualified_expert_cannot_score(world):
    expert = world.experts[2]
    expert_disqualify(expert=expert, by=world.office, reason=REASON)
    with pytest.raises(NotAssigned):
        score_save(
            application=world.applications[1],
            stage=Stage.MATERIALS,
            by=expert.user,
            criterion=items_of(world.applications[1])[0],
            percentage=50,
        )


def test_who_may_disqualify(world):
    expert = world.experts[1]
    for by in (other_agency_user(), world.county_user, world.experts[0].user):
        with pytest.raises(PermissionDenied):
            expert_disqualify(expert=expert, by=by, reason=REASON)
    with pytest.raises(ValidationError) as error:
        expert_disqualify(expert=expert, by=world.office, reason="  ")
    assert error.value.message_dict == {"reason": ["请填写取消评审资格的事实和理由。"]}
    expert_disqualify(expert=expert, by=world.office, reason=REASON)
    with pytest.raises(ReviewRefused) as error:
        expert_disqualify(expert=expert, by=world.agency_user, reason=REASON)
    assert error.value.messages == ["该专家已被取消评审资格。"]


def test_a_new_member_and_leader_lift_the_flag(world):
    leader = world.leader
    expert_disqualify(expert=leader, by=world.agency_user, reason=REASON)
    second = world.applications[1]
    assert "评审组组长已回避或被取消资格" in active_assignment(second).needs_reassignment
    newcomer = new_expert(world.agency_user)
    group_member_add(group=world.group, expert=newcomer, by=world.agency_user)
    assert active_assignment(second).needs_reassignment != ""  # still no leader
    group_leader_set(group=world.group, expert=world.experts[1], by=world.agency_user)
    assert list(applications_needing_reassignment(world.cycle)) == []
    assert fresh(newcomer.user).has_perm(SCORE_ASSIGNMENT, active_assignment(second))
