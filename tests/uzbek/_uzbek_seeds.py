"""Shared helpers for the tests in tests/uzbek: where the seeds and the test corpus live,
and how the seed tables are read."""

from __future__ import annotations

import re
from pathlib import Path

from tests.seeds import seed_file

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(__file__).resolve().parent / "data"


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` ("003"); fails the test, saying why, when absent."""
    return seed_file(prefix)


def read_tsv(name: str) -> list[list[str]]:
    """Rows of a tab-separated file in tests/uzbek/data, without comments and blank lines."""
    rows = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def table_rows(text: str) -> list[list[str]]:
    """Rows of a seed table, with rows split by a page break joined again.

    Table lines are tab-separated; the header ("№" or "Т/р" in the first cell) repeats after a
    page break, and a row right after a repeated header with an empty first cell continues the
    row before it (its cells are appended, separated by a space), unless the table gives each
    mechanism step a row of its own and this row starts a new numbered step.
    """
    lines = [line.split("\t") for line in text.splitlines() if len(line.split("\t")) >= 4]
    # Tables whose mechanism steps are rows of their own (seed 004) have rows with an empty
    # first cell that do not follow a header; there a row that starts a new numbered step after
    # a page break is a new row, not the continuation of the one before.
    has_subrows = any(
        not cells[0].strip() and prev[0].strip() not in ("№", "Т/р")
        for prev, cells in zip(lines, lines[1:], strict=False)
    )
    rows: list[list[str]] = []
    after_header = False
    for cells in lines:
        if cells[0].strip() in ("№", "Т/р"):
            after_header = True
            continue
        # A row that starts a new numbered mechanism step ("<p>3. ...") is a row of its own.
        new_step = has_subrows and re.match(r"\s*(?:<p>)?\s*\d+\.\s", cells[2]) is not None
        if after_header and not cells[0].strip() and rows and not new_step:
            prev = rows[-1]
            for i, cell in enumerate(cells):
                if cell.strip():
                    prev[i] = f"{prev[i]} {cell}".strip() if prev[i].strip() else cell
        else:
            rows.append(cells)
        after_header = False
    return rows
