"""The review dashboard's charts (award/charts.py): progress, the distribution beside the
cycle's mean, and the spread per item; drawn once for the page and the report PDF."""

from django.utils.translation import gettext as _

from award.charts import draw


def progress_chart(dashboard):
    rows = dashboard["progress"]
    return draw(
        _("各评审组各环节进度（%）"),
        [f"{row.group}·{row.stage_label}" for row in rows],
        [
            (_("已评分"), [row.scored_pct for row in rows]),
            (_("已提交"), [row.submitted_pct for row in rows]),
            (_("已合议"), [row.agreed_pct for row in rows]),
            (_("已签字"), [row.signed_pct for row in rows]),
        ],
        kind="hbar",
        value_format="{:.2f}",
        range_=(0, 100),
    )


def _means_chart(title, rows, dashboard, label):
    stages = dashboard["stages"]
    labels = [label(row) for row in rows] + [_("本届平均")]
    return draw(
        title,
        labels,
        [
            (
                dashboard["stage_labels"][stage],
                [row.means.get(stage) for row in rows] + [dashboard["cycle_means"].get(stage)],
            )
            for stage in stages
        ],
        kind="hbar",
        value_format="{:.2f}",
        range_=(0, 100),
    )


def group_means_chart(dashboard):
    return _means_chart(
        _("各评审组平均得分比例与本届平均（%）"), dashboard["groups"], dashboard, lambda r: r.name
    )


def expert_means_chart(dashboard):
    return _means_chart(
        _("各专家平均得分比例与本届平均（%）"),
        dashboard["experts"],
        dashboard,
        lambda r: f"{r.name}（{r.group}）",
    )


def spread_chart(rows, stage_labels, *, application=None):
    labels = []
    for row in rows:
        if row.code not in labels:
            labels.append(row.code)
    by_key = {(row.stage, row.code): row.spread for row in rows}
    stages = [stage for stage in stage_labels if any(row.stage == stage for row in rows)]
    title = (
        _("各评分项专家评分极差（%%）：%(name)s") % {"name": application.name}
        if application is not None
        else _("各评分项专家评分最大极差（%）")
    )
    return draw(
        title,
        labels,
        [(stage_labels[stage], [by_key.get((stage, code)) for code in labels]) for stage in stages],
        kind="bar",
        value_format="{:.0f}",
        range_=(0, 100),
    )
