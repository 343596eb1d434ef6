"""Query parameters of the HTML views, parsed into typed, bounded values at the edge.

Each helper returns the value or ``None`` when the parameter is absent or empty, and answers
400 with a translated message for a value that is not acceptable (not a number, out of range,
not one of the choices, a date outside 1900–2200, text longer than its column). So nothing
out of range ever reaches the database, where it would overflow a column or a driver.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date

from flask import abort, request
from flask_babel import gettext as _

#: Ids and counts are database integers (PostgreSQL ``integer``).
MAX_INT = 2**31 - 1
#: Dates people may ask about; anything else is a typo or a probe.
MIN_YEAR, MAX_YEAR = 1900, 2200
#: Page numbers beyond this are refused rather than turned into a huge OFFSET.
MAX_PAGE = 100_000


def bad_request(message: str) -> None:
    abort(400, message)


def _raw(name: str) -> str | None:
    value = request.args.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def arg_int(name: str, *, minimum: int = 1, maximum: int = MAX_INT) -> int | None:
    """A whole number within ``minimum``–``maximum`` (ids by default)."""
    raw = _raw(name)
    if raw is None:
        return None
    if not (raw.isascii() and raw.lstrip("-").isdigit()) or len(raw) > 12:
        bad_request(_("“%(name)s” must be a whole number.", name=name))
    value = int(raw)
    if not minimum <= value <= maximum:
        bad_request(
            _("“%(name)s” must be between %(low)s and %(high)s.", name=name, low=minimum, high=maximum)
        )
    return value


def arg_page(name: str = "page") -> int:
    """A page number, 1 when absent."""
    return arg_int(name, minimum=1, maximum=MAX_PAGE) or 1


def arg_year(name: str = "year") -> int | None:
    return arg_int(name, minimum=MIN_YEAR, maximum=MAX_YEAR)


def check_date(value: date, name: str) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        bad_request(
            _(
                "“%(name)s” must be a date between %(low)s and %(high)s.",
                name=name,
                low=MIN_YEAR,
                high=MAX_YEAR,
            )
        )
    return value


def arg_date(name: str) -> date | None:
    """An ISO date (YYYY-MM-DD) within 1900–2200."""
    raw = _raw(name)
    if raw is None:
        return None
    try:
        value = date.fromisoformat(raw) if raw.isascii() and len(raw) == 10 else None
    except ValueError:
        value = None
    if value is None:
        bad_request(_("“%(name)s” must be a date written as YYYY-MM-DD.", name=name))
    return check_date(value, name)  # type: ignore[arg-type]


def arg_month(name: str = "month") -> tuple[int, int] | None:
    """A month written YYYY-MM, within 1900–2200."""
    raw = _raw(name)
    if raw is None:
        return None
    year_text, dash, month_text = raw.partition("-")
    if not (
        dash and year_text.isascii() and year_text.isdigit() and month_text.isascii() and month_text.isdigit()
    ):
        bad_request(_("“%(name)s” must be a month written as YYYY-MM.", name=name))
    year, month = int(year_text[:6]), int(month_text[:3])
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        bad_request(_("“%(name)s” must be a month written as YYYY-MM.", name=name))
    return year, month


def arg_choice(name: str, choices: Iterable[str] | type[enum.Enum]) -> str | None:
    """One of ``choices`` (strings, or the values of an enum)."""
    raw = _raw(name)
    if raw is None:
        return None
    allowed = {str(c.value) for c in choices} if isinstance(choices, type) else {str(c) for c in choices}
    if raw not in allowed:
        bad_request(_("“%(name)s” has a value that is not one of the choices.", name=name))
    return raw


def arg_text(name: str, max_length: int) -> str | None:
    """Free text of at most ``max_length`` characters (as long as its column)."""
    raw = _raw(name)
    if raw is not None and len(raw) > max_length:
        bad_request(_("“%(name)s” is too long (at most %(n)s characters).", name=name, n=max_length))
    return raw
