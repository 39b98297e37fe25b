"""Reads of the expert's and the group leader's scoring pages, scoped to the user: tasks, the
assigned application, score sheets, the group's scores and the stage's history."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    StdDev,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Round
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from award.compiled_queries import CompiledQuery
from award.permissions import holds_object_perm, with_object_perm
from review.enums import SCORED_STAGES, Stage
from review.exceptions import NotAssigned
from review.models import (
    Assignment,
    ConflictDeclaration,
    ConsensusScore,
    Criterion,
    Exclusion,
    Expert,
    GroupMembership,
    ReviewPlan,
    Score,
    ScoreCorrection,
    SiteVisit,
    StageSignOff,
    StageSubmission,
)
from review.models.groups import SCORE_ASSIGNMENT
from review.permissions import can_read_review, expert_of, holds_assignment
from review.scoring import BANDS, band_of


def stage_label(stage: str) -> str:
    return str(Stage(stage).label)


@dataclass
class StageProgress:
    stage: str
    label: str
    scored: int
    items: int
    submitted: bool
    signed: bool
    all_submitted: bool

    @property
    def status(self) -> str:
        if self.signed:
            return _("组长已签字确认")
        if self.submitted:
            return _("已提交")
        return _("已评 %(scored)s / %(items)s 项") % {"scored": self.scored, "items": self.items}


@dataclass
class Task:
    assignment: Assignment
    declared: bool
    is_leader: bool
    stages: list[StageProgress] = field(default_factory=list)
    # The row's labels, translated once per list rather than once per row.
    cycle_label: str = ""
    kind_label: str = ""
    state_label: str = ""

    @property
    def application(self):
        return self.assignment.application


def assignments_for_expert(user) -> QuerySet[Assignment]:
    """Open assignments the user holds the guardian permission on, with the declaration."""
    expert = expert_of(user)
    if expert is None:
        return Assignment.objects.none()
    return _held_assignments(user, expert)


def _held_assignments(user, expert) -> QuerySet[Assignment]:
    """assignments_for_expert for a user known to act as `expert`."""
    held = with_object_perm(user, SCORE_ASSIGNMENT, Assignment.objects.active())
    mine = ConflictDeclaration.objects.filter(
        assignment=OuterRef("pk"), expert_id=expert.pk, has_conflict=False
    )
    # The lists read the group's leader_id, never the leader; nor the 申报表 itself.
    return (
        held.select_related("application__cycle__review_plan", "application__county", "group")
        .defer("application__form_data")
        .annotate(declared=Exists(mine))
        .order_by("assigned_at", "pk")
    )


# What the task list reads of an assignment and what it joins: each further column is one
# more value converted per row (the dates most of all). The cycle's phase, an FSM field, is
# read as each cycle is built (ConcurrentTransitionMixin).
TASK_COLUMNS = (
    "application_id",
    "group_id",
    "assigned_at",
    "application__name",
    "application__kind",
    "application__state",
    "application__county__name",
    "application__cycle__number",
    "application__cycle__year",
    "application__cycle__phase",
    "application__cycle__review_plan__materials_weight",
    "application__cycle__review_plan__site_visit_weight",
    "application__cycle__review_plan__defence_weight",
    "application__cycle__review_plan__unit_criteria_id",
    "application__cycle__review_plan__individual_criteria_id",
    "group__name",
    "group__leader_id",
)


@dataclass
class ReviewState:
    """What the task list shows of the expert's applications besides the assignments."""

    item_counts: dict = field(default_factory=dict)  # criteria set → scored items
    scored: dict = field(default_factory=dict)  # (application, stage) → the expert's scores
    submitted: defaultdict = field(default_factory=lambda: defaultdict(set))
    signed: set = field(default_factory=set)  # (application, stage)
    members: defaultdict = field(default_factory=lambda: defaultdict(set))  # of a group
    excluded: defaultdict = field(default_factory=lambda: defaultdict(set))  # from an app


ITEMS, SCORED, SUBMITTED, SIGNED, MEMBER, EXCLUDED = range(1, 7)


