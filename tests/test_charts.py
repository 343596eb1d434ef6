"""The project's SVG charts: valid SVG, escaped labels, accessible text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tracker.charts import BarSeries, bar_chart, line_chart, stacked_bar

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 (our own output)


def test_bar_chart_scales_bars_and_labels_each_one():
    svg = parse(
        bar_chart([BarSeries("Матбуот хизмати", 10), BarSeries("Кадрлар", 5, "danger")], title="Units")
    )
    rects = svg.findall(f"{SVG}rect")
    assert [float(r.get("width")) for r in rects][0] == 2 * float(rects[1].get("width"))
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert "Матбуот хизмати" in texts and "10" in texts and "5" in texts
    assert svg.find(f"{SVG}title").text == "Units"
    assert "Кадрлар: 5" in svg.find(f"{SVG}desc").text


def test_labels_are_escaped():
    svg = str(bar_chart([BarSeries('<script>alert("x")</script>', 1)], title="<b>t</b>"))
    assert "<script>" not in svg and "<b>" not in svg
    parse(svg)


def test_stacked_bar_and_line_chart_are_valid_with_empty_and_zero_data():
    parse(stacked_bar([BarSeries("Done", 0, "success"), BarSeries("Overdue", 0, "danger")], title="x"))
    parse(bar_chart([], title="nothing"))
    svg = parse(
        line_chart(
            ["01", "02", "03"],
            [("done", [0, 2, 5], "success"), ("overdue", [1, 1, 0], "danger")],
            title="Trend",
        )
    )
    assert len(svg.findall(f"{SVG}polyline")) == 2
