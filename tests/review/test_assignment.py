"""Groups and assignment: minimum group size after exclusions, balance, specialities."""

import pytest
from django.core.exceptions import ValidationError

from applications.enums import ApplicationState as S
from applications.permissions import VIEW_APPLICATION
from award.models import AuditEntry, Message
from review.enums import Stage
from review.exceptions import ReviewRefused
from review.models import Assignment, Score, Speciality
from review.models.groups import SCORE_ASSIGNMENT
from review.selectors import accepted_without_group, groups_of
from review.services import (
    assignment_auto,
    assignment_create,
    assignment_remove,
    expert_update,
    group_create,
)
from tests.review.factories import ReviewWorld, new_expert

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_assignment_grants_each_member_the_permission_and_tells_them():
    world = ReviewWorld()
    assignment = world.assign()
    for expert in world.experts:
        assert fresh(expert.user).has_perm(SCORE_ASSIGNMENT, assignment)
        # The materials stay closed until the expert declares no conflict.
        assert not fresh(expert.user).has_perm(VIEW_APPLICATION, world.application)
        assert Message.objects.filter(recipient=expert.user, body__contains="利害关系").exists()
    entry = AuditEntry.objects.get(action="review.assignment_create")
    assert entry.after["experts"] == [e.pk for e in world.experts]
    grants = AuditEntry.objects.filter(action="permission.grant", content_type__model="assignment")
    assert sorted(e.after["user"] for e in grants) == sorted(e.user_id for e in world.experts)


def test_min_group_size_counts_after_exclusions():
    world = ReviewWorld()
    expert_update(
        expert=world.experts[4], by=world.agency_user, employer_uscc=world.application.identifier
    )
    with pytest.raises(ReviewRefused) as error:
        world.assign()
    assert error.value.messages == [
        "“第一评审组”回避后可参加评审的专家仅4人，少于评审工作计划要求的5人。"
    ]
    assert not Assignment.objects.exists()


def test_a_leader_who_must_step_aside_blocks_the_group():
    world = ReviewWorld(experts=6)
    expert_update(
        expert=world.experts[0], by=world.agency_user, employer_uscc=world.application.identifier
    )
    with pytest.raises(ReviewRefused) as error:
        world.assign()
    assert error.value.messages == ["“第一评审组”的组长须回避这件申报，请另选评审组或更换组长。"]


def test_one_active_assignment_per_application():
    world = ReviewWorld()
    world.assign()
    with pytest.raises(ReviewRefused) as error:
        world.assign()
    assert error.value.messages == ["该申报已分配评审组；如需更换，请先撤销原分配。"]


def test_only_accepted_or_in_review_applications_are_assigned():
    world = ReviewWorld(units=2)
    world.review_to(S.REVIEW_FAILED)
    with pytest.raises(ReviewRefused) as error:
        assignment_remove(assignment=Assignment.objects.get(), by=world.agency_user, reason="调整")
        world.assign()
    assert error.value.messages == ["该申报当前状态为“评审淘汰”，不能分配评审组。"]


def test_an_expert_sits_in_one_group_per_cycle():
    world = ReviewWorld()
    with pytest.raises(ValidationError) as error:
        group_create(
            cycle=world.cycle,
            name="第二评审组",
            leader=world.experts[0],
            members=[],
            by=world.agency_user,
        )
    assert error.value.message_dict == {
        "members": [f"{world.experts[0].name}已在本届的“第一评审组”中。"]
    }


def test_another_agencys_expert_cannot_join():
    world = ReviewWorld()
    other = ReviewWorld(experts=0)
    stranger = new_expert(other.agency_user)
    with pytest.raises(ValidationError) as error:
        group_create(
            cycle=world.cycle, name="第二评审组", leader=stranger, members=[], by=world.agency_user
        )
    assert error.value.message_dict == {"members": [f"{stranger.name}不是本机构专家库中的专家。"]}


