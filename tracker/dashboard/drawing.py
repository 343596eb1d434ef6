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

from tracker.charts.svg import COLOURS, FONT, fit_text, svg_text, text_width


def _svg(width: int, height: int, title: str, description: str, body: list[str]) -> Markup:
    # A drawing with links inside is a group of them (an "img" may not hold links); else a picture.
    has_links = any("<a " in part for part in body)
    role = f'role="group" aria-label="{escape(title)}"' if has_links else 'role="img"'
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" {role} {FONT} font-size="12">'
    )
    parts = [head, f"<title>{escape(title)}</title>", f"<desc>{escape(description)}</desc>", *body, "</svg>"]
    return Markup("".join(parts))  # noqa: S704 (every text piece is escaped)


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
            room = cell_width - 22
            for position, item in enumerate(day_items[:per_cell]):
                text_y = y + 32 + position * 16
                colour = COLOURS.get(item.colour, COLOURS["primary"])
                text_colour = colour if item.colour == "danger" else "#212529"
                text = (
                    f'<rect x="{x + 5}" y="{text_y - 9}" width="8" height="8" fill="{colour}"/>'
                    f'<text x="{x + 17}" y="{text_y}" fill="{text_colour}">'
                    f"<title>{escape(item.title)}</title>{escape(fit_text(item.label, room))}</text>"
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


def start_of_bar(row: GanttRow, x_of: Callable[[date], float]) -> float:
    """Where a row's mark begins (its bar's start, or the diamond's left tip)."""
    return x_of(row.start) if row.start is not None and row.start <= row.end else x_of(row.end) - 6


@dataclass(frozen=True)
class Axis:
    start: date
    end: date
    ticks: list[tuple[date, str]] = field(default_factory=list)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_ticks(
    start: date, end: date, label: Callable[[date], str], every: int = 1
) -> list[tuple[date, str]]:
    """Ticks on the first day of every ``every``-th month (aligned on quarters, halves, years)."""
    ticks, day = [], date(start.year, start.month, 1)
    while day < start or (day.month - 1) % min(every, 12):
        day = _add_months(day, 1)
    while day <= end:
        ticks.append((day, label(day)))
        day = _add_months(day, every)
    return ticks


#: Tick spacings tried in turn, in months: monthly, quarterly, half-yearly, yearly, two-yearly, …
TICK_STEPS = (1, 3, 6, 12, 24, 60)


def scaled_ticks(
    start: date,
    end: date,
    plot_width: float,
    month_label: Callable[[date], str],
    year_label: Callable[[date], str],
    font_size: float = 10,
) -> list[tuple[date, str]]:
    """The finest ticks whose labels do not touch: months, then quarters, …, then years."""
    px_per_day = plot_width / max((end - start).days, 1)
    for every in TICK_STEPS:
        labeller = month_label if every < 12 else year_label
        ticks = month_ticks(start, end, labeller, every)
        widest = max((text_width(text, font_size) for _day, text in ticks), default=0)
        if every * 28 * px_per_day >= widest + 8:
            return ticks
    return month_ticks(start, end, year_label, TICK_STEPS[-1])


@dataclass(frozen=True)
class _Frame:
    """The geometry of one timeline: labels on the left, the plot to their right."""

    axis: Axis
    width: int
    label_width: int
    row_height: int
    rows: int
    top: int = 24  # tick labels above
    bottom: int = 18  # the "today" label below

    @property
    def plot(self) -> int:
        return self.width - self.label_width - 10

    @property
    def height(self) -> int:
        return self.top + max(self.rows, 1) * self.row_height + self.bottom

    def x_of(self, day: date) -> float:
        days = max((self.axis.end - self.axis.start).days + 1, 1)
        return self.label_width + self.plot * (day - self.axis.start).days / days


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
    frame = _Frame(axis, width, label_width, row_height, len(rows))
    body = [_tick(frame, day, tick) for day, tick in axis.ticks]
    for index, row in enumerate(rows):
        body.extend(_gantt_row(frame, frame.top + index * row_height, row))
    if axis.start <= today <= axis.end:
        body.append(_today_line(frame, today, today_label))
    description = "; ".join(
        f"{r.label}: {r.start.isoformat() + ' – ' if r.start else ''}{r.end.isoformat()}"
        + (f" ({r.note})" if r.note else "")
        for r in rows
    )
    return _svg(width, frame.height, title, description, body)


def _tick(frame: _Frame, day: date, tick: str) -> str:
    x, top, plot_bottom = frame.x_of(day), frame.top, frame.height - frame.bottom
    return f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{plot_bottom}" stroke="#dee2e6"/>' + svg_text(
        tick, frame.width - x - 4, f'x="{x + 2:.1f}" y="{top - 8}" font-size="10"', 10
    )