def _review_state_query(expert_id):
    """ReviewState's six reads joined by UNION ALL, each row tagged with the read it comes
    from as (tag, key, stage, number): the number is a count or an expert. They cover the
    applications assigned to the expert's groups, the groups and every criteria set, of
    which the task list looks up its own (an expert holds assignments of their groups only)."""
    no_number = Value(None, output_field=IntegerField())
    no_stage = Value(None, output_field=CharField())
    groups = GroupMembership.objects.filter(expert_id=expert_id).values("group_id")
    applications = Assignment.objects.active().filter(group_id__in=groups).values("application_id")
    reads = [
        Criterion.objects.items()
        .values("criteria_set_id")
        .annotate(tag=Value(ITEMS), stage=no_stage, n=Count("pk"))
        .values_list("tag", "criteria_set_id", "stage", "n"),
        Score.objects.filter(expert_id=expert_id, excluded=False)
        .values("application_id", "stage")
        .annotate(tag=Value(SCORED), n=Count("pk"))
        .values_list("tag", "application_id", "stage", "n"),
        StageSubmission.objects.filter(application_id__in=applications, excluded=False)
        .annotate(tag=Value(SUBMITTED))
        .values_list("tag", "application_id", "stage", "expert_id"),
        StageSignOff.objects.filter(application_id__in=applications)
        .annotate(tag=Value(SIGNED), number=no_number)
        .values_list("tag", "application_id", "stage", "number"),
        GroupMembership.objects.filter(group_id__in=groups, expert__disqualified_at__isnull=True)
        .annotate(tag=Value(MEMBER), stage=no_stage)
        .values_list("tag", "group_id", "stage", "expert_id"),
        Exclusion.objects.filter(application_id__in=applications)
        .annotate(tag=Value(EXCLUDED), stage=no_stage)
        .values_list("tag", "application_id", "stage", "expert_id"),
    ]
    first, *others = (read.order_by() for read in reads)
    return first.union(*others, all=True)


# Read on every view of the task list: compiled once (award.compiled_queries).
REVIEW_STATE = CompiledQuery(_review_state_query, "expert_id")


def _review_state(expert) -> ReviewState:
    """ReviewState of the expert's groups and their applications, in one compiled query."""
    state = ReviewState()
    for tag, key, stage, number in REVIEW_STATE.rows(expert_id=expert.pk):
        if tag == ITEMS:
            state.item_counts[key] = number
        elif tag == SCORED:
            state.scored[(key, stage)] = number
        elif tag == SUBMITTED:
            state.submitted[(key, stage)].add(number)
        elif tag == SIGNED:
            state.signed.add((key, stage))
        elif tag == MEMBER:
            state.members[key].add(number)
        else:
            state.excluded[key].add(number)
    return state


def _label(labels: dict, key, source) -> str:
    """The label of `key`, made from `source` (a callable or an object) the first time."""
    if key not in labels:
        labels[key] = str(source() if callable(source) else source)
    return labels[key]


def expert_tasks(user) -> list[Task]:
    """我的评审任务: each live assignment with the user's progress per scored stage.

    A fixed number of queries whatever the number of assignments; only the applications
    the user holds the scoring permission on (DESIGN.md §5), which a conflict revokes.
    """
    expert = expert_of(user)
    if expert is None:
        return []
    assignments = list(
        _held_assignments(user, expert).only(*TASK_COLUMNS).order_by("-assigned_at", "-pk")
    )
    if not assignments:
        return []
    plans = {
        a.application.cycle_id: plan
        for a in assignments
        if (plan := getattr(a.application.cycle, "review_plan", None))
    }
    state = _review_state(expert)
    stage_labels = {stage: stage_label(stage) for stage in SCORED_STAGES}
    labels = {}
    tasks = []
    for assignment in assignments:
        application = assignment.application
        plan = plans.get(application.cycle_id)
        task = Task(
            assignment=assignment,
            declared=assignment.declared,
            is_leader=assignment.group.leader_id == expert.pk,
            cycle_label=_label(labels, ("cycle", application.cycle_id), application.cycle),
            kind_label=_label(labels, application.kind, application.get_kind_display),
            state_label=_label(labels, application.state, application.get_state_display),
        )
        if plan is not None:
            items = state.item_counts.get(plan.criteria_set_id_for(application.kind), 0)
            live = state.members[assignment.group_id] - state.excluded[application.pk]
            for stage in plan.required_scored_stages:
                key = (application.pk, stage)
                task.stages.append(
                    StageProgress(
                        stage=stage,
                        label=stage_labels[stage],
                        scored=state.scored.get(key, 0),
                        items=items,
                        submitted=expert.pk in state.submitted[key],
                        signed=key in state.signed,
                        all_submitted=bool(live) and live <= state.submitted[key],
                    )
                )
        tasks.append(task)
    return tasks


