"""舆情调查 and 资格审查 records (一票否决), the site visit, and the agency's view."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.enums import ApplicationState as S
from applications.permissions import can_view
from award.models import AuditEntry, Message
from review.enums import Stage
from review.exceptions import NotAssigned, ReviewRefused
from review.models import SiteVisit, StageCheck
from review.services import site_visit_record, stage_check_record
from tests.applications.factories import pdf_upload
from tests.review.factories import ReviewWorld, other_agency_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = ReviewWorld(units=0, individuals=1)
    world.start()
    return world


def record(world, **fields):
    values = {
        "application": world.application,
        "stage": Stage.QUALIFICATION,
        "passed": True,
        "by": world.agency_user,
        "evidence": "核对营业执照、纳税证明，符合第十二条各项条件。",
    }
    values.update(fields)
    return stage_check_record(**values)


def test_a_pass_is_recorded_once_with_its_evidence_file(world):
    check = record(world, evidence="", evidence_file=pdf_upload("资格审查表.pdf"))
    assert (check.passed, check.evidence_name) == (True, "资格审查表.pdf")
    assert len(check.evidence_sha256) == 64
    assert check.evidence_file.name.startswith(f"review/{world.application.pk}/")
    with pytest.raises(ReviewRefused) as error:
        record(world)
    assert error.value.messages == ["资格审查已有记录，不能重复记录。"]
    assert world.refresh(world.application).state == S.IN_REVIEW


def test_a_fail_ends_the_review_with_the_record(world):
    record(
        world,
        stage=Stage.PUBLIC_OPINION,
        passed=False,
        evidence="媒体报道该申报人所在单位发生重大安全事故。",
        reason="不符合第十二条第（六）项",
    )
    application = world.refresh(world.application)
    assert application.state == S.REVIEW_FAILED
    event = application.events.last()
    assert (event.action, event.opinion) == (
        "fail_review",
        "舆情调查未通过：不符合第十二条第（六）项",
    )
    assert Message.objects.filter(
        recipient=application.applicant, body__contains="不符合第十二条第（六）项"
    ).exists()
    assert Message.objects.filter(recipient=world.office, body__contains="评审淘汰").exists()
    assert AuditEntry.objects.get(action="review.stage_check").after["passed"] is False


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"evidence": ""}, {"evidence": ["请填写调查或审查情况，或上传证明材料。"]}),
        ({"passed": False}, {"reason": ["请填写不通过的理由。"]}),
        (
            {"evidence_file": SimpleUploadedFile("x.pdf", b"not a pdf at all", "application/pdf")},
            None,
        ),
    ],
)
def test_bad_check_records_are_refused(world, fields, errors):
    with pytest.raises(ValidationError) as error:
        record(world, **fields)
    if errors is not None:
        assert error.value.message_dict == errors
    else:
        assert list(error.value.message_dict) == ["evidence_file"]
    assert not StageCheck.objects.exists()
    assert world.refresh(world.application).state == S.IN_REVIEW


def test_only_the_scored_stages_are_not_checks(world):
    with pytest.raises(ValidationError) as error:
        record(world, stage=Stage.MATERIALS)
    assert error.value.message_dict == {"stage": ["只有舆情调查和资格审查按通过/不通过记录。"]}


def test_checks_wait_for_the_review_to_start():
    world = ReviewWorld(units=0, individuals=1)
    with pytest.raises(ReviewRefused) as error:
        record(world)
    assert error.value.messages == ["该申报当前状态为“复核通过”，不在专家评审中。"]


def test_a_site_visit_cannot_be_recorded_before_it_took_place(world):
    """现场评审 (第十四条第（四）项) is recorded after the visit, not planned ahead here."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        site_visit_record(
            application=world.application,
            visited_on=tomorrow,
            issues_found="计量器具未按期检定",
            by=world.agency_user,
        )
    assert error.value.message_dict == {
        "visited_on": ["现场评审日期不能晚于今天：请在现场评审后记录。"]
    }
    assert not SiteVisit.objects.exists()


def test_site_visit_by_the_leader_or_the_agency(world):
    day = datetime.date(2026, 11, 20)
    visit = site_visit_record(
        application=world.application,
        visited_on=day,
        issues_found="计量器具未按期检定",
        by=world.leader.user,
    )
    assert (visit.visited_on, visit.issues_found) == (day, "计量器具未按期检定")
    site_visit_record(
        application=world.application,
        visited_on=day,
        issues_found="计量器具未按期检定；已整改",
        by=world.agency_user,
    )
    assert SiteVisit.objects.get().issues_found == "计量器具未按期检定；已整改"
    with pytest.raises(NotAssigned):
        site_visit_record(
            application=world.application, visited_on=day, issues_found="", by=world.experts[1].user
        )
    with pytest.raises(NotAssigned):
        site_visit_record(
            application=world.application, visited_on=day, issues_found="", by=other_agency_user()
        )
    with pytest.raises(ValidationError) as error:
        site_visit_record(
            application=world.application, visited_on="", issues_found="", by=world.agency_user
        )
    assert error.value.message_dict == {"visited_on": ["请填写现场评审日期。"]}


def test_the_agency_sees_its_cycles_applications_from_acceptance():
    world = ReviewWorld(units=0, individuals=1)
    assert can_view(world.application, world.agency_user)
    assert not can_view(world.application, other_agency_user())
