"""HTML to PDF with WeasyPrint, fetching nothing but the project's own static files.

:func:`render_pdf` is the one rendering function (STYLE rule 18): a template and plain data in,
PDF bytes out. It is split into :func:`render_html` and :func:`html_to_pdf` so that the cache
can be keyed by the exact HTML before any PDF is made.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import mimetypes
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import weasyprint
from flask import current_app, has_app_context
from markupsafe import Markup, escape
from weasyprint.urls import URLFetcher, URLFetcherResponse

from tracker.reports import parallel
from tracker.uzbek import MONTHS_CYRL, MONTHS_LATN

logger = logging.getLogger(__name__)

STATIC_ROOT = Path(__file__).resolve().parent.parent / "static"
#: The only folders a report may load from: its stylesheet and its fonts.
ALLOWED_FOLDERS = ("css", "fonts")
#: Relative URLs in report templates resolve against this ("css/report.css").
BASE_URL = STATIC_ROOT.as_uri() + "/"
#: Bumped when the rendering changes in a way the HTML does not show (it is part of the cache key).
RENDERER_VERSION = f"1/weasyprint-{weasyprint.__version__}"


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
    return path.read_bytes()


@cache
def assets_digest() -> str:
    """SHA-256 over the stylesheets and fonts a report may load (part of the cache key)."""
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    for folder in ALLOWED_FOLDERS:
        for path in sorted((STATIC_ROOT / folder).glob("report*")) + sorted(
            (STATIC_ROOT / folder).glob("*.ttf")
        ):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# -- text for print ------------------------------------------------------------------------------

_MONTHS = "|".join(
    sorted(
        (
            *MONTHS_CYRL,
            *MONTHS_LATN,
            "январ",
            "феврал",
            "апрел",
            "июн",
            "июл",
            "сентябр",
            "октябр",
            "ноябр",
            "декабр",
        ),
        key=len,
        reverse=True,
    )
)
_MONTH = rf"(?:{_MONTHS})\w*"
#: The hyphenated pieces of dates ("2022-yil", "4-oktabr", "январь-март", "2021-2022") and
#: numeric dates: each is kept on one line, so a date never breaks at its hyphen. Spaces between
#: the pieces may still break, so narrow deadline columns keep their fixed width.
DATE_PATTERN = re.compile(
    rf"""
    \b\d{{4}}-yil\w*                           # 2022-yil, 2022-yilning
  | \b\d{{1,2}}-{_MONTH}                        # 4-oktabr
  | (?<![\w-]){_MONTH}(?:-{_MONTH})+            # январь-март, yanvar-mart
  | \b\d{{4}}\s?[-–]\s?\d{{4}}\b                # 2021-2022
  | \b\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}\b           # 04.10.2022
    """,
    re.VERBOSE | re.IGNORECASE,
)


def print_text(value: str | None) -> Markup:
    """User text for print: escaped, line breaks kept, dates kept on one line."""
    if not value:
        return Markup("")
    lines = []
    for line in value.splitlines():
        pieces, last = [], 0
        for match in DATE_PATTERN.finditer(line):
            pieces.append(escape(line[last : match.start()]))
            pieces.append(Markup('<span class="nw">{}</span>').format(match.group(0)))
            last = match.end()
        pieces.append(escape(line[last:]))
        lines.append(Markup("").join(pieces))
    return Markup("<br>").join(lines)


# -- rendering -----------------------------------------------------------------------------------


def render_html(template: str, data: dict[str, Any]) -> str:
    """The report's HTML; ``data`` is plain (see :mod:`tracker.reports.data`). Needs an app context.

    Rendered without the page context processors: a report sees its data and nothing of the
    request (no user, no CSRF token, no UI locale), so it renders the same in a job or the CLI.
    """
    return current_app.jinja_env.get_template(template).render(**data)


class _LeanHTML(weasyprint.HTML):
    """An HTML document cascaded with our small user-agent sheet instead of WeasyPrint's."""

    def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
        return [_lean_ua_stylesheet()]


@cache
def _lean_ua_stylesheet() -> Any:
    return weasyprint.CSS(filename=str(STATIC_ROOT / "css" / "report-ua.css"))


def is_lean(html: str) -> bool:
    """Table reports cascade with report-ua.css; a report with SVG drawings (the summary) keeps
    WeasyPrint's own stylesheet, as does any WeasyPrint without the hook."""
    return "<svg" not in html and hasattr(weasyprint.HTML, "_ua_stylesheets")


def html_document(html: str) -> Any:
    document_class = _LeanHTML if is_lean(html) else weasyprint.HTML
    return document_class(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while WeasyPrint lays out and writes.

    Layout allocates millions of short-lived objects that reference counting frees anyway;
    the collector's passes over them cost about 10 % of a large report, while peak memory
    stays the same (measured: 156 MB against 154 MB for half a 300-measure report).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_pdf(html: str, stylesheets: list[Any] | None = None) -> bytes:
    """Lay out and write ``html`` in this process (``stylesheets``: extra ``weasyprint.CSS``)."""
    with gc_paused():
        return html_document(html).render(stylesheets=stylesheets).write_pdf()


def layout_processes() -> int:
    """How many processes lay out a large report: ``REPORTS_LAYOUT_PROCESSES``, default every core."""
    configured = current_app.config.get("REPORTS_LAYOUT_PROCESSES") if has_app_context() else None
    return max(1, int(configured)) if configured else parallel.usable_cores()


def html_to_pdf(html: str, progress: Callable[[int], None] | None = None) -> bytes:
    """Lay out and write the PDF. ``progress`` hears 70 after layout, 100 when written.

    A long table is laid out by several processes at once (:mod:`tracker.reports.parallel`);
    anything else, or if that fails, in this one.
    """
    processes, pdf = layout_processes(), None
    if processes > 1:
        parallel.prestart(processes - 1)  # ready for the next large report, if not for this one
        pdf = parallel.render(html, processes, progress)
    if pdf is None:
        with gc_paused():
            document = html_document(html).render()
            if progress:
                progress(70)
            pdf = document.write_pdf()
    if progress:
        progress(100)
    return pdf


def render_pdf(template: str, data: dict[str, Any]) -> bytes:
    """Render ``template`` with plain ``data`` into PDF bytes."""
    return html_to_pdf(render_html(template, data))


def print_lines(values: list[str]) -> Markup:
    """Several short texts (responsible units), one per line."""
    return Markup("<br>").join(print_text(v) for v in values)
