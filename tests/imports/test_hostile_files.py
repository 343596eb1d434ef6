# ruff: noqa: E501  (OOXML namespaces and content types are long literals)
"""Hostile import files are refused with a clear message, in bounded memory and time.

Each file is read in a child process (as a web worker would), and the child's peak resident
memory is what the kernel reports for it (``VmHWM`` in ``/proc/<pid>/status``, read by the
child as it ends; ``ru_maxrss`` would carry the parent's peak across ``exec``): it must stay
under 300 MB.
The time bound is the child's timeout; none of these files needs more than a few seconds.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_RSS_MB = 300
TIME_LIMIT_SECONDS = 120

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

CHILD = """
import json, sys
from flask import Flask
from flask_babel import Babel
from tracker.core.errors import InvalidInput
from tracker.imports.readers import read_document

app = Flask("child")
Babel(app)
path, name = sys.argv[1], sys.argv[2]
with app.test_request_context():
    try:
        document = read_document(name, open(path, "rb").read())
        outcome = {"refused": None, "rows": len(document.rows)}
    except InvalidInput as error:
        outcome = {"refused": error.message}
# VmHWM: this process's peak resident memory since exec (ru_maxrss would carry the parent's).
status = open("/proc/self/status").read()
outcome["own_peak_kb"] = int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM:")))
print(json.dumps(outcome))
"""


def _zip(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx(body: str, *, prologue: str = "") -> bytes:
    document = f'<?xml version="1.0" encoding="UTF-8"?>{prologue}<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    return _zip(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                "</Relationships>"
            ),
            "word/document.xml": document,
        }
    )


def _cell(text: str, span: str | None = None) -> str:
    props = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span else ""
    return f"<w:tc>{props}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def _grid_span_bomb() -> bytes:
    rows = "".join(f"<w:tr>{_cell('1')}{_cell('x', span='300000000')}</w:tr>" for _ in range(200))
    return _docx(f"<w:tbl>{rows}</w:tbl>")


def _many_gridspans() -> bytes:
    """A span just under the cap in every cell of many rows: the columns add up before allocation."""
    rows = "".join(f"<w:tr>{_cell('x', span='59') * 40}</w:tr>" for _ in range(300))
    return _docx(f"<w:tbl>{rows}</w:tbl>")


def _billion_laughs() -> bytes:
    entities = '<!ENTITY a "ha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    return _docx(
        f"<w:tbl><w:tr>{_cell('&j;')}</w:tr></w:tbl>", prologue=f"<!DOCTYPE w:document [{entities}]>"
    )


def _zip_bomb() -> bytes:
    return _docx("<w:p/>" + " " * (150 * 1024 * 1024))


def _element_flood() -> bytes:
    """Two million small elements with varied text, compressing less than a zip bomb would."""
    rows = "".join(f"<w:tr>{_cell(str(i))}</w:tr>" for i in range(400_000))
    return _docx(f"<w:tbl>{rows}</w:tbl>")


def _deep_nesting() -> bytes:
    return _docx("<w:p>" * 50_000 + "</w:p>" * 50_000)


def _million_row_xlsx() -> bytes:
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{i}</t></is></c></row>' for i in range(1, 1_000_001)
    )
    return _xlsx(f"<sheetData>{rows}</sheetData>")


def _sparse_xlsx() -> bytes:
    """One cell in the last row and column Excel allows: nothing in between may be allocated."""
    return _xlsx(
        '<sheetData><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    )


def _merge_flood_xlsx() -> bytes:
    merges = "".join('<mergeCell ref="A1:BI5001"/>' for _ in range(5000))
    return _xlsx(
        f'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData><mergeCells count="5000">{merges}</mergeCells>'
    )


def _xlsx(sheet_body: str) -> bytes:
    return _zip(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>"
            ),
            "xl/workbook.xml": (
                f'<?xml version="1.0"?><workbook xmlns="{S}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ),
            "xl/_rels/workbook.xml.rels": (
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                "</Relationships>"
            ),
            "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{S}">{sheet_body}</worksheet>',
        }
    )


def _json_object_flood() -> bytes:
    return b'{"title": "x", "measures": [' + b",".join([b"{}"] * 2_000_000) + b"]}"


def _json_wrong_types() -> bytes:
    return json.dumps({"title": "x", "period": [1], "measures": [{"title": ["a"], "steps": 5}]}).encode()


def _csv_row_flood() -> bytes:
    return b"a;b;c\n" * 3_000_000


HOSTILE = {
    "gridspan.docx": _grid_span_bomb,
    "many-spans.docx": _many_gridspans,
    "laughs.docx": _billion_laughs,
    "zipbomb.docx": _zip_bomb,
    "elements.docx": _element_flood,
    "deep.docx": _deep_nesting,
    "million.xlsx": _million_row_xlsx,
    "sparse.xlsx": _sparse_xlsx,
    "merges.xlsx": _merge_flood_xlsx,
    "objects.json": _json_object_flood,
    "types.json": _json_wrong_types,
    "rows.csv": _csv_row_flood,
}


def _read_in_child(path: Path, name: str) -> tuple[dict[str, object], float]:
    """Read ``path`` in a child process; its outcome and its peak RSS in MB (from the OS)."""
    env = {**os.environ, "IMPORT_MAX_MB": "20", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", CHILD, str(path), name],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    try:
        out, err = child.communicate(timeout=TIME_LIMIT_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        raise AssertionError(f"{name}: not refused within {TIME_LIMIT_SECONDS} s") from None
    assert child.returncode == 0, err.decode()[-2000:]
    outcome = json.loads(out.decode().strip().splitlines()[-1])
    return outcome, int(outcome["own_peak_kb"]) / 1024  # VmHWM is in KiB


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_in_bounded_memory(tmp_path, name):
    data = HOSTILE[name]()
    assert len(data) <= 20 * 1024 * 1024, f"{name} must fit the upload limit to test the reader"
    path = tmp_path / name
    path.write_bytes(data)
    outcome, peak_mb = _read_in_child(path, name)
    assert outcome["refused"], f"{name} was accepted: {outcome}"
    assert peak_mb <= MAX_RSS_MB, f"{name}: peak RSS {peak_mb:.0f} MB"


def test_a_real_plan_still_reads_in_the_child(tmp_path):
    """The harness itself: a normal file is read (so a refusal above is the reader's doing)."""
    rows = "".join(f"<w:tr>{_cell(str(i))}{_cell('Чора-тадбир')}</w:tr>" for i in range(1, 301))
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx(f"<w:tbl>{rows}</w:tbl>"))
    outcome, peak_mb = _read_in_child(path, "plan.docx")
    assert outcome["refused"] is None and outcome["rows"] == 300
    assert peak_mb <= MAX_RSS_MB


@pytest.mark.parametrize("far_value", ["x", " "])
def test_a_sheet_wider_than_a_plan_is_refused_whatever_the_far_cell_holds(db, organization, far_value):
    from _import_docs import seed, xlsx_bytes

    from tracker.core.errors import InvalidInput
    from tracker.imports import services
    from tracker.imports.readers import MAX_COLUMNS

    preamble, rows = seed("004")
    rows = [*rows, ["99", "Кенг қатор", *[""] * (MAX_COLUMNS - 2), far_value]]
    data = xlsx_bytes(preamble, rows)
    with pytest.raises(InvalidInput, match="too many rows or columns"):
        services.preview_file("wide.xlsx", data, organization)
    rows[-1] = rows[-1][:MAX_COLUMNS]  # the widest a plan may be: read
    preview = services.preview_file("wide.xlsx", xlsx_bytes(preamble, rows), organization)
    assert preview.plan.measures[-1].title == "Кенг қатор"
