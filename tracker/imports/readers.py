"""Reading uploaded files into rows of cell text, safely.

Every reader returns a :class:`RawDocument`: the text above the table (``preamble``) and the
table rows as written, cell text with its paragraphs separated by "\\n" (HTML tags, if the
document carries them, are left in: the parser strips them). Nothing here interprets columns.

Safety: the file must be what its extension says, within the size limit; DOCX and XLSX are
zip files checked for zip bombs and parsed with a strict XML parser (no DTD, no entities)
before python-docx or openpyxl see them (tracker/imports/safety.py); formulas in XLSX are read as
written, never evaluated.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app, has_app_context
from flask_babel import gettext as _

from tracker.core.errors import InvalidInput
from tracker.imports.columns import is_header
from tracker.imports.jsonshape import json_shape_problem
from tracker.imports.safety import ZIP_MAGIC, check_zip, not_what_it_says, too_big

logger = logging.getLogger(__name__)

#: Extensions we read, and the kind of content each must have.
FORMATS = {".docx": "docx", ".xlsx": "xlsx", ".csv": "csv", ".json": "json"}

DEFAULT_MAX_MB = 20
#: Rows and columns beyond these are refused (a plan is a few hundred rows; a national one 10,000).
MAX_ROWS = 20_000
MAX_COLUMNS = 60
#: Brackets and quotes in an open-data JSON file: each becomes a Python object.
MAX_JSON_CONTAINERS = 300_000
MAX_JSON_STRINGS = 1_000_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class RawRow:
    """One table row: its cells' text, where it came from, and how Word marked it."""

    cells: list[str]
    #: 1-based row number in the source table or sheet, for messages.
    number: int
    #: Word's "repeat as header row at the top of each page" (w:tblHeader).
    is_header_row: bool = False
    #: Cells that continue a vertical merge from the row above (w:vMerge, Excel merged ranges).
    merged: list[bool] = field(default_factory=list)


@dataclass
class RawDocument:
    format: str
    filename: str
    preamble: list[str] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: The parsed JSON of an open-data file (then ``rows`` is empty).
    payload: dict[str, Any] | None = None


def max_upload_bytes() -> int:
    """``IMPORT_MAX_MB`` from the app config or the environment; 20 MB by default."""
    value: Any = None
    if has_app_context():
        value = current_app.config.get("IMPORT_MAX_MB")
    if value is None:
        value = os.environ.get("IMPORT_MAX_MB", DEFAULT_MAX_MB)
    return int(float(value) * 1024 * 1024)


def format_of(filename: str) -> str:
    extension = os.path.splitext(filename.lower())[1]
    if extension not in FORMATS:
        raise InvalidInput(
            _(
                "“%(name)s”: plans can be imported from Word (.docx), Excel (.xlsx), CSV or "
                "open-data JSON files only.",
                name=filename,
            )
        )
    return FORMATS[extension]


def read_document(filename: str, data: bytes) -> RawDocument:
    """Check ``data`` and read it as the format its extension names. Raises :class:`InvalidInput`."""
    kind = format_of(filename)
    limit = max_upload_bytes()
    if len(data) > limit:
        raise InvalidInput(
            _("“%(name)s” is too large: at most %(mb)s MB.", name=filename, mb=round(limit / 1048576))
        )
    if not data:
        raise InvalidInput(_("“%(name)s” is empty.", name=filename))
    if kind in ("docx", "xlsx"):
        merges = check_zip(filename, data, kind)
        document = _read_docx(filename, data) if kind == "docx" else _read_xlsx(filename, data, merges)
    elif data.startswith(ZIP_MAGIC) or b"\x00" in data[:4096]:
        raise not_what_it_says(filename, kind)
    else:
        document = _read_csv(filename, data) if kind == "csv" else _read_json(filename, data)
    if len(document.rows) > MAX_ROWS:
        raise InvalidInput(_("“%(name)s” has too many rows (at most %(n)s).", name=filename, n=MAX_ROWS))
    return document


