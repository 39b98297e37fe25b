"""Benchmarks of the review floor: ranking() over a full cycle, and score_save latency.

Seeds 500 unit applications × 5 experts × 3 scored stages × 23 items (172,500 scores)
with bulk_create, then times ranking(cycle) under both aggregation rules and ~200 saves.
Run with `make bench` (pytest -m perf -s tests/perf); figures are printed as a table.
"""

import datetime
import statistics
import time
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.models import UserObjectPermission

from applications.enums import ApplicationState
from applications.models import Application
from applications.validators import uscc_check_char
from award.enums import ApplicantKind, CyclePhase, Role
from award.models import County, Cycle, User
from review.enums import SCORED_STAGES, Aggregation, Stage
from review.models import (
    Assignment,
    ConflictDeclaration,
    ConsensusScore,
    CriteriaSet,
    Criterion,
    Expert,
    GroupMembership,
    ReviewGroup,
    ReviewPlan,
    Score,
    StageSignOff,
    StageSubmission,
)
from review.scoring import PERCENTAGES, item_points
from review.selectors import ranking
from review.services import score_save
from tests.applications.factories import announced_cycle
from tests.factories import PASSWORD, AgencyFactory, make_user
from tests.perf.conftest import print_table, summarise

pytestmark = [pytest.mark.perf, pytest.mark.django_db]

APPLICATIONS = 500
EXPERTS_PER_GROUP = 5
GROUPS = 10
OPEN = 20  # applications whose 陈述答辩 is still being scored: the saves go there
RANKING_RUNS = 5
SAVES = 200


