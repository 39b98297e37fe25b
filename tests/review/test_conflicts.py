"""回避: automatic exclusion by the rules, declarations before seeing, every exclusion recorded."""

import pytest
from django.core.exceptions import ValidationError

from applications.models import Application
from applications.permissions import VIEW_APPLICATION, can_view
from award.models import AuditEntry, Message
from review.enums import ExclusionSource, Stage
from review.exceptions import NotAssigned, ReviewRefused
from review.models import ConflictDeclaration, Exclusion, Score
from review.models.groups import SCORE_ASSIGNMENT
from review.selectors.pool import active_assignment, potential_conflicts
from review.services import (
    assignment_create,
    conflict_declare,
    expert_update,
    group_create,
    review_plan_save,
    score_save,
)
from tests.factories import county
from tests.review.factories import ReviewWorld, items_of, new_expert

pytestmark = pytest.mark.django_db


def _sixth_group(world, **expert_fields):
    """A second group: five plain experts plus one built with `expert_fields`."""
    odd = new_expert(world.agency_user, **expert_fields)
    others = [new_expert(world.agency_user) for _ in range(5)]
    group = group_create(
        cycle=world.cycle,
        name="第二评审组",
        leader=others[0],
        members=[*others, odd],
        by=world.agency_user,
    )
    return group, odd


def test_same_uscc_excludes_automatically():
    world = ReviewWorld()
    group, odd = _sixth_group(world, employer_uscc=world.application.identifier)
    assignment = assignment_create(application=world.application, group=group, by=world.agency_user)
    exclusion = Exclusion.objects.get()
    assert (exclusion.expert, exclusion.source, exclusion.reason) == (
        odd,
        ExclusionSource.AUTO,
        "专家工作单位的统一社会信用代码与申报单位相同。",
    )
    assert not odd.user.has_perm(SCORE_ASSIGNMENT, assignment)
    assert {e.pk for e in world.live()} == {e.pk for e in group.members.all()} - {odd.pk}
    entry = AuditEntry.objects.get(action="review.exclusion")
    assert (entry.reason, entry.article, entry.after["source"]) == (
        exclusion.reason,
        "第二十条",
        "auto",
    )
    with pytest.raises(NotAssigned):
        conflict_declare(application=world.application, by=odd.user, has_conflict=False)
    world.declare_all()
    from review.services import review_start

    review_start(application=world.application, by=world.agency_user)
    with pytest.raises(NotAssigned):
        score_save(
            application=world.application,
            stage=Stage.MATERIALS,
            by=odd.user,
            criterion=items_of(world.application)[0],
            percentage=50,
        )


def test_same_unit_name_excludes_automatically():
    world = ReviewWorld()
    name = world.application.name.replace("有限公司", " 有限公司")
    group, _odd = _sixth_group(world, employer=name, employer_uscc="")
    assignment_create(application=world.application, group=group, by=world.agency_user)
    assert Exclusion.objects.get().reason == "专家工作单位与申报单位名称相同。"


def test_individual_employer_excludes_automatically():
    world = ReviewWorld(units=0, individuals=1)
    employer = world.application.applicant.individual_profile.employer
    group, odd = _sixth_group(world, employer=employer)
    assignment_create(application=world.application, group=group, by=world.agency_user)
    assert Exclusion.objects.get().expert == odd
    assert Exclusion.objects.get().reason == "专家工作单位与申报个人的工作单位相同。"


def test_same_county_excludes_only_when_the_plan_says_so():
    world = ReviewWorld()
    group, _odd = _sixth_group(world, county=county("371302"))
    assignment = assignment_create(application=world.application, group=group, by=world.agency_user)
    assert not Exclusion.objects.exists()
    from review.services import assignment_remove

    assignment_remove(assignment=assignment, by=world.agency_user, reason="调整分组")
    review_plan_save(cycle=world.cycle, by=world.agency_user, exclude_same_county=True)
    assignment_create(application=world.application, group=group, by=world.agency_user)
    assert Exclusion.objects.get().reason == (
        "专家与申报主体同属兰山区，本届评审工作计划要求同县区专家回避。"
    )


def test_declaring_none_lets_the_expert_open_the_application():
    world = ReviewWorld()
    world.assign()
    expert = world.experts[1]
    application = world.application
    assert not can_view(application, expert.user)
    declaration = conflict_declare(application=application, by=expert.user, has_conflict=False)
    assert declaration.has_conflict is False
    expert.user.__dict__.pop("_perm_cache", None)
    fresh = type(expert.user).objects.get(pk=expert.user.pk)
    assert can_view(application, fresh)
    assert fresh.has_perm(VIEW_APPLICATION, application)
    with pytest.raises(ReviewRefused) as error:
        conflict_declare(application=application, by=fresh, has_conflict=False)
    assert error.value.messages == ["您已就这件申报作出声明。"]


