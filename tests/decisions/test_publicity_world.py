"""公示 opens with the 公示公告 (第十四条第（六）项): the begin_publicity listener, the window,
the publicise transition by state and role. Also the PublicityWorld the other 公示 tests use."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from applications.enums import ApplicationState
from applications.exceptions import ApplicationTransitionRefused
from applications.models import Application, ApplicationEvent
from applications.services.common import check_transition, lock_application, take_transition
from award.enums import AwardCategory, CyclePhase, NoticeKind, Role
from award.models import AuditEntry, Cycle, Message
from award.services.notices import notice_create, notice_publish
from decisions.enums import MeetingState, VoteChoice
from decisions.models import Meeting, Publicity, Resolution, Seat
from tests.decisions.factories import DecisionWorld
from tests.factories import make_user

D = datetime.date
pytestmark = pytest.mark.django_db

OPENED_ON = D(2026, 9, 29)
CATEGORY = {VoteChoice.AWARD: AwardCategory.AWARD, VoteChoice.NOMINATION: AwardCategory.NOMINATION}


def take(application, name, by, opinion=""):
    locked = lock_application(application)
    take_transition(locked, check_transition(locked, name, by), by=by, opinion=opinion)
    application.refresh_from_db()
    return application


def propose(world, application, outcome, meeting):
    """Fixture: the leading group's resolution recorded directly, then nominate and propose."""
    take(application, "nominate", world.office)
    seat = Seat.objects.create(
        cycle=world.cycle,
        category=CATEGORY[outcome],
        number=Seat.objects.filter(cycle=world.cycle, category=CATEGORY[outcome]).count() + 1,
    )
    Resolution.objects.create(
        meeting=meeting,
        application=application,
        outcome=outcome,
        seat=seat,
        counts={outcome: 5},
        recorded_by=world.office,
    )
    return take(application, "propose", world.office)


def open_window_around_today(cycle):
    """Time passes: the 公示期 is running today (no service moves the clock)."""
    today = timezone.localdate()
    Cycle.objects.filter(pk=cycle.pk).update(
        publicity_starts_on=today - datetime.timedelta(days=1),
        publicity_ends_on=today + datetime.timedelta(days=5),
    )
    cycle.refresh_from_db()


class PublicityWorld:
    """A DecisionWorld whose proposed winners went into 公示 with the 公示公告.

    units[0] 市长质量奖, units[1] 提名奖, individuals[0] 市长质量奖; a further unit (if
    `extra_unit`) stays 评审完成. The window is moved around today unless `open_now` is False.
    """

    def __init__(self, *, opened_on=OPENED_ON, open_now=True, publish=True, extra_unit=False):
        self.decision = DecisionWorld(units=3 if extra_unit else 2, individuals=1)
        self.office, self.cycle = self.decision.office, self.decision.cycle
        self.county_user, self.agency_user = self.decision.county_user, self.decision.agency_user
        self.leader = self.decision.leaders[0]
        self.expert_user = self.decision.review.experts[0].user
        self.meeting = Meeting.objects.create(
            cycle=self.cycle,
            held_on=opened_on - datetime.timedelta(days=7),
            place="市政府第一会议室",
            member_count=5,
            quorum=3,
            opened_by=self.office,
            state=MeetingState.CLOSED,
            closed_at=timezone.now(),
        )
        units, individuals = self.decision.units, self.decision.individuals
        self.winners = [
            propose(self, units[0], VoteChoice.AWARD, self.meeting),
            propose(self, units[1], VoteChoice.NOMINATION, self.meeting),
            propose(self, individuals[0], VoteChoice.AWARD, self.meeting),
        ]
        self.bystander = units[2] if extra_unit else None
        if publish:
            self.notice = notice_publish(
                notice=notice_create(
                    by=self.office,
                    kind=NoticeKind.PUBLICITY,
                    cycle=self.cycle,
                    title="拟获评名单公示",
                    body="现将拟获评名单予以公示。",
                ),
                by=self.office,
                today=opened_on,
            )
            self.cycle.refresh_from_db()
            if open_now:
                open_window_around_today(self.cycle)
        self.winners = [Application.objects.get(pk=a.pk) for a in self.winners]

    @property
    def application(self):
        return self.winners[0]

    @property
    def holder(self):
        return self.winners[0].applicant


def test_the_publicity_notice_puts_every_proposed_winner_into_publicity(
    django_capture_on_commit_callbacks,
):
    world = PublicityWorld(open_now=False, extra_unit=True)
    assert (world.cycle.publicity_starts_on, world.cycle.publicity_ends_on) == (
        D(2026, 9, 29),
        D(2026, 10, 10),  # 10-10 is a make-up working Saturday after National Day
    )
    assert [a.state for a in world.winners] == [ApplicationState.IN_PUBLICITY] * 3
    world.bystander.refresh_from_db()
    assert world.bystander.state == ApplicationState.REVIEWED
    assert Publicity.objects.filter(cycle=world.cycle, allows_anonymous_objections=False).exists()
    assert (
        AuditEntry.objects.filter(
            action="application.publicise", object_id__in=[str(a.pk) for a in world.winners]
        ).count()
        == 3
    )
    event = ApplicationEvent.objects.get(application=world.application, action="publicise")
    assert "2026年9月29日至2026年10月10日" in event.opinion
    for winner in world.winners:
        message = Message.objects.filter(recipient=winner.applicant).latest("pk")
        assert "公示" in message.body and "2026年10月10日" in message.body


def test_holders_are_emailed_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        world = PublicityWorld(open_now=False)
    assert callbacks
    assert Message.objects.filter(recipient=world.holder, subject__contains="进入公示").exists()


def test_a_publicity_that_cannot_open_moves_nobody():
    world = PublicityWorld(publish=False)
    notice = notice_create(
        by=world.office,
        kind=NoticeKind.PUBLICITY,
        cycle=world.cycle,
        title="拟获评名单公示",
        body="现将拟获评名单予以公示。",
    )
    with pytest.raises(Exception, match="2099"):
        notice_publish(notice=notice, by=world.office, today=D(2099, 12, 28))
    assert {a.state for a in Application.objects.filter(pk__in=[a.pk for a in world.winners])} == {
        ApplicationState.PROPOSED
    }
    assert not Publicity.objects.filter(cycle=world.cycle).exists()


@pytest.mark.parametrize(
    "role", [Role.COUNTY, Role.APPLICANT, Role.LEADER, Role.EXPERT, Role.AGENCY, Role.AUDITOR]
)
def test_only_the_office_may_publicise(role):
    world = PublicityWorld(publish=False)
    Cycle.objects.filter(pk=world.cycle.pk).update(phase=CyclePhase.PUBLICITY)
    with pytest.raises(PermissionDenied):
        check_transition(lock_application(world.application), "publicise", make_user(role))


def test_publicise_waits_for_the_publicity_phase():
    world = PublicityWorld(publish=False)
    with pytest.raises(ApplicationTransitionRefused, match="第十四条第（六）项"):
        check_transition(lock_application(world.application), "publicise", world.office)


@pytest.mark.parametrize(
    "state",
    [ApplicationState.REVIEWED, ApplicationState.CANDIDATE, ApplicationState.IN_PUBLICITY],
)
def test_publicise_only_from_proposed(state):
    world = PublicityWorld()
    Application.objects.filter(pk=world.application.pk).update(state=state)
    with pytest.raises(ApplicationTransitionRefused):
        check_transition(lock_application(world.application), "publicise", world.office)
