"""Forms clicked twice at once that the other double-submit tests do not cover (issue 13,
bad-input corpus): a public complaint, a public objection and an expert's 提交本阶段评分 each
take effect once, and no click gets a server error."""

import uuid

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from award.models import AuditEntry
from decisions.models import Objection
from review.enums import Stage
from review.models import StageSubmission
from review.services import score_save
from revocation.models import Complaint
from tests.concurrency import post_together
from tests.decisions.test_objections_filing import ID_NUMBER, NAME, PHONE
from tests.decisions.test_publicity_world import PublicityWorld
from tests.review.factories import ReviewWorld, items_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()
    yield
    cache.clear()


def visitor(path) -> Client:
    browser = Client()
    assert browser.get(path).status_code == 200
    return browser


def test_a_complaint_filed_twice_at_once_is_filed_once():
    path = reverse("public_revocation:complaint_create")
    token = str(uuid.uuid4())
    data = {
        "complainant_kind": "person",
        "name": NAME,
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "subject": "某评审专家",
        "subject_kind": "expert",
        "facts": "评审期间该专家与申报单位人员私下接触。",
        "submission_token": token,
    }

    answers = post_together(visitor(path), path, lambda: data, times=3)

    assert [a.status for a in answers] == [302] * 3
    assert Complaint.objects.count() == 1
    assert len({a.location for a in answers}) == 1


def test_an_objection_filed_twice_at_once_is_filed_once():
    with transaction.atomic():  # the world's builders lock rows
        world = PublicityWorld()
    path = reverse("public_decisions:objection_create", args=[world.cycle.number])
    data = {
        "application": world.application.pk,
        "objector_kind": "person",
        "name": NAME,
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "reasons": "该单位存在未如实申报的质量问题。",
        "submission_token": str(uuid.uuid4()),
    }

    answers = post_together(visitor(path), path, lambda: data, times=3)

    assert [a.status for a in answers] == [302] * 3
    assert Objection.objects.count() == 1
    assert len({a.location for a in answers}) == 1


def test_a_stage_submitted_twice_at_once_is_submitted_once():
    world = ReviewWorld()
    world.start()
    expert = world.experts[1]
    for item in items_of(world.application):
        score_save(
            application=world.application,
            stage=Stage.MATERIALS,
            by=expert.user,
            criterion=item,
            percentage=50,
        )
    browser = Client()
    browser.force_login(expert.user)
    path = reverse("review:expert_stage_submit", args=[world.application.pk, Stage.MATERIALS])

    answers = post_together(browser, path, dict, times=3)

    assert 500 not in [a.status for a in answers]
    submissions = StageSubmission.objects.filter(expert=expert, stage=Stage.MATERIALS)
    assert submissions.count() == 1
    assert AuditEntry.objects.filter(action="review.stage_submit").count() == 1
    assert sum(a.status == 302 for a in answers) >= 1
