"""seed_demo builds the demo world of DESIGN.md §10 through every floor's seeders.

The world is built once for the package (conftest.py), inside a transaction rolled back at the
end; each test runs in a savepoint.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application, ApplicationEvent
from applications.models.application import DECISION_STATES, REVIEW_STATES
from applications.selectors import applications_for
from award import audit_labels
from award.demo import DEMO_LOGINS, DEMO_PASSWORD
from award.enums import CyclePhase, NoticeStatus, Role
from award.models import AuditEntry, Cycle, Message, Notice, User
from award.services.audit import audit_verify_chain
from review.enums import SCORED_STAGES, ExclusionSource, Stage
from review.models import (
    Assignment,
    ConsensusScore,
    Exclusion,
    Expert,
    ReviewPlan,
    Score,
    StageCheck,
    StageSignOff,
    StageSubmission,
)
from review.selectors import ranking
from review.services.scoring import leaf_criteria

pytestmark = pytest.mark.django_db

S = ApplicationState


@pytest.fixture
def first(printed):
    return Cycle.objects.get(number=1)


def application(cycle, username):
    return Application.objects.select_related("cycle").get(
        cycle=cycle, applicant__username=username
    )


# Logins and cycles ------------------------------------------------------------------------


def test_one_working_login_per_role_is_printed(printed):
    for role, username in DEMO_LOGINS:
        user = User.objects.get(username=username)
        assert user.has_role(role), (role, username)
        assert user.check_password(DEMO_PASSWORD)
        assert username in printed
    assert {role for role, _ in DEMO_LOGINS} == set(Role.values)
    assert DEMO_PASSWORD in printed
    assert "专家评审" in printed  # progress is shown while it works


def test_cycles_are_built_through_the_services_and_audited(printed):
    assert Cycle.objects.get(number=1).phase == CyclePhase.ARCHIVED
    current = Cycle.objects.get(number=2)
    assert current.phase == CyclePhase.ANNOUNCED
    assert current.accepts_applications
    assert Notice.objects.filter(cycle=current, status=NoticeStatus.PUBLISHED).count() == 1
    assert AuditEntry.objects.filter(action="cycle.archive").count() == 1
    checked, broken = audit_verify_chain()
    assert broken is None
    assert checked == AuditEntry.objects.count()


def test_every_audit_entry_of_the_world_reads_in_chinese(printed):
    """Each action and each recorded field has a label (award.audit_labels)."""
    entries = AuditEntry.objects.select_related("content_type")
    unlabelled = set()
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        if not audit_labels.is_labelled(entry.action):
            unlabelled.add(entry.action)
        for side in (entry.before, entry.after):
            for key in side if isinstance(side, dict) else ():
                if not audit_labels.is_field_labelled(key, model):
                    unlabelled.add(f"{entry.action}: {key}")
    assert entries.count() > 1000
    assert sorted(unlabelled) == []


def test_running_again_changes_nothing(printed):
    counts = (User.objects.count(), Cycle.objects.count(), Notice.objects.count())
    audits = AuditEntry.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert (User.objects.count(), Cycle.objects.count(), Notice.objects.count()) == counts
    assert AuditEntry.objects.count() == audits


def test_the_open_call_holds_every_state_up_to_review(printed):
    current = Cycle.objects.get(number=2)
    states = set(Application.objects.filter(cycle=current).values_list("state", flat=True))
    assert states == set(S.values) - REVIEW_STATES - DECISION_STATES
    coordinator = User.objects.get(username="county_lanshan")
    assert applications_for(coordinator, state=S.SUBMITTED).count() == 2


# The expert review of 第一届 (issue 4) ----------------------------------------------------


def test_first_cycle_reviews_end_reviewed_or_failed_with_the_reason(first):
    states = dict(
        Application.objects.filter(cycle=first).values_list("applicant__username", "state")
    )
    # The reviewed ones went on to the decisions floor (候选名单, 审议) after 评审完成.
    reviewed = set(
        ApplicationEvent.objects.filter(application__cycle=first, to_state=S.REVIEWED).values_list(
            "application__applicant__username", flat=True
        )
    )
    assert reviewed == {"demo_steel", "demo_pharma", "demo_person_wang", "demo_person_li"}
    assert {name: state for name, state in states.items() if name not in reviewed} == {
        "demo_chemical": S.REVIEW_FAILED,
        "demo_electronics": S.REVIEW_FAILED,
    }
    failed = {
        check.application.applicant.username: check
        for check in StageCheck.objects.filter(application__cycle=first, passed=False)
    }
    assert failed["demo_chemical"].stage == Stage.PUBLIC_OPINION
    assert failed["demo_electronics"].stage == Stage.QUALIFICATION
    assert all("第十条" in check.reason for check in failed.values())
    # 一票否决: nothing is scored after a failed check.
    assert not Score.objects.filter(application__in=[c.application for c in failed.values()])


@pytest.mark.parametrize(
    "username", ["demo_steel", "demo_pharma", "demo_person_wang", "demo_person_li"]
)
def test_reviewed_applications_are_scored_agreed_and_signed_in_every_stage(first, username):
    app = application(first, username)
    plan = ReviewPlan.objects.get(cycle=first)
    items = leaf_criteria(app, plan).count()
    for stage in SCORED_STAGES:
        assert StageSignOff.objects.filter(application=app, stage=stage).exists(), stage
        experts = list(
            StageSubmission.objects.filter(
                application=app, stage=stage, excluded=False
            ).values_list("expert_id", flat=True)
        )
        assert len(experts) >= plan.min_group_size
        scores = Score.objects.filter(application=app, stage=stage, excluded=False)
        assert scores.count() == items * len(experts)
        assert set(scores.values_list("expert_id", flat=True)) == set(experts)
        assert (
            ConsensusScore.objects.filter(application=app, stage=stage, excluded=False).count()
            == items
        )


def test_conflicts_were_excluded_automatically_and_by_declaration(first):
    by_source = {
        (e.expert.user.username, e.application.applicant.username): e.source
        for e in Exclusion.objects.filter(application__cycle=first).select_related(
            "expert__user", "application__applicant"
        )
    }
    assert by_source == {
        ("expert4", "demo_pharma"): ExclusionSource.AUTO,  # employed by the applicant
        ("expert6", "demo_steel"): ExclusionSource.DECLARED,
    }
    for expert, applicant in by_source:
        assert not Score.objects.filter(
            expert__user__username=expert, application__applicant__username=applicant
        ).exists()


def test_the_disqualified_experts_work_is_kept_but_excluded_and_replaced(first):
    culprit = Expert.objects.get(user__username="expert12")
    assert culprit.is_disqualified
    assert "第二十二条" in culprit.disqualification_reason
    kept = Score.objects.filter(expert=culprit, application__cycle=first)
    assert kept.exists()
    assert not kept.filter(excluded=False).exists()
    replacement = Expert.objects.get(user__username="expert13")
    for username in ("demo_person_wang", "demo_person_li"):
        app = application(first, username)
        signed = set(
            StageSubmission.objects.filter(
                application=app, expert=replacement, excluded=False
            ).values_list("stage", flat=True)
        )
        assert signed == set(SCORED_STAGES)


def test_the_ranking_orders_each_kind_by_its_final_score(first):
    ranked = {a.applicant.username: a for a in ranking(first).select_related("applicant")}
    assert ranked["demo_steel"].rank == 1
    assert ranked["demo_pharma"].rank == 2
    assert ranked["demo_steel"].final_score > ranked["demo_pharma"].final_score
    assert ranked["demo_person_wang"].rank == 1
    assert ranked["demo_person_li"].rank == 2
    assert ranked["demo_chemical"].final_score is None


def test_the_expert_and_the_agency_see_the_review(first, client):
    client.force_login(User.objects.get(username="expert1"))
    page = client.get(reverse("review:expert_tasks")).content.decode()
    assert application(first, "demo_steel").name in page
    client.logout()
    client.force_login(User.objects.get(username="agency"))
    report = client.get(reverse("review:cycle_report", args=[first.pk]))
    assert report.status_code == 200
    assert application(first, "demo_person_wang").name in report.content.decode()


def test_the_current_call_has_its_agency_and_a_plan_still_open(printed):
    current = Cycle.objects.get(number=2)
    assert current.agency is not None
    plan = ReviewPlan.objects.get(cycle=current)
    assert not plan.is_frozen
    assert ReviewPlan.objects.get(cycle__number=1).is_frozen


def test_the_earlier_cycle_happened_on_its_own_dates(first):
    """第一届 is played through the services on its calendar, so its records read true."""
    submitted = Application.objects.filter(cycle=first).values_list("submitted_at", flat=True)
    assert {moment.date() for moment in submitted} == {datetime.date(2024, 11, 20)}
    signed = StageSignOff.objects.filter(application__cycle=first).values_list(
        "signed_at", flat=True
    )
    assert {moment.date() for moment in signed} == {datetime.date(2025, 4, 21)}
    assert (first.publicity_starts_on, first.publicity_ends_on) == (
        datetime.date(2025, 6, 9),
        datetime.date(2025, 6, 13),  # 5 working days (第十四条第（六）项)
    )
    assert timezone.localtime(first.published_at).date() == datetime.date(2025, 7, 1)
    # Its 站内信 were read at the time; what waits for people now is the current call's.
    assert not Message.objects.filter(created_at__year__lt=2026, read_at__isnull=True).exists()


def test_expert_and_agency_find_work_waiting_in_the_open_call(printed, client):
    """The current call's first group is formed early: expert1 has a 回避 declaration to
    make (第二十条), and the agency one accepted application still to assign."""
    current = Cycle.objects.get(number=2)
    assigned = Assignment.objects.active().get(application__cycle=current)
    assert assigned.application.applicant.username == "demo_energy"
    client.force_login(User.objects.get(username="expert1"))
    assert "待声明有无利害关系的申报" in client.get(reverse("award:workbench")).content.decode()
    client.force_login(User.objects.get(username="agency"))
    page = client.get(reverse("award:workbench")).content.decode()
    assert "复核通过、尚未分配评审组的申报" in page


# Every page a demo login can reach --------------------------------------------------------


@pytest.mark.parametrize(("role", "username"), DEMO_LOGINS)
def test_no_link_a_demo_login_is_shown_leads_to_an_error(crawl_as, role, username):
    """On real data: every page linked from what each role sees renders with a title and a
    main heading, and no link shown to someone leads to a page they may not open (404,
    403)."""
    statuses = crawl_as(username).statuses
    assert len(statuses) > 5
    broken = {path: status for path, status in statuses.items() if status not in (200, 302)}
    assert broken == {}


def test_an_applicant_opens_none_of_the_pages_others_see(crawl_as, client):
    """Guessed or leaked addresses (DESIGN.md §5): every page the office, a county, the agency,
    an expert or another applicant reached is refused to an applicant, except what the
    public sees and what the applicant reaches on their own (workbench, messages, account)."""
    reached = set()
    for username in ("office", "county_lanshan", "agency", "expert1", "unit_demo", "person_demo"):
        reached |= set(crawl_as(username).statuses)
    public = {path for path in reached if client.get(path).status_code == 200}
    own = set(crawl_as("demo_steel").statuses)
    client.force_login(User.objects.get(username="demo_steel"))
    guarded = reached - public - own
    assert len(guarded) > 50
    opened = {path for path in guarded if client.get(path).status_code not in (302, 403, 404)}
    assert opened == set()
