"""What the candidates part of the decisions floor plugs into the registries of the floors below:
guards, listeners, workbench items, demo seeders."""

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.hooks import register_transition_guard
from applications.models import Application
from award.demo import is_resting, set_demo_password
from award.enums import CyclePhase, Role
from award.hooks import register_cycle_guard, register_demo_seeder
from award.models import User
from award.workbench import TodoItem, workbench
from decisions.enums import MeetingState, VoteChoice
from decisions.models import Ballot, CandidateList, Meeting, Resolution
from decisions.selectors.candidates import candidates_of, waiting_nomination_by_cycle
from decisions.selectors.meetings import (
    meeting_counts,
    meetings_to_vote,
    open_meeting,
    open_meetings_board,
    supported_outcome,
    unresolved_by_cycle,
    unresolved_candidates,
)
from decisions.services.candidates import candidate_list_send, candidates_nominate
from decisions.services.meetings import (
    ballot_cast,
    meeting_close,
    meeting_open,
    resolution_record,
)


@register_transition_guard("propose")
def resolution_proposes(application) -> list[str]:
    """拟获评 only on the leading group's resolution of 市长质量奖 or 提名奖."""
    if Resolution.objects.filter(
        application_id=application.pk, outcome__in=(VoteChoice.AWARD, VoteChoice.NOMINATION)
    ).exists():
        return []
    return [_("领导小组尚未作出拟获评的审议决议（第十四条第（五）项）。")]


@register_transition_guard("pass_over")
def resolution_passes_over(application) -> list[str]:
    """未获评 only on the leading group's resolution of 不予评定."""
    if Resolution.objects.filter(application_id=application.pk, outcome=VoteChoice.NONE).exists():
        return []
    return [_("领导小组尚未作出不予评定的审议决议（第十四条第（五）项）。")]


@register_cycle_guard("begin_publicity")
def every_candidate_resolved(cycle) -> list[str]:
    count = unresolved_candidates(cycle).count()
    if not count:
        return []
    return [_("尚有%(count)s名候选对象未经领导小组审议（第十四条第（五）项）。") % {"count": count}]


@workbench.register(Role.OFFICE)
def office_items(user):
    """Reviewed applications waiting to be nominated; open meetings (ballots cast x/y);
    candidates without a resolution."""
    for cycle, waiting in waiting_nomination_by_cycle():
        yield TodoItem(
            _("%(cycle)s评审完成待列入候选名单的申报") % {"cycle": cycle},
            reverse("decisions:candidates_cycle", args=[cycle.pk]),
            waiting,
            detail=_("按最终得分排序，列入候选名单后提交领导小组审议（第十四条第（五）项）。"),
        )
    for meeting in open_meetings_board().select_related("cycle"):
        yield TodoItem(
            _("%(cycle)s审议会议投票中") % {"cycle": meeting.cycle},
            reverse("decisions:meetings_detail", args=[meeting.pk]),
            None,
            detail=_("已投票%(cast)s/%(present)s人；全部投票后结束表决并记录审议决议。")
            % {"cast": meeting.cast, "present": meeting.present},
        )
    for cycle, unresolved in unresolved_by_cycle():
        yield TodoItem(
            _("%(cycle)s未作出审议决议的候选对象") % {"cycle": cycle},
            reverse("decisions:meetings_cycle", args=[cycle.pk]),
            unresolved,
            detail=_("每名候选对象都有审议决议后，方可发布拟获评名单公示。"),
        )


@workbench.register(Role.LEADER)
def leader_items(user):
    """Open meetings where the member is recorded present and has not voted."""
    for meeting in meetings_to_vote(user):
        yield TodoItem(
            _("%(cycle)s审议会议待投票") % {"cycle": meeting.cycle},
            reverse("decisions:meetings_vote", args=[meeting.pk]),
            None,
            detail=_("%(date)s，%(place)s。请对每名候选对象表决，投票后不能修改。")
            % {"date": meeting.held_on.strftime("%Y-%m-%d"), "place": meeting.place},
            urgent=True,
        )


