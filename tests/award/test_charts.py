"""Server-drawn charts: SVG without script, the figures for the table, links kept."""

import base64

from django.template.loader import render_to_string

from award.charts import draw


def test_a_chart_is_an_svg_image_without_script_with_its_figures():
    chart = draw(
        "各县区申报数量",
        ["兰山区", "罗庄区"],
        [("单位", [3, None]), ("个人", [1, 2])],
        links=["/a/?county=1"],
    )
    assert chart.svg.lstrip().startswith(b"<?xml") and b"<svg" in chart.svg
    assert b"<script" not in chart.svg
    assert base64.b64decode(chart.data_uri.split(",", 1)[1]) == chart.svg
    assert chart.rows == [("兰山区", "/a/?county=1", ["3", "1"]), ("罗庄区", "", ["—", "2"])]


def test_the_partial_shows_the_chart_and_its_table():
    chart = draw("平均得分", ["第一评审组"], [("平均分", [612.5])], value_format="{:.2f}")
    html = render_to_string("partials/chart.html", {"chart": chart})
    assert 'alt="平均得分"' in html and "data:image/svg+xml;base64," in html
    assert '<td class="text-end">612.50</td>' in html


def test_the_same_figures_are_drawn_once_and_new_figures_anew(monkeypatch):
    from django.core.cache import cache

    from award import charts

    cache.clear()
    drawn = []
    render = charts._render
    monkeypatch.setattr(charts, "_render", lambda *a: drawn.append(a) or render(*a))
    first = draw("各县区申报数量", ["兰山区"], [("单位", [3])])
    again = draw("各县区申报数量", ["兰山区"], [("单位", [3])])
    changed = draw("各县区申报数量", ["兰山区"], [("单位", [4])])
    assert len(drawn) == 2
    assert again.svg == first.svg and changed.svg != first.svg
    cache.clear()
