"""Reads of the leading group's deliberation: meetings, counts per candidate, the outcome the
counts support, seats, the 拟获评名单, and what waits for a member. Never for applicants."""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q

from award.enums import ApplicantKind, AwardCategory, CyclePhase, Role
from award.models import Cycle, User
from decisions.enums import MeetingState, VoteChoice
from decisions.models import Ballot, Candidate, Meeting, Resolution, Seat, Tally

# From the lowest outcome to the highest.
OUTCOME_ORDER = (VoteChoice.NONE, VoteChoice.NOMINATION, VoteChoice.AWARD)


def quorum_for(member_count: int, percent: int) -> int:
    """The smallest number of members strictly greater than `percent`% of `member_count`."""
    return member_count * percent // 100 + 1


def active_leaders():
    return User.objects.filter(groups__name=Role.LEADER, is_active=True).distinct()


def supported_outcome(counts: dict, cast: int) -> str:
    """市长质量奖 if its votes exceed half of the ballots cast; else 提名奖 if 市长质量奖 and
    提名奖 votes together exceed half; else 不予评定."""
    award = counts.get(VoteChoice.AWARD, 0)
    nomination = counts.get(VoteChoice.NOMINATION, 0)
    if cast and award * 2 > cast:
        return VoteChoice.AWARD
    if cast and (award + nomination) * 2 > cast:
        return VoteChoice.NOMINATION
    return VoteChoice.NONE


def outcome_rank(outcome: str) -> int:
    return OUTCOME_ORDER.index(outcome)


def open_meeting(cycle) -> Meeting | None:
    return Meeting.objects.filter(cycle_id=cycle.pk, state=MeetingState.OPEN).first()


def meetings_of(cycle):
    return (
        Meeting.objects.filter(cycle_id=cycle.pk)
        .select_related("opened_by")
        .annotate(
            present=Count("members_present", distinct=True),
            cast=Count("ballots", distinct=True),
        )
    )


def meeting_counts(meeting) -> dict[int, dict[str, int]]:
    """{application id: {choice: count}} for the meeting's candidates."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for application_id, choice, count in Tally.objects.filter(meeting=meeting).values_list(
        "application_id", "choice", "count"
    ):
        counts[application_id][choice] = count
    return dict(counts)


def meeting_candidates(meeting):
    """The candidates put to the vote at this meeting (those with count rows), ranked."""
    ids = Tally.objects.filter(meeting=meeting).values("application_id")
    return (
        Candidate.objects.filter(application_id__in=ids)
        .select_related("application__county")
        .order_by("application__kind", "-final_score", "pk")
    )


def meeting_board(meeting) -> dict:
    """The office's view of a meeting: ballots cast of members present, and per candidate the
    counts, the outcome they support and the resolution if recorded."""
    counts = meeting_counts(meeting)
    resolutions = {
        r.application_id: r
        for r in Resolution.objects.filter(application_id__in=list(counts)).select_related(
            "meeting", "seat"
        )
    }
    rows = []
    for candidate in meeting_candidates(meeting):
        application_counts = counts.get(candidate.application_id, {})
        cast = sum(application_counts.values())
        rows.append(
            {
                "candidate": candidate,
                "application": candidate.application,
                "counts": [application_counts.get(choice, 0) for choice in VoteChoice.values],
                "cast": cast,
                "supported": VoteChoice(supported_outcome(application_counts, cast)),
                "resolution": resolutions.get(candidate.application_id),
            }
        )
    present = list(meeting.members_present.order_by("pk"))
    voted = set(Ballot.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    return {
        "rows": rows,
        "present": present,
        "voted": voted,
        "cast": len(voted),
        "choices": VoteChoice.choices,
        "unresolved": sum(1 for row in rows if row["resolution"] is None),
    }


def leader_may_vote(meeting, user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.has_role(Role.LEADER)
        and meeting.members_present.filter(pk=user.pk).exists()
    )


def has_voted(meeting, user) -> bool:
    return Ballot.objects.filter(meeting=meeting, member_id=user.pk).exists()


def meetings_to_vote(user):
    """Open meetings where `user` is recorded present and has not voted yet."""
    return (
        Meeting.objects.filter(state=MeetingState.OPEN, members_present=user)
        .exclude(Exists(Ballot.objects.filter(meeting=OuterRef("pk"), member=user)))
        .select_related("cycle")
    )


def leader_meetings(user):
    return (
        Meeting.objects.filter(members_present=user)
        .select_related("cycle")
        .annotate(voted=Exists(Ballot.objects.filter(meeting=OuterRef("pk"), member=user)))
    )


def unresolved_candidates(cycle):
    """The cycle's candidates without a resolution of the leading group."""
    return Candidate.objects.filter(candidate_list__cycle_id=cycle.pk).exclude(
        Exists(Resolution.objects.filter(application_id=OuterRef("application_id")))
    )


def seats_taken(cycle) -> dict[str, int]:
    taken = dict(
        Seat.objects.filter(cycle_id=cycle.pk, resolution__isnull=False)
        .values("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    return {category: taken.get(category, 0) for category in AwardCategory.values}


def proposed_list(cycle) -> dict:
    """拟获评名单: the resolutions that propose, per category and applicant kind, with the
    candidates' frozen scores; and the candidates passed over."""
    resolutions = (
        Resolution.objects.filter(meeting__cycle_id=cycle.pk)
        .select_related("application__county", "application__candidacy", "seat", "meeting")
        .order_by("seat__category", "application__kind", "-application__candidacy__final_score")
    )
    groups = []
    passed_over = []
    by_key = defaultdict(list)
    for resolution in resolutions:
        if resolution.outcome == VoteChoice.NONE:
            passed_over.append(resolution)
        else:
            by_key[(resolution.outcome, resolution.application.kind)].append(resolution)
    for category in (VoteChoice.AWARD, VoteChoice.NOMINATION):
        for kind, kind_label in ApplicantKind.choices:
            groups.append(
                {
                    "category": AwardCategory(category).label,
                    "kind": kind_label,
                    "resolutions": by_key.get((category, kind), []),
                }
            )
    return {
        "groups": groups,
        "passed_over": passed_over,
        "proposed_count": sum(len(g["resolutions"]) for g in groups),
        "unresolved": unresolved_candidates(cycle).count(),
    }


def open_meetings_board():
    """For the office's workbench: open meetings with ballots cast and members present."""
    return Meeting.objects.filter(state=MeetingState.OPEN).annotate(
        cast=Count("ballots", distinct=True), present=Count("members_present", distinct=True)
    )


def unresolved_by_cycle():
    """(cycle, candidates without resolution) for cycles in 拟获评 where some remain."""
    cycles = Cycle.objects.filter(phase=CyclePhase.DELIBERATION).annotate(
        unresolved=Count(
            "candidate_list__candidates",
            filter=Q(candidate_list__candidates__application__resolution__isnull=True),
        )
    )
    return [(cycle, cycle.unresolved) for cycle in cycles if cycle.unresolved]