@dataclass
class Assigned:
    """An application the user reviews now, with what every page about it needs."""

    assignment: Assignment
    expert: object
    plan: ReviewPlan | None
    declared: bool

    @property
    def application(self):
        return self.assignment.application

    @property
    def is_leader(self) -> bool:
        return self.assignment.group.leader_id == self.expert.pk

    @property
    def stages(self) -> list[str]:
        return self.plan.required_scored_stages if self.plan else []

    @property
    def in_review(self) -> bool:
        return self.application.state == ApplicationState.IN_REVIEW


def assigned_application(user, pk) -> Assigned:
    """The application `pk` if the user is a live expert on it; NotAssigned (404) otherwise:
    not assigned, excluded for a conflict, disqualified, or the assignment removed."""
    expert = expert_of(user)
    assignment = (
        Assignment.objects.active()
        .filter(application_id=pk)
        .select_related("application__cycle", "application__county", "group")
        .first()
    )
    if (
        expert is None
        or not holds_assignment(assignment, user)
        or Exclusion.objects.filter(application_id=pk, expert=expert).exists()
    ):
        raise NotAssigned
    plan = (
        ReviewPlan.objects.filter(cycle_id=assignment.application.cycle_id)
        .select_related("unit_criteria", "individual_criteria")
        .first()
    )
    declared = ConflictDeclaration.objects.filter(
        assignment=assignment, expert=expert, has_conflict=False
    ).exists()
    return Assigned(assignment=assignment, expert=expert, plan=plan, declared=declared)


def own_declaration(assigned: Assigned) -> ConflictDeclaration | None:
    return ConflictDeclaration.objects.filter(
        assignment=assigned.assignment, expert=assigned.expert
    ).first()


@dataclass
class BandChoice:
    label: str
    descriptor: str
    values: list[tuple[int, bool]]  # (percentage, chosen)


@dataclass
class SheetItem:
    criterion: Criterion
    row: object | None  # Score or ConsensusScore already saved
    bands: list[BandChoice] = field(default_factory=list)
    form: object | None = None  # a bound form that failed, shown with its errors
    spread: object | None = None

    @property
    def band(self) -> str:
        return band_of(self.row.percentage).label if self.row else ""

    @property
    def chosen(self):
        if self.form is not None:
            return self.form.data.get("percentage")
        return str(self.row.percentage) if self.row else None


def band_choices(kind: str, chosen) -> list[BandChoice]:
    chosen = str(chosen) if chosen not in (None, "") else None
    return [
        BandChoice(
            label=band.label,
            descriptor=band.descriptor(kind),
            values=[(value, str(value) == chosen) for value in band.choices],
        )
        for band in BANDS
    ]


def band_descriptors(kind: str) -> list[dict]:
    """The six bands with the descriptor for a process or result item, for the score form."""
    return [
        {"label": band.label, "choices": band.choices, "descriptor": band.descriptor(kind)}
        for band in BANDS
    ]


def stage_criteria(application, plan) -> list[Criterion]:
    """The scored items (leaves) of the plan's criteria set for the applicant's kind."""
    return list(
        Criterion.objects.items()
        .filter(criteria_set_id=plan.criteria_set_id_for(application.kind))
        .select_related("parent")
        .order_by("order", "pk")
    )


@dataclass
class Progress:
    scored: int
    items: int
    total: Decimal
    full: int
    missing: list[Criterion]

    @property
    def complete(self) -> bool:
        return not self.missing


def progress_of(criteria: list[Criterion], rows: dict) -> Progress:
    return Progress(
        scored=sum(1 for c in criteria if c.pk in rows),
        items=len(criteria),
        total=sum((rows[c.pk].points for c in criteria if c.pk in rows), Decimal("0")),
        full=sum(c.points for c in criteria),
        missing=[c for c in criteria if c.pk not in rows],
    )


