"""Figures and charts of the decisions floor (issue 12, items 3–5).

- The leading group's candidates at a glance: per applicant kind, each candidate's stage
  scores and final score, drawn from the rows the candidate list and the ballot already read
  (no query of its own). Units and individuals are scored on different scales (1000 points of
  GB/T 19580 against 100), so each kind has its own chart.
- The public's results in numbers for a published cycle: applications received (submitted at
  least once) by county and by kind, and winners by category. Counts only: no name, no
  personal data, nothing that identifies an applicant that did not win. The counts are read
  with the same SQL the winners page's cache fingerprint carries (RECEIVED_SQL), so the cached
  page changes as soon as a figure does.
"""

import json
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import connection
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import JSONField
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
from award.charts import Chart, draw
from award.enums import ApplicantKind, AwardCategory
from award.models import County
from decisions.enums import HonourStatus

# Full marks of each kind's criteria set (review.selectors.ranking.set_totals).
FULL_MARKS = {ApplicantKind.UNIT: 1000, ApplicantKind.INDIVIDUAL: 100}


def _number(value) -> float | None:
    return None if value is None else float(Decimal(value))


def draw_top_down(title: str, labels: list[str], series: list[tuple[str, list]], **options):
    """A horizontal chart whose first label is drawn at the top (pygal starts at the bottom);
    its table keeps the order given."""
    chart = draw(
        title,
        labels[::-1],
        [(name, list(values)[::-1]) for name, values in series],
        **options,
    )
    return replace(chart, labels=list(labels), series=list(series))


@dataclass
class KindChart:
    kind: str
    label: str
    chart: Chart


def candidate_score_chart(kind: str, label: str, candidates, stages: list[str]) -> Chart:
    """One kind's candidates (each with `stage_values` and `final_score`) as grouped
    horizontal bars: one series per scored stage and the final score, on the kind's scale."""
    names = [candidate.application.name for candidate in candidates]
    series = [
        (stage, [_number(candidate.stage_values[i]) for candidate in candidates])
        for i, stage in enumerate(stages)
    ]
    series.append((_("最终得分"), [_number(candidate.final_score) for candidate in candidates]))
    full = FULL_MARKS.get(kind, 100)
    highest = max((v for _name, values in series for v in values if v is not None), default=0)
    return draw_top_down(
        _("%(kind)s候选对象各阶段得分与最终得分（满分%(full)s分）") % {"kind": label, "full": full},
        names,
        series,
        kind="hbar",
        value_format="{:.2f}",
        height=max(320, 80 + 22 * len(names) * len(series)),
        range_=(0, max(full, highest)),
    )


def candidate_charts(sections, stages: list[str]) -> list[KindChart]:
    """A chart per kind that has candidates, from candidate_page()'s sections."""
    return [
        KindChart(
            section.kind,
            section.label,
            candidate_score_chart(section.kind, section.label, section.candidates, stages),
        )
        for section in sections
        if section.candidates
    ]


def ballot_charts(candidates, stages: list[str]) -> list[KindChart]:
    """A chart per kind for the candidates put to the vote (each with `stage_values`)."""
    charts = []
    for kind, label in ApplicantKind.choices:
        mine = [c for c in candidates if c.application.kind == kind]
        if mine:
            charts.append(KindChart(kind, label, candidate_score_chart(kind, label, mine, stages)))
    return charts


# The public's results in numbers ----------------------------------------------------------

_APPLICATIONS = Application._meta.db_table
_COUNTIES = County._meta.db_table
# Per county and kind, the cycle's applications submitted at least once: a JSON array of
# [county sort order, county name, kind, count], ordered; {cycle} is a query parameter (%s)
# or, in the winners page's cache fingerprint, the outer query's cycle column.
_RECEIVED_ROWS = (
    f"SELECT c.sort_order, c.name, a.kind, COUNT(*) AS n FROM {_APPLICATIONS} a "
    f"JOIN {_COUNTIES} c ON c.id = a.county_id "
    "WHERE a.cycle_id = {cycle} AND a.submitted_at IS NOT NULL "
    f"AND a.state <> '{ApplicationState.DRAFT.value}' "
    "GROUP BY c.sort_order, c.name, a.kind"
)
RECEIVED_SQL = (
    "SELECT COALESCE(jsonb_agg(jsonb_build_array(t.sort_order, t.name, t.kind, t.n) "
    f"ORDER BY t.sort_order, t.name, t.kind), '[]'::jsonb) FROM ({_RECEIVED_ROWS}) t"
)
# SQLite (make run): the same array; json_group_array keeps the ordered subquery's order.
RECEIVED_SQL_SQLITE = (
    "SELECT json_group_array(json_array(t.sort_order, t.name, t.kind, t.n)) FROM "
    f"({_RECEIVED_ROWS} ORDER BY c.sort_order, c.name, a.kind) t"
)


def _received_sql() -> str:
    return RECEIVED_SQL_SQLITE if connection.vendor == "sqlite" else RECEIVED_SQL


def received_annotation(cycle_column: str) -> RawSQL:
    """RECEIVED_SQL correlated to `cycle_column` of the outer query (a quoted column)."""
    return RawSQL(_received_sql().format(cycle=cycle_column), (), output_field=JSONField())


def received_counts(cycle) -> list[tuple[str, str, int]]:
    """[(county name, kind, count)] of applications received in `cycle`; one query."""
    with connection.cursor() as cursor:
        cursor.execute(_received_sql().format(cycle="%s"), [cycle.pk])
        (rows,) = cursor.fetchone()
    if isinstance(rows, str):
        rows = json.loads(rows)
    return [(name, kind, int(n)) for _order, name, kind, n in rows]


@dataclass
class PublicFigures:
    total: int
    by_county: Chart
    by_kind: Chart
    winners: Chart | None
    revoked: int


def public_figures(cycle, honours) -> PublicFigures:
    """The published cycle's results in numbers: applications received by county (a bar per
    county, a series per kind), by kind, and winners by category and kind from `honours`
    (the honours the winners page lists; no further query for them)."""
    counts = received_counts(cycle)
    kinds = ApplicantKind.choices
    counties = list(dict.fromkeys(name for name, _kind, _n in counts))
    table = {(name, kind): n for name, kind, n in counts}
    by_county = draw_top_down(
        _("各县区申报数量"),
        counties,
        [(str(label), [table.get((name, kind), 0) for name in counties]) for kind, label in kinds],
        kind="hstacked",
    )
    kind_totals = [sum(n for _name, k, n in counts if k == kind) for kind, _label in kinds]
    by_kind = draw(
        _("按申报主体类型的申报数量"),
        [str(label) for _kind, label in kinds],
        [(_("申报数量"), kind_totals)],
        kind="bar",
        height=300,
    )
    honours = list(honours)
    winners = draw(
        _("获评数量（按奖项类别）"),
        [str(label) for _value, label in AwardCategory.choices],
        [
            (
                str(label),
                [
                    sum(1 for h in honours if h.category == category and h.kind == kind)
                    for category, _category_label in AwardCategory.choices
                ],
            )
            for kind, label in kinds
        ],
        kind="stacked",
        height=320,
    )
    return PublicFigures(
        total=sum(kind_totals),
        by_county=by_county,
        by_kind=by_kind,
        winners=winners if honours else None,
        revoked=sum(1 for h in honours if h.status == HonourStatus.REVOKED),
    )
