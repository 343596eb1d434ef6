"""SVG drawings of the dashboard package: a month calendar of deadlines and a Gantt-like timeline.

Same conventions as :mod:`tracker.charts`: plain data in, escaped ``Markup`` out, a ``<title>``
and ``<desc>`` for screen readers, and words next to colours (an overdue bar says so).
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from markupsafe import Markup, escape

from tracker.charts.svg import COLOURS, FONT


def _svg(width: int, height: int, title: str, description: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" {FONT} font-size="12">'
    )
    parts = [head, f"<title>{escape(title)}</title>", f"<desc>{escape(description)}</desc>", *body, "</svg>"]
    return Markup("".join(parts))  # noqa: S704 (every text piece is escaped)


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass(frozen=True)
class CalendarItem:
    label: str
    title: str
    url: str | None = None
    colour: str = "primary"


def month_calendar(
    year: int,
    month: int,
    items: dict[date, list[CalendarItem]],
    *,
    title: str,
    weekday_names: Sequence[str],
    today: date | None = None,
    more: Callable[[int], str] = lambda n: f"+{n}",
    cell_width: int = 150,
    cell_height: int = 96,
    per_cell: int = 4,
) -> Markup:
    """A month grid (weeks from Monday), each day listing its deadlines, today outlined."""
    weeks = _calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    header = 22
    width, height = 7 * cell_width + 1, header + len(weeks) * cell_height + 1
    body: list[str] = []
    for index, name in enumerate(weekday_names[:7]):
        body.append(
            f'<text x="{index * cell_width + cell_width / 2:.0f}" y="15" text-anchor="middle" '
            f'font-weight="bold">{escape(name)}</text>'
        )
    described: list[str] = []
    for row, week in enumerate(weeks):
        for col, day in enumerate(week):
            x, y = col * cell_width, header + row * cell_height
            in_month = day.month == month
            fill = "#ffffff" if in_month else "#f1f3f5"
            ink = "#212529" if in_month else "#868e96"
            stroke = ' stroke="#0d6efd" stroke-width="3"' if day == today else ' stroke="#adb5bd"'
            body.append(
                f'<rect x="{x + 0.5}" y="{y + 0.5}" width="{cell_width}" height="{cell_height}" '
                f'fill="{fill}"{stroke}/>'
                f'<text x="{x + 5}" y="{y + 15}" fill="{ink}">{day.day}</text>'
            )
            day_items = items.get(day, []) if in_month else []
            for position, item in enumerate(day_items[:per_cell]):
                text_y = y + 32 + position * 16
                colour = COLOURS.get(item.colour, COLOURS["primary"])
                text_colour = colour if item.colour == "danger" else "#212529"
                text = (
                    f'<rect x="{x + 5}" y="{text_y - 9}" width="8" height="8" fill="{colour}"/>'
                    f'<text x="{x + 17}" y="{text_y}" fill="{text_colour}">'
                    f"<title>{escape(item.title)}</title>{escape(_clip(item.label, 20))}</text>"
                )
                if item.url:
                    text = f'<a href="{escape(item.url)}">{text}</a>'
                body.append(text)
            if len(day_items) > per_cell:
                body.append(
                    f'<text x="{x + 17}" y="{y + 32 + per_cell * 16}" font-style="italic">'
                    f"{escape(more(len(day_items) - per_cell))}</text>"
                )
            if day_items:
                described.append(f"{day.isoformat()}: " + ", ".join(i.title for i in day_items))
    return _svg(width, height, title, "; ".join(described), body)


@dataclass(frozen=True)
class GanttRow:
    label: str
    start: date | None
    end: date
    colour: str = "primary"
    #: Words said next to the bar (e.g. "Overdue"), so colour is never alone.
    note: str = ""
    url: str | None = None
    #: Steps are drawn indented inside their measure.
    is_child: bool = False


@dataclass(frozen=True)
class Axis:
    start: date
    end: date
    ticks: list[tuple[date, str]] = field(default_factory=list)


def month_ticks(start: date, end: date, label: Callable[[date], str]) -> list[tuple[date, str]]:
    ticks, day = [], date(start.year, start.month, 1)
    if day < start:
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    while day <= end:
        ticks.append((day, label(day)))
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return ticks


def timeline(
    rows: Sequence[GanttRow],
    axis: Axis,
    *,
    title: str,
    today: date,
    today_label: str,
    width: int = 1100,
    label_width: int = 380,
    row_height: int = 20,
) -> Markup:
    """Bars from start to due date (a diamond when only the due date is known), today as a line."""
    top, bottom = 24, 8
    plot = width - label_width - 10
    days = max((axis.end - axis.start).days + 1, 1)
    height = top + max(len(rows), 1) * row_height + bottom

    def x_of(day: date) -> float:
        return label_width + plot * (day - axis.start).days / days

    body: list[str] = []
    for day, label in axis.ticks:
        x = x_of(day)
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - bottom}" stroke="#dee2e6"/>'
            f'<text x="{x + 2:.1f}" y="{top - 8}" font-size="10">{escape(label)}</text>'
        )
    for index, row in enumerate(rows):
        y = top + index * row_height
        indent = 16 if row.is_child else 0
        label = escape(_clip(row.label, 58 if row.is_child else 60))
        size = ' font-size="11"' if row.is_child else ""
        text = f'<text x="{4 + indent}" y="{y + row_height * 0.7:.1f}"{size}>{label}</text>'
        body.append(f'<a href="{escape(row.url)}">{text}</a>' if row.url else text)
        colour = COLOURS.get(row.colour, COLOURS["primary"])
        end_x = x_of(min(row.end, axis.end) + timedelta(days=1))
        bar_h = row_height - (10 if row.is_child else 6)
        bar_y = y + (row_height - bar_h) / 2
        tooltip = f"<title>{escape(row.label)}{' — ' + escape(row.note) if row.note else ''}</title>"
        if row.start is not None and row.start <= row.end:
            start_x = x_of(max(row.start, axis.start))
            body.append(
                f'<rect x="{start_x:.1f}" y="{bar_y:.1f}" width="{max(end_x - start_x, 2):.1f}" '
                f'height="{bar_h}" fill="{colour}" rx="2">{tooltip}</rect>'
            )
        else:
            cx, cy, r = end_x, y + row_height / 2, bar_h / 2 + 1
            body.append(
                f'<polygon points="{cx:.1f},{cy - r:.1f} {cx + r:.1f},{cy:.1f} {cx:.1f},{cy + r:.1f} '
                f'{cx - r:.1f},{cy:.1f}" fill="{colour}">{tooltip}</polygon>'
            )
        if row.note:
            body.append(
                f'<text x="{min(end_x + 4, width - 60):.1f}" y="{y + row_height * 0.7:.1f}" font-size="10" '
                f'fill="{colour}">{escape(row.note)}</text>'
            )
    if axis.start <= today <= axis.end:
        x, red = x_of(today), COLOURS["danger"]
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - bottom}" stroke="{red}" '
            f'stroke-dasharray="4 2"/><text x="{x + 2:.1f}" y="{height - 1}" font-size="10" '
            f'fill="{COLOURS["danger"]}">{escape(today_label)}</text>'
        )
    description = "; ".join(
        f"{r.label}: {r.start.isoformat() + ' – ' if r.start else ''}{r.end.isoformat()}"
        + (f" ({r.note})" if r.note else "")
        for r in rows
    )
    return _svg(width, height, title, description, body)