# The demo's leading group: leader1 (award.demo, printed) and four more, not printed.
DEMO_LEADERS = (
    ("leader2", "领导小组成员二（演示）"),
    ("leader3", "领导小组成员三（演示）"),
    ("leader4", "领导小组成员四（演示）"),
    ("leader5", "领导小组成员五（演示）"),
)


def _demo_leaders() -> list[User]:
    group = Group.objects.get(name=Role.LEADER)
    for username, name in DEMO_LEADERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@demo.linyi.invalid", "display_name": name},
        )
        if created:
            set_demo_password(user)
        user.groups.add(group)
    return list(
        User.objects.filter(
            username__in=["leader1", *(name for name, _label in DEMO_LEADERS)],
            groups__name=Role.LEADER,
            is_active=True,
        ).order_by("username")
    )


def _demo_votes(cycle) -> dict[int, str]:
    """Per kind, the best-scored candidate gets 市长质量奖, the second 提名奖, others none."""
    plan = {}
    seen: dict[str, int] = {}
    for candidate in candidates_of(cycle):
        kind = candidate.application.kind
        place = seen.get(kind, 0)
        seen[kind] = place + 1
        plan[candidate.application_id] = (
            VoteChoice.AWARD
            if place == 0
            else VoteChoice.NOMINATION
            if place == 1
            else VoteChoice.NONE
        )
    return plan


@register_demo_seeder
def seed_deliberation(*, cycle, office) -> None:
    """In 拟获评: every reviewed application nominated, the list sent, a meeting of the demo
    leading group, their ballots (one member a step stricter on the 提名奖), the meeting
    closed and every resolution recorded from the counts (idempotent)."""
    if cycle.phase != CyclePhase.DELIBERATION:
        return
    leaders = _demo_leaders()
    reviewed = Application.objects.filter(cycle=cycle, state=ApplicationState.REVIEWED).order_by(
        "pk"
    )
    candidates_nominate(applications=list(reviewed), by=office)
    candidate_list = CandidateList.objects.filter(cycle=cycle).first()
    if candidate_list is None or not candidate_list.candidates.exists():
        return
    if candidate_list.sent_at is None:
        candidate_list_send(cycle=cycle, by=office)
    meeting = open_meeting(cycle)
    if meeting is None and unresolved_candidates(cycle).exists():
        meeting = meeting_open(
            cycle=cycle,
            by=office,
            held_on=timezone.localdate(),
            place="市政府第三会议室（演示）",
            members_present=leaders,
        )
    if meeting is not None:
        plan = _demo_votes(cycle)
        voted = set(Ballot.objects.filter(meeting=meeting).values_list("member_id", flat=True))
        on_ballot = set(meeting_counts(meeting))
        resting = is_resting(cycle)
        for number, leader in enumerate(meeting.members_present.order_by("username")):
            if leader.pk in voted or (resting and leader.username == "leader1"):
                continue  # resting (seed_demo --until): leader1's ballot is waiting
            choices = {pk: choice for pk, choice in plan.items() if pk in on_ballot}
            if number == len(leaders) - 1:  # one member stricter on the 提名奖
                choices = {
                    pk: VoteChoice.NONE if choice == VoteChoice.NOMINATION else choice
                    for pk, choice in choices.items()
                }
            ballot_cast(meeting=meeting, by=leader, choices=choices)
        if resting:
            return
        meeting = meeting_close(meeting=meeting, by=office)
    last = Meeting.objects.filter(cycle=cycle, state=MeetingState.CLOSED).order_by("-pk").first()
    if last is None:
        return
    counts = meeting_counts(last)
    for candidate in unresolved_candidates(cycle).filter(application_id__in=list(counts)):
        application_counts = counts[candidate.application_id]
        resolution_record(
            meeting=last,
            application=candidate.application,
            outcome=supported_outcome(application_counts, sum(application_counts.values())),
            by=office,
        )
