"""The leading group's deliberation (第十四条第（五）项): quorum, one ballot per member, secret
ballots, resolutions within the counts, the propose/pass_over steps, pages and workbench."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState as S
from applications.models import Application
from award.enums import Role
from award.hooks import cycle_guard_messages
from award.models import AuditEntry
from award.workbench import workbench
from decisions.enums import MeetingState, VoteChoice
from decisions.models import Ballot, BallotChoice, Meeting, Resolution, Seat, Tally
from decisions.selectors.meetings import quorum_for, supported_outcome
from decisions.services.candidates import candidate_list_send, candidates_nominate
from decisions.services.meetings import (
    ballot_cast,
    meeting_close,
    meeting_open,
    resolution_record,
)
from tests.decisions.factories import DecisionWorld
from tests.decisions.test_candidates import REFUSED_ROLES, someone
from tests.factories import make_user

pytestmark = pytest.mark.django_db

A, N, X = VoteChoice.AWARD, VoteChoice.NOMINATION, VoteChoice.NONE


def sent_world(**kwargs) -> DecisionWorld:
    world = DecisionWorld(**kwargs)
    candidates_nominate(applications=world.applications, by=world.office)
    candidate_list_send(cycle=world.cycle, by=world.office)
    return world


def open_for(world, members=None, *, secret=False) -> Meeting:
    return meeting_open(
        cycle=world.cycle,
        by=world.office,
        held_on=timezone.localdate(),
        place="市政府第一会议室",
        members_present=world.leaders if members is None else members,
        secret_ballot=secret,
    )


def vote(meeting, leader, choices_by_application):
    return ballot_cast(
        meeting=meeting,
        by=leader,
        choices={a.pk: choice for a, choice in choices_by_application.items()},
    )


def all_vote(world, meeting, plan):
    """plan: {application: [choice of leader 0, leader 1, ...]}"""
    members = list(meeting.members_present.order_by("pk"))
    for number, leader in enumerate(members):
        vote(meeting, leader, {a: choices[number] for a, choices in plan.items()})


@pytest.fixture
def world():
    return sent_world(units=2, individuals=1)


def test_quorum_is_strictly_more_than_the_percentage():
    assert quorum_for(5, 50) == 3
    assert quorum_for(4, 50) == 3
    assert quorum_for(6, 50) == 4
    assert quorum_for(7, 60) == 5
    assert quorum_for(0, 50) == 1


def test_opening_without_quorum_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        open_for(world, world.leaders[:2])
    assert "出席人数未达到法定人数，不能审议表决" in str(refused.value)
    assert not Meeting.objects.exists()
    meeting = open_for(world, world.leaders[:3])
    assert (meeting.member_count, meeting.quorum) == (5, 3)
    assert Tally.objects.filter(meeting=meeting).count() == 3 * 3


def test_member_count_counts_active_leaders_only(world):
    world.leaders[4].is_active = False
    world.leaders[4].save()
    meeting = open_for(world, world.leaders[:3])
    assert (meeting.member_count, meeting.quorum) == (4, 3)


def test_only_leaders_may_be_recorded_present(world):
    with pytest.raises(ValidationError, match="不是在职的领导小组成员"):
        open_for(world, [*world.leaders[:3], world.office])


def test_only_after_the_list_was_sent_and_one_open_meeting_at_a_time():
    world = DecisionWorld(units=1, individuals=0)
    candidates_nominate(applications=world.applications, by=world.office)
    with pytest.raises(ValidationError, match="尚未提交领导小组审议"):
        open_for(world)
    candidate_list_send(cycle=world.cycle, by=world.office)
    with pytest.raises(PermissionDenied):
        meeting_open(
            cycle=world.cycle,
            by=world.leaders[0],
            held_on=timezone.localdate(),
            place="会议室",
            members_present=world.leaders,
        )
    meeting = open_for(world)
    with pytest.raises(ValidationError, match="正在进行的审议会议"):
        open_for(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            cycle=world.cycle,
            held_on=timezone.localdate(),
            place="x",
            member_count=5,
            quorum=3,
            opened_by=world.office,
        )
    assert Meeting.objects.filter(state=MeetingState.OPEN).get() == meeting


def test_a_member_votes_once_and_counts_grow(world):
    meeting = open_for(world)
    a, b, c = world.applications
    vote(meeting, world.leaders[0], {a: A, b: N, c: X})
    vote(meeting, world.leaders[1], {a: A, b: A, c: X})
    counts = {(t.application_id, t.choice): t.count for t in Tally.objects.filter(meeting=meeting)}
    assert counts[(a.pk, A)] == 2 and counts[(b.pk, A)] == 1 and counts[(b.pk, N)] == 1
    assert counts[(c.pk, X)] == 2
    with pytest.raises(ValidationError, match="不能重复投票"):
        vote(meeting, world.leaders[0], {a: X, b: X, c: X})
    assert Tally.objects.get(meeting=meeting, application=a, choice=A).count == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(meeting=meeting, member=world.leaders[0])
    # Named ballot: who voted what is kept, in the table and the audit entry.
    assert BallotChoice.objects.filter(ballot__member=world.leaders[0]).count() == 3
    entry = AuditEntry.objects.get(action="decisions.ballot_cast", actor_id=world.leaders[0].pk)
    assert entry.after["choices"] == {str(a.pk): A, str(b.pk): N, str(c.pk): X}


def test_a_ballot_must_cover_every_candidate(world):
    meeting = open_for(world)
    a, b, _c = world.applications
    with pytest.raises(ValidationError, match="每一名候选对象"):
        vote(meeting, world.leaders[0], {a: A, b: N})
    assert not Ballot.objects.exists()


def test_a_secret_ballot_keeps_counts_only(world):
    meeting = open_for(world, secret=True)
    a, b, c = world.applications
    vote(meeting, world.leaders[0], {a: A, b: N, c: X})
    assert not BallotChoice.objects.exists()
    assert Tally.objects.get(meeting=meeting, application=a, choice=A).count == 1
    entry = AuditEntry.objects.get(action="decisions.ballot_cast")
    assert "choices" not in entry.after
    stored = str(entry.after) + str(entry.before) + entry.reason
    for code in (A, N, X):
        assert f"'{code}'" not in stored


def test_someone_not_present_or_not_a_leader_may_not_vote(world, client):
    meeting = open_for(world, world.leaders[:3])
    a, b, c = world.applications
    choices = {a: A, b: A, c: A}
    with pytest.raises(PermissionDenied, match="不是本次审议会议记录的出席成员"):
        vote(meeting, world.leaders[3], choices)
    for user in (world.office, a.applicant, make_user(Role.EXPERT)):
        with pytest.raises(PermissionDenied):
            vote(meeting, user, choices)
    assert not Ballot.objects.exists()
    url = reverse("decisions:meetings_vote", args=[meeting.pk])
    client.force_login(world.leaders[3])
    page = client.get(url)
    assert page.status_code == 403
    assert "不是本次审议会议记录的出席成员" in page.content.decode()
    assert client.post(url, {f"c{a.pk}": A}).status_code == 403
    client.force_login(world.office)
    assert client.get(url).status_code == 404
    client.force_login(world.leaders[0])
    assert client.get(reverse("decisions:meetings_vote", args=[99999])).status_code == 404


def test_the_vote_page_casts_after_confirmation(world, client):
    meeting = open_for(world)
    a, b, c = world.applications
    client.force_login(world.leaders[0])
    url = reverse("decisions:meetings_vote", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "投票后不能修改" in page and 'data-confirm="' in page
    refused = client.post(url, {f"c{a.pk}": A, f"c{b.pk}": N})
    assert refused.status_code == 400
    assert "请对该候选对象作出表决" in refused.content.decode()
    assert "checked" in refused.content.decode()  # what was chosen stays chosen
    assert client.post(url, {f"c{a.pk}": A, f"c{b.pk}": N, f"c{c.pk}": X}).status_code == 302
    assert Ballot.objects.filter(meeting=meeting, member=world.leaders[0]).exists()
    again = client.post(url, {f"c{a.pk}": X, f"c{b.pk}": X, f"c{c.pk}": X})
    assert again.status_code == 409
    assert "不能重复投票" in again.content.decode()


def test_the_applicant_never_sees_votes_or_counts(world, client):
    meeting = open_for(world)
    a, b, c = world.applications
    all_vote(world, meeting, {a: [A] * 5, b: [N] * 5, c: [X] * 5})
    meeting_close(meeting=meeting, by=world.office)
    urls = [
        reverse("decisions:meetings_detail", args=[meeting.pk]),
        reverse("decisions:meetings_vote", args=[meeting.pk]),
        reverse("decisions:meetings_cycle", args=[world.cycle.pk]),
        reverse("decisions:meetings_proposed", args=[world.cycle.pk]),
        reverse("decisions:meetings_proposed_pdf", args=[world.cycle.pk]),
        reverse("decisions:candidates_list", args=[world.cycle.pk]),
        reverse("decisions:meetings_mine"),
    ]
    for applicant in (a.applicant, b.applicant):
        client.force_login(applicant)
        for url in urls:
            assert client.get(url).status_code == 404, url
    # A leader reads only his own ballot, never the counts.
    client.force_login(world.leaders[0])
    assert client.get(urls[0]).status_code == 404
    client.force_login(world.office)
    detail = client.get(urls[0]).content.decode()
    assert "票数支持" in detail


def test_resolutions_follow_the_counts(world):
    meeting = open_for(world)
    a, b, c = world.applications
    # a: 3 of 5 for 市长质量奖; b: 2 市长质量奖 + 1 提名奖 of 5; c: 2 + 0 of 5.
    all_vote(
        world,
        meeting,
        {a: [A, A, A, N, X], b: [A, A, N, X, X], c: [A, A, X, X, X]},
    )
    assert supported_outcome({A: 3, N: 1, X: 1}, 5) == A
    assert supported_outcome({A: 2, N: 1, X: 2}, 5) == N
    assert supported_outcome({A: 2, X: 2}, 4) == X
    with pytest.raises(ValidationError, match="请先结束"):
        resolution_record(meeting=meeting, application=a, outcome=A, by=world.office)
    meeting_close(meeting=meeting, by=world.office)
    with pytest.raises(ValidationError) as refused:
        resolution_record(meeting=meeting, application=b, outcome=A, by=world.office)
    assert "票数不支持“市长质量奖”" in str(refused.value)
    with pytest.raises(ValidationError, match="票数不支持"):
        resolution_record(meeting=meeting, application=c, outcome=N, by=world.office)
    first = resolution_record(meeting=meeting, application=a, outcome=A, by=world.office)
    second = resolution_record(meeting=meeting, application=b, outcome=X, by=world.office)  # lower
    third = resolution_record(meeting=meeting, application=c, outcome=X, by=world.office)
    assert first.seat.category == A and second.seat is None and third.seat is None
    states = dict(Application.objects.values_list("pk", "state"))
    assert states[a.pk] == S.PROPOSED and states[b.pk] == S.NOT_SELECTED
    assert Seat.objects.filter(cycle=world.cycle).count() == 2 * 8
    assert first.counts == {A: 3, N: 1, X: 1}
    with pytest.raises(ValidationError, match="已有审议决议"):
        resolution_record(meeting=meeting, application=a, outcome=N, by=world.office)
    assert AuditEntry.objects.filter(action="application.propose").count() == 1
    assert AuditEntry.objects.filter(action="application.pass_over").count() == 2


def test_the_page_refusal_keeps_the_choice_and_names_the_counts(world, client):
    meeting = open_for(world)
    a, b, c = world.applications
    all_vote(world, meeting, {a: [N] * 5, b: [X] * 5, c: [X] * 5})
    meeting_close(meeting=meeting, by=world.office)
    client.force_login(world.office)
    url = reverse("decisions:meetings_resolve", args=[meeting.pk, a.pk])
    refused = client.post(url, {"outcome": A})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "票数不支持" in html and f'<option value="{A}" selected>' in html
    assert client.post(url, {"outcome": N}).status_code == 302
    assert Resolution.objects.get(application=a).outcome == N


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_only_the_office_records_resolutions(world, role):
    meeting = open_for(world)
    a, b, c = world.applications
    all_vote(world, meeting, {a: [A] * 5, b: [X] * 5, c: [X] * 5})
    meeting_close(meeting=meeting, by=world.office)
    by = someone(role, world)
    for application, outcome in ((a, A), (b, X)):
        with pytest.raises(PermissionDenied):
            resolution_record(meeting=meeting, application=application, outcome=outcome, by=by)
    with pytest.raises(PermissionDenied):
        meeting_close(meeting=meeting, by=by)
    assert not Resolution.objects.exists()


@pytest.mark.parametrize("state", [S.REVIEWED, S.PROPOSED, S.NOT_SELECTED, S.IN_PUBLICITY])
@pytest.mark.parametrize("outcome", [A, X])
def test_propose_and_pass_over_refused_in_a_wrong_state(world, state, outcome):
    meeting = open_for(world)
    a, b, c = world.applications
    all_vote(world, meeting, {a: [A] * 5, b: [X] * 5, c: [X] * 5})
    meeting_close(meeting=meeting, by=world.office)
    Application.objects.filter(pk=a.pk).update(state=state)
    with pytest.raises(ValidationError):
        resolution_record(meeting=meeting, application=a, outcome=outcome, by=world.office)
    assert not Resolution.objects.exists()
    assert not Seat.objects.filter(resolution__isnull=False).exists()


def test_the_transitions_need_a_resolution(world):
    from applications.exceptions import ApplicationTransitionRefused
    from applications.services.common import check_transition

    a = Application.objects.get(pk=world.applications[0].pk)
    for name, reason in (("propose", "拟获评的审议决议"), ("pass_over", "不予评定的审议决议")):
        with pytest.raises(ApplicationTransitionRefused) as refused:
            check_transition(a, name, world.office)
        assert reason in str(refused.value)


def test_a_meeting_without_quorum_of_ballots_decides_nothing(world):
    meeting = open_for(world, world.leaders[:3])
    a, b, c = world.applications
    vote(meeting, world.leaders[0], {a: A, b: A, c: A})
    meeting_close(meeting=meeting, by=world.office)
    with pytest.raises(ValidationError, match="未达到法定人数"):
        resolution_record(meeting=meeting, application=a, outcome=X, by=world.office)
    # A new meeting puts every candidate to the vote again.
    again = open_for(world)
    assert Tally.objects.filter(meeting=again).values("application").distinct().count() == 3


def test_publicity_waits_for_every_resolution(world):
    meeting = open_for(world)
    a, b, c = world.applications
    all_vote(world, meeting, {a: [A] * 5, b: [N] * 5, c: [X] * 5})
    meeting_close(meeting=meeting, by=world.office)
    assert "尚有3名候选对象未经领导小组审议（第十四条第（五）项）。" in cycle_guard_messages(
        world.cycle, "begin_publicity"
    )
    resolution_record(meeting=meeting, application=a, outcome=A, by=world.office)
    resolution_record(meeting=meeting, application=b, outcome=N, by=world.office)
    assert "尚有1名候选对象未经领导小组审议（第十四条第（五）项）。" in cycle_guard_messages(
        world.cycle, "begin_publicity"
    )
    resolution_record(meeting=meeting, application=c, outcome=X, by=world.office)
    assert not [m for m in cycle_guard_messages(world.cycle, "begin_publicity") if "候选对象" in m]


def test_workbench_items_and_the_proposed_list(world, client):
    meeting = open_for(world, world.leaders[:4])
    a, b, c = world.applications
    titles = [item.title for item in workbench.items_for(world.leaders[0])]
    assert any("待投票" in t for t in titles)
    assert not any("待投票" in t.title for t in workbench.items_for(world.leaders[4]))
    office_items = workbench.items_for(world.office)
    assert any("已投票0/4人" in item.detail for item in office_items)
    all_vote(world, meeting, {a: [A] * 4, b: [N] * 4, c: [X] * 4})
    assert not any("待投票" in t.title for t in workbench.items_for(world.leaders[0]))
    meeting_close(meeting=meeting, by=world.office)
    assert any(
        "未作出审议决议" in item.title and item.count == 3
        for item in workbench.items_for(world.office)
    )
    for application, outcome in ((a, A), (b, N), (c, X)):
        resolution_record(
            meeting=meeting, application=application, outcome=outcome, by=world.office
        )
    client.force_login(world.office)
    html = client.get(
        reverse("decisions:meetings_proposed", args=[world.cycle.pk])
    ).content.decode()
    assert a.name in html and b.name in html
    pdf = client.get(reverse("decisions:meetings_proposed_pdf", args=[world.cycle.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_pages_answer_404_for_unknown_or_other_cycles_ids(world, client):
    meeting = open_for(world)
    other = DecisionWorld(units=1, individuals=0)
    client.force_login(world.office)
    assert client.get(reverse("decisions:meetings_detail", args=[99999])).status_code == 404
    assert client.get(reverse("decisions:meetings_cycle", args=[99999])).status_code == 404
    resolve = reverse("decisions:meetings_resolve", args=[meeting.pk, other.applications[0].pk])
    assert client.post(resolve, {"outcome": X}).status_code == 404
    assert (
        client.post(
            reverse("decisions:meetings_resolve", args=[meeting.pk, 99999]), {"outcome": X}
        ).status_code
        == 404
    )


def test_opening_from_the_page(world, client):
    client.force_login(world.office)
    url = reverse("decisions:meetings_open", args=[world.cycle.pk])
    data = {
        "held_on": timezone.localdate().isoformat(),
        "place": "市政府第一会议室",
        "members_present": [world.leaders[0].pk],
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "出席人数未达到法定人数，不能审议表决" in html and "市政府第一会议室" in html
    data["members_present"] = [leader.pk for leader in world.leaders[:3]]
    response = client.post(url, data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.members_present.count() == 3


def test_the_leader_finds_the_meeting_and_the_office_the_pages(world, client):
    meeting = open_for(world, world.leaders[:3])
    client.force_login(world.leaders[0])
    mine = client.get(reverse("decisions:meetings_mine"))
    assert mine.status_code == 200
    assert reverse("decisions:meetings_vote", args=[meeting.pk]) in mine.content.decode()
    assert (
        reverse("decisions:meetings_mine")
        in client.get(reverse("award:workbench")).content.decode()
    )
    client.force_login(world.office)
    for url in (
        reverse("decisions:candidates_index"),
        reverse("decisions:meetings_cycle", args=[world.cycle.pk]),
        reverse("decisions:meetings_detail", args=[meeting.pk]),
        reverse("decisions:meetings_close", args=[meeting.pk]),
        reverse("decisions:candidates_list", args=[world.cycle.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert client.post(reverse("decisions:meetings_close", args=[meeting.pk])).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.CLOSED


def test_the_auditor_reads_but_gets_no_forms(world, client):
    meeting = open_for(world)
    client.force_login(make_user(Role.AUDITOR))
    assert client.get(reverse("decisions:meetings_detail", args=[meeting.pk])).status_code == 200
    for url in (
        reverse("decisions:meetings_open", args=[world.cycle.pk]),
        reverse("decisions:meetings_close", args=[meeting.pk]),
        reverse("decisions:candidates_send", args=[world.cycle.pk]),
        reverse("decisions:candidates_minimum", args=[world.cycle.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 403, url  # award.middleware (第七章)
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.OPEN
