"""HTML to PDF with WeasyPrint, fetching nothing but the project's own static files.

:func:`render_pdf` is the one rendering function (STYLE rule 18): a template and plain data in,
PDF bytes out. It is split into :func:`render_html` and :func:`html_to_pdf` so that the cache
can be keyed by the exact HTML before any PDF is made.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context
from markupsafe import Markup, escape

from tracker.reports import layout_pool
from tracker.reports.assets import BASE_URL, STATIC_ROOT, assets_digest
from tracker.uzbek import MONTHS_CYRL, MONTHS_LATN

__all__ = [
    "BASE_URL",
    "STATIC_ROOT",
    "assets_digest",
    "html_to_pdf",
    "prepare_helpers",
    "print_text",
    "render_html",
    "render_pdf",
]

logger = logging.getLogger(__name__)


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
#: Every form starts a word and has "-", "–" or "." after its first word (and maybe a space):
#: the lookahead in front says so, so the month names are tried only where that holds (2.5×
#: faster over a 300-measure report's notes, same matches).
DATE_PATTERN = re.compile(
    rf"""
    \b(?=\w+\s?[-–.])(?:
    \b\d{{4}}-yil\w*                           # 2022-yil, 2022-yilning
  | \b\d{{1,2}}-{_MONTH}                        # 4-oktabr
  | (?<![\w-])(?=\w+-){_MONTH}(?:-{_MONTH})+    # январь-март, yanvar-mart
  | \b\d{{4}}\s?[-–]\s?\d{{4}}\b                # 2021-2022
  | \b\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}\b           # 04.10.2022
    )""",
    re.VERBOSE | re.IGNORECASE,
)


def print_text(value: str | None) -> Markup:
    """User text for print: escaped, line breaks kept, dates kept on one line."""
    if not value:
        return Markup("")
    return _print_text(value)


#: Memoized: the same notes and titles come back in every report of a plan (each date, the
#: pre-built one and the click that finds it in the cache, whose key needs the HTML again), and
#: finding the dates is most of the template's time (~25 ms of a 300-measure report).
#: ``Markup`` is an immutable ``str``, so one result can serve every caller.
@lru_cache(maxsize=4096)
def _print_text(value: str) -> Markup:
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


def layout_processes() -> int:
    """How many processes lay out a large report: ``REPORTS_LAYOUT_PROCESSES``, default every core."""
    configured = current_app.config.get("REPORTS_LAYOUT_PROCESSES") if has_app_context() else None
    return max(1, int(configured)) if configured else layout_pool.usable_cores()


def idle_seconds() -> float:
    """How long a layout helper waits for work before it exits: ``REPORTS_LAYOUT_IDLE_SECONDS``."""
    configured = current_app.config.get("REPORTS_LAYOUT_IDLE_SECONDS") if has_app_context() else None
    return float(configured) if configured else layout_pool.DEFAULT_IDLE_SECONDS


def parallel_min_rows() -> int:
    """A table of this many rows is cut in pieces when a helper is warm (``REPORTS_PARALLEL_MIN_ROWS``)."""
    from tracker.reports.splitting import MIN_ROWS_WARM

    configured = current_app.config.get("REPORTS_PARALLEL_MIN_ROWS") if has_app_context() else None
    return int(configured or MIN_ROWS_WARM)


def helper_pool() -> layout_pool.HelperPool:
    """Where large reports' layout helpers come from.

    ``REPORTS_LAYOUT_SHARED`` (default on, off under tests): the server's shared helpers, one per
    spare core for every process of the installation (:mod:`tracker.reports.shared_helpers`), in
    ``REPORTS_LAYOUT_SOCKETS`` (default: a private folder in the temporary folder, named after
    the code and static files). Off, or if that folder is not this user's alone: each process
    keeps its own (:mod:`tracker.reports.layout_pool`).
    """
    if not has_app_context() or not current_app.config.get("REPORTS_LAYOUT_SHARED", not current_app.testing):
        return layout_pool
    from tracker.reports import shared_helpers

    configured = current_app.config.get("REPORTS_LAYOUT_SOCKETS")
    folder = Path(configured) if configured else shared_helpers.default_folder()
    try:
        return shared_helpers.SharedPool(shared_helpers.private_folder(folder))
    except (OSError, shared_helpers.UnsafeFolder):
        logger.exception("layout helpers not shared; each process keeps its own")
        return layout_pool


def start_helpers(pool: layout_pool.HelperPool | None = None) -> int:
    """Start (or keep) the layout helpers a large report uses; how many that is (0: one process)."""
    helpers = layout_processes() - 1
    if helpers > 0:
        (pool or helper_pool()).prestart(helpers, idle_seconds())
    return helpers


def prepare_helpers() -> None:
    """Start the layout helpers now: the report form is open, its PDF is likely the next request.

    A helper needs about a second to import WeasyPrint and load the fonts; started while the
    person picks the options, it is warm when the PDF is asked for, so even a 30-measure report
    is laid out in two processes. ``REPORTS_PRESTART_HELPERS`` (default: on, off under tests)
    switches this off; idle helpers still exit after ``REPORTS_LAYOUT_IDLE_SECONDS``.
    """
    if current_app.config.get("REPORTS_PRESTART_HELPERS", not current_app.testing):
        start_helpers()


def html_to_pdf(
    html: str, progress: Callable[[int], None] | None = None, *, keep_helpers: bool = True
) -> bytes:
    """Lay out and write the PDF. ``progress`` hears 30–70 while laying out, 100 when written.

    ``keep_helpers``: start the layout helpers now for the next large report (a web or job
    process); a one-shot CLI process says False.

    A long table is laid out by several processes at once (:mod:`tracker.reports.parallel`);
    anything else, or if that fails, in this one. WeasyPrint is imported here, on first use.
    """
    from tracker.reports import engine, parallel

    processes, pdf = layout_processes(), None
    if processes > 1:
        pool = helper_pool()
        if keep_helpers:
            start_helpers(pool)  # ready for the next large report, if not this one
        pdf = parallel.render(html, processes, progress, idle_seconds(), parallel_min_rows(), pool)
    if pdf is None:
        pdf = engine.write_pdf(html, laid_out=(lambda: progress(70)) if progress else None)
    if progress:
        progress(100)
    return pdf


def render_pdf(template: str, data: dict[str, Any]) -> bytes:
    """Render ``template`` with plain ``data`` into PDF bytes."""
    return html_to_pdf(render_html(template, data))


def print_lines(values: list[str]) -> Markup:
    """Several short texts (responsible units), one per line."""
    return Markup("<br>").join(print_text(v) for v in values)