def seed_review(count: int = APPLICATIONS):
    office = make_user(Role.OFFICE)
    cycle = announced_cycle(office=office)
    agency = AgencyFactory()
    Cycle.objects.filter(pk=cycle.pk).update(phase=CyclePhase.EXPERT_REVIEW, agency=agency)
    cycle.refresh_from_db()
    unit_set = CriteriaSet.objects.get(kind=ApplicantKind.UNIT, is_default=True)
    plan = ReviewPlan.objects.create(
        cycle=cycle,
        unit_criteria=unit_set,
        individual_criteria=CriteriaSet.objects.get(kind=ApplicantKind.INDIVIDUAL, is_default=True),
        frozen_at=timezone.now(),
    )
    items = list(Criterion.objects.items().filter(criteria_set=unit_set).order_by("order"))
    counties = list(County.objects.order_by("pk"))
    password = make_password(PASSWORD)
    now = timezone.now()

    applicants = User.objects.bulk_create(
        User(
            username=f"rbench{i}",
            email=f"rbench{i}@example.cn",
            display_name=f"评审压测单位{i}",
            password=password,
            applicant_kind=ApplicantKind.UNIT,
        )
        for i in range(count)
    )
    applications = Application.objects.bulk_create(
        (
            Application(
                cycle=cycle,
                applicant=user,
                kind=ApplicantKind.UNIT,
                state=ApplicationState.IN_REVIEW if i < OPEN else ApplicationState.REVIEWED,
                round=1,
                name=f"临沂评审压测有限公司{i}",
                identifier=(body := f"91371302{i:09d}") + uscc_check_char(body),
                county=counties[i % len(counties)],
                submitted_at=now - datetime.timedelta(minutes=count - i),
            )
            for i, user in enumerate(applicants)
        ),
        batch_size=500,
    )

    expert_users = User.objects.bulk_create(
        User(
            username=f"rbench_expert{i}",
            email=f"rbench_expert{i}@example.cn",
            display_name=f"压测专家{i}",
            password=password,
        )
        for i in range(GROUPS * EXPERTS_PER_GROUP)
    )
    expert_group = Group.objects.get(name=Role.EXPERT)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=u.pk, group_id=expert_group.pk) for u in expert_users
    )
    experts = Expert.objects.bulk_create(
        Expert(user=u, agency=agency, name=u.display_name, employer=f"压测研究院{i}")
        for i, u in enumerate(expert_users)
    )
    groups = []
    for g in range(GROUPS):
        members = experts[g * EXPERTS_PER_GROUP : (g + 1) * EXPERTS_PER_GROUP]
        group = ReviewGroup.objects.create(cycle=cycle, name=f"压测评审组{g}", leader=members[0])
        GroupMembership.objects.bulk_create(GroupMembership(group=group, expert=e) for e in members)
        groups.append((group, members))
    assignments = Assignment.objects.bulk_create(
        Assignment(application=a, group=groups[i % GROUPS][0], assigned_by=office)
        for i, a in enumerate(applications)
    )
    permission = Permission.objects.get(
        content_type__app_label="review", codename="score_assignment"
    )
    assignment_type = ContentType.objects.get_for_model(Assignment)
    perms, declarations, scores, submissions, consensus, sign_offs = [], [], [], [], [], []
    for i, (application, assignment) in enumerate(zip(applications, assignments, strict=True)):
        group, members = groups[i % GROUPS]
        open_review = i < OPEN
        for expert in members:
            perms.append(
                UserObjectPermission(
                    user_id=expert.user_id,
                    permission=permission,
                    content_type=assignment_type,
                    object_pk=str(assignment.pk),
                )
            )
            declarations.append(
                ConflictDeclaration(assignment=assignment, expert=expert, has_conflict=False)
            )
        for stage in SCORED_STAGES:
            still_open = open_review and stage == Stage.DEFENCE
            for e, expert in enumerate(members):
                for k, item in enumerate(items):
                    if still_open and k >= 10:
                        continue  # left for the saves to create
                    percentage = PERCENTAGES[(i * 7 + e * 3 + k) % len(PERCENTAGES)]
                    scores.append(
                        Score(
                            application=application,
                            stage=stage,
                            expert=expert,
                            criterion=item,
                            percentage=percentage,
                            points=item_points(percentage, item.points),
                        )
                    )
                if not still_open:
                    submissions.append(
                        StageSubmission(application=application, stage=stage, expert=expert)
                    )
            if still_open:
                continue
            for k, item in enumerate(items):
                percentage = PERCENTAGES[(i * 5 + k) % len(PERCENTAGES)]
                consensus.append(
                    ConsensusScore(
                        application=application,
                        stage=stage,
                        criterion=item,
                        percentage=percentage,
                        points=item_points(percentage, item.points),
                        recorded_by=members[0],
                    )
                )
            sign_offs.append(
                StageSignOff(
                    application=application, stage=stage, group=group, signed_by=members[0]
                )
            )
    UserObjectPermission.objects.bulk_create(perms, batch_size=5000)
    ConflictDeclaration.objects.bulk_create(declarations, batch_size=5000)
    Score.objects.bulk_create(scores, batch_size=5000)
    StageSubmission.objects.bulk_create(submissions, batch_size=5000)
    ConsensusScore.objects.bulk_create(consensus, batch_size=5000)
    StageSignOff.objects.bulk_create(sign_offs, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return cycle, plan, applications[:OPEN], groups, items


@pytest.fixture
def review_world(db):
    started = time.perf_counter()
    world = seed_review()
    print(
        f"\n[seed] {APPLICATIONS} applications, {Score.objects.count()} scores, "
        f"{ConsensusScore.objects.count()} consensus rows in {time.perf_counter() - started:.1f} s"
    )
    return world


def time_ranking(cycle) -> tuple[list[float], int, list]:
    list(ranking(cycle))  # warm up
    samples = []
    for _ in range(RANKING_RUNS):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            rows = list(ranking(cycle))
        samples.append(time.perf_counter() - started)
    return samples, len(captured), rows


def test_ranking_and_score_save(review_world):
    cycle, plan, open_applications, groups, items = review_world
    results = {}
    for rule in (Aggregation.CONSENSUS, Aggregation.TRIMMED_MEAN):
        ReviewPlan.objects.filter(pk=plan.pk).update(aggregation=rule)
        samples, queries, rows = time_ranking(cycle)
        results[rule] = (samples, queries)
        assert len(rows) == APPLICATIONS
        assert queries == 4
        ranked = [row for row in rows if row.final_score is not None]
        assert len(ranked) == APPLICATIONS - OPEN
        assert all(isinstance(row.final_score, Decimal) for row in ranked)

    saves = []
    by_group = {group.pk: members for group, members in groups}
    assignment_groups = dict(
        Assignment.objects.filter(application__in=open_applications).values_list(
            "application_id", "group_id"
        )
    )
    n = 0
    while len(saves) < SAVES:
        application = open_applications[n % OPEN]
        expert = by_group[assignment_groups[application.pk]][n // OPEN % EXPERTS_PER_GROUP]
        item = items[5 + n % 10]  # half update an existing row, half create one
        started = time.perf_counter()
        score_save(
            application=application,
            stage=Stage.DEFENCE,
            by=expert.user,
            criterion=item,
            percentage=PERCENTAGES[n % len(PERCENTAGES)],
            strengths="压测",
        )
        saves.append(time.perf_counter() - started)
        n += 1

    consensus, trimmed, save = (
        summarise(results[Aggregation.CONSENSUS][0]),
        summarise(results[Aggregation.TRIMMED_MEAN][0]),
        summarise(saves),
    )
    print_table(
        f"Review floor, {APPLICATIONS} applications × 5 experts × 3 stages × 23 items "
        f"({Score.objects.count()} scores)",
        ["measure", "runs", "queries", "median ms", "p95 ms", "target"],
        [
            ["ranking(cycle), consensus rule", consensus["n"], 4, f"{consensus['median']:.0f}",
             f"{consensus['p95']:.0f}", "median < 1000 ms"],
            ["ranking(cycle), trimmed mean rule", trimmed["n"], 4, f"{trimmed['median']:.0f}",
             f"{trimmed['p95']:.0f}", "median < 1000 ms"],
            ["score_save", save["n"], "", f"{save['median']:.1f}", f"{save['p95']:.1f}",
             "p95 < 50 ms"],
        ],
    )  # fmt: skip
    print(f"score_save mean {statistics.mean(saves) * 1000:.1f} ms")
    assert consensus["median"] < 1000
    assert trimmed["median"] < 1000
    assert save["p95"] < 50
