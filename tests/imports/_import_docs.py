"""Real DOCX, XLSX and CSV files built from the seed documents, and the expected results.

The seeds (``shared/seeds/003_*.txt``, ``004_*.txt``) are the text of Word tables: lines above
the table, then one tab-separated line per table row, the header row repeated after each page
break, and rows continued on the next page. Each line becomes a real row here, as it is in the
converted documents the agencies keep.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from openpyxl import Workbook

from tests.seeds import seed_file
from tracker.uzbek import normalise, to_latin

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tracker" / "demo" / "fixtures"
SEED_FIXTURE = {"003": "work_plan_2024_h1", "004": "open_data_roadmap_2021"}


def seed(prefix: str) -> tuple[list[str], list[list[str]]]:
    """(lines above the table, table rows) of a seed; fails the test when shared/ is absent."""
    preamble: list[str] = []
    rows: list[list[str]] = []
    for line in seed_file(prefix).read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 4:
            rows.append(cells)
        elif not rows:
            preamble.append(line)
    return preamble, rows


def fixture(prefix: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{SEED_FIXTURE[prefix]}.json").read_text(encoding="utf-8"))


def is_header(cells: list[str]) -> bool:
    return cells[0].strip() in ("№", "Т/р")


def _mark_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def docx_bytes(preamble: list[str], rows: list[list[str]], *, header_flag: bool = True) -> bytes:
    """A Word document: the preamble as paragraphs, the rows as one table (header rows marked
    "repeat as header row" when ``header_flag``)."""
    document = Document()
    for line in preamble:
        document.add_paragraph(line)
    width = max(len(r) for r in rows)
    table = document.add_table(rows=0, cols=width)
    for cells in rows:
        row = table.add_row()
        for index, text in enumerate(cells):
            row.cells[index].text = text
        if header_flag and is_header(cells):
            _mark_header(row)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(preamble: list[str], rows: list[list[str]], *, merges: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line in preamble:
        sheet.append([line])
    for cells in rows:
        sheet.append(cells)
    for merge in merges or []:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(preamble: list[str], rows: list[list[str]], *, delimiter: str = ";", bom: bool = True) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    for line in preamble:
        writer.writerow([line])
    for cells in rows:
        writer.writerow(cells)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def latin(preamble: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    return [to_latin(line) for line in preamble], [[to_latin(c) for c in cells] for cells in rows]


def expected_text(value: str | None, *, one_line: bool = False, script: str | None = None) -> str | None:
    """The fixture's text as the importer stores it: normalised (and transliterated)."""
    if not value:
        return None
    text = normalise(value)
    if script == "latn":
        text = normalise(to_latin(text))
    if one_line:
        text = text.replace("\n", " ")
    return text or None
