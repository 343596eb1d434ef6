"""SVG charts drawn by the project: no JavaScript, the same drawing in pages and in PDF reports.

Each function takes plain data and returns an escaped ``Markup`` holding one ``<svg>`` element
with a ``<title>`` and a ``<desc>`` for screen readers. Colours come with words: every bar and
line is labelled in the chart, never by colour alone.
"""

from tracker.charts.svg import BarSeries, bar_chart, line_chart, stacked_bar

__all__ = ["BarSeries", "bar_chart", "line_chart", "stacked_bar"]