def _small_int(value: str | None, default: int, cap: int) -> int:
    """A count written in the file (a span, a skip), read without trusting its size."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit():
        return default
    return min(int(text[:6]), cap)


# -- Word ---------------------------------------------------------------------------------------


def paragraph_text(p: Any) -> str:
    parts = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _tc_text(tc: Any) -> str:
    return "\n".join(paragraph_text(p) for p in tc.iter(f"{_W}p"))


def _read_docx(filename: str, data: bytes) -> RawDocument:
    import docx

    try:
        word = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds for a damaged package
        raise not_what_it_says(filename, "docx") from None
    document = RawDocument(format="docx", filename=filename)
    body = word.element.body
    tables = [child for child in body.iterchildren() if child.tag == f"{_W}tbl"]
    if not tables:
        raise InvalidInput(_("“%(name)s” has no table: a plan must be a table of measures.", name=filename))
    # The plan is the largest table; anything before it (paragraphs, small layout tables
    # holding the approval block) is the text above the table.
    main = max(tables, key=lambda t: len(t.findall(f"{_W}tr")))
    for child in body.iterchildren():
        if child is main:
            break
        if child.tag == f"{_W}p":
            document.preamble.extend(paragraph_text(child).split("\n"))
        elif child.tag == f"{_W}tbl":
            for tc in child.iter(f"{_W}tc"):
                document.preamble.extend(_tc_text(tc).split("\n"))
    for number, tr in enumerate(main.findall(f"{_W}tr"), start=1):
        cells: list[str] = []
        merged: list[bool] = []
        tr_pr = tr.find(f"{_W}trPr")
        is_header = tr_pr is not None and tr_pr.find(f"{_W}tblHeader") is not None
        if tr_pr is not None and (before := tr_pr.find(f"{_W}gridBefore")) is not None:
            skip = _small_int(before.get(f"{_W}val"), 0, MAX_COLUMNS + 1)
            cells += [""] * skip
            merged += [False] * skip
        for tc in tr.findall(f"{_W}tc"):
            tc_pr = tc.find(f"{_W}tcPr")
            span, continues = 1, False
            if tc_pr is not None:
                if (grid_span := tc_pr.find(f"{_W}gridSpan")) is not None:
                    span = max(1, _small_int(grid_span.get(f"{_W}val"), 1, MAX_COLUMNS + 1))
                if (v_merge := tc_pr.find(f"{_W}vMerge")) is not None:
                    continues = v_merge.get(f"{_W}val", "continue") == "continue"
            if len(cells) + span > MAX_COLUMNS:  # checked before the cells are made
                raise InvalidInput(_("“%(name)s”: the table has too many columns.", name=filename))
            cells.append("" if continues else _tc_text(tc))
            merged.append(continues)
            cells += [""] * (span - 1)
            merged += [continues] * (span - 1)
        if len(cells) > MAX_COLUMNS:
            raise InvalidInput(_("“%(name)s”: the table has too many columns.", name=filename))
        document.rows.append(RawRow(cells=cells, number=number, is_header_row=is_header, merged=merged))
    return document


# -- Excel --------------------------------------------------------------------------------------


def _xlsx_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(filename: str, data: bytes, merges: dict[str, list[str]]) -> RawDocument:
    """Stream the first non-empty sheet (openpyxl's read-only mode): rows are read one at a time
    and reading stops at the row cap, so a sheet of a million rows costs no more than the cap."""
    import openpyxl

    try:
        # data_only=False: a formula is read as its text and never calculated.
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise not_what_it_says(filename, "xlsx") from None
    try:
        sheet = next(
            (ws for ws in workbook.worksheets if (ws.max_row or 2) > 1 or (ws.max_column or 2) > 1),
            workbook.worksheets[0],
        )
        covered = _merged_cells(
            filename, merges.get(str(getattr(sheet, "_worksheet_path", "")).lstrip("/"), [])
        )
        document = RawDocument(format="xlsx", filename=filename)
        rows = sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS + 1)
        for number, row in enumerate(rows, start=1):
            if number > MAX_ROWS:
                raise InvalidInput(_("“%(name)s” has too many rows or columns for a plan.", name=filename))
            document.rows.append(_xlsx_row(filename, number, row, covered, document.warnings))
    except InvalidInput:
        raise
    except Exception:  # noqa: BLE001 (a damaged sheet fails while streaming, in many ways)
        raise not_what_it_says(filename, "xlsx") from None
    finally:
        workbook.close()
    return document


def _xlsx_row(
    filename: str, number: int, row: Any, covered: set[tuple[int, int]], warnings: list[str]
) -> RawRow:
    cells: list[str] = []
    merged: list[bool] = []
    # The sheet pads every row to MAX_COLUMNS + 1 cells: skip the empty tail (a plan has ~7 columns).
    used = len(row)
    while used and getattr(row[used - 1], "value", None) in (None, ""):
        used -= 1
    if used > MAX_COLUMNS:
        raise InvalidInput(_("“%(name)s” has too many rows or columns for a plan.", name=filename))
    for column, cell in enumerate(row[:used], start=1):
        value = getattr(cell, "value", None)
        is_merged = (number, column) in covered
        text = "" if is_merged else _xlsx_value(value)
        if not is_merged and getattr(cell, "data_type", None) == "f":
            warnings.append(
                _(
                    "Row %(row)s, cell %(cell)s holds a formula; it was imported as written, not calculated.",
                    row=number,
                    cell=cell.coordinate,
                )
            )
        cells.append(text)
        merged.append(is_merged)
    while cells and not cells[-1].strip():
        cells.pop()
        merged.pop()
    return RawRow(cells=cells[:MAX_COLUMNS], number=number, merged=merged[:MAX_COLUMNS])


def _merged_cells(filename: str, ranges: list[str]) -> set[tuple[int, int]]:
    """(row, column) of every cell a merged range covers, except its first (top-left) cell,
    within the table's bounds; more covered cells than the table can have are refused."""
    from openpyxl.utils.cell import range_boundaries

    covered: set[tuple[int, int]] = set()
    budget = 2 * (MAX_ROWS + 1) * (MAX_COLUMNS + 1)  # cells visited, over all ranges
    for ref in ranges:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if None in (min_col, min_row, max_col, max_row):
            continue
        last_row, last_col = min(max_row, MAX_ROWS + 1), min(max_col, MAX_COLUMNS + 1)
        budget -= max(0, last_row - min_row + 1) * max(0, last_col - min_col + 1)
        if budget < 0:
            raise too_big(filename)
        for row in range(min_row, last_row + 1):
            for column in range(min_col, last_col + 1):
                if (row, column) != (min_row, min_col):
                    covered.add((row, column))
    return covered


# -- CSV ----------------------------------------------------------------------------------------


def _read_csv(filename: str, data: bytes) -> RawDocument:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            _("“%(name)s” is not a UTF-8 CSV file. Save it from Excel as “CSV UTF-8”.", name=filename)
        ) from None
    if "\x00" in text:  # no text file has one, and PostgreSQL cannot store it
        raise not_what_it_says(filename, "csv")
    best: list[list[str]] = []
    for delimiter in (";", ",", "\t"):
        rows = _csv_rows(filename, text, delimiter)
        if any(is_header(r) for r in rows[:100]):
            best = rows  # the delimiter that shows the table's header wins
            break
        if max((len(r) for r in rows), default=0) > max((len(r) for r in best), default=0):
            best = rows
    if not best and text.strip():
        raise InvalidInput(_("“%(name)s”: the table has too many columns.", name=filename))
    document = RawDocument(format="csv", filename=filename)
    for number, cells in enumerate(best, start=1):
        if len(cells) > MAX_COLUMNS:
            raise InvalidInput(_("“%(name)s”: the table has too many columns.", name=filename))
        document.rows.append(RawRow(cells=[_unescape_csv(c) for c in cells], number=number))
    return document


