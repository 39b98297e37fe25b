"""第四条: each category holds at most the rulebook's number of winners per cycle, enforced by
the cycle's seats; also when resolutions are recorded at once from many connections."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from applications.enums import ApplicationState as S
from applications.models import Application
from decisions.enums import VoteChoice
from decisions.models import Resolution, Seat
from decisions.services.meetings import meeting_close, resolution_record, seats_ensure
from tests.decisions.test_meetings import open_for, sent_world, vote

A, N, X = VoteChoice.AWARD, VoteChoice.NOMINATION, VoteChoice.NONE
CAP_MESSAGE = "不符合第四条：每届每类奖项获评数量不超过8个，“市长质量奖”名额已满。"


def closed_meeting_all_for(world, choice):
    meeting = open_for(world)
    for leader in world.leaders:
        vote(meeting, leader, dict.fromkeys(world.applications, choice))
    return meeting_close(meeting=meeting, by=world.office)


@pytest.mark.django_db
def test_the_ninth_winner_of_a_category_is_refused_naming_article_four():
    world = sent_world(units=9, individuals=1)
    meeting = closed_meeting_all_for(world, A)
    first_nine, last = world.applications[:9], world.applications[9]
    for application in first_nine[:8]:
        resolution_record(meeting=meeting, application=application, outcome=A, by=world.office)
    with pytest.raises(ValidationError) as refused:
        resolution_record(meeting=meeting, application=first_nine[8], outcome=A, by=world.office)
    assert refused.value.messages == [CAP_MESSAGE]
    assert Application.objects.get(pk=first_nine[8].pk).state == S.CANDIDATE
    # The other category still has its seats; a lower outcome is still possible.
    resolution_record(meeting=meeting, application=first_nine[8], outcome=N, by=world.office)
    resolution_record(meeting=meeting, application=last, outcome=X, by=world.office)
    assert Resolution.objects.filter(outcome=A).count() == 8
    assert Seat.objects.filter(cycle=world.cycle).count() == 16


@pytest.mark.django_db
def test_the_database_holds_one_resolution_per_seat():
    world = sent_world(units=2, individuals=0)
    meeting = closed_meeting_all_for(world, A)
    first = resolution_record(
        meeting=meeting, application=world.applications[0], outcome=A, by=world.office
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.create(
            meeting=meeting,
            application=world.applications[1],
            outcome=A,
            seat=first.seat,
            recorded_by=world.office,
        )
    seats_ensure(world.cycle)  # idempotent
    assert Seat.objects.filter(cycle=world.cycle).count() == 16


@pytest.mark.django_db(transaction=True)
def test_twenty_resolutions_at_once_fill_exactly_eight_seats():
    world = sent_world(units=20, individuals=0)
    meeting = closed_meeting_all_for(world, A)
    barrier = threading.Barrier(len(world.applications))
    outcomes: list[str] = []
    lock = threading.Lock()

    def record(application):
        try:
            barrier.wait()
            resolution_record(meeting=meeting, application=application, outcome=A, by=world.office)
            result = "proposed"
        except ValidationError as refused:
            result = "refused: " + "".join(refused.messages)
        except Exception as error:
            result = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=record, args=(a,)) for a in world.applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == 20
    assert outcomes.count("proposed") == 8
    assert sorted(set(outcomes) - {"proposed"}) == ["refused: " + CAP_MESSAGE]
    assert Application.objects.filter(state=S.PROPOSED).count() == 8
    assert Application.objects.filter(state=S.CANDIDATE).count() == 12
    assert Resolution.objects.filter(outcome=A, seat__isnull=False).count() == 8
    assert Seat.objects.filter(cycle=world.cycle, category=A).count() == 8