def own_scores(application, stage, expert) -> dict[int, Score]:
    return {
        score.criterion_id: score
        for score in Score.objects.filter(
            application=application, stage=stage, expert=expert, excluded=False
        )
    }


def consensus_rows(application, stage) -> dict[int, ConsensusScore]:
    return {
        row.criterion_id: row
        for row in ConsensusScore.objects.filter(
            application=application, stage=stage, excluded=False
        )
    }


def sheet(criteria, rows: dict, bound: dict | None = None) -> list[SheetItem]:
    bound = bound or {}
    items = []
    for criterion in criteria:
        item = SheetItem(
            criterion=criterion, row=rows.get(criterion.pk), form=bound.get(criterion.pk)
        )
        item.bands = band_choices(criterion.kind, item.chosen)
        items.append(item)
    return items


def is_submitted(application, stage, expert) -> bool:
    return StageSubmission.objects.filter(
        application=application, stage=stage, expert=expert, excluded=False
    ).exists()


def sign_off(application, stage) -> StageSignOff | None:
    return (
        StageSignOff.objects.filter(application=application, stage=stage)
        .select_related("signed_by")
        .first()
    )


def site_visit(application) -> SiteVisit | None:
    return SiteVisit.objects.filter(application=application).first()


def live_member_ids(assignment) -> list[int]:
    excluded = Exclusion.objects.filter(application_id=assignment.application_id).values(
        "expert_id"
    )
    return list(
        GroupMembership.objects.filter(
            group_id=assignment.group_id, expert__disqualified_at__isnull=True
        )
        .exclude(expert_id__in=excluded)
        .values_list("expert_id", flat=True)
    )


def stage_scores_for(application, stage: str, user) -> QuerySet[Score]:
    """Scores of a stage the user may see: the office, auditor and agency all of them; an
    expert their own, and the others' submitted ones once they submitted their own (§5)."""
    scores = (
        Score.objects.filter(application=application, stage=stage, excluded=False)
        .select_related("criterion", "expert")
        .order_by("criterion__order", "expert__name", "pk")
    )
    if can_read_review(application.cycle, user):
        return scores
    expert = expert_of(user)
    assignment = Assignment.objects.active().filter(application=application).first()
    if (
        expert is None
        or assignment is None
        or not holds_object_perm(user, SCORE_ASSIGNMENT, assignment)
    ):
        return scores.none()
    submissions = StageSubmission.objects.filter(
        application=application, stage=stage, excluded=False
    )
    if not submissions.filter(expert=expert).exists():
        return scores.filter(expert=expert)
    # Others' drafts stay private: only what each of them has submitted is shown.
    return scores.filter(Q(expert=expert) | Q(expert_id__in=submissions.values("expert_id")))


def consensus_spread(application, stage: str) -> list[dict]:
    """Per scored item: the experts' lowest, highest and mean percentage, their spread and
    count, beside the consensus so far — what the leader looks at in 合议. Two queries."""
    plan = ReviewPlan.objects.get(cycle_id=application.cycle_id)
    spread = {
        row["criterion_id"]: row
        for row in Score.objects.filter(application=application, stage=stage, excluded=False)
        .values("criterion_id")
        .annotate(
            low=Min("percentage"),
            high=Max("percentage"),
            mean=Round(Sum("percentage") * 1.0 / Count("pk"), 1),
            deviation=Round(StdDev("percentage"), 1),
            experts=Count("expert", distinct=True),
        )
    }
    consensus = ConsensusScore.objects.filter(
        application=application, stage=stage, excluded=False, criterion=OuterRef("pk")
    )
    items = (
        Criterion.objects.items()
        .filter(criteria_set_id=plan.criteria_set_id_for(application.kind))
        .annotate(
            consensus_percentage=Subquery(consensus.values("percentage")[:1]),
            consensus_points=Subquery(consensus.values("points")[:1]),
        )
        .order_by("order")
    )
    rows = []
    for item in items:
        found = spread.get(item.pk, {})
        rows.append(
            {
                "criterion": item,
                "low": found.get("low"),
                "high": found.get("high"),
                "mean": found.get("mean"),
                "deviation": found.get("deviation"),
                "experts": found.get("experts", 0),
                "consensus_percentage": item.consensus_percentage,
                "consensus_points": item.consensus_points,
            }
        )
    return rows


