"""The memo of drawn rows (tracker/core/drawn_rows.py): one lookup per page, keyed by list, reader
and row, bounded, and never used for rows that must be drawn every time."""

from __future__ import annotations

from typing import NamedTuple

import pytest
from flask_babel import force_locale
from markupsafe import Markup

from tracker.core import drawn_rows
from tracker.core.drawn_rows import RowMemo, forget_rows, kept_rows


class Row(NamedTuple):
    id: int
    title: str


@pytest.fixture(autouse=True)
def empty_memo(app):
    forget_rows()
    with app.test_request_context("/"):
        yield
    forget_rows()


def test_a_page_finds_the_rows_it_kept_and_only_those():
    first, second = Row(1, "Strategiya"), Row(2, "Dastur")
    memo = RowMemo("plan")
    assert memo.drawn([first, second]) == [(first, None), (second, None)]
    assert memo.keep(first, Markup("<tr>1</tr>")) == Markup("<tr>1</tr>")

    again = RowMemo("plan")
    assert again.drawn([first, second]) == [(first, Markup("<tr>1</tr>")), (second, None)]
    # The same values under another title are another row.
    assert again.drawn([Row(1, "Strategiya (yangi)")]) == [(Row(1, "Strategiya (yangi)"), None)]


def test_rows_are_kept_per_list_reader_and_context():
    row = Row(1, "Strategiya")
    RowMemo("plan").keep(row, Markup("<tr>plan</tr>"))
    assert RowMemo("reviews").drawn([row]) == [(row, None)]
    assert RowMemo("plan", context="2026-12-02").drawn([row]) == [(row, None)]
    with force_locale("ru"):
        assert RowMemo("plan").drawn([row]) == [(row, None)]
    assert RowMemo("plan").drawn([row]) == [(row, Markup("<tr>plan</tr>"))]


def test_a_page_with_forms_keeps_nothing():
    row = Row(1, "Strategiya")
    memo = RowMemo("plan", enabled=False)
    assert memo.keep(row, Markup("<tr>csrf</tr>")) == Markup("<tr>csrf</tr>")
    assert kept_rows() == 0
    RowMemo("plan").keep(row, Markup("<tr>kept</tr>"))
    assert memo.drawn([row]) == [(row, None)]


def test_the_memo_forgets_the_rows_drawn_longest_ago(monkeypatch):
    monkeypatch.setattr(drawn_rows, "MAX_ROWS", 3)
    memo = RowMemo("plan")
    rows = [Row(i, str(i)) for i in range(4)]
    drawn = [Markup("0"), Markup("1"), Markup("2"), Markup("3")]
    for row, html in zip(rows[:3], drawn, strict=False):
        memo.keep(row, html)
    memo.drawn([rows[0]])  # found again: now the most recent
    memo.keep(rows[3], drawn[3])
    assert kept_rows() == 3
    assert [html for _row, html in memo.drawn(rows)] == [drawn[0], None, drawn[2], drawn[3]]