def test_removal_revokes_and_excludes_unsigned_work_then_reassignment_works():
    world = ReviewWorld(units=0, individuals=1)
    world.start()
    world.sign(world.application, Stage.MATERIALS)
    world.score(world.application, Stage.DEFENCE, world.experts[1], 60, submit=False)
    assignment = Assignment.objects.get()
    assignment_remove(assignment=assignment, by=world.agency_user, reason="组长因病不能继续评审")
    assignment.refresh_from_db()
    assert assignment.removed_at is not None
    for expert in world.experts:
        assert not fresh(expert.user).has_perm(SCORE_ASSIGNMENT, assignment)
    # Signed 材料评审 scores stand; the unsigned 陈述答辩 scores are flagged, not deleted.
    assert Score.objects.filter(stage=Stage.MATERIALS, excluded=False).count() == 25
    defence = Score.objects.filter(stage=Stage.DEFENCE)
    assert defence.count() == 5
    assert set(defence.values_list("excluded", flat=True)) == {True}
    with pytest.raises(ValidationError) as error:
        assignment_remove(assignment=assignment, by=world.agency_user, reason=" ")
    assert error.value.message_dict == {"reason": ["请填写撤销分配的原因。"]}
    others = [new_expert(world.agency_user) for _ in range(5)]
    group = group_create(
        cycle=world.cycle, name="第二评审组", leader=others[0], members=others, by=world.agency_user
    )
    new = assignment_create(application=world.application, group=group, by=world.agency_user)
    assert new.pk != assignment.pk and new.is_active


def test_auto_assignment_balances_the_groups():
    world = ReviewWorld(units=4)
    second = [new_expert(world.agency_user) for _ in range(5)]
    group_create(
        cycle=world.cycle, name="第二评审组", leader=second[0], members=second, by=world.agency_user
    )
    result = assignment_auto(cycle=world.cycle, by=world.agency_user)
    assert result.unassignable == []
    assert len(result.assigned) == 4
    assert sorted(g.load for g in groups_of(world.cycle)) == [2, 2]
    assert not accepted_without_group(world.cycle).exists()


def test_auto_assignment_prefers_matching_specialities():
    """A food maker goes to the food experts even though balance alone would pick the first
    group (equal load, lower id); the machinery maker then goes to the machinery experts."""
    world = ReviewWorld(
        units=2, profiles={0: {"industry": "农副食品加工业", "main_products": "乳制品"}}
    )
    machinery = Speciality.objects.get(name="装备制造")
    food = Speciality.objects.get(name="食品农业")
    for expert in world.experts:
        expert_update(expert=expert, by=world.agency_user, specialities=[machinery])
    cooks = [new_expert(world.agency_user, specialities=[food]) for _ in range(5)]
    group_create(
        cycle=world.cycle, name="第二评审组", leader=cooks[0], members=cooks, by=world.agency_user
    )
    result = assignment_auto(cycle=world.cycle, by=world.agency_user)
    assert [(a.application, a.group.name) for a in result.assigned] == [
        (world.applications[0], "第二评审组"),
        (world.applications[1], "第一评审组"),
    ]


def test_auto_assignment_reports_what_cannot_be_assigned():
    world = ReviewWorld(units=2)
    expert_update(
        expert=world.experts[3],
        by=world.agency_user,
        employer_uscc=world.applications[1].identifier,
    )
    result = assignment_auto(cycle=world.cycle, by=world.agency_user)
    assert [a.application for a in result.assigned] == [world.applications[0]]
    assert result.unassignable == [
        (
            world.applications[1],
            "“第一评审组”回避后可参加评审的专家仅4人，少于评审工作计划要求的5人。",
        )
    ]


def test_auto_assignment_without_groups_says_so():
    world = ReviewWorld(experts=0)
    result = assignment_auto(cycle=world.cycle, by=world.agency_user)
    assert result.assigned == []
    assert result.unassignable == [(world.application, "本届尚未组建评审组。")]


def test_an_applicant_withdrawing_ends_the_groups_access():
    """Withdrawal is allowed up to 复核通过, when a group may already hold the application."""
    from applications.services import application_withdraw

    world = ReviewWorld()
    assignment = world.assign()
    application_withdraw(
        application=world.application, by=world.application.applicant, reason="企业重组，暂不参评"
    )
    assignment.refresh_from_db()
    assert assignment.removed_at is not None
    assert assignment.removal_reason == "申报人撤回申报：企业重组，暂不参评"
    for expert in world.experts:
        assert not fresh(expert.user).has_perm(SCORE_ASSIGNMENT, assignment)
    assert AuditEntry.objects.filter(action="review.assignment_remove").count() == 1
    world.application.refresh_from_db()
    assert world.application.state == S.WITHDRAWN
