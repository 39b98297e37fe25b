"""The office's cycle dashboard (数据看板): a cycle's figures, each read with one aggregate
query whatever the number of applications (values()/annotate(Count)), so the page costs a
constant number of queries. Charts are drawn from these figures in decisions/views/dashboard.py.

"Submitted" everywhere means submitted at least once (round ≥ 1), as on the office's list
(applications.selectors.applications_for): drafts are the applicant's own business.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationState as S
from applications.models import Application, ApplicationEvent
from applications.models.application import FINAL_STATES
from award.enums import ApplicantKind, CyclePhase
from award.models import County, Cycle

# The funnel's steps in order: (label, the state that marks the step).
FUNNEL = (
    (_("申报"), S.SUBMITTED),
    (_("初审推荐"), S.RECOMMENDED),
    (_("复核通过"), S.ACCEPTED),
    (_("专家评审"), S.IN_REVIEW),
    (_("评审完成"), S.REVIEWED),
    (_("候选"), S.CANDIDATE),
    (_("拟获评"), S.PROPOSED),
    (_("获评"), S.AWARDED),
)
STEP_OF_STATE = {state: rank for rank, (_label, state) in enumerate(FUNNEL)}

# The furthest step an application's *current* state proves it reached. The path from 提报 to
# 获评 is linear (DESIGN.md §4.2), so a state beyond a step implies every step before it. A
# state that ends the path (初审不推荐, 撤回, …) proves only 申报; the events tell the rest.
STATE_PROVES = {
    S.SUBMITTED: 0,
    S.RETURNED: 0,
    S.DECLINED: 0,
    S.WITHDRAWN: 0,
    S.RECOMMENDED: 1,
    S.RECHECK_FAILED: 1,
    S.ACCEPTED: 2,
    S.IN_REVIEW: 3,
    S.REVIEW_FAILED: 3,
    S.REVIEWED: 4,
    S.CANDIDATE: 5,
    S.NOT_SELECTED: 5,
    S.PROPOSED: 6,
    S.IN_PUBLICITY: 6,
    S.PUBLICITY_FAILED: 6,
    S.AWARDED: 7,
    S.REVOKED: 7,
}

# State groups of the county chart's stacks, in the order of the path.
STATE_GROUPS = (
    (_("待初审"), (S.SUBMITTED, S.RETURNED)),
    (_("待复核"), (S.RECOMMENDED,)),
    (_("待评审"), (S.ACCEPTED,)),
    (_("专家评审"), (S.IN_REVIEW, S.REVIEWED)),
    (_("审议与公示"), (S.CANDIDATE, S.PROPOSED, S.IN_PUBLICITY)),
    (_("已获评"), (S.AWARDED,)),
    (_("已撤销"), (S.REVOKED,)),
    (
        _("未通过或撤回"),
        (
            S.DECLINED,
            S.RECHECK_FAILED,
            S.WITHDRAWN,
            S.REVIEW_FAILED,
            S.NOT_SELECTED,
            S.PUBLICITY_FAILED,
        ),
    ),
)
GROUP_OF_STATE = {state: i for i, (_label, states) in enumerate(STATE_GROUPS) for state in states}

# States in which nothing more happens: an application there is never "stuck".
SETTLED_STATES = frozenset(FINAL_STATES) | {S.AWARDED, S.DRAFT}
# Won in its cycle, whether the title still stands or was revoked later (第八章).
WON_STATES = (S.AWARDED, S.REVOKED)
STUCK_DAYS = 14


def submitted(cycle) -> QuerySet[Application]:
    """The cycle's applications submitted at least once."""
    return Application.objects.filter(cycle=cycle, round__gte=1)


