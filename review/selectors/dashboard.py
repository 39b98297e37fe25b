"""Reads of the agency's review dashboard (评审看板): progress per group and stage, the score
distribution per group and per expert beside the cycle's mean, and the spread of the
experts' individual scores per item before consensus.

Every figure is aggregated in the database; the number of queries does not depend on the
number of applications, experts or scores.

Calibration rule (as Baldrige judges calibrate; flagged for the agency, never corrected):
for each scored stage, the cycle's mean is the mean percentage of every live individual
item score of the stage. An expert (or a group) is flagged when the mean of its item
percentages in that stage differs from the cycle's mean by more than
CALIBRATION_POINTS percentage points, or by more than CALIBRATION_SD standard deviations of
the experts' (groups') means of that stage, provided there are at least CALIBRATION_MIN_PEERS
of them and the difference is at least CALIBRATION_FLOOR points (so that a nearly unanimous
pool does not flag a difference of a point or two).

Spread rule: for one application, stage and item scored by at least two experts, the spread
is the highest minus the lowest percentage; a spread of SPREAD_FLAG points or more is
highlighted for the consensus discussion.
"""

import statistics
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Max, Min, Q

from applications.models import Application
from review.enums import SCORED_STAGES, Stage
from review.models import (
    Assignment,
    ConsensusScore,
    Criterion,
    Exclusion,
    Expert,
    GroupMembership,
    ReviewGroup,
    Score,
    StageSignOff,
    StageSubmission,
)
from review.selectors.pool import plan_of

CALIBRATION_POINTS = 10
CALIBRATION_SD = 1.5
CALIBRATION_FLOOR = 5
CALIBRATION_MIN_PEERS = 3
SPREAD_FLAG = 20

_GROUP = "application__review_assignments__group_id"
_ACTIVE = {"application__review_assignments__removed_at__isnull": True}


def _pct(part, whole):
    return None if not whole else round(100 * part / whole, 2)


@dataclass
class ProgressRow:
    group_id: int
    group: str
    stage: str
    stage_label: str
    applications: int  # applications assigned to the group (active assignments)
    sheets: int  # expert score sheets expected: live members × applications
    scored: int  # sheets with at least one saved item score
    submitted: int  # sheets handed in
    agreed: int  # applications with consensus saved
    signed: int  # applications whose stage the leader signed

    @property
    def scored_pct(self):
        return _pct(self.scored, self.sheets)

    @property
    def submitted_pct(self):
        return _pct(self.submitted, self.sheets)

    @property
    def agreed_pct(self):
        return _pct(self.agreed, self.applications)

    @property
    def signed_pct(self):
        return _pct(self.signed, self.applications)


@dataclass
class MeanRow:
    """One expert's or one group's mean item percentage per stage, with its deviations."""

    key: int
    name: str
    group: str = ""
    means: dict = field(default_factory=dict)  # stage -> mean percentage
    counts: dict = field(default_factory=dict)  # stage -> item scores counted
    deviations: dict = field(default_factory=dict)  # stage -> mean − cycle mean
    flags: dict = field(default_factory=dict)  # stage -> reason text key ("points"/"sd")
    cells: list = field(default_factory=list)  # (stage, mean, deviation, flag) in stage order

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


@dataclass
class SpreadRow:
    criterion_id: int
    code: str
    name: str
    stage: str
    stage_label: str
    spread: int  # the largest max − min (one application) or the largest over the cycle
    mean_spread: float | None  # over the cycle's applications (None for one application)
    wide: int  # applications with a spread of SPREAD_FLAG or more
    experts: int  # for one application: the experts who scored the item

    @property
    def highlighted(self) -> bool:
        return self.spread >= SPREAD_FLAG


def _stages(plan) -> list[str]:
    if plan is None:
        return [str(stage) for stage in SCORED_STAGES]
    return [str(stage) for stage in plan.required_scored_stages] or [
        str(stage) for stage in SCORED_STAGES
    ]


def _expected_sheets(cycle) -> dict[int, int]:
    """{group id: live member × active assignment pairs}, exclusions taken off."""
    tables = {
        "membership": GroupMembership._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "group": ReviewGroup._meta.db_table,
        "expert": Expert._meta.db_table,
        "exclusion": Exclusion._meta.db_table,
    }
    sql = """
        SELECT m.group_id, COUNT(*)
        FROM {membership} m
        JOIN {group} g ON g.id = m.group_id
        JOIN {assignment} a ON a.group_id = m.group_id AND a.removed_at IS NULL
        JOIN {expert} e ON e.id = m.expert_id AND e.disqualified_at IS NULL
        WHERE g.cycle_id = %s AND NOT EXISTS (
            SELECT 1 FROM {exclusion} x
            WHERE x.application_id = a.application_id AND x.expert_id = m.expert_id
        )
        GROUP BY m.group_id
    """.format(**tables)  # table names come from the models; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [cycle.pk])
        return dict(cursor.fetchall())