def _gantt_row(frame: _Frame, y: float, row: GanttRow) -> list[str]:
    """The row's label (a link when it has one), its bar or diamond, and its note."""
    row_height, axis = frame.row_height, frame.axis
    indent = 16 if row.is_child else 0
    size = 11 if row.is_child else 12
    attributes = f'x="{4 + indent}" y="{y + row_height * 0.7:.1f}" font-size="{size}"'
    text = svg_text(row.label, frame.label_width - 12 - indent, attributes, size)
    parts = [f'<a href="{escape(row.url)}">{text}</a>' if row.url else text]
    colour = COLOURS.get(row.colour, COLOURS["primary"])
    end_x = frame.x_of(min(row.end, axis.end) + timedelta(days=1))
    bar_h = row_height - (10 if row.is_child else 6)
    bar_y = y + (row_height - bar_h) / 2
    tooltip = f"<title>{escape(row.label)}{' — ' + escape(row.note) if row.note else ''}</title>"
    if row.start is not None and row.start <= row.end:
        start_x = frame.x_of(max(row.start, axis.start))
        parts.append(
            f'<rect x="{start_x:.1f}" y="{bar_y:.1f}" width="{max(end_x - start_x, 2):.1f}" '
            f'height="{bar_h}" fill="{colour}" rx="2">{tooltip}</rect>'
        )
    else:
        cx, cy, r = end_x, y + row_height / 2, bar_h / 2 + 1
        parts.append(
            f'<polygon points="{cx:.1f},{cy - r:.1f} {cx + r:.1f},{cy:.1f} {cx:.1f},{cy + r:.1f} '
            f'{cx - r:.1f},{cy:.1f}" fill="{colour}">{tooltip}</polygon>'
        )
    if row.note:
        note_width = text_width(row.note, 10)
        fits_after = end_x + 4 + note_width <= frame.width
        note_x, anchor = (end_x + 4, "start") if fits_after else (start_of_bar(row, frame.x_of) - 4, "end")
        parts.append(
            f'<text x="{note_x:.1f}" y="{y + row_height * 0.7:.1f}" font-size="10" '
            f'text-anchor="{anchor}" '
            f'fill="{colour}">{escape(fit_text(row.note, frame.plot))}</text>'
        )
    return parts


def _today_line(frame: _Frame, today: date, today_label: str) -> str:
    x, red, height, width = frame.x_of(today), COLOURS["danger"], frame.height, frame.width
    line_end = height - frame.bottom + 4
    # The word sits under the plot, on the side of the line that has room for it.
    anchor, text_x = ("end", x - 3) if x + 3 + text_width(today_label, 11) > width else ("start", x + 3)
    return (
        f'<line x1="{x:.1f}" y1="{frame.top - 4}" x2="{x:.1f}" y2="{line_end}" stroke="{red}" '
        f'stroke-width="2" stroke-dasharray="4 2"/>'
        f'<text x="{text_x:.1f}" y="{height - 3}" font-size="11" '
        f'font-weight="bold" text-anchor="{anchor}" fill="{red}">{escape(today_label)}</text>'
    )