def _rank(field: str) -> Case:
    return Case(
        *(When(**{field: state}, then=Value(rank)) for state, rank in STATE_PROVES.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def funnel(cycle) -> dict[str, list[int]]:
    """{kind: [number of applications that reached each FUNNEL step]} (one query).

    An application of the cycle *reached* a step when it was submitted at least once
    (round ≥ 1) and either its timeline has an ApplicationEvent entering the step's state
    (to_state) or a later one, or its current state lies at or beyond the step on the path
    提报 → 县区推荐 → 复核通过 → 专家评审 → 评审完成 → 候选 → 拟获评 → 公示中 → 已获评. An
    application counts once per step whatever the rounds it took (退回修改 and resubmission
    do not count it twice); 公示中 and 公示撤回 count as 拟获评 reached; 未获评 as 候选
    reached; 评审淘汰 as 专家评审 reached. So each step's count is the number of
    applications whose furthest step is that step or a later one.
    """
    furthest_event = Subquery(
        ApplicationEvent.objects.filter(application=OuterRef("pk"))
        .annotate(rank=_rank("to_state"))
        .order_by("-rank")
        .values("rank")[:1],
        output_field=IntegerField(),
    )
    rows = (
        submitted(cycle)
        .annotate(furthest=Greatest(Coalesce(furthest_event, Value(0)), _rank("state")))
        .values("kind", "furthest")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {kind: [0] * len(FUNNEL) for kind in ApplicantKind.values}
    for row in rows:
        steps = counts.setdefault(row["kind"], [0] * len(FUNNEL))
        for rank in range(row["furthest"] + 1):
            steps[rank] += row["n"]
    return counts


@dataclass(frozen=True)
class CountyRow:
    county: County
    by_group: list[int]  # one count per STATE_GROUPS entry

    @property
    def total(self) -> int:
        return sum(self.by_group)


def by_county(cycle) -> list[CountyRow]:
    """Each county's submitted applications per state group (two queries: counties, counts).
    Counties without applications in the cycle are listed too, with zeros, when active."""
    counts: dict[int, list[int]] = {}
    for row in submitted(cycle).values("county_id", "state").annotate(n=Count("pk")).order_by():
        counts.setdefault(row["county_id"], [0] * len(STATE_GROUPS))[
            GROUP_OF_STATE[row["state"]]
        ] += row["n"]
    counties = County.objects.filter(Q(is_active=True) | Q(pk__in=list(counts)))
    return [CountyRow(c, counts.get(c.pk, [0] * len(STATE_GROUPS))) for c in counties]


@dataclass(frozen=True)
class Deadline:
    label: str
    on: datetime.date
    days_left: int  # negative: passed that many days ago

    @property
    def badge(self) -> str:
        if self.days_left < 0:
            return "text-bg-secondary"
        if self.days_left <= 3:
            return "text-bg-danger"
        if self.days_left <= 7:
            return "text-bg-warning"
        return "text-bg-success"


def deadlines(cycle, *, today: datetime.date | None = None) -> list[Deadline]:
    """Days left to each deadline the cycle has set (no query: fields of the cycle)."""
    today = today or timezone.localdate()
    dates = (
        (_("申报截止"), timezone.localtime(cycle.application_deadline).date()),
        (_("初审截止"), cycle.preliminary_deadline),
        (_("复核截止"), cycle.recheck_deadline),
        (_("专家评审截止"), cycle.review_deadline),
        (_("公示结束"), cycle.publicity_ends_on),
    )
    return [Deadline(str(label), on, (on - today).days) for label, on in dates if on is not None]


def stuck(cycle, *, days: int = STUCK_DAYS, now=None):
    """Applications of the cycle whose last ApplicationEvent is older than `days` days and
    whose state is not settled (final, 已获评 or draft): oldest first, one query. An
    application without any event counts from its submission time."""
    now = now or timezone.now()
    return (
        submitted(cycle)
        .exclude(state__in=SETTLED_STATES)
        .annotate(last_event=Coalesce(Max("events__created_at"), "submitted_at"))
        .filter(last_event__lt=now - datetime.timedelta(days=days))
        .select_related("county")
        .order_by("last_event", "pk")
    )


@dataclass(frozen=True)
class CycleFigures:
    cycle: Cycle
    applications: int
    winners: int


def earlier_cycles(cycle) -> list[CycleFigures]:
    """This cycle and the ones before it (not 筹备): submitted applications and winners
    (已获评) per cycle, oldest first (one query)."""
    cycles = (
        Cycle.objects.filter(number__lte=cycle.number)
        .exclude(phase=CyclePhase.DRAFT)
        .annotate(
            n_applications=Count("applications", filter=Q(applications__round__gte=1)),
            n_winners=Count("applications", filter=Q(applications__state__in=WON_STATES)),
        )
        .order_by("number")
    )
    return [CycleFigures(c, c.n_applications, c.n_winners) for c in cycles]


def winners_by_county(cycles: list[Cycle]) -> list[tuple[County, list[int]]]:
    """Winners (已获评) per county and cycle: [(county, [count per cycle in order])] for
    the counties that had a winner in any of `cycles` (two queries)."""
    index = {c.pk: i for i, c in enumerate(cycles)}
    counts: dict[int, list[int]] = {}
    rows = (
        Application.objects.filter(cycle__in=list(index), state__in=WON_STATES)
        .values("county_id", "cycle_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["county_id"], [0] * len(cycles))[index[row["cycle_id"]]] += row["n"]
    counties = County.objects.filter(pk__in=list(counts)) if counts else []
    return [(county, counts[county.pk]) for county in counties]
