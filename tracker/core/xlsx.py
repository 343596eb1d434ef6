"""One sheet of a list page (plans, search results, reviews, rating) as an Excel download."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _cell(value: Any) -> Any:
    """Text, numbers and dates as they are; a leading = + - @ quoted so no formula runs."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value if isinstance(value, int | float) or hasattr(value, "isoformat") else str(value)


def xlsx_download(
    sheet_name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], filename: str
) -> Response:
    """An XLSX attachment: a bold, frozen header row, wrapped text, the sheet named ``sheet_name``
    (already translated by the caller)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _SHEET_FORBIDDEN.sub(" ", sheet_name)[:31] or "Sheet"
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in headers]
    for row in rows:
        values = [_cell(v) for v in row]
        sheet.append(values)
        widths = [max(w, min(len(str(v)), 60)) for w, v in zip(widths, values, strict=False)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(width + 2, 8)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = Response(buffer.getvalue(), mimetype=XLSX_MIME)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def wants_xlsx(args: Any) -> bool:
    return args.get("format") == "xlsx"
