"""Feedback reports (反馈报告): content from the group's consensus, frozen at 公布, idempotent,
never an expert's name or an individual expert's score; the applicant reads its own after
公布, the office and the auditor every one, others get 404."""

import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from applications.enums import ApplicationState
from applications.models import Application
from applications.services import application_create
from award import hooks as award_hooks
from award.enums import ApplicantKind, CyclePhase, Role
from award.models import AuditEntry, Cycle
from award.services.cycles import cycle_transition
from decisions.models import FeedbackReport
from decisions.registrations.feedback import feedback_on_publish
from decisions.services.feedback import feedback_pdf, feedback_reports_create
from review.enums import SCORED_STAGES, Stage
from review.models import Criterion, ReviewPlan
from review.scoring import PERCENTAGES, band_of
from review.services import consensus_save, review_complete, stage_sign
from tests.applications.factories import announced_cycle
from tests.decisions.factories import DecisionWorld, reach_reviewed_quickly
from tests.factories import make_user
from tests.review.factories import ReviewWorld, items_of

pytestmark = pytest.mark.django_db

EXPERT_PERCENTAGES = [35, 40, 60, 75, 90]  # one per expert, every item: totals 350…900
WEIGHTS = {Stage.MATERIALS: 40, Stage.SITE_VISIT: 40, Stage.DEFENCE: 20}
CENT = Decimal("0.01")


def consensus_percentage(item, stage_index) -> int:
    """A spread of percentages over the six bands, different per stage."""
    return PERCENTAGES[(item.order * 3 + stage_index * 5) % len(PERCENTAGES)]


class ScoredWorld:
    """A cycle in 拟获评: the first unit and the individual reviewed through every review
    service with distinct expert scores and item-by-item consensus; the second unit 评审完成
    without any signed stage (no report for it)."""

    def __init__(self):
        self.review = ReviewWorld(units=2, individuals=1)
        self.office, self.cycle = self.review.office, self.review.cycle
        unit, other, person = self.review.applications
        for application in (unit, person):
            self._review(application)
        reach_reviewed_quickly([other])
        cycle_transition(cycle=self.cycle, name="begin_deliberation", by=self.office)
        self.applications = (unit, other, person)
        self.refresh()

    def refresh(self):
        """Rows as the database holds them (a test's changes are rolled back after it)."""
        self.cycle.refresh_from_db()
        self.unit, self.other, self.person = (
            Application.objects.get(pk=a.pk) for a in self.applications
        )

    def _review(self, application):
        review = self.review
        review.start(application)
        review.pass_checks(application)
        for index, stage in enumerate(SCORED_STAGES):
            if stage == Stage.SITE_VISIT:
                review.visit(application)
            review.score_all(application, stage, EXPERT_PERCENTAGES)
            for item in items_of(application):
                consensus_save(
                    application=application,
                    stage=stage,
                    criterion=item,
                    percentage=consensus_percentage(item, index),
                    strengths=f"{item.code}合议优势{index}",
                    opportunities=f"{item.code}合议改进{index}",
                    by=review.leader.user,
                )
            stage_sign(application=application, stage=stage, by=review.leader.user)
        review_complete(application=application, by=review.agency_user)

    def publish(self):
        Cycle.objects.filter(pk=self.cycle.pk).update(phase=CyclePhase.PUBLISHED)
        self.cycle.refresh_from_db()


@pytest.fixture(scope="module")
def _world_db(django_db_setup, django_db_blocker):
    """One world for the module (reviewing it is the slow part); each test's changes are
    rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield ScoredWorld()
        transaction.set_rollback(True)


@pytest.fixture
def world(_world_db):
    _world_db.refresh()
    return _world_db


def expected(application):
    """The report's numbers computed here from the criteria and the percentages given."""
    plan = ReviewPlan.objects.get(cycle_id=application.cycle_id)
    criteria = list(
        Criterion.objects.filter(criteria_set_id=plan.criteria_set_id_for(application.kind))
    )
    leaves = [c for c in criteria if not any(o.parent_id == c.pk for o in criteria)]
    by_pk = {c.pk: c for c in criteria}
    stages, weighted = {}, {}
    for index, stage in enumerate(SCORED_STAGES):
        categories, total = {}, Decimal("0")
        for item in leaves:
            points = (
                Decimal(consensus_percentage(item, index)) * Decimal(item.points) / Decimal(100)
            ).quantize(CENT)
            category = by_pk.get(item.parent_id, item).code
            categories[category] = categories.get(category, Decimal("0")) + points
            total += points
        stages[stage] = {"total": total, "categories": categories}
        for code, points in categories.items():
            weighted[code] = weighted.get(code, Decimal("0")) + points * WEIGHTS[stage]
    final = sum(
        (stages[stage]["total"] * WEIGHTS[stage] for stage in SCORED_STAGES), Decimal("0")
    ) / Decimal(100)
    return {
        "stages": stages,
        "weighted": {code: (value / 100).quantize(CENT) for code, value in weighted.items()},
        "final": final.quantize(CENT),
        "set_total": sum(item.points for item in leaves),
        "leaves": leaves,
    }