def _csv_rows(filename: str, text: str, delimiter: str) -> list[list[str]]:
    """The rows, read one at a time and refused past the row cap (before they pile up); a row
    wider than the column cap means this is not the delimiter (no rows)."""
    rows: list[list[str]] = []
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) >= MAX_ROWS:
                raise InvalidInput(
                    _("“%(name)s” has too many rows (at most %(n)s).", name=filename, n=MAX_ROWS)
                )
            if len(cells) > MAX_COLUMNS:
                return []
            rows.append(cells)
    except csv.Error:
        raise InvalidInput(_("“%(name)s” is not a valid CSV file.", name=filename)) from None
    return rows


_FORMULA_START = re.compile(r"^'(?=[=+\-@\t\r])")


def _unescape_csv(cell: str) -> str:
    """Our CSV export quotes a leading = + - @ tab or CR with an apostrophe (formula injection); undo it."""
    return _FORMULA_START.sub("", cell)


# -- open-data JSON -----------------------------------------------------------------------------


def _read_json(filename: str, data: bytes) -> RawDocument:
    if b"\\u0000" in data:  # a NUL in a text: PostgreSQL cannot store it
        raise not_what_it_says(filename, "json")
    if data.count(b"{") + data.count(b"[") > MAX_JSON_CONTAINERS or data.count(b'"') > 2 * MAX_JSON_STRINGS:
        raise too_big(filename)  # counted before parsing: each would become a Python object
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InvalidInput(_("“%(name)s” is not a valid JSON file.", name=filename)) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("measures"), list):
        raise InvalidInput(
            _("“%(name)s” is not a plan in the open-data format (no list of measures).", name=filename)
        )
    problem = json_shape_problem(payload)
    if problem:
        raise InvalidInput(
            _(
                "“%(name)s” is not a plan in the open-data format: %(where)s has the wrong type.",
                name=filename,
                where=problem,
            )
        )
    return RawDocument(format="json", filename=filename, payload=payload)
