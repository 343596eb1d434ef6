"""WeasyPrint, and the only module of the web app that imports it (with pypdf in numbering.py).

Imported when a report is laid out, never at app start: ``flask --help`` and a web worker that
serves only cached PDFs stay free of WeasyPrint's import cost (~0.25 s) and memory. The import
skips WeasyPrint's search for its C libraries (:mod:`tracker.reports.libraries`, 0.12 s).
"""

from __future__ import annotations

import gc
import mimetypes
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from tracker.reports.libraries import import_weasyprint

import_weasyprint()

import weasyprint  # noqa: E402 (imported above without the library search; this names it)
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

from tracker.core.collector import collector_paused, give_back_free_memory  # noqa: E402
from tracker.core.stack_room import call_with_room  # noqa: E402
from tracker.reports.assets import ALLOWED_FOLDERS, BASE_URL, STATIC_ROOT  # noqa: E402

#: Switches the page numbers off in the pieces of a parallel layout; the overlay puts them back.
NO_PAGE_NUMBERS = "@page { @bottom-center { content: none !important } }"


class ForbiddenResource(ValueError):
    """A report asked for something other than our static files (a user's URL, a system file)."""


class StaticFilesFetcher(URLFetcher):
    """Serves ``file:`` URLs inside ``static/css`` and ``static/fonts``; refuses everything else.

    User text is escaped before it reaches the HTML, so it cannot name a resource; this fetcher
    is the second wall: ``file:///etc/passwd``, ``http://…``, ``data:`` and paths that climb out
    of the static folder all raise :class:`ForbiddenResource`, and WeasyPrint skips them.
    """

    def __init__(self, root: Path = STATIC_ROOT) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=False)
        self.root = root.resolve()
        self.allowed = tuple(self.root / folder for folder in ALLOWED_FOLDERS)

    def resolve(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ForbiddenResource(f"reports load only the project's static files, not {url!r}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(folder) for folder in self.allowed) or not path.is_file():
            raise ForbiddenResource(f"not a report asset: {url!r}")
        return path

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = self.resolve(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".ttf":
            content_type = "font/ttf"
        return URLFetcherResponse(url, _read(path), {"Content-Type": content_type})


@cache
def _read(path: Path) -> bytes:
    """A stylesheet or font, read once per process (the fonts are 1.6 MB)."""
    return path.read_bytes()


class _LeanHTML(weasyprint.HTML):
    """An HTML document cascaded with our small user-agent sheet instead of WeasyPrint's."""

    def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
        return [_lean_ua_stylesheet()]


@cache
def _lean_ua_stylesheet() -> Any:
    return weasyprint.CSS(filename=str(STATIC_ROOT / "css" / "report-ua.css"))


@cache
def _no_page_numbers() -> Any:
    return weasyprint.CSS(string=NO_PAGE_NUMBERS)


def is_lean(html: str) -> bool:
    """Table reports cascade with report-ua.css; a report with SVG drawings (the summary) keeps
    WeasyPrint's own stylesheet, as does any WeasyPrint without the hook."""
    return "<svg" not in html and hasattr(weasyprint.HTML, "_ua_stylesheets")


_fonts = threading.local()


def font_config() -> Any:
    """This thread's WeasyPrint font configuration, made once and shared by its documents.

    Each new ``FontConfiguration`` reloads the system's Fontconfig setup, writes our four
    fonts to a temporary folder and starts a cold Pango font map; one per thread (Pango font
    maps are not thread-safe) keeps those loaded for the life of the process.
    """
    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


#: The report templates' one stylesheet link (templates/reports/_base.html).
REPORT_CSS_LINK = '<link rel="stylesheet" href="css/report.css">'


def _report_css() -> Any:
    """report.css parsed once per thread, with this thread's font configuration.

    Each document that links it would tokenize and validate it again and register its four
    @font-face rules: about a third of the fixed cost of a document (~8 ms of ~23 ms), paid by
    every piece of a parallel layout.
    """
    sheet = getattr(_fonts, "report_css", None)
    if sheet is None:
        sheet = _fonts.report_css = weasyprint.CSS(
            filename=str(STATIC_ROOT / "css" / "report.css"), font_config=font_config()
        )
    return sheet


def html_document(html: str) -> tuple[Any, list[Any]]:
    """The WeasyPrint document of ``html`` and the stylesheets to lay it out with.

    A table report (lean) gets report.css parsed once per thread in place of its link: the
    sheet then cascades as a user sheet rather than an author sheet, the same here, since the
    templates' only author styles are column widths, which report.css never sets.
    """
    if is_lean(html) and html.count(REPORT_CSS_LINK) == 1 and "<style" not in html:
        document = _LeanHTML(
            string=html.replace(REPORT_CSS_LINK, ""), base_url=BASE_URL, url_fetcher=StaticFilesFetcher()
        )
        return document, [_report_css()]
    document_class = _LeanHTML if is_lean(html) else weasyprint.HTML
    return document_class(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()), []


def layout(html: str, stylesheets: list[Any] | None = None) -> Any:
    """The laid-out WeasyPrint document (``stylesheets``: extra ``weasyprint.CSS``)."""
    with collector_paused():  # ~10 % of a large report, peak memory unchanged (156 against 154 MB)
        document, sheets = html_document(html)
        # the layout's deep recursion kept in one chunk of CPython's frame stack (core/stack_room)
        return call_with_room(
            document.render, stylesheets=[*sheets, *(stylesheets or [])], font_config=font_config()
        )


def write(document: Any) -> bytes:
    with collector_paused():  # ~10 % of a large report, peak memory unchanged (156 against 154 MB)
        return call_with_room(document.write_pdf)


def write_pdf(
    html: str, stylesheets: list[Any] | None = None, laid_out: Callable[[], None] | None = None
) -> bytes:
    """Lay out and write ``html`` in this process (``laid_out`` is called between the two).

    One pause of the cycle collector for both, and the document dropped inside it: a laid-out
    document is held together by reference cycles (~86,000 objects for half a 300-measure
    report), which only the collector frees. Still in its youngest generation when the collector
    comes back, it is freed by the first collection. With a pause for each, the collection
    between them moved the live document to an older generation, where it lay as garbage until
    a rare full collection: every web worker and layout helper grew by ~38 MiB a large report.
    """
    with collector_paused():
        document = layout(html, stylesheets)
        if laid_out:
            laid_out()
        pdf = write(document)
        del document
    gc.collect(0)  # the document, now (not at some later allocation)
    give_back_free_memory()
    return pdf


def piece_pdf(html: str) -> bytes:
    """One piece of a parallel layout, without page numbers (workers and the calling process)."""
    return write_pdf(html, stylesheets=[_no_page_numbers()])


def preload() -> None:
    """Read the report's fonts and stylesheets and parse the user-agent sheet (no layout)."""
    for folder in ALLOWED_FOLDERS:
        for path in (STATIC_ROOT / folder).glob("*"):
            if path.suffix in (".css", ".ttf"):
                _read(path.resolve())
    _lean_ua_stylesheet()


def warm_up() -> None:
    """Load the fonts and stylesheets and fill WeasyPrint's caches before the first real report."""
    piece_pdf(
        '<!doctype html><html lang="uz-Cyrl"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="css/report.css"></head><body><table class="report"><thead><tr>'
        "<th>№</th><th>Чора-тадбир</th></tr></thead><tbody><tr><td>1.</td><td class=note>"
        '<span class="status-word">Ижро этилмоқда.</span> <i>Oʻzbekiston</i> <b>2024</b> йил'
        "</td></tr></tbody></table></body></html>"
    )
