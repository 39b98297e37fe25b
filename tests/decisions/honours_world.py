"""A cycle brought into 公示 with proposed winners, for the honours tests.

The candidate list, the votes and the 公示 listener belong to other parts of the floor: here
the Meeting, Seat and Resolution rows are made with the ORM, `nominate` and `propose` are
taken through applications.services.common, and the 公示公告 is published through the
notice services (taking `publicise` here when no listener of that part did). The 公示期 then
"passes" by moving cycle.publicity_ends_on into the past, as cycle_helpers moves deadlines.
"""

import datetime

from django.test import TestCase
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application
from applications.services.common import check_transition, lock_application, take_transition
from award.enums import CyclePhase, NoticeKind
from award.models import Cycle
from award.services.notices import notice_create, notice_publish
from decisions.enums import MeetingState, VoteChoice
from decisions.models import Approval, Meeting, Resolution, Seat
from tests.applications.factories import pdf_bytes
from tests.decisions.factories import DecisionWorld


def take(application, name, by):
    locked = lock_application(application)
    take_transition(locked, check_transition(locked, name, by), by=by)
    return locked


class HonoursWorld:
    """DecisionWorld whose applications are proposed with `outcomes` (one per application,
    units first; default 市长质量奖 for all) and published in a 公示公告; the cycle is in 公示.
    `window_over` moves the 公示期 into the past."""

    def __init__(self, *, units=2, individuals=1, outcomes=None, window_over=True):
        base = DecisionWorld(units=units, individuals=individuals)
        self.base = base
        self.office, self.cycle = base.office, base.cycle
        self.applications = base.applications
        outcomes = outcomes or [VoteChoice.AWARD] * len(self.applications)
        today = timezone.localdate()
        meeting = Meeting.objects.create(
            cycle=self.cycle,
            held_on=today,
            place="临沂市政府第一会议室",
            member_count=len(base.leaders),
            quorum=len(base.leaders) // 2 + 1,
            opened_by=self.office,
            state=MeetingState.CLOSED,
            closed_at=timezone.now(),
        )
        numbers = {}
        for application, outcome in zip(self.applications, outcomes, strict=True):
            take(application, "nominate", self.office)
            numbers[outcome] = numbers.get(outcome, 0) + 1
            seat, _ = Seat.objects.get_or_create(
                cycle=self.cycle, category=outcome, number=numbers[outcome]
            )
            Resolution.objects.create(
                meeting=meeting,
                application=application,
                outcome=outcome,
                seat=seat,
                counts={outcome: len(base.leaders)},
                recorded_by=self.office,
            )
            take(application, "propose", self.office)
        notice = notice_create(
            by=self.office,
            kind=NoticeKind.PUBLICITY,
            cycle=self.cycle,
            title="拟获评名单公示",
            body="现将拟获评名单予以公示。",
        )
        notice_publish(notice=notice, by=self.office, today=today)
        for application in Application.objects.filter(
            pk__in=[a.pk for a in self.applications], state=ApplicationState.PROPOSED
        ):
            take(application, "publicise", self.office)  # the 公示 listener is not ours
        self.cycle.refresh_from_db()
        assert self.cycle.phase == CyclePhase.PUBLICITY
        if window_over:
            self.let_window_pass()
        self.refresh()

    def let_window_pass(self):
        today = timezone.localdate()
        Cycle.objects.filter(pk=self.cycle.pk).update(
            publicity_starts_on=today - datetime.timedelta(days=10),
            publicity_ends_on=today - datetime.timedelta(days=3),
        )
        self.cycle.refresh_from_db()

    def refresh(self):
        self.applications = list(
            Application.objects.filter(pk__in=[a.pk for a in self.applications])
            .select_related("cycle", "applicant", "county")
            .order_by("pk")
        )
        self.units = [a for a in self.applications if a.kind == "unit"]
        self.individuals = [a for a in self.applications if a.kind == "individual"]

    def record_approval(self):
        """市政府's approval on record, through the service."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from decisions.services.approval import approval_record

        return approval_record(
            cycle=self.cycle,
            by=self.office,
            document_number="临政字〔2026〕21号",
            approved_on=self.cycle.publicity_ends_on + datetime.timedelta(days=1),
            file=SimpleUploadedFile("批复.pdf", pdf_bytes(), content_type="application/pdf"),
        )

    def publish(self):
        """The 公布公告 published through the notice services (needs the approval)."""
        notice = notice_create(
            by=self.office,
            kind=NoticeKind.RESULT,
            cycle=self.cycle,
            title="关于公布获评名单的公告",
            body="经市政府审定，现予公布。",
        )
        # After commit the certificates are queued (Celery runs eagerly in tests).
        with TestCase.captureOnCommitCallbacks(execute=True):
            notice_publish(notice=notice, by=self.office)
        self.cycle.refresh_from_db()
        self.refresh()
        return notice


def published_world(**kwargs) -> HonoursWorld:
    world = HonoursWorld(**kwargs)
    world.record_approval()
    world.publish()
    return world


def approval_exists(cycle) -> bool:
    return Approval.objects.filter(cycle=cycle).exists()