def _by_group_stage(queryset, group_field, count) -> dict[tuple[int, str], int]:
    return {
        (row["g"], row["stage"]): row["n"]
        for row in queryset.order_by().values("stage", g=F(group_field)).annotate(n=count)
    }


def _expert_scores(cycle):
    """One row per (group, expert, stage): sheets scored (applications), item scores counted,
    mean percentage. Scores are first summed per sheet (application, stage, expert), so the
    join to the assignment and the expert is made on sheets, not on every item score."""
    tables = {
        "score": Score._meta.db_table,
        "application": Application._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "expert": Expert._meta.db_table,
    }
    sql = """
        SELECT a.group_id, sh.expert_id, e.name, sh.stage,
               COUNT(*), CAST(SUM(sh.n) AS INTEGER),
               CAST(SUM(sh.total) AS DOUBLE PRECISION) / SUM(sh.n)
        FROM (
            SELECT application_id, stage, expert_id, COUNT(*) AS n, SUM(percentage) AS total
            FROM {score}
            WHERE NOT excluded
              AND application_id IN (SELECT id FROM {application} WHERE cycle_id = %s)
            GROUP BY application_id, stage, expert_id
        ) sh
        JOIN {assignment} a ON a.application_id = sh.application_id AND a.removed_at IS NULL
        JOIN {expert} e ON e.id = sh.expert_id
        GROUP BY a.group_id, sh.expert_id, e.name, sh.stage
    """.format(**tables)  # table names come from the models; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [cycle.pk])
        return [
            {
                "g": group,
                "expert_id": expert,
                "expert__name": name,
                "stage": stage,
                "sheets": sheets,
                "n": n,
                "mean": mean,
            }
            for group, expert, name, stage, sheets, n, mean in cursor.fetchall()
        ]


def review_dashboard(cycle) -> dict:
    """Progress, distribution and calibration flags of the cycle's review."""
    plan = plan_of(cycle)
    stages = _stages(plan)
    groups = list(
        ReviewGroup.objects.filter(cycle=cycle)
        .annotate(
            applications=Count(
                "assignments", filter=Q(assignments__removed_at__isnull=True), distinct=True
            )
        )
        .order_by("name", "pk")
    )
    expected = _expected_sheets(cycle)
    scores = _expert_scores(cycle)
    submitted = _by_group_stage(
        StageSubmission.objects.filter(excluded=False, application__cycle=cycle, **_ACTIVE),
        _GROUP,
        Count("pk"),
    )
    agreed = _by_group_stage(
        ConsensusScore.objects.filter(excluded=False, application__cycle=cycle, **_ACTIVE),
        _GROUP,
        Count("application_id", distinct=True),
    )
    signed = _by_group_stage(
        StageSignOff.objects.filter(application__cycle=cycle, **_ACTIVE), _GROUP, Count("pk")
    )
    scored = {}
    for row in scores:
        key = (row["g"], row["stage"])
        scored[key] = scored.get(key, 0) + row["sheets"]
    progress = [
        ProgressRow(
            group_id=group.pk,
            group=group.name,
            stage=stage,
            stage_label=str(Stage(stage).label),
            applications=group.applications,
            sheets=expected.get(group.pk, 0),
            scored=scored.get((group.pk, stage), 0),
            submitted=submitted.get((group.pk, stage), 0),
            agreed=agreed.get((group.pk, stage), 0),
            signed=signed.get((group.pk, stage), 0),
        )
        for group in groups
        for stage in stages
    ]
    names = {group.pk: group.name for group in groups}
    cycle_means, experts, group_rows = _distribution(scores, stages, names)
    return {
        "stages": stages,
        "stage_labels": {stage: str(Stage(stage).label) for stage in stages},
        "progress": progress,
        "cycle_means": cycle_means,
        "stage_columns": [(str(Stage(stage).label), cycle_means.get(stage)) for stage in stages],
        "experts": experts,
        "groups": group_rows,
        "plan": plan,
    }


