"""The agency's report data, the cycle guard, the selectors' scope and the workbench items."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.enums import ApplicationState as S
from award.enums import Role
from award.services.cycles import CycleTransitionRefused, cycle_transition
from award.workbench import workbench
from review.enums import Stage
from review.selectors import (
    application_review_report,
    assignments_for_expert,
    review_applications_for,
    review_report,
)
from review.services import expert_disqualify, review_complete
from tests.factories import make_user
from tests.review.factories import ReviewWorld, other_agency_user

pytestmark = pytest.mark.django_db


def titles(user):
    """The review floor's to-do items with a count (the ground floor's unread-messages item
    and the dashboard's link, tests/review/test_dashboard.py, left aside)."""
    return {
        item.title: item.count
        for item in workbench.items_for(user)
        if item.title != "未读站内信" and not item.title.startswith("评审看板")
    }


def test_report_lists_ranked_applications_with_stages_and_flags():
    world = ReviewWorld(units=0, individuals=3)
    done, failed, waiting = world.applications
    world.review_to(S.REVIEWED, done)
    world.review_to(S.REVIEW_FAILED, failed)
    world.start(waiting)
    expert_disqualify(expert=world.experts[3], by=world.agency_user, reason="泄露评审信息")
    report = review_report(world.cycle)
    assert report["plan"]["weights"] == {"材料评审": 40, "现场评审": 40, "陈述答辩": 20}
    assert report["plan"]["aggregation"] == "以组长主持形成的合议分为准"
    assert report["summary"] == {
        "total": 3,
        "by_state": {"评审完成": 1, "评审淘汰": 1, "专家评审": 1},
    }
    first, *others = report["applications"]
    assert (first["name"], first["rank"], first["final_score"]) == (done.name, 1, Decimal("50.00"))
    assert first["stage_scores"] == {
        "材料评审": Decimal("50.00"),
        "现场评审": Decimal("50.00"),
        "陈述答辩": Decimal("50.00"),
    }
    assert first["checks"] == {"舆情调查": True, "资格审查": True}
    assert first["site_visit"]["issues_found"] == "现场记录与自评报告基本一致。"
    by_id = {row["id"]: row for row in others}
    assert by_id[failed.pk]["flags"] == ["舆情调查未通过：不符合第十条第（五）项。"]
    assert by_id[failed.pk]["final_score"] is None
    assert by_id[waiting.pk]["flags"][0].startswith("回避或取消资格后评审专家仅剩4人")
    assert [e["name"] for e in report["disqualified_experts"]] == [world.experts[3].name]


def test_application_report_has_consensus_items_with_bands():
    world = ReviewWorld(units=0, individuals=1)
    application = world.review_to(S.REVIEWED)
    report = application_review_report(application)
    materials = report["stages"]["材料评审"]
    assert [item["code"] for item in materials["items"]] == ["G1", "G2", "G3", "G4", "G5"]
    assert materials["items"][0] == {
        "code": "G1",
        "name": "质量意识与创新意识",
        "points": 20,
        "percentage": 50,
        "band": "50%–65%",
        "score": Decimal("10.00"),
        "strengths": "领导作用突出",
        "opportunities": "创新成果转化不足",
    }
    assert materials["signed"]["by"] == world.leader.name
    assert [c["stage"] for c in report["checks"]] == ["舆情调查", "资格审查"]


def test_deliberation_waits_for_every_review():
    world = ReviewWorld(units=0, individuals=2)
    world.review_to(S.REVIEWED, world.applications[0])
    world.start(world.applications[1])
    with pytest.raises(CycleTransitionRefused) as error:
        cycle_transition(cycle=world.cycle, name="begin_deliberation", by=world.office)
    assert error.value.messages == ["尚有1件申报未完成专家评审（第十四条第（四）项）。"]


def test_review_applications_are_scoped():
    world = ReviewWorld(units=2)
    assert set(review_applications_for(world.agency_user, world.cycle)) == set(world.applications)
    assert set(review_applications_for(world.office, world.cycle)) == set(world.applications)
    assert set(review_applications_for(make_user(Role.AUDITOR), world.cycle)) == set(
        world.applications
    )
    for user in (other_agency_user(), world.county_user, world.experts[0].user):
        assert not review_applications_for(user, world.cycle).exists()


def test_expert_workbench_counts_declarations_scoring_and_sign_offs():
    world = ReviewWorld(units=0, individuals=2)
    first, second = world.applications
    world.assign(first)
    expert = world.experts[1]
    assert titles(expert.user) == {"待声明有无利害关系的申报": 1}
    world.declare_all(first)
    from review.services import review_start

    review_start(application=first, by=world.agency_user)
    assert titles(expert.user) == {"待评分的评审环节": 3}
    world.score_all(first, Stage.MATERIALS, [50] * 5)
    assert titles(expert.user) == {"待评分的评审环节": 2}
    assert titles(world.leader.user) == {"待评分的评审环节": 2, "待合议并签字确认的评审环节": 1}
    world.start(second)
    with CaptureQueriesContext(connection) as one:
        titles(world.leader.user)
    world.score_all(second, Stage.DEFENCE, [50] * 5)
    with CaptureQueriesContext(connection) as two:
        assert titles(world.leader.user) == {
            "待评分的评审环节": 4,
            "待合议并签字确认的评审环节": 2,
        }
    assert len(one) == len(two)


def test_agency_workbench_counts_unassigned_and_flagged():
    world = ReviewWorld(units=3)
    assert titles(world.agency_user) == {"复核通过、尚未分配评审组的申报": 3}
    world.start(world.applications[0])
    world.assign(world.applications[1])
    expert_disqualify(expert=world.experts[2], by=world.office, reason="弄虚作假")
    assert titles(world.agency_user) == {
        "复核通过、尚未分配评审组的申报": 1,
        "需要重新分配评审组的申报": 2,
    }
    assert "复核通过、尚未分配评审组的申报" not in titles(other_agency_user())


def test_assignments_for_expert_are_theirs_only():
    world = ReviewWorld(units=2)
    world.assign(world.applications[0])
    mine = list(assignments_for_expert(world.experts[1].user))
    assert [a.application for a in mine] == [world.applications[0]]
    assert mine[0].declared is False
    assert list(assignments_for_expert(world.agency_user)) == []


def test_complete_review_tells_the_applicant_and_office():
    from award.models import Message

    world = ReviewWorld(units=0, individuals=1)
    application = world.start()
    world.pass_checks()
    for stage in (Stage.MATERIALS, Stage.SITE_VISIT, Stage.DEFENCE):
        world.sign(application, stage)
    review_complete(application=application, by=world.agency_user)
    assert Message.objects.filter(
        recipient=application.applicant, body__contains="已完成专家评审"
    ).exists()
    assert Message.objects.filter(recipient=world.office, body__contains="已完成专家评审").exists()


def test_workbench_items_link_to_the_review_pages():
    from django.urls import reverse

    world = ReviewWorld(units=2)
    world.assign()
    (agency_item,) = [
        i
        for i in workbench.items_for(world.agency_user)
        if i.title != "未读站内信" and not i.title.startswith("评审看板")
    ]
    assert agency_item.url == reverse("review:agency_applications")
    (expert_item,) = [
        i for i in workbench.items_for(world.experts[1].user) if i.title != "未读站内信"
    ]
    assert expert_item.url == reverse("review:expert_tasks")