def test_unit_report_has_bands_comments_category_totals_and_final_score(world):
    assert feedback_reports_create(world.cycle, by=world.office) == 2
    content = FeedbackReport.objects.get(application=world.unit).content
    want = expected(world.unit)

    assert content["set_total"] == want["set_total"] == 1000
    assert content["final_score"] == str(want["final"])
    assert [s["key"] for s in content["stages"]] == [str(s) for s in SCORED_STAGES]
    for index, stage in enumerate(content["stages"]):
        stage_key = SCORED_STAGES[index]
        assert stage["score"] == str(want["stages"][stage_key]["total"])
        assert {c["code"]: c["score"] for c in stage["categories"]} == {
            code: str(value) for code, value in want["stages"][stage_key]["categories"].items()
        }
        assert len(stage["items"]) == len(want["leaves"]) == 23
        for item, criterion in zip(stage["items"], want["leaves"], strict=True):
            percentage = consensus_percentage(criterion, index)
            assert item["code"] == criterion.code
            assert item["percentage"] == percentage
            assert item["band"] == band_of(percentage).label
            assert item["strengths"] == f"{criterion.code}合议优势{index}"
            assert item["opportunities"] == f"{criterion.code}合议改进{index}"
    # GB/T 19580's seven categories, weighted across the stages, add up to the final score.
    categories = {c["code"]: c["score"] for c in content["categories"]}
    assert list(categories) == ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7"]
    assert categories == {code: str(value) for code, value in want["weighted"].items()}
    assert sum(Decimal(v) for v in categories.values()) == want["final"]
    assert {c["code"]: c["points"] for c in content["categories"]}["4.7"] == 400


def test_individual_report_totals_the_parts_of_the_individual_set(world):
    feedback_reports_create(world.cycle, by=world.office)
    content = FeedbackReport.objects.get(application=world.person).content
    want = expected(world.person)
    assert content["set_total"] == 100
    assert [c["code"] for c in content["categories"]] == ["G1", "G2", "G3", "G4", "G5"]
    assert {c["code"]: c["score"] for c in content["categories"]} == {
        code: str(value) for code, value in want["weighted"].items()
    }
    assert content["final_score"] == str(want["final"])


def test_only_reviewed_applications_with_a_signed_stage_get_one_and_only_once(world):
    # 评审淘汰 counts only with a signed scored stage (fixture shortcut: states set directly).
    Application.objects.filter(pk__in=[world.unit.pk, world.other.pk]).update(
        state=ApplicationState.REVIEW_FAILED
    )
    assert feedback_reports_create(world.cycle, by=world.office) == 2
    failed = FeedbackReport.objects.get(application=world.unit).content
    assert failed["final_score"] is None  # no final score for 评审淘汰 (ranking)
    assert len(failed["stages"]) == 3
    assert not FeedbackReport.objects.filter(application=world.other).exists()
    assert feedback_reports_create(world.cycle, by=world.office) == 0
    assert FeedbackReport.objects.filter(application__cycle=world.cycle).count() == 2
    assert AuditEntry.objects.filter(action="decisions.feedback_create").count() == 1


def test_review_failed_without_a_signed_stage_gets_none():
    review = ReviewWorld(units=1)
    failed = review.review_to(ApplicationState.REVIEW_FAILED)
    assert failed.state == ApplicationState.REVIEW_FAILED
    assert feedback_reports_create(review.cycle, by=review.office) == 0


