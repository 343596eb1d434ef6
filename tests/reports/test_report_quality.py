"""A large report laid out in pieces prints what the read model holds: every row, every word,
dates whole, the header and the page number on every page."""

from __future__ import annotations

import re
from collections import Counter

from tests.reports.conftest import page_count, row_numbers
from tracker.core.time import today
from tracker.reports import layout_pool, services
from tracker.reports.data import ReportOptions
from tracker.reports.headings import HEADINGS
from tracker.reports.models import ReportKind
from tracker.reports.splitting import MIN_ROWS

PAGE_NUMBER = re.compile(r"(?m)^\s*(\d+) / (\d+)\s*$")
DATE = re.compile(r"\d{4}-йил\w*|\d{1,2}-(?:январь|март|апрель|октябрь)\w*|январь-март")
MECHANISM = (
    "Идоралараро ишчи гуруҳ 2024-йил 4-октябрь ҳолатига ҳисобот тайёрлайди, январь-март "
    "натижалари 2024-йилнинг II чорагида муҳокама қилинади ва очиқ маълумотлар порталида эълон қилинади"
)


def _words(text: str) -> Counter[str]:
    return Counter(PAGE_NUMBER.sub("", text).split())


def _printed(value: object) -> list[str]:
    """The words the template prints for a value of the read model (markup removed)."""
    return re.sub(r"<[^>]+>", " ", str(value or "")).split()


def test_a_report_laid_out_in_pieces_prints_every_row_and_word_of_the_read_model(
    app, db, make_plan, monkeypatch, read_pdf
):
    count = MIN_ROWS + 15
    plan = make_plan(
        measures=[
            {"number": str(n), "title": f"Тадбир {n}: идоравий назоратни кучайтириш", "mechanism": MECHANISM}
            for n in range(1, count + 1)
        ]
    )
    monkeypatch.setitem(app.config, "REPORTS_LAYOUT_PROCESSES", 2)
    request = services.ReportRequest(
        ReportKind.STATUS, plan.organization_id, plan.id, ReportOptions(as_of=today(), script="cyrl")
    )
    data = services.report_data_for(request)
    try:
        pdf = services.build_report(request).path.read_bytes()
    finally:
        layout_pool.stop_workers()
    text, layout = read_pdf(pdf), read_pdf(pdf, layout=True)

    # every row, in order, once
    assert (
        row_numbers(layout)
        == [row["number"] for row in data["rows"]]
        == [str(n) for n in range(1, count + 1)]
    )
    # every word of every title and mechanism, at least as often as the read model has it
    expected = Counter(
        word
        for row in data["rows"]
        for word in _printed(row["title"]) + [w for line in row["lines"] for w in _printed(line["mechanism"])]
    )
    printed = _words(text)
    assert not expected - printed, expected - printed
    # dates are never cut at their hyphen
    printed_data = " ".join(
        " ".join(_printed(line.get(key)))
        for row in data["rows"]
        for line in row["lines"]
        for key in ("mechanism", "deadline")
    )
    assert Counter(DATE.findall(text)) == Counter(DATE.findall(printed_data))
    assert DATE.findall(text)
    # page numbers "N / M" on every page, and the table header on every page
    pages = [page for page in text.split("\f") if page.strip()]
    total = page_count(pdf)
    assert total > 2 and len(pages) == total
    assert [PAGE_NUMBER.findall(page) for page in pages] == [
        [(str(n), str(total))] for n in range(1, total + 1)
    ]
    assert all(HEADINGS["cyrl"]["no"] in page for page in pages)
