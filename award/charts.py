"""Charts drawn on the server as SVG with pygal (DESIGN.md §8): one image for the page (an
<img> data URI, which the strict CSP allows and in which no script runs) and for the
WeasyPrint PDFs; each chart carries its figures so a table can stand beside it for screen
readers and print (templates/partials/chart.html)."""

import base64
import hashlib
import re
from dataclasses import dataclass, field

import pygal
from django.core.cache import cache
from pygal.style import Style

FONT = "Noto Sans CJK SC, Noto Sans CJK, Source Han Sans SC, sans-serif"
COLOURS = ("#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997", "#6c757d")
STYLE = Style(
    font_family=FONT,
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=COLOURS,
    title_font_size=16,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    value_font_size=11,
    tooltip_font_size=12,
)
SCRIPT = re.compile(rb"<script\b.*?</script>", re.S)
# A drawn chart depends only on its arguments: dashboards redraw the same figures on every
# visit until the data changes, so the SVG is kept under a key made of every argument.
CACHE_SECONDS = 24 * 3600
CACHE_VERSION = 1

KINDS = {
    "bar": pygal.Bar,
    "hbar": pygal.HorizontalBar,
    "stacked": pygal.StackedBar,
    "hstacked": pygal.HorizontalStackedBar,
    "line": pygal.Line,
    "box": pygal.Box,
}


@dataclass(frozen=True)
class Chart:
    """A drawn chart with the figures it shows: `labels` along one axis, one list of values
    per series (None where there is no value)."""

    title: str
    labels: list[str]
    series: list[tuple[str, list]]
    svg: bytes = field(repr=False)
    value_format: str = "{:.0f}"
    links: tuple[str, ...] = ()  # the filtered list behind each label, where there is one

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode()

    @property
    def rows(self) -> list[tuple[str, str, list[str]]]:
        """(label, link or "", [value per series as shown]) for the chart's table."""
        return [
            (
                label,
                self.links[i] if i < len(self.links) else "",
                [
                    "—" if values[i] is None else self.value_format.format(values[i])
                    for _name, values in self.series
                ],
            )
            for i, label in enumerate(self.labels)
        ]

    @property
    def series_names(self) -> list[str]:
        return [name for name, _values in self.series]


def draw(
    title: str,
    labels: list[str],
    series: list[tuple[str, list]],
    *,
    kind: str = "bar",
    value_format: str = "{:.0f}",
    width: int = 720,
    height: int | None = None,
    y_title: str = "",
    range_: tuple[float, float] | None = None,
    links: list[str] = (),
) -> Chart:
    """Draw `series` over `labels` as an SVG chart of `kind` (KINDS), no JavaScript; the same
    arguments give the SVG drawn before, from the cache."""
    arguments = (title, labels, series, kind, value_format, width, height, y_title, range_)
    digest = hashlib.sha256(repr((CACHE_VERSION, arguments)).encode()).hexdigest()
    key = f"award:chart:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = _render(*arguments)
        cache.set(key, svg, CACHE_SECONDS)
    return Chart(title, list(labels), list(series), svg, value_format, tuple(links))


def _render(title, labels, series, kind, value_format, width, height, y_title, range_) -> bytes:
    rows = len(labels)
    if height is None:
        height = max(320, 40 + 28 * rows) if kind.startswith("h") else 360
    chart = KINDS[kind](
        js=[],
        style=STYLE,
        width=width,
        height=height,
        title=title,
        y_title=y_title or None,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        print_values=len(series) == 1 and rows <= 20,
        value_formatter=lambda value: "" if value is None else value_format.format(value),
        x_label_rotation=30 if rows > 8 and not kind.startswith("h") else 0,
        truncate_label=-1,
        range=range_,
        margin=16,
    )
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    return SCRIPT.sub(b"", chart.render())
