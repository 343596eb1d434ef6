"""The rows of a plan table grouped into measures: page breaks joined, repeated headers and column
numbers skipped, sub-rows and "<measure>.<n>" rows kept with the measure they belong to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.imports.cells import join_pieces, plain_text
from tracker.imports.columns import is_header
from tracker.imports.readers import RawRow
from tracker.uzbek import normalise


def is_numbering_row(cells: list[str]) -> bool:
    """A row of column numbers under the header: 1 2 3 4 5 …"""
    values = [c.strip().rstrip(".") for c in cells if c.strip()]
    return len(values) >= 3 and values == [str(n) for n in range(1, len(values) + 1)]


def clean_number(raw: str) -> str:
    return normalise(raw).strip().rstrip(".").strip()


NUMBER_RE = re.compile(r"^[0-9IVXivx]+(?:[.\-/][0-9]+)*[a-zа-я]?$")


def join_continuation_rows(rows: list[RawRow], columns: dict[str, int]) -> list[RawRow]:
    """Rows that finish the row above after a page break, joined into it column by column.

    Word tables converted from print (and their Excel exports) break a row across a page into two
    rows: the second has an empty number cell and the rest of every cell's text, often mid-phrase
    ("2024 йил февраль 2024" | "йил март 2024 йил апрель"). It is told from a mechanism sub-row
    (the roadmap layout) by its name cell: a sub-row never repeats the measure's name (a merged
    cell reads empty), a continuation carries the rest of it. Runs before any cell is parsed, so
    deadlines, steps and statuses see the whole text. Rows after a repeated header are left to
    :meth:`TableParser._group`, which knows the page break from the header.
    """
    number_at, title_at = columns.get("number"), columns.get("title")
    if number_at is None or title_at is None:
        return rows
    joined: list[RawRow] = []
    for row in rows:
        if joined and _continues(joined[-1], row, number_at, title_at):
            joined[-1] = _join_rows(joined[-1], row)
        else:
            joined.append(row)
    return joined


def _text_at(row: RawRow, index: int) -> str:
    return row.cells[index] if index < len(row.cells) else ""


def _merged_at(row: RawRow, index: int) -> bool:
    return index < len(row.merged) and row.merged[index]


def _continues(above: RawRow, row: RawRow, number_at: int, title_at: int) -> bool:
    if any(r.is_header_row or is_header(r.cells) or is_numbering_row(r.cells) for r in (above, row)):
        return False
    if _text_at(row, number_at).strip() or _merged_at(row, number_at) or _merged_at(row, title_at):
        return False
    return bool(_text_at(row, title_at).strip()) and bool(plain_text(_text_at(above, title_at)))


def _join_rows(above: RawRow, row: RawRow) -> RawRow:
    width = max(len(above.cells), len(row.cells))
    cells = [
        join_pieces(plain_text(_text_at(above, i)), _text_at(row, i))
        if _text_at(row, i).strip()
        else _text_at(above, i)
        for i in range(width)
    ]
    return RawRow(cells=cells, number=above.number, is_header_row=False, merged=list(above.merged))


@dataclass
class Piece:
    """One row's worth of a measure (its first row or a sub-row), cells joined across page breaks."""

    row: int
    cells: dict[str, str]
    raw: dict[str, list[str]]

    def add(self, column: str, raw: str) -> None:
        if raw.strip():
            self.cells[column] = join_pieces(self.cells.get(column, ""), raw)
            self.raw.setdefault(column, []).append(raw)


@dataclass
class Group:
    first: Piece
    subrows: list[Piece] = field(default_factory=list)
    #: Steps given as rows numbered "<measure>.<n>" (our export's layout).
    dotted: list[tuple[str, Piece]] = field(default_factory=list)
    last_row: int = 0

    @property
    def last_piece(self) -> Piece:
        if self.dotted:
            return self.dotted[-1][1]
        return self.subrows[-1] if self.subrows else self.first
