"""The columns of a plan table: which header cell names which column, and which row is a header.

Columns are found by their header text, in either script or in Russian, in any order.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import lazy_gettext as _l

from tracker.uzbek import normalise, search_key

#: Column codes, in the order of the official table.
COLUMNS = (
    "number",
    "title",
    "mechanism",
    "deadline",
    "legal_basis",
    "expected_result",
    "responsible",
    "status",
    "status_note",
)

COLUMN_LABELS = {
    "number": _l("Number"),
    "title": _l("Measure"),
    "mechanism": _l("Implementation mechanism"),
    "deadline": _l("Deadline"),
    "legal_basis": _l("Legal basis"),
    "expected_result": _l("Expected result"),
    "responsible": _l("Responsible units"),
    "status": _l("Status"),
    "status_note": _l("Execution status"),
}

_NUMBER_HEADERS = {"№", "т/р", "t/r", "№п/п", "п/п", "n", "no", "no.", "#", "№т/р", "t/r.", "т/р."}


@lru_cache(maxsize=4096)
def column_of(header: str) -> str | None:
    """The column a header cell names, in any script or Russian; None when it names none."""
    compact = re.sub(r"\s+", "", normalise(header).lower())
    if compact in _NUMBER_HEADERS:
        return "number"
    key = search_key(header)
    if not key:
        return None
    checks = (
        ("deadline", ("muddat", "srok")),
        ("status_note", ("ijro xolat", "xod ispoln", "xod vipoln", "execution status")),
        ("status", ("xolat", "status")),
        ("responsible", ("ijrochi", "masul", "otvetstv", "ispolnitel", "responsible")),
        ("mechanism", ("mexanizm", "mechanism")),
        ("legal_basis", ("asos", "osnovan", "legal basis")),
        ("expected_result", ("maksad", "natija", "rezultat", "expected")),
        ("title", ("chora", "nomi", "naimenovan", "meropriyat", "measure")),
    )
    for column, needles in checks:
        if any(needle in key for needle in needles):
            return column
    return None


def detect_columns(cells: list[str]) -> dict[str, int]:
    """Column code → index for a header row; a later duplicate never overrides the first."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = column_of(cell) if cell.strip() else None
        if column and column not in found:
            found[column] = index
    return found


def _names_number_column(cell: str) -> bool:
    """``column_of(cell) == "number"``, cheaply refused for long cells (a "№" header is a few letters)
    and for the numbers of data rows ("17.", "3.2": no spelling of the header has a digit, and
    outside HTML markup normalising keeps every digit)."""
    if len("".join(cell.split())) > _NUMBER_HEADER_MAX:
        return False
    if _DIGIT_RE.search(cell) and "<" not in cell and "&" not in cell:
        return False
    return column_of(cell) == "number"


_DIGIT_RE = re.compile("[0-9]")


#: Longer than any spelling of the number header, with room for stray marks normalising removes.
_NUMBER_HEADER_MAX = 40


def is_header(cells: list[str]) -> bool:
    """A header row: the number and name columns and at least one more, each cell a short label."""
    return _is_header(tuple(cells))


@lru_cache(maxsize=1024)  # each row is asked about up to three times while the table is read
def _is_header(cells: tuple[str, ...]) -> bool:
    if not any(_names_number_column(cell) for cell in cells if cell.strip()):
        return False  # no number column: not a header, without folding every long cell of a data row
    found = detect_columns(list(cells))
    if len(found) < 3 or "title" not in found or "number" not in found:
        return False
    return all(len(cells[i]) <= 120 for i in found.values())
