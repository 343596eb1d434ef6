"""The dashboard's charts from plain numbers, in the current UI language (also for the PDF summary).

Each function takes the figures (no ORM objects) and returns the SVG ``Markup`` of
:mod:`tracker.charts`; call them inside ``force_locale`` to draw in another language.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date

from babel import Locale
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from tracker.charts import BarSeries, bar_chart, line_chart, stacked_bar
from tracker.core.status import STATUS_COLOURS, STATUS_LABELS, Status
from tracker.uzbek import MONTHS_CYRL, MONTHS_LATN


def month_name(day: date, short: bool = False) -> str:
    """The month's name in the UI language: the documents' spelling in Uzbek, CLDR's abbreviation
    (through Babel: "Iyn"/"Iyl", "июн"/"июл") when ``short``."""
    locale = get_locale() or Locale.parse("en")
    code = str(locale)
    if short:
        name = str(locale.months["stand-alone"]["abbreviated"][day.month])
    elif code == "uz_Cyrl":
        name = MONTHS_CYRL[day.month - 1]
    elif code.startswith("uz"):
        name = MONTHS_LATN[day.month - 1]
    else:
        name = str(locale.months["stand-alone"]["wide"][day.month])
    return name[:1].upper() + name[1:]


def weekday_names() -> list[str]:
    locale = get_locale()
    return [str(locale.days["stand-alone"]["abbreviated"][i]) for i in range(7)]


def status_chart(by_status: dict[Status, int]) -> Markup:
    return _status_chart(str(get_locale()), tuple(by_status.get(s, 0) for s in Status))


@functools.lru_cache(maxsize=256)
def _status_chart(locale: str, counts: tuple[int, ...]) -> Markup:
    """Drawn once per language and figures: dashboards are opened far more often than they change."""
    return stacked_bar(
        [BarSeries(str(STATUS_LABELS[s]), n, STATUS_COLOURS[s]) for s, n in zip(Status, counts, strict=True)],
        title=_("Measures by status"),
    )


def trend_chart(months: Sequence[date], completed: Sequence[int], overdue: Sequence[int]) -> Markup:
    return _trend_chart(str(get_locale()), tuple(months), tuple(completed), tuple(overdue))


@functools.lru_cache(maxsize=256)
def _trend_chart(
    locale: str, months: tuple[date, ...], completed: tuple[int, ...], overdue: tuple[int, ...]
) -> Markup:
    labels = [f"{month_name(m, short=True)} {m:%y}" for m in months]
    return line_chart(
        labels,
        [
            (_("Completed in the month"), list(completed), "success"),
            (_("Overdue at the month's end"), list(overdue), "danger"),
        ],
        title=_("Completed and overdue, last 12 months"),
    )


def late_units_chart(rows: Sequence[tuple[str, int]]) -> Markup:
    return _late_units_chart(str(get_locale()), tuple(rows))


@functools.lru_cache(maxsize=256)
def _late_units_chart(locale: str, rows: tuple[tuple[str, int], ...]) -> Markup:
    return bar_chart(
        [BarSeries(name, value, "danger") for name, value in rows],
        title=_("Units with the most overdue measures"),
    )


def rating_chart(rows: Sequence[tuple[str, float]]) -> Markup:
    return bar_chart(
        [
            BarSeries(name, value, "success" if value >= 80 else "warning" if value >= 50 else "danger")
            for name, value in rows
        ],
        title=_("Execution discipline score (0–100)"),
        number=lambda value: format_decimal(value, format="#,##0.#"),
    )
