"""report.css parsed once per thread gives the very same pages as the stylesheet link (issue 17)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.reports.test_report_speed_paths import status_data
from tracker.reports import engine
from tracker.reports.render import render_html


def _page_streams(pdf: bytes) -> list[bytes]:
    return [page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_a_table_report_draws_the_same_pages_with_the_sheet_parsed_once(app):
    with app.app_context():
        html = render_html("reports/status.html", status_data(12))
    document, sheets = engine.html_document(html)
    assert sheets == [engine._report_css()]  # the parsed-once path is the one taken
    # an inline <style> keeps the document on WeasyPrint's own path: the link, parsed each time
    linked = html.replace("</head>", "<style></style></head>")
    assert engine.html_document(linked)[1] == []
    once, each_time = engine.write_pdf(html), engine.write_pdf(linked)
    assert len(_page_streams(once)) > 1
    assert _page_streams(once) == _page_streams(each_time)  # same glyphs, same places, same fonts
    # and it is the same sheet object for the next document of this thread
    assert engine.html_document(html)[1][0] is sheets[0]
