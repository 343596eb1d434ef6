"""User text fetches nothing: it is escaped, and the fetcher serves only our static files."""

from __future__ import annotations

import pytest

from tracker.core.status import Status
from tracker.core.time import today
from tracker.execution import services as execution
from tracker.reports import services
from tracker.reports.data import ReportOptions
from tracker.reports.engine import STATIC_ROOT, ForbiddenResource, StaticFilesFetcher
from tracker.reports.models import ReportKind
from tracker.reports.render import html_to_pdf

HOSTILE = '<img src="file:///etc/passwd"> <img src="http://127.0.0.1:9/x.png"> <link rel="stylesheet" href="http://evil.example/x.css">'


class RecordingFetcher(StaticFilesFetcher):
    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def fetch(self, url, headers=None):
        self.asked.append(url)
        return super().fetch(url, headers)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/font.ttf",
        "data:text/plain,hello",
        (STATIC_ROOT / "css" / ".." / ".." / "__init__.py").as_uri(),
        (STATIC_ROOT / "vendor").as_uri(),
        "file://otherhost" + (STATIC_ROOT / "css" / "report.css").as_posix(),
    ],
)
def test_the_fetcher_refuses_anything_but_report_assets(url):
    with pytest.raises(ForbiddenResource):
        StaticFilesFetcher().fetch(url)


def test_the_fetcher_serves_the_stylesheet_and_fonts():
    fetcher = StaticFilesFetcher()
    css = fetcher.fetch((STATIC_ROOT / "css" / "report.css").as_uri())
    assert b"@font-face" in css.read()
    font = fetcher.fetch((STATIC_ROOT / "fonts" / "LiberationSerif-Regular.ttf").as_uri())
    assert font.content_type == "font/ttf" and len(font.read()) > 100_000


def test_html_in_a_note_is_printed_as_text_and_fetches_nothing(db, make_plan, read_pdf):
    plan = make_plan()
    execution.submit_status_update(plan.measures[0], status=Status.IN_PROGRESS, note=HOSTILE, actor=None)
    db.session.commit()
    request = services.ReportRequest(
        ReportKind.STATUS, plan.organization_id, plan.id, ReportOptions(as_of=today(), script="latn")
    )
    data = services.report_data_for(request)
    html = services.render_html(services.TEMPLATES[ReportKind.STATUS], data)
    assert "<img" not in html and "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html

    import weasyprint

    fetcher = RecordingFetcher()
    weasyprint.HTML(string=html, base_url=STATIC_ROOT.as_uri() + "/", url_fetcher=fetcher).write_pdf()
    assert all(url.startswith(STATIC_ROOT.as_uri()) for url in fetcher.asked), fetcher.asked

    text = read_pdf(html_to_pdf(html))
    assert "file:///etc/passwd" in text  # printed, as the user wrote it


def test_even_unescaped_markup_cannot_reach_outside(db):
    # defence in depth: were a template ever to print raw HTML, the fetcher still refuses
    fetcher = RecordingFetcher()
    import weasyprint

    html = f"<html><body>{HOSTILE}<p>ok</p></body></html>"
    weasyprint.HTML(string=html, base_url=STATIC_ROOT.as_uri() + "/", url_fetcher=fetcher).write_pdf()
    assert set(fetcher.asked) >= {"file:///etc/passwd"}  # asked, and refused (no exception escapes)