def test_the_listener_runs_at_publish_and_is_registered():
    assert feedback_on_publish in award_hooks._cycle_listeners["publish"]
    world = DecisionWorld(units=1, individuals=0, fully_reviewed=1)
    feedback_on_publish(world.cycle, by=world.office)
    feedback_on_publish(world.cycle, by=world.office)
    report = FeedbackReport.objects.get(application=world.applications[0])
    # The test world's review scores every item at 50 %: 500 of 1000 in every stage.
    assert report.content["final_score"] == "500.00"
    assert {i["band"] for s in report.content["stages"] for i in s["items"]} == {"50%–65%"}


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_page_and_pdf_name_no_expert_and_show_no_individual_score(world, client):
    feedback_reports_create(world.cycle, by=world.office)
    world.publish()
    report = FeedbackReport.objects.get(application=world.unit)
    client.force_login(world.unit.applicant)
    page = client.get(reverse("decisions:feedback_detail", args=[world.unit.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    pdf = pdf_text(feedback_pdf(report))
    want = expected(world.unit)
    for text in (html, pdf):
        assert str(want["final"]) in text
        assert "4.1.2" in text
        for expert in world.review.experts:
            assert expert.name not in text
            assert expert.employer not in text
        # Each expert's stage total (every item at one percentage) and own comments.
        for percentage in EXPERT_PERCENTAGES:
            assert f"{percentage * 10}.00" not in text
        assert "体系完整" not in text and "量化目标不足" not in text
        squashed = "".join(text.split())  # the PDF wraps text inside table cells
        assert "4.1.2合议优势0" in squashed and "4.1.2合议改进0" in squashed
    content = str(report.content)
    for expert in world.review.experts:
        assert expert.name not in content


def test_who_reads_which_report(world, client):
    feedback_reports_create(world.cycle, by=world.office)
    url = reverse("decisions:feedback_detail", args=[world.unit.pk])
    pdf_url = reverse("decisions:feedback_pdf", args=[world.unit.pk])
    owner = world.unit.applicant

    client.force_login(owner)
    assert client.get(url).status_code == 404  # not before 公布
    world.publish()
    assert client.get(url).status_code == 200
    response = client.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(
        action="decisions.feedback_download", actor=owner, object_id=str(world.unit.pk)
    ).exists()
    # The owner asking for another application's report, or one without a report: 404.
    assert (
        client.get(reverse("decisions:feedback_detail", args=[world.person.pk])).status_code == 404
    )
    assert (
        client.get(reverse("decisions:feedback_detail", args=[world.other.pk])).status_code == 404
    )

    for role in (Role.OFFICE, Role.AUDITOR):
        client.force_login(make_user(role))
        assert client.get(url).status_code == 200
        assert (
            client.get(reverse("decisions:feedback_cycle", args=[world.cycle.pk])).status_code
            == 200
        )
    for user in (
        world.person.applicant,
        world.review.county_user,
        world.review.agency_user,
        world.review.experts[0].user,
        make_user(Role.APPLICANT),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(pdf_url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_applicant_finds_its_report_on_the_workbench_after_publication(world):
    from award.workbench import workbench

    feedback_reports_create(world.cycle, by=world.office)
    owner = world.unit.applicant
    url = reverse("decisions:feedback_detail", args=[world.unit.pk])
    assert url not in [item.url for item in workbench.items_for(owner)]
    world.publish()
    assert url in [item.url for item in workbench.items_for(owner)]
    assert url not in [item.url for item in workbench.items_for(world.person.applicant)]


def test_the_cycle_list_counts_its_queries(world, client, django_assert_max_num_queries):
    feedback_reports_create(world.cycle, by=world.office)
    client.force_login(world.office)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("decisions:feedback_cycle", args=[world.cycle.pk]))
    assert response.status_code == 200
    assert world.unit.name in response.content.decode()


def test_applying_again_shows_last_cycles_feedback_beside_the_self_assessment(world, client):
    feedback_reports_create(world.cycle, by=world.office)
    world.publish()
    owner = world.unit.applicant
    cycle = announced_cycle(office=world.office)
    again = application_create(cycle=cycle, by=owner)
    assert again.kind == ApplicantKind.UNIT
    client.force_login(owner)
    page = client.get(reverse("applications:application_step", args=[again.pk, "documents"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "上届评审反馈报告" in html
    assert reverse("decisions:feedback_detail", args=[world.unit.pk]) in html
    # Someone else applying for the first time sees nothing of it.
    newcomer = Application.objects.get(pk=world.person.pk)
    client.force_login(newcomer.applicant)
    fresh = application_create(cycle=cycle, by=newcomer.applicant)
    page = client.get(reverse("applications:application_step", args=[fresh.pk, "documents"]))
    assert "上届评审反馈报告" in page.content.decode()  # the individual was reviewed too
    # The unit never reviewed (评审完成 without a signed stage) has no report to show.
    other = world.other.applicant
    client.force_login(other)
    fresh = application_create(cycle=cycle, by=other)
    page = client.get(reverse("applications:application_step", args=[fresh.pk, "documents"]))
    assert page.status_code == 200
    assert "上届评审反馈报告" not in page.content.decode()