@dataclass
class Spread:
    """Each submitted expert's percentage of one item, with min, max and mean."""

    scores: list  # Score rows (or None where an expert gave none), in the column order

    @property
    def percentages(self) -> list[int]:
        return [s.percentage for s in self.scores if s is not None]

    @property
    def low(self):
        return min(self.percentages, default=None)

    @property
    def high(self):
        return max(self.percentages, default=None)

    @property
    def mean(self):
        values = self.percentages
        if not values:
            return None
        mean = Decimal(sum(values)) / Decimal(len(values))
        return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class GroupScores:
    """The submitted experts' scores of a stage (columns) and who has not submitted yet."""

    experts: list  # Expert, submitted, in name order
    pending: list  # Expert, live but not submitted
    by_item: dict  # criterion id → Spread
    totals: list  # Decimal per expert column


def group_scores(assignment, stage, criteria) -> GroupScores:
    """Only what was submitted is shown: a draft stays the expert's own until handed in."""
    application_id = assignment.application_id
    live = set(live_member_ids(assignment))
    submitted = set(
        StageSubmission.objects.filter(
            application_id=application_id, stage=stage, excluded=False
        ).values_list("expert_id", flat=True)
    )
    experts = list(Expert.objects.filter(pk__in=live).order_by("name", "pk"))
    shown = [e for e in experts if e.pk in submitted]
    pending = [e for e in experts if e.pk not in submitted]
    rows = {
        (s.expert_id, s.criterion_id): s
        for s in Score.objects.filter(
            application_id=application_id,
            stage=stage,
            excluded=False,
            expert_id__in=[e.pk for e in shown],
        ).select_related("expert")
    }
    by_item = {c.pk: Spread(scores=[rows.get((e.pk, c.pk)) for e in shown]) for c in criteria}
    totals = [
        sum((rows[(e.pk, c.pk)].points for c in criteria if (e.pk, c.pk) in rows), Decimal("0"))
        for e in shown
    ]
    return GroupScores(experts=shown, pending=pending, by_item=by_item, totals=totals)


def stage_corrections(application, stage) -> list[ScoreCorrection]:
    return list(
        ScoreCorrection.objects.filter(application=application, stage=stage)
        .select_related("criterion", "expert", "corrected_by")
        .order_by("created_at", "pk")
    )


def stage_submissions(application, stage) -> list[StageSubmission]:
    return list(
        StageSubmission.objects.filter(application=application, stage=stage, excluded=False)
        .select_related("expert")
        .order_by("submitted_at", "pk")
    )


def consensus_total(application, stage) -> Decimal:
    total = ConsensusScore.objects.filter(
        application=application, stage=stage, excluded=False
    ).aggregate(total=Sum("points"))["total"]
    return total or Decimal("0")


def corrected_total(total: Decimal, corrections: list[ScoreCorrection]) -> Decimal:
    """The consensus total after the corrections of consensus items (DESIGN.md §9)."""
    return total + sum((c.delta for c in corrections if c.expert_id is None), Decimal("0"))


def unsigned_stages(application) -> list[str]:
    signed = set(
        StageSignOff.objects.filter(application=application).values_list("stage", flat=True)
    )
    return [stage for stage in SCORED_STAGES if stage not in signed]


def stage_status(assigned: Assigned) -> dict[str, dict]:
    """Per scored stage: submitted by the user, signed — for the application's overview."""
    application, expert = assigned.application, assigned.expert
    submitted = set(
        StageSubmission.objects.filter(
            application=application, expert=expert, excluded=False
        ).values_list("stage", flat=True)
    )
    signed = set(
        StageSignOff.objects.filter(application=application).values_list("stage", flat=True)
    )
    counts = dict(
        Score.objects.filter(application=application, expert=expert, excluded=False)
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return {
        stage: {
            "stage": stage,
            "label": stage_label(stage),
            "scored": counts.get(stage, 0),
            "submitted": stage in submitted,
            "signed": stage in signed,
        }
        for stage in SCORED_STAGES
        if stage in assigned.stages
    }
