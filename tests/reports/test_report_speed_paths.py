"""The parallel layout of large reports reads the same as the one-process render."""

from __future__ import annotations

import re
import sys
from collections import Counter
from typing import Any

import pytest

from tests.reports.conftest import page_count, row_numbers
from tracker.reports import layout_pool, parallel, splitting
from tracker.reports.engine import write_pdf
from tracker.reports.headings import HEADINGS
from tracker.reports.render import html_to_pdf, render_html

PAGE_NUMBER = re.compile(r"(?m)^\s*(\d+) / (\d+)\s*$")
NOTE = (
    "Агентлик томонидан 2024 йил 15 апрелда ҳисобот тайёрланди ва 04.05.2024 да юборилди; "
    "Open Data Charter талаблари асосида маълумотлар очиқ маълумотлар порталида эълон қилинди. "
)


def _lines(n: int) -> list[dict[str, Any]]:
    """Measure ``n`` has ``n % 3`` steps, each a row of its own; without steps, one row."""
    steps = [
        {
            "number": f"{s}",
            "mechanism": "Қадам матни, 2024 йил январь-март",
            "deadline": "2024 йил 1 март",
            "status_word": "Бажарилмоқда",
            "note_rest": NOTE,
            "overdue": False,
        }
        for s in range(1, 1 + n % 3)
    ]
    own = {
        "number": "",
        "mechanism": "Механизм",
        "deadline": "2024 йил II чорак",
        "status_word": "Ижро этилмоқда",
        "note_rest": NOTE * (1 + n % 4),
        "overdue": n % 7 == 0,
    }
    return steps or [own]


def status_data(rows: int) -> dict[str, Any]:
    return {
        "kind": "status",
        "lang": "uz-Cyrl",
        "h": HEADINGS["cyrl"],
        "layout": "work_plan",
        "no_heading": "№",
        "measure_heading": HEADINGS["cyrl"]["measures"],
        "deadline_heading": HEADINGS["cyrl"]["plan_deadline"],
        "title": "Синов режаси",
        "as_of_line": "(2024 йил 1 июнь ҳолатига)",
        "filters_line": "",
        "columns": [],
        "rows": [
            {
                "number": str(n),
                "overdue": n % 7 == 0,
                "title": f"Тадбир {n}: идоравий назоратни кучайтириш",
                "lines": _lines(n),
            }
            for n in range(1, rows + 1)
        ],
    }


def pages_of(text: str) -> list[str]:
    return [page for page in text.split("\f") if page.strip()]


def words(text: str) -> Counter[str]:
    """The words of the text without the page numbers (their total may differ by a page)."""
    return Counter(PAGE_NUMBER.sub("", text).split())


@pytest.fixture
def large_html(app: Any) -> str:
    with app.app_context():
        return render_html("reports/status.html", status_data(splitting.MIN_ROWS + 20))


def test_split_keeps_every_row_once_and_the_title_only_in_the_first_piece(large_html):
    pieces = splitting.split_html(large_html, 2)
    assert pieces is not None and len(pieces) == 2
    rows = [re.findall(r'data-number="(\d+)"', piece) for piece in pieces]
    assert rows[0] + rows[1] == [str(n) for n in range(1, splitting.MIN_ROWS + 21)]
    assert all(rows)
    # a piece never starts inside a measure whose number and title span several rows
    assert all(re.search(r"<tbody>\s*<tr(?![^>]*continues)", piece) for piece in pieces)
    assert "<h1>" in pieces[0] and "ҳолатига" in pieces[0]
    assert "<h1>" not in pieces[1] and "ҳолатига" not in pieces[1]
    for piece in pieces:
        assert piece.count("<thead>") == 1 and 'href="css/report.css"' in piece
        assert piece.rstrip().endswith("</html>")


def test_small_or_unknown_documents_are_not_split(app, large_html):
    with app.app_context():
        small = render_html("reports/status.html", status_data(5))
    assert splitting.split_html(small, 2) is None
    assert splitting.split_html(large_html, 1) is None
    two_tables = large_html.replace("</body>", "<table><tbody><tr><td>1</td></tr></tbody></table></body>")
    assert splitting.split_html(two_tables, 2) is None
    trailing = large_html.replace("</body>", "<p>после таблицы</p></body>")
    assert splitting.split_html(trailing, 2) is None


