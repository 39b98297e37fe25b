"""第十三条: a holder of the 临沂市市长质量奖 may not apply again; a 提名奖 holder may, and so
may a holder whose honour was revoked. Through the real create service."""

import datetime

import pytest

from applications.exceptions import ApplicationNotEligible
from applications.models import Application
from applications.services.drafts import application_create
from decisions.enums import HonourStatus, VoteChoice
from decisions.models import Honour
from decisions.registrations.honours import past_winner_check
from tests.applications.factories import announced_cycle
from tests.decisions.honours_world import published_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return published_world(
        units=2, individuals=1, outcomes=[VoteChoice.AWARD, VoteChoice.NOMINATION, VoteChoice.AWARD]
    )


@pytest.fixture
def next_cycle(world):
    return announced_cycle(
        office=world.office, number=world.cycle.number + 1, year=world.cycle.year + 1
    )


def test_award_holders_cannot_apply_again(world, next_cycle):
    for application in (world.units[0], world.individuals[0]):
        with pytest.raises(ApplicationNotEligible) as refused:
            application_create(cycle=next_cycle, by=application.applicant)
        problem = refused.value.problems[0]
        assert problem.article == "第十三条"
        assert str(world.cycle) in problem.message  # e.g. 第一届临沂市市长质量奖（2026年）
        assert problem.message.startswith("不符合第十三条")
    assert not Application.objects.filter(cycle=next_cycle).exists()


def test_a_nomination_holder_may_apply_again(world, next_cycle):
    application = application_create(cycle=next_cycle, by=world.units[1].applicant)
    assert application.cycle_id == next_cycle.pk


def test_a_revoked_holder_is_not_refused_by_article_13(world, next_cycle):
    Honour.objects.filter(application=world.units[0]).update(
        status=HonourStatus.REVOKED,
        revoked_on=datetime.date(2026, 3, 1),
        revoked_article="第二十三条",
    )
    assert application_create(cycle=next_cycle, by=world.units[0].applicant)


def test_matched_by_identifier_under_another_account(world, next_cycle):
    winner = world.units[0]
    other_account = Application(
        cycle=next_cycle, applicant=None, kind=winner.kind, identifier=winner.identifier
    )
    assert past_winner_check(other_account) == [str(world.cycle)]
    stranger = Application(
        cycle=next_cycle, applicant=None, kind=winner.kind, identifier="91371300MA3C0000XX"
    )
    assert past_winner_check(stranger) == []