def _distribution(scores, stages, group_names):
    """The cycle's mean per stage, each expert's and each group's mean, flags (see above)."""
    totals = {}  # stage -> [sum, n]
    experts: dict[tuple[int, int], MeanRow] = {}
    groups: dict[int, MeanRow] = {}
    group_totals = {}  # (group, stage) -> [sum, n]
    for row in scores:
        if row["stage"] not in stages:
            continue
        stage, n, mean = row["stage"], row["n"], float(row["mean"])
        total = totals.setdefault(stage, [0.0, 0])
        total[0] += mean * n
        total[1] += n
        expert = experts.setdefault(
            (row["g"], row["expert_id"]),
            MeanRow(row["expert_id"], row["expert__name"], group_names.get(row["g"], "")),
        )
        expert.means[stage] = mean
        expert.counts[stage] = n
        g_total = group_totals.setdefault((row["g"], stage), [0.0, 0])
        g_total[0] += mean * n
        g_total[1] += n
    cycle_means = {
        stage: totals[stage][0] / totals[stage][1] for stage in stages if stage in totals
    }
    for (group_id, stage), (total, n) in group_totals.items():
        row = groups.setdefault(group_id, MeanRow(group_id, group_names.get(group_id, "")))
        row.means[stage] = total / n
        row.counts[stage] = n
    expert_rows = sorted(experts.values(), key=lambda r: (r.group, r.name, r.key))
    group_rows = sorted(groups.values(), key=lambda r: (r.name, r.key))
    for rows in (expert_rows, group_rows):
        _flag(rows, cycle_means)
        for row in rows:
            row.cells = [
                (stage, row.means.get(stage), row.deviations.get(stage), row.flags.get(stage, ""))
                for stage in stages
            ]
    return cycle_means, expert_rows, group_rows


def _flag(rows, cycle_means):
    for stage, cycle_mean in cycle_means.items():
        peers = [row for row in rows if stage in row.means]
        means = [row.means[stage] for row in peers]
        sd = statistics.pstdev(means) if len(means) >= CALIBRATION_MIN_PEERS else None
        for row in peers:
            deviation = row.means[stage] - cycle_mean
            row.deviations[stage] = deviation
            if abs(deviation) > CALIBRATION_POINTS:
                row.flags[stage] = "points"
            elif (
                sd and abs(deviation) > CALIBRATION_SD * sd and abs(deviation) >= CALIBRATION_FLOOR
            ):
                row.flags[stage] = "sd"


def score_spread(cycle, stages, application=None) -> list[SpreadRow]:
    """Max − min of the experts' live percentages per item and stage: for one application,
    or over the cycle (the largest spread, the mean spread, and how many applications have
    a spread of SPREAD_FLAG or more). Items scored by one expert only are left out."""
    if application is not None:
        rows = (
            Score.objects.filter(excluded=False, application=application, stage__in=stages)
            .order_by()
            .values("stage", "criterion_id")
            .annotate(
                spread=Max("percentage") - Min("percentage"),
                experts=Count("pk"),
            )
            .filter(experts__gte=2)
        )
        figures = {
            (r["stage"], r["criterion_id"]): (
                r["spread"],
                None,
                int(r["spread"] >= SPREAD_FLAG),
                r["experts"],
            )
            for r in rows
        }
    else:
        score_table = Score._meta.db_table
        application_table = Application._meta.db_table
        stage_params = ", ".join(["%s"] * len(stages)) or "NULL"
        sql = f"""
            SELECT stage, criterion_id, MAX(spread), AVG(spread),
                   COUNT(*) FILTER (WHERE spread >= %s), 0
            FROM (
                SELECT s.stage, s.criterion_id, MAX(s.percentage) - MIN(s.percentage) AS spread
                FROM {score_table} s
                WHERE NOT s.excluded AND s.stage IN ({stage_params}) AND s.application_id IN (
                    SELECT id FROM {application_table} WHERE cycle_id = %s
                )
                GROUP BY s.application_id, s.stage, s.criterion_id
                HAVING COUNT(*) >= 2
            ) per_item
            GROUP BY stage, criterion_id
        """  # table names come from the models; values are parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, [SPREAD_FLAG, *stages, cycle.pk])
            figures = {
                (stage, criterion): (spread, float(mean), wide, experts)
                for stage, criterion, spread, mean, wide, experts in cursor.fetchall()
            }
    criteria = {
        c.pk: c
        for c in Criterion.objects.filter(pk__in={key[1] for key in figures}).only(
            "code", "name", "order", "criteria_set_id"
        )
    }
    order = {stage: i for i, stage in enumerate(stages)}
    result = [
        SpreadRow(
            criterion_id=criterion_id,
            code=criteria[criterion_id].code,
            name=criteria[criterion_id].name,
            stage=stage,
            stage_label=str(Stage(stage).label),
            spread=spread,
            mean_spread=mean,
            wide=wide,
            experts=experts,
        )
        for (stage, criterion_id), (spread, mean, wide, experts) in figures.items()
    ]
    result.sort(
        key=lambda r: (
            criteria[r.criterion_id].criteria_set_id,
            criteria[r.criterion_id].order,
            r.criterion_id,
            order[r.stage],
        )
    )
    return result