def test_declared_conflict_excludes_and_revokes():
    world = ReviewWorld(experts=6)
    world.assign()
    expert = world.experts[3]
    assignment = active_assignment(world.application)
    declaration = conflict_declare(
        application=world.application,
        by=expert.user,
        has_conflict=True,
        relationship="曾在该单位任职，离职未满3年",
    )
    assert declaration.has_conflict
    exclusion = Exclusion.objects.get()
    assert (exclusion.source, exclusion.reason, exclusion.recorded_by) == (
        ExclusionSource.DECLARED,
        "曾在该单位任职，离职未满3年",
        expert.user,
    )
    fresh = type(expert.user).objects.get(pk=expert.user.pk)
    assert not fresh.has_perm(SCORE_ASSIGNMENT, assignment)
    assert not fresh.has_perm(VIEW_APPLICATION, world.application)
    assert expert not in world.live()
    # Six members, one stepped aside: five remain, enough, so no flag.
    assignment.refresh_from_db()
    assert assignment.needs_reassignment == ""
    assert Message.objects.filter(
        recipient=world.agency_user, subject__contains="专家评审"
    ).exists()
    revokes = AuditEntry.objects.filter(action="permission.revoke", reason__contains="离职")
    assert [e.before for e in revokes] == [{"user": expert.user_id, "perm": SCORE_ASSIGNMENT}]


def test_declared_conflict_that_leaves_the_group_short_flags_it():
    world = ReviewWorld()
    world.assign()
    conflict_declare(
        application=world.application,
        by=world.experts[4].user,
        has_conflict=True,
        relationship="近亲属在该单位担任高管",
    )
    assignment = active_assignment(world.application)
    assert assignment.needs_reassignment == (
        "回避或取消资格后评审专家仅剩4人，少于评审工作计划要求的5人。"
    )


def test_a_conflict_needs_its_relationship_described():
    world = ReviewWorld()
    world.assign()
    with pytest.raises(ValidationError) as error:
        conflict_declare(application=world.application, by=world.experts[1].user, has_conflict=True)
    assert error.value.message_dict == {
        "relationship": ["请说明与申报主体的利益关系（如任职、亲属、业务往来等）。"]
    }
    assert not ConflictDeclaration.objects.exists()


def test_a_conflict_found_later_excludes_the_experts_unsigned_scores():
    world = ReviewWorld(experts=6, units=0, individuals=1)
    world.start()
    expert = world.experts[2]
    world.score(world.application, Stage.MATERIALS, expert, 50, submit=False)
    conflict_declare(
        application=world.application,
        by=expert.user,
        has_conflict=True,
        relationship="评审中得知其子女在该单位工作",
    )
    scores = Score.objects.filter(expert=expert)
    assert scores.count() == 5
    assert set(scores.values_list("excluded", "excluded_reason")) == {
        (True, "评审中得知其子女在该单位工作")
    }
    with pytest.raises(NotAssigned):
        score_save(
            application=world.application,
            stage=Stage.MATERIALS,
            by=expert.user,
            criterion=items_of(world.application)[0],
            percentage=50,
        )


def test_changing_an_experts_employer_to_the_applicants_excludes_them():
    world = ReviewWorld(experts=6)
    world.assign()
    expert = world.experts[5]
    expert_update(expert=expert, by=world.agency_user, employer_uscc=world.application.identifier)
    assert Exclusion.objects.get().expert == expert
    assert Exclusion.objects.get().source == ExclusionSource.AUTO
    fresh = type(expert.user).objects.get(pk=expert.user.pk)
    assert not fresh.has_perm(SCORE_ASSIGNMENT, active_assignment(world.application))


def test_pool_warnings_name_each_rule_once_in_its_order_of_precedence():
    """The warnings while forming groups (第二十条): 统一社会信用代码 before the unit's name,
    the individual's employer, then the county where the plan asks for it; names compared
    after NFKC and without spaces; one line per expert and application."""
    world = ReviewWorld(units=2, individuals=1, plan={"exclude_same_county": True})
    unit, other_unit, person = sorted(world.applications, key=lambda a: (a.kind != "unit", a.pk))
    employer = person.applicant.individual_profile.employer
    far = county("371321")
    by_uscc = new_expert(
        world.agency_user, employer_uscc=unit.identifier, employer=unit.name, county=far
    )
    by_name = new_expert(
        world.agency_user, employer=f" {other_unit.name.replace('（', '(')} ", county=far
    )
    by_employer = new_expert(world.agency_user, employer=employer, county=far)
    by_county = new_expert(world.agency_user, county=unit.county)
    unrelated = new_expert(world.agency_user, county=far)
    experts = [by_uscc, by_name, by_employer, by_county, unrelated]

    found = potential_conflicts(world.cycle, experts, world.plan)

    order = {
        a["pk"]: n
        for n, a in enumerate(
            Application.objects.filter(cycle=world.cycle).values("pk").order_by("-pk")
        )
    }
    same_county = sorted(
        (a for a in world.applications if a.county_id == unit.county_id), key=lambda a: order[a.pk]
    )
    assert [(f["expert"], f["application"], f["reason"]) for f in found] == [
        (by_uscc, unit.name, "工作单位统一社会信用代码与申报单位相同"),
        (by_name, other_unit.name, "工作单位与申报单位名称相同"),
        (by_employer, person.name, "工作单位与申报个人的工作单位相同"),
        *(
            (by_county, a.name, f"同属{unit.county.name}，评审工作计划要求同县区回避")
            for a in same_county
        ),
    ]
    world.plan.exclude_same_county = False
    assert [f["expert"] for f in potential_conflicts(world.cycle, experts, world.plan)] == [
        by_uscc,
        by_name,
        by_employer,
    ]
