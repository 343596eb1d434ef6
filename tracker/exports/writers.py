"""The export files: XLSX laid out like the official table, CSV for Excel, and the open-data JSON.

XLSX and CSV hold the text above the table as the documents do (approval block, title, as-of
date) and one row per measure; a measure's steps follow it in rows numbered "<measure>.<step>"
with an empty name, each with its own deadline and status. ``tracker.imports`` reads these
files back into the same plan.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from tracker.core.status import Status
from tracker.uzbek import detect_script, format_doc_date, to_latin

FORMATS = ("xlsx", "csv", "json")

_HEADERS_CYRL = (
    "№",
    "Чора-тадбирлар номи",
    "Амалга ошириш механизми",
    "Ижро муддати",
    "Норматив-ҳуқуқий асоси",
    "Мақсад (кутилаётган натижа)",
    "Масъул ижрочилар",
    "Ҳолати",
    "Ижро ҳолати",
)
_STATUS_CYRL = {
    Status.DONE: "Бажарилди",
    Status.IN_PROGRESS: "Бажарилмоқда",
    Status.NOT_STARTED: "Бошланмаган",
    Status.CANCELLED: "Бекор қилинди",
    Status.DONE_CLAIMED: "Бажарилмоқда",
}
#: Column widths in characters, like the printed table.
_WIDTHS = (6, 40, 60, 18, 30, 36, 30, 14, 60)

MIME_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def _script_of(data: dict[str, Any]) -> str:
    return data.get("script") or ("latn" if detect_script(data.get("title") or "") == "latn" else "cyrl")


def _word(text: str, script: str) -> str:
    return to_latin(text) if script == "latn" else text


def preamble_lines(data: dict[str, Any]) -> list[str]:
    """The text above the table: approval block, title, as-of date, period and basis."""
    script = _script_of(data)
    lines: list[str] = []
    approval = data.get("approval")
    if approval:
        lines.append(_word("ТАСДИҚЛАЙМАН", script))
        if approval.get("position"):
            lines.append(approval["position"])
        lines.append(approval["name"])
        lines.append(format_doc_date(date.fromisoformat(approval["date"]), script, "approval"))
        lines.append("")
    lines.append(data["title"])
    lines.append(format_doc_date(date.fromisoformat(data["as_of"]), script, "as_of"))
    period = data.get("period") or {}
    if period.get("start") and period.get("end"):
        start = format_doc_date(date.fromisoformat(period["start"]), script, "numeric")
        end = format_doc_date(date.fromisoformat(period["end"]), script, "numeric")
        lines.append(f"{_word('Давр', script)}: {start} – {end}")
    if data.get("basis") and data["basis"] not in data["title"]:
        lines.append(f"{_word('Асос', script)}: {data['basis']}")
    return lines


def header_row(data: dict[str, Any]) -> list[str]:
    script = _script_of(data)
    return [_word(h, script) for h in _HEADERS_CYRL]


def _status_cells(status: str, note: str | None, script: str) -> list[str]:
    if status == Status.NOT_STARTED and not note:
        return ["", ""]
    return [_word(_STATUS_CYRL[Status(status)], script), note or ""]


def table_rows(data: dict[str, Any]) -> list[list[str]]:
    """One row per measure, then one per step ("3.1", "3.2", … with an empty name)."""
    script = _script_of(data)
    rows = []
    for m in data["measures"]:
        rows.append(
            [
                m["number"],
                # A proposal's content is part of what the measure is (issue 15): under its name.
                "\n\n".join(x for x in (m["title"], m.get("content")) if x),
                m["mechanism"] or "",
                m["deadline"]["text"] or "",
                (m["legal_basis"] or {}).get("text") or "",
                m["expected_result"] or "",
                "\n".join(r["name"] for r in m["responsible"] if r["name"]),
                *_status_cells(m["status"], m["status_note"], script),
            ]
        )
        for s in m["steps"]:
            rows.append(
                [
                    f"{m['number']}.{s['number']}",
                    "",
                    s["text"] or "",
                    s["deadline"]["text"] or "",
                    "",
                    "",
                    "",
                    *_status_cells(s["status"], s["status_note"], script),
                ]
            )
    return rows


def to_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


#: First characters that make Excel or LibreOffice read a CSV cell as a formula (OWASP's list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: str) -> str:
    """Quote a leading = + - @ tab or CR so that spreadsheets do not run the cell as a formula."""
    return "'" + value if value[:1] in _FORMULA_STARTS else value


def to_csv(data: dict[str, Any]) -> bytes:
    """UTF-8 with a BOM and ";" between cells, as Excel expects in Uzbek and Russian locales."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for line in preamble_lines(data):
        writer.writerow([_csv_safe(line)] if line else [])
    writer.writerow(header_row(data))
    for row in table_rows(data):
        writer.writerow([_csv_safe(c) for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(data: dict[str, Any]) -> bytes:
    """The official table: wrapped text, column widths, header repeated on each printed page,
    landscape A4 fitted to the page width."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _word("Режа", _script_of(data))  # the sheet is named in the document's language
    columns = len(_HEADERS_CYRL)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")

    def put(row: int, column: int, value: str) -> Any:
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text that looks like a formula stays text
        return cell

    row_index = 0
    for line in preamble_lines(data):
        row_index += 1
        if not line:
            continue
        put(row_index, 1, line)
        sheet.merge_cells(start_row=row_index, start_column=1, end_row=row_index, end_column=columns)
        cell = sheet.cell(row=row_index, column=1)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.font = Font(bold=line == data["title"])
        if line == data["title"]:
            sheet.row_dimensions[row_index].height = 15 * (1 + len(line) // 150)
    row_index += 1
    header_index = row_index
    for column, text in enumerate(header_row(data), start=1):
        cell = put(row_index, column, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cell.border = border
    for row in table_rows(data):
        row_index += 1
        for column, text in enumerate(row, start=1):
            cell = put(row_index, column, text)
            cell.alignment = wrap
            cell.border = border
    for column, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=header_index + 1, column=1)
    sheet.print_title_rows = f"{header_index}:{header_index}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render(data: dict[str, Any], file_format: str) -> bytes:
    if file_format == "json":
        return to_json(data)
    if file_format == "csv":
        return to_csv(data)
    if file_format == "xlsx":
        return to_xlsx(data)
    raise ValueError(f"unknown export format {file_format!r}")


def filename_for(data: dict[str, Any], file_format: str) -> str:
    return (
        f"plan-{data['id']}-{data['as_of']}{'-' + data['script'] if data.get('script') else ''}.{file_format}"
    )
