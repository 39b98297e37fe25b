"""The leading group's deliberation (审议, 第十四条第（五）项): the office opens a meeting with
the members present, each member present votes once on every candidate, the office closes
the meeting and records each resolution from the counts; a winner holds one of the
category's seats (第四条)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.services.common import (
    check_transition,
    lock_application,
    take_transition,
    tell_state_change,
)
from award.enums import AwardCategory, CyclePhase, Role
from award.models import Cycle, User
from award.services.audit import audit_record
from award.services.notifications import notify
from decisions.enums import MeetingState, VoteChoice
from decisions.models import Ballot, BallotChoice, CandidateList, Meeting, Resolution, Seat, Tally
from decisions.selectors.meetings import (
    active_leaders,
    outcome_rank,
    quorum_for,
    supported_outcome,
    unresolved_candidates,
)
from decisions.services.candidates import require_office

ARTICLE = "第十四条第（五）项"
ARTICLE_CAP = "第四条"


def _lock_meeting(meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("cycle__rulebook")
        .get(pk=meeting.pk)
    )


def meeting_open(
    *,
    cycle: Cycle,
    by: User,
    held_on: datetime.date,
    place: str,
    members_present,
    secret_ballot: bool = False,
) -> Meeting:
    """召开审议会议: the office, in 拟获评, once the candidate list was sent, with no other
    meeting of the cycle open. `members_present` must be active leading-group members and
    reach the quorum: more than the rulebook's percentage of the active members. Every
    candidate without a resolution is put to the vote (count rows at zero). Audit entry;
    站内信 to the members present."""
    require_office(by)
    place = (place or "").strip()
    members = list(members_present)
    errors = {}
    if not place:
        errors["place"] = _("请填写会议地点。")
    if held_on is None:
        errors["held_on"] = _("请填写会议日期。")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("会议日期不能晚于今天：审议会议开始后即投票表决。")
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked_cycle = (
            Cycle.objects.select_for_update(of=("self",))
            .select_related("rulebook")
            .get(pk=cycle.pk)
        )
        if locked_cycle.phase != CyclePhase.DELIBERATION:
            raise ValidationError(
                _("本届当前处于“%(phase)s”阶段，只有在拟获评阶段才能召开审议会议。")
                % {"phase": locked_cycle.get_phase_display()},
                code="phase",
            )
        candidate_list = CandidateList.objects.filter(cycle=locked_cycle).first()
        if candidate_list is None or candidate_list.sent_at is None:
            raise ValidationError(
                _("候选名单尚未提交领导小组审议，不能召开审议会议（第十四条第（五）项）。"),
                code="not_sent",
            )
        if Meeting.objects.filter(cycle=locked_cycle, state=MeetingState.OPEN).exists():
            raise ValidationError(
                _("本届已有一次正在进行的审议会议，请先结束该会议。"), code="open"
            )
        candidates = list(
            unresolved_candidates(locked_cycle).values_list("application_id", flat=True)
        )
        if not candidates:
            raise ValidationError(
                _("候选名单中的候选对象均已作出审议决议，无需再召开审议会议。"), code="none_left"
            )
        leaders = {user.pk: user for user in active_leaders()}
        strangers = [m for m in members if m.pk not in leaders]
        if strangers:
            raise ValidationError(
                {
                    "members_present": _("%(names)s不是在职的领导小组成员，不能记为出席。")
                    % {"names": "、".join(str(m) for m in strangers)}
                },
                code="not_leader",
            )
        member_count = len(leaders)
        quorum = quorum_for(member_count, locked_cycle.rulebook.meeting_quorum_percent)
        present = {m.pk for m in members}
        if len(present) < quorum:
            raise ValidationError(
                {
                    "members_present": _(
                        "出席人数未达到法定人数，不能审议表决：领导小组成员%(total)s人，"
                        "出席须超过%(percent)s%%，即至少%(quorum)s人，现出席%(present)s人。"
                    )
                    % {
                        "total": member_count,
                        "percent": locked_cycle.rulebook.meeting_quorum_percent,
                        "quorum": quorum,
                        "present": len(present),
                    }
                },
                code="quorum",
            )
        try:
            with transaction.atomic():
                meeting = Meeting.objects.create(
                    cycle=locked_cycle,
                    held_on=held_on,
                    place=place,
                    secret_ballot=secret_ballot,
                    member_count=member_count,
                    quorum=quorum,
                    opened_by=by,
                )
        except IntegrityError as error:
            raise ValidationError(
                _("本届已有一次正在进行的审议会议，请先结束该会议。"), code="open"
            ) from error
        meeting.members_present.set(sorted(present))
        Tally.objects.bulk_create(
            Tally(meeting=meeting, application_id=application_id, choice=choice)
            for application_id in candidates
            for choice in VoteChoice.values
        )
        audit_record(
            actor=by,
            action="decisions.meeting_open",
            obj=meeting,
            after={
                "held_on": held_on,
                "place": place,
                "secret_ballot": secret_ballot,
                "member_count": member_count,
                "quorum": quorum,
                "members_present": sorted(present),
                "candidates": len(candidates),
            },
            article=ARTICLE,
        )
        notify(
            recipients=[leaders[pk] for pk in sorted(present)],
            template="decisions_task",
            context={
                "cycle": locked_cycle,
                "task": _(
                    "%(cycle)s审议会议（%(date)s，%(place)s）已开始，请对%(count)s名候选对象"
                    "逐一投票表决（第十四条第（五）项）。投票后不能修改。"
                )
                % {
                    "cycle": locked_cycle,
                    "date": held_on.strftime("%Y-%m-%d"),
                    "place": place,
                    "count": len(candidates),
                },
            },
        )
    return meeting


def ballot_cast(*, meeting: Meeting, by: User, choices: dict) -> Ballot:
    """投票: a member recorded present at the open meeting votes once on every candidate put
    to it; `choices` maps application id → 市长质量奖/提名奖/不予评定. The counts grow in the
    database (F()); who voted what is kept only when the vote is not secret, and the audit
    entry of a secret ballot records no choice."""
    if not (by.is_active and by.has_role(Role.LEADER)):
        raise PermissionDenied(_("只有质量强市工作领导小组成员可以投票。"))
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        if not locked.members_present.filter(pk=by.pk).exists():
            raise PermissionDenied(_("您不是本次审议会议记录的出席成员，不能投票。"))
        if locked.state != MeetingState.OPEN:
            raise ValidationError(_("本次审议会议已结束，不能再投票。"), code="closed")
        if Ballot.objects.filter(meeting=locked, member=by).exists():
            raise ValidationError(_("您已在本次会议投过票，不能重复投票。"), code="voted")
        expected = set(
            Tally.objects.filter(meeting=locked).values_list("application_id", flat=True)
        )
        chosen = {int(k): v for k, v in (choices or {}).items()}
        errors = []
        if set(chosen) != expected:
            errors.append(_("请对本次会议的每一名候选对象都作出表决。"))
        if any(v not in VoteChoice.values for v in chosen.values()):
            errors.append(_("表决意见只能是市长质量奖、提名奖或不予评定。"))
        if errors:
            raise ValidationError(errors, code="choices")
        try:
            with transaction.atomic():
                ballot = Ballot.objects.create(meeting=locked, member=by)
        except IntegrityError as error:
            raise ValidationError(
                _("您已在本次会议投过票，不能重复投票。"), code="voted"
            ) from error
        for application_id, choice in chosen.items():
            Tally.objects.filter(
                meeting=locked, application_id=application_id, choice=choice
            ).update(count=F("count") + 1)
        after = {"candidates": len(chosen), "secret_ballot": locked.secret_ballot}
        if not locked.secret_ballot:
            BallotChoice.objects.bulk_create(
                BallotChoice(ballot=ballot, application_id=application_id, choice=choice)
                for application_id, choice in sorted(chosen.items())
            )
            after["choices"] = {str(k): v for k, v in sorted(chosen.items())}
        audit_record(
            actor=by, action="decisions.ballot_cast", obj=locked, after=after, article=ARTICLE
        )
    return ballot


def meeting_close(*, meeting: Meeting, by: User) -> Meeting:
    """结束表决: the office closes the open meeting; no ballot is taken after. Audit entry
    with the ballots cast; 站内信 to the members present."""
    require_office(by)
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        if locked.state != MeetingState.OPEN:
            raise ValidationError(_("本次审议会议已结束。"), code="closed")
        cast = locked.ballots.count()
        locked.state = MeetingState.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["state", "closed_at"])
        audit_record(
            actor=by,
            action="decisions.meeting_close",
            obj=locked,
            before={"state": MeetingState.OPEN},
            after={"state": MeetingState.CLOSED, "ballots": cast, "quorum": locked.quorum},
            article=ARTICLE,
        )
    return locked


def seats_ensure(cycle: Cycle) -> None:
    """The cycle's seats: the rulebook's number per category (第四条), created if missing."""
    limit = cycle.rulebook.max_winners_per_category
    Seat.objects.bulk_create(
        [
            Seat(cycle_id=cycle.pk, category=category, number=number)
            for category in AwardCategory.values
            for number in range(1, limit + 1)
        ],
        ignore_conflicts=True,
    )


def _cap_message(cycle, outcome) -> str:
    return _("不符合第四条：每届每类奖项获评数量不超过%(limit)s个，“%(category)s”名额已满。") % {
        "limit": cycle.rulebook.max_winners_per_category,
        "category": VoteChoice(outcome).label,
    }


def _take_seat(cycle, outcome, make_resolution) -> Resolution:
    """Save the resolution holding a free seat of the category: seats locked by others are
    skipped; the one-to-one on the seat is the last line (a seat taken meanwhile: try the
    next one, each try in its own savepoint)."""
    seats = cycle.rulebook.max_winners_per_category
    for _attempt in range(seats + 1):
        seat = (
            Seat.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(cycle_id=cycle.pk, category=outcome, resolution__isnull=True)
            .order_by("number")
            .first()
        )
        if seat is None:
            break
        try:
            with transaction.atomic():
                return make_resolution(seat)
        except IntegrityError:
            continue
    raise ValidationError(_cap_message(cycle, outcome), code="cap")


def resolution_record(
    *, meeting: Meeting, application: Application, outcome: str, by: User
) -> Resolution:
    """记录审议决议 for one candidate after the meeting closed: the outcome the counts support
    (市长质量奖 when its votes exceed half of the ballots cast; else 提名奖 when 市长质量奖 and
    提名奖 together exceed half; else 不予评定) or a lower one, never a higher one. A winner
    holds a free seat of its category (第四条; refused when none is left); then the
    application is proposed (拟获评) or passed over (未获评). Needs a meeting whose ballots
    reached the quorum. Event and audit entries; 站内信 to the applicant."""
    require_office(by)
    if outcome not in VoteChoice.values:
        raise ValidationError({"outcome": _("请选择审议结果。")}, code="required")
    with transaction.atomic():
        # A closed meeting never opens again: no lock, so resolutions of different
        # candidates are recorded side by side and meet only at the seats.
        locked_meeting = Meeting.objects.select_related("cycle__rulebook").get(pk=meeting.pk)
        cycle = locked_meeting.cycle
        if locked_meeting.state != MeetingState.CLOSED:
            raise ValidationError(
                _("请先结束本次会议的投票表决，再根据票数记录审议决议。"), code="open"
            )
        locked = lock_application(application)
        if locked.cycle_id != cycle.pk:
            raise ValidationError(_("该申报不属于本次会议的评选届次。"), code="cycle")
        counts = dict(
            Tally.objects.filter(meeting=locked_meeting, application=locked).values_list(
                "choice", "count"
            )
        )
        if not counts:
            raise ValidationError(_("该申报未经本次会议表决。"), code="not_voted")
        if Resolution.objects.filter(application=locked).exists():
            raise ValidationError(
                _("“%(name)s”已有审议决议，不能重复记录。") % {"name": locked.name},
                code="recorded",
            )
        if locked.state != ApplicationState.CANDIDATE:
            raise ValidationError(
                _("“%(name)s”当前状态为“%(state)s”，不是候选对象。")
                % {"name": locked.name, "state": locked.get_state_display()},
                code="state",
            )
        ballots = locked_meeting.ballots.count()
        if ballots < locked_meeting.quorum:
            raise ValidationError(
                _(
                    "本次会议投票人数%(cast)s人，未达到法定人数%(quorum)s人，表决无效，"
                    "请重新召开审议会议。"
                )
                % {"cast": ballots, "quorum": locked_meeting.quorum},
                code="quorum",
            )
        cast = sum(counts.values())
        supported = supported_outcome(counts, cast)
        if outcome_rank(outcome) > outcome_rank(supported):
            raise ValidationError(
                {
                    "outcome": _(
                        "票数不支持“%(outcome)s”：%(counts)s，共%(cast)s票，票数支持的审议结果为"
                        "“%(supported)s”；只能记录该结果或更低的结果。"
                    )
                    % {
                        "outcome": VoteChoice(outcome).label,
                        "counts": "，".join(
                            f"{label}{counts.get(choice, 0)}票"
                            for choice, label in VoteChoice.choices
                        ),
                        "cast": cast,
                        "supported": VoteChoice(supported).label,
                    }
                },
                code="above_counts",
            )

        def make_resolution(seat):
            return Resolution.objects.create(
                meeting=locked_meeting,
                application=locked,
                outcome=outcome,
                seat=seat,
                counts={choice: counts.get(choice, 0) for choice in VoteChoice.values},
                recorded_by=by,
            )

        if outcome == VoteChoice.NONE:
            resolution = make_resolution(None)
            name = "pass_over"
        else:
            seats_ensure(cycle)
            resolution = _take_seat(cycle, outcome, make_resolution)
            name = "propose"
        transition = check_transition(locked, name, by)
        take_transition(locked, transition, by=by)
        audit_record(
            actor=by,
            action="decisions.resolution_record",
            obj=resolution,
            after={
                "application": locked.pk,
                "outcome": outcome,
                "supported": supported,
                "counts": resolution.counts,
                "seat": resolution.seat.number if resolution.seat else None,
            },
            article=ARTICLE_CAP if resolution.seat else ARTICLE,
        )
        tell_state_change(
            locked,
            recipients=[locked.applicant],
            action=_("领导小组审议拟获评") if resolution.seat else _("领导小组审议未获评"),
        )
        if not unresolved_candidates(cycle).exists():
            _tell_resolutions_done(cycle)
    return resolution


def _tell_resolutions_done(cycle: Cycle) -> None:
    """站内信 to the office staff when every candidate of the cycle has a resolution."""
    notify(
        recipients=User.objects.filter(groups__name=Role.OFFICE, is_active=True),
        template="decisions_task",
        context={
            "cycle": cycle,
            "task": _("%(cycle)s领导小组审议已完成，可以发布拟获评名单公示公告。")
            % {"cycle": cycle},
        },
    )
