"""Reading uploaded files into rows of cell text, safely.

Every reader returns a :class:`RawDocument`: the text above the table (``preamble``) and the
table rows as written, cell text with its paragraphs separated by "\\n" (HTML tags, if the
document carries them, are left in: the parser strips them). Nothing here interprets columns.

Safety: the file must be what its extension says, within the size limit; DOCX and XLSX are
zip files checked for zip bombs and parsed with a strict XML parser (no DTD, no entities)
before python-docx or openpyxl see them; formulas in XLSX are read as written, never evaluated.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app, has_app_context
from flask_babel import gettext as _
from lxml import etree

from tracker.core.errors import InvalidInput

logger = logging.getLogger(__name__)

#: Extensions we read, and the kind of content each must have.
FORMATS = {".docx": "docx", ".xlsx": "xlsx", ".csv": "csv", ".json": "json"}

DEFAULT_MAX_MB = 20
#: Zip-bomb limits: total unpacked size, entries, and how much one entry may expand.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
MAX_RATIO = 200
#: Rows and columns beyond these are refused (a plan is a few hundred rows at most).
MAX_ROWS = 5000
MAX_COLUMNS = 60

_ZIP_MAGIC = b"PK\x03\x04"
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
        _check_zip(filename, data, kind)
    elif data.startswith(_ZIP_MAGIC) or b"\x00" in data[:4096]:
        raise _not_what_it_says(filename, kind)
    reader = {"docx": _read_docx, "xlsx": _read_xlsx, "csv": _read_csv, "json": _read_json}[kind]
    document = reader(filename, data)
    if len(document.rows) > MAX_ROWS:
        raise InvalidInput(_("“%(name)s” has too many rows (at most %(n)s).", name=filename, n=MAX_ROWS))
    return document


def _not_what_it_says(filename: str, kind: str) -> InvalidInput:
    return InvalidInput(
        _(
            "“%(name)s” is damaged or is not really a %(ext)s file. Open it in its program and save "
            "it again as %(ext)s.",
            name=filename,
            ext=kind.upper(),
        )
    )


# -- zip containers -----------------------------------------------------------------------------

_REQUIRED_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def _check_zip(filename: str, data: bytes, kind: str) -> None:
    """A real Office file of the right kind, not a zip bomb, with well-formed, DTD-free XML."""
    if not data.startswith(_ZIP_MAGIC):
        raise _not_what_it_says(filename, kind)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_what_it_says(filename, kind) from None
    names = {e.filename for e in entries}
    if _REQUIRED_PART[kind] not in names:
        raise _not_what_it_says(filename, kind)
    total = sum(e.file_size for e in entries)
    suspicious = len(entries) > MAX_ZIP_ENTRIES or total > MAX_UNPACKED_BYTES
    suspicious = suspicious or any(
        e.file_size > 1024 * 1024 and e.file_size > MAX_RATIO * max(e.compress_size, 1) for e in entries
    )
    if suspicious:
        raise InvalidInput(
            _("“%(name)s” unpacks to far more data than a plan can hold; it was refused.", name=filename)
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False
    )
    for entry in entries:
        if not entry.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(entry) as handle:
                content = handle.read(entry.file_size + 1)
            tree = etree.fromstring(content, parser).getroottree()  # noqa: S320 (entities off, no DTD)
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError, RuntimeError):
            raise InvalidInput(
                _(
                    "“%(name)s” is damaged: its part %(part)s is not valid XML.",
                    name=filename,
                    part=entry.filename,
                )
            ) from None
        if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
            raise InvalidInput(
                _("“%(name)s” contains XML declarations that are not allowed; it was refused.", name=filename)
            )


# -- Word ---------------------------------------------------------------------------------------


def _paragraph_text(p: Any) -> str:
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
    return "\n".join(_paragraph_text(p) for p in tc.iter(f"{_W}p"))


def _read_docx(filename: str, data: bytes) -> RawDocument:
    import docx

    try:
        word = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds for a damaged package
        raise _not_what_it_says(filename, "docx") from None
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
            document.preamble.extend(_paragraph_text(child).split("\n"))
        elif child.tag == f"{_W}tbl":
            for tc in child.iter(f"{_W}tc"):
                document.preamble.extend(_tc_text(tc).split("\n"))
    for number, tr in enumerate(main.findall(f"{_W}tr"), start=1):
        cells: list[str] = []
        merged: list[bool] = []
        tr_pr = tr.find(f"{_W}trPr")
        is_header = tr_pr is not None and tr_pr.find(f"{_W}tblHeader") is not None
        if tr_pr is not None and (before := tr_pr.find(f"{_W}gridBefore")) is not None:
            skip = int(before.get(f"{_W}val", "0") or 0)
            cells += [""] * skip
            merged += [False] * skip
        for tc in tr.findall(f"{_W}tc"):
            tc_pr = tc.find(f"{_W}tcPr")
            span, continues = 1, False
            if tc_pr is not None:
                if (grid_span := tc_pr.find(f"{_W}gridSpan")) is not None:
                    span = max(1, int(grid_span.get(f"{_W}val", "1") or 1))
                if (v_merge := tc_pr.find(f"{_W}vMerge")) is not None:
                    continues = v_merge.get(f"{_W}val", "continue") == "continue"
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


def _read_xlsx(filename: str, data: bytes) -> RawDocument:
    import openpyxl
    from openpyxl.cell.cell import MergedCell

    try:
        # data_only=False: a formula is read as its text and never calculated.
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise _not_what_it_says(filename, "xlsx") from None
    sheet = next((ws for ws in workbook.worksheets if ws.max_row > 1 or ws.max_column > 1), workbook.active)
    document = RawDocument(format="xlsx", filename=filename)
    if sheet.max_row > MAX_ROWS or sheet.max_column > MAX_COLUMNS:
        raise InvalidInput(_("“%(name)s” has too many rows or columns for a plan.", name=filename))
    for number, row in enumerate(sheet.iter_rows(), start=1):
        cells, merged = [], []
        for cell in row:
            is_merged = isinstance(cell, MergedCell)
            text = "" if is_merged else _xlsx_value(cell.value)
            if not is_merged and cell.data_type == "f":
                document.warnings.append(
                    _(
                        "Row %(row)s, cell %(cell)s holds a formula; it was imported as written, not "
                        "calculated.",
                        row=number,
                        cell=cell.coordinate,
                    )
                )
            cells.append(text)
            merged.append(is_merged)
        while cells and not cells[-1].strip():
            cells.pop()
            merged.pop()
        document.rows.append(RawRow(cells=cells, number=number, merged=merged))
    return document


# -- CSV ----------------------------------------------------------------------------------------


def _read_csv(filename: str, data: bytes) -> RawDocument:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            _("“%(name)s” is not a UTF-8 CSV file. Save it from Excel as “CSV UTF-8”.", name=filename)
        ) from None
    from tracker.imports.parser import looks_like_header

    best: list[list[str]] = []
    for delimiter in (";", ",", "\t"):
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error:
            raise InvalidInput(_("“%(name)s” is not a valid CSV file.", name=filename)) from None
        if any(looks_like_header(r) for r in rows[:100]):
            best = rows  # the delimiter that shows the table's header wins
            break
        if max((len(r) for r in rows), default=0) > max((len(r) for r in best), default=0):
            best = rows
    document = RawDocument(format="csv", filename=filename)
    for number, cells in enumerate(best, start=1):
        if len(cells) > MAX_COLUMNS:
            raise InvalidInput(_("“%(name)s”: the table has too many columns.", name=filename))
        document.rows.append(RawRow(cells=[_unescape_csv(c) for c in cells], number=number))
    return document


_FORMULA_START = re.compile(r"^'(?=[=+\-@\t\r])")


def _unescape_csv(cell: str) -> str:
    """Our CSV export quotes a leading = + - @ tab or CR with an apostrophe (formula injection); undo it."""
    return _FORMULA_START.sub("", cell)


# -- open-data JSON -----------------------------------------------------------------------------


def _read_json(filename: str, data: bytes) -> RawDocument:
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InvalidInput(_("“%(name)s” is not a valid JSON file.", name=filename)) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("measures"), list):
        raise InvalidInput(
            _("“%(name)s” is not a plan in the open-data format (no list of measures).", name=filename)
        )
    return RawDocument(format="json", filename=filename, payload=payload)