def test_parallel_render_reads_like_the_one_process_render(large_html, read_pdf):
    single = write_pdf(large_html)
    merged = parallel.render(large_html, 2)
    assert merged is not None and merged.startswith(b"%PDF")

    single_text, merged_text = read_pdf(single), read_pdf(merged)
    # the same words, but for the header repeated on the page the cut may add
    extra_pages = page_count(merged) - page_count(single)
    header = Counter(
        " ".join(
            HEADINGS["cyrl"][k] for k in ("no", "measures", "mechanism", "plan_deadline", "status")
        ).split()
    )
    assert words(merged_text) == words(single_text) + Counter({w: n * extra_pages for w, n in header.items()})
    assert row_numbers(read_pdf(merged, layout=True)) == row_numbers(read_pdf(single, layout=True))

    pages = pages_of(merged_text)
    total = page_count(merged)
    assert len(pages) == total and page_count(single) <= total <= page_count(single) + 1
    # numbered 1 / M … M / M, one number per page
    numbers = [PAGE_NUMBER.findall(page) for page in pages]
    assert numbers == [[(str(n), str(total))] for n in range(1, total + 1)]
    # the table header on every page, the title and the date line on the first only
    for index, page in enumerate(pages):
        assert HEADINGS["cyrl"]["no"] in page
        assert ("Синов режаси" in page) == ("ҳолатига" in page) == (index == 0)
    assert sum(page.count(HEADINGS["cyrl"]["no"]) for page in pages) == total


def test_a_medium_report_is_cut_only_when_a_helper_is_warm(app, worker_program):
    with app.app_context():
        medium = render_html("reports/status.html", status_data(splitting.MIN_ROWS_WARM + 6))
    assert parallel.render(medium, 2) is None  # no helper yet: one process is quicker
    (helper,) = layout_pool.workers(1)
    helper.pdf("<!doctype html><html><body><p>1</p></body></html>")  # waits until it is warm
    assert layout_pool.has_ready(1)
    merged = parallel.render(medium, 2)
    assert merged is not None and page_count(merged) >= 2


def test_the_pieces_feed_the_progress(large_html):
    heard: list[int] = []
    assert parallel.render(large_html, 2, heard.append) is not None
    assert heard == [50, 70]  # first piece, second piece: the layout's share is 30–70


def test_page_size_and_document_title_are_kept(large_html):
    from io import BytesIO

    from pypdf import PdfReader

    single = PdfReader(BytesIO(write_pdf(large_html)))
    merged = PdfReader(BytesIO(parallel.render(large_html, 2)))
    sizes = {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in merged.pages}
    assert sizes == {
        (round(float(single.pages[0].mediabox.width), 2), round(float(single.pages[0].mediabox.height), 2))
    }
    assert merged.metadata.title == single.metadata.title == "Синов режаси"


@pytest.fixture
def worker_program(monkeypatch):
    """Run a real program in place of the layout worker; no worker is kept afterwards."""
    layout_pool.stop_workers()

    def use(*code: str) -> None:
        monkeypatch.setattr(layout_pool.Worker, "COMMAND", [sys.executable, "-c", "; ".join(code)])

    yield use
    layout_pool.stop_workers()


def test_a_failing_worker_falls_back_to_one_process(app, large_html, monkeypatch, read_pdf, worker_program):
    worker_program("import sys", "sys.exit(1)")  # dies at once: the pipe closes
    monkeypatch.setitem(app.config, "REPORTS_LAYOUT_PROCESSES", 2)
    with app.app_context():
        pdf = html_to_pdf(large_html)
    text = read_pdf(pdf)
    assert PAGE_NUMBER.search(text) and words(text) == words(read_pdf(write_pdf(large_html)))


def test_a_hung_worker_is_killed_and_the_report_falls_back(
    app, large_html, monkeypatch, read_pdf, worker_program
):
    """A worker that never answers must not hang the job: it is killed and one process lays out."""
    worker_program("import time", "time.sleep(600)")
    monkeypatch.setattr(parallel, "PIECE_TIMEOUT_SECONDS", 1)
    monkeypatch.setitem(app.config, "REPORTS_LAYOUT_PROCESSES", 2)
    with app.app_context():
        pdf = html_to_pdf(large_html)
    assert PAGE_NUMBER.search(read_pdf(pdf))
    assert layout_pool.running() == []  # the hung worker was stopped, not kept for the next report


def test_one_layout_process_when_configured(app, large_html, monkeypatch):
    def must_not_run(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("parallel path used")

    monkeypatch.setattr(parallel, "render", must_not_run)
    monkeypatch.setitem(app.config, "REPORTS_LAYOUT_PROCESSES", 1)
    with app.app_context():
        assert html_to_pdf(large_html).startswith(b"%PDF")


def test_the_lean_stylesheet_lays_out_a_table_report_like_weasyprints_own(large_html, read_pdf):
    """report-ua.css replaces WeasyPrint's user-agent sheet for table reports: same text, same pages."""
    import weasyprint

    from tracker.reports.engine import BASE_URL, StaticFilesFetcher, is_lean

    assert is_lean(large_html) and not is_lean(large_html.replace("<table", "<svg></svg><table", 1))
    lean = write_pdf(large_html)
    full = weasyprint.HTML(string=large_html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()).write_pdf()
    assert page_count(lean) == page_count(full)
    assert words(read_pdf(lean)) == words(read_pdf(full))
    assert row_numbers(read_pdf(lean, layout=True)) == row_numbers(read_pdf(full, layout=True))


def test_the_garbage_collector_is_restored_after_a_render_even_a_failing_one():
    import gc

    from tracker.core.collector import collector_paused as gc_paused

    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("layout failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()
