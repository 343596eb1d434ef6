"""Parsing of deadline cells ("Ижро муддати", "Бажариш муддати") into structured deadlines.

The parser reads Uzbek Cyrillic, Uzbek Latin and Russian, with the OCR noise of the seed
documents (январ, апрел, феввал, HTML wrappers). It never guesses: a cell with words it does not
understand becomes one UNKNOWN deadline that keeps the text verbatim. See docs/deadlines.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from tracker.uzbek.deadline_kind import DeadlineKind
from tracker.uzbek.deadline_parser import parse_items
from tracker.uzbek.recurrence import (
    RRULE_HALF_YEARLY,
    RRULE_MONTHLY,
    RRULE_QUARTERLY,
    RRULE_YEARLY,
    expand,
)

__all__ = [
    "RRULE_HALF_YEARLY",
    "RRULE_MONTHLY",
    "RRULE_QUARTERLY",
    "RRULE_YEARLY",
    "Deadline",
    "DeadlineKind",
    "parse_deadline",
    "parse_deadlines",
]


@dataclass(frozen=True)
class Deadline:
    """One deadline.

    ``start``/``due`` bound the period (for RECURRING: the window the recurrence runs in, ``due``
    None when it is open-ended); ``recurrence`` is an RFC 5545 RRULE for RECURRING and None
    otherwise. Period ends are spelled out with BYMONTH (quarters end on 31.03, 30.06, 30.09 and
    31.12), so the rule gives the right dates in any RRULE engine, whatever DTSTART in the period.
    ``term`` is the ISO 8601 duration of a RELATIVE deadline ("P15D", "P1M"); with a reference
    date ``start`` is that date and ``due`` = start + term.
    """

    text: str
    kind: DeadlineKind
    start: date | None
    due: date | None
    recurrence: str | None
    term: str | None = None

    def to_json(self) -> dict[str, str | None]:
        """``{"text", "kind", "start", "due", "recurrence", "term"}`` with ISO dates or None."""
        return {
            "text": self.text,
            "kind": str(self.kind),
            "start": self.start.isoformat() if self.start else None,
            "due": self.due.isoformat() if self.due else None,
            "recurrence": self.recurrence,
            "term": self.term,
        }

    @property
    def is_machine_readable(self) -> bool:
        """False for UNKNOWN: the text was kept but no date, rule or kind could be read from it."""
        return self.kind != DeadlineKind.UNKNOWN

    def occurrences(self, start: date, end: date) -> list[date]:
        """Due dates of this deadline within ``[start, end]``, in order.

        One-off kinds give their due date (if any); RECURRING gives every date of its rule,
        clipped to the deadline's own start/due when it has them; CONTINUOUS, SCHEDULE and UNKNOWN
        give [].
        """
        if self.kind in (DeadlineKind.CONTINUOUS, DeadlineKind.SCHEDULE, DeadlineKind.UNKNOWN):
            return []
        if self.kind != DeadlineKind.RECURRING:
            return [self.due] if self.due and start <= self.due <= end else []
        lo = max(start, self.start) if self.start else start
        hi = min(end, self.due) if self.due else end
        if lo > hi or not self.recurrence:
            return []
        return expand(self.recurrence, lo, hi)


def parse_deadlines(
    text: str, default_year: int | None = None, reference: date | None = None
) -> list[Deadline]:
    """Parse a deadline cell into a list of deadlines (one element for a single deadline).

    ``default_year`` (the plan's year) supplies a year the text leaves out and is the "current
    year" of "жорий йил"; ``reference`` is the date relative terms count from (the plan's approval
    date, the decree's or the meeting's date) and, without ``default_year``, gives the year.
    A dated kind whose year cannot be determined keeps its kind with ``start``/``due`` None; a
    relative term without ``reference`` keeps its ``term`` with ``start``/``due`` None. A cell
    with any word the parser does not understand gives ``[Deadline(text, UNKNOWN, None, None,
    None)]``. Each element's ``text`` is the original text when there is one element, else the
    element's own part of the cleaned text. Never raises for any ``str``.
    """
    return list(_parsed(text, default_year, reference))


@lru_cache(maxsize=4096)
def _parsed(text: str, default_year: int | None, reference: date | None) -> tuple[Deadline, ...]:
    # Plans repeat their deadlines ("Ҳар чоракда", "Доимий"), and an import reads each cell
    # three times (preview, creation, relative dates): parse each text once. Deadlines are
    # frozen; callers get a list of their own.
    year = default_year if default_year is not None else (reference.year if reference else None)
    clean, items = parse_items(text, year, reference)
    if not items:
        return (Deadline(text, DeadlineKind.UNKNOWN, None, None, None),)
    if len(items) == 1:
        return (Deadline(text, *items[0].fields()),)
    return tuple(Deadline(clean[it.text_start : it.text_end].strip(" ,;"), *it.fields()) for it in items)


def parse_deadline(
    text: str, default_year: int | None = None, reference: date | None = None
) -> Deadline | list[Deadline]:
    """One Deadline, or a list when the cell holds several ("2024 йил февраль 2024 йил март").

    Same arguments as :func:`parse_deadlines`; never raises for any ``str``.
    """
    result = parse_deadlines(text, default_year, reference)
    return result[0] if len(result) == 1 else result
