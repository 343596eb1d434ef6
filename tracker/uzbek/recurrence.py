"""Calendar arithmetic for deadlines: RFC 5545 RRULEs we write and expand, month-clamped terms.

Standard library only. The rules written here use a small subset of RFC 5545 (FREQ=MONTHLY or
YEARLY, BYMONTH, BYMONTHDAY, BYSETPOS=-1), and :func:`expand` gives exactly the dates any RFC 5545
engine (``dateutil.rrule``, an iCalendar client) gives for them; tests cross-check with dateutil.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

__all__ = [
    "RRULE_HALF_YEARLY",
    "RRULE_MONTHLY",
    "RRULE_QUARTERLY",
    "RRULE_YEARLY",
    "add_months",
    "add_term",
    "expand",
    "last_day",
    "monthly_rule",
    "shifted_rule",
    "yearly_rule",
]

RRULE_QUARTERLY = "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"
RRULE_HALF_YEARLY = "FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=-1"
RRULE_MONTHLY = "FREQ=MONTHLY;BYMONTHDAY=-1"
RRULE_YEARLY = "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"

#: Period-end months of each periodic rule, used to shift "after each period" rules by a month.
PERIOD_END_MONTHS: dict[str, tuple[int, ...]] = {
    RRULE_QUARTERLY: (3, 6, 9, 12),
    RRULE_HALF_YEARLY: (6, 12),
    RRULE_MONTHLY: tuple(range(1, 13)),
    RRULE_YEARLY: (12,),
}

_TERM_RE = re.compile(r"^P(\d+)([DWMY])$")


def last_day(year: int, month: int) -> date:
    """The last day of the month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(start: date, months: int) -> date:
    """``start`` plus whole months, clamped to the end of the target month (31.01 + 1 → 28/29.02)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def add_term(start: date, term: str) -> date:
    """``start`` plus an ISO 8601 term "P15D", "P2W", "P1M" or "P1Y" (months and years clamp).

    Raises:
        ValueError: a term of another shape.
    """
    m = _TERM_RE.match(term)
    if m is None:
        raise ValueError(f"unsupported term {term!r}")
    n, unit = int(m.group(1)), m.group(2)
    if unit == "D":
        return start + timedelta(days=n)
    if unit == "W":
        return start + timedelta(weeks=n)
    return add_months(start, n if unit == "M" else 12 * n)


def _day_part(day: int) -> str:
    """BYMONTHDAY for "by day N of the month", clamped to the month's end the RFC 5545 way.

    Days up to 28 exist in every month; the 31st is the last day (-1); the 29th and 30th take the
    last existing day of 28…N (BYSETPOS=-1), so "the 30th" is 28/29 February, not skipped.
    """
    if day <= 28:
        return f"BYMONTHDAY={day}"
    if day >= 31:
        return "BYMONTHDAY=-1"
    return "BYMONTHDAY=" + ",".join(str(d) for d in range(28, day + 1)) + ";BYSETPOS=-1"


def monthly_rule(day: int) -> str:
    """Every month by day ``day`` ("ҳар ойнинг 5-санасига қадар")."""
    return f"FREQ=MONTHLY;{_day_part(day)}"


def yearly_rule(month: int, day: int) -> str:
    """Every year by ``day`` of ``month`` ("ҳар йили 1 декабрга қадар")."""
    return f"FREQ=YEARLY;BYMONTH={month};{_day_part(day)}"


def shifted_rule(period_rule: str, day: int) -> str:
    """Day ``day`` of the month after each period of ``period_rule`` ends (quarterly → 1,4,7,10).

    Raises:
        KeyError: ``period_rule`` is not one of the module's period rules.
    """
    months = sorted(m % 12 + 1 for m in PERIOD_END_MONTHS[period_rule])
    if len(months) == 12:
        return monthly_rule(day)
    return f"FREQ=MONTHLY;BYMONTH={','.join(map(str, months))};{_day_part(day)}"


def _parts(rule: str) -> dict[str, str]:
    return dict(p.split("=", 1) for p in rule.split(";") if "=" in p)


def _day_in_month(year: int, month: int, monthdays: list[int], last_of_set: bool) -> date | None:
    length = calendar.monthrange(year, month)[1]
    days = sorted({length + d + 1 if d < 0 else d for d in monthdays if abs(d) <= length})
    if not days:
        return None
    return date(year, month, days[-1] if last_of_set else days[0])


def expand(rule: str, lo: date, hi: date) -> list[date]:
    """The dates of ``rule`` within ``[lo, hi]``, in order ([] for a rule outside our subset).

    Only rules with one date per month (a single BYMONTHDAY, or a list with BYSETPOS=-1) are
    written by this module; for those the result equals RFC 5545 with DTSTART ≤ ``lo``.
    """
    parts = _parts(rule)
    freq = parts.get("FREQ")
    if freq not in ("MONTHLY", "YEARLY") or lo > hi:
        return []
    months = [int(m) for m in parts["BYMONTH"].split(",")] if "BYMONTH" in parts else None
    if months is None:
        months = list(range(1, 13)) if freq == "MONTHLY" else [12]
    monthdays = [int(d) for d in parts.get("BYMONTHDAY", "-1").split(",")]
    last_of_set = parts.get("BYSETPOS") == "-1"
    out: list[date] = []
    for year in range(lo.year, hi.year + 1):
        for month in sorted(months):
            day = _day_in_month(year, month, monthdays, last_of_set)
            if day is not None and lo <= day <= hi:
                out.append(day)
    return out
