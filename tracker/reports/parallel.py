"""Large reports laid out on every core: split the table, lay out the pieces at once, join them.

WeasyPrint lays out one page after another in one thread, so a 300-measure status report keeps
one core busy for seconds while the other idles. :func:`render` cuts the report's one table into
as many pieces as there are layout processes (:mod:`~tracker.reports.splitting`, by size of
HTML, a proxy for layout work); the calling process lays out the first piece while helper
processes (:mod:`~tracker.reports.layout_pool`) lay out the rest; the pieces are joined and
numbered "N / M" (:mod:`~tracker.reports.numbering`).

A piece starts on a new page, so the page before each cut may be shorter than in a one-process
render (at most one such page per cut). Anything unexpected (a template this does not recognise,
a helper that dies) returns None, and the caller lays the report out in one process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout

from tracker.reports import layout_pool
from tracker.reports.splitting import MIN_ROWS, MIN_ROWS_WARM, split_html

logger = logging.getLogger(__name__)

#: How long a helper may take over its piece before it is killed and the report is laid out in one process.
PIECE_TIMEOUT_SECONDS = 300

Progress = Callable[[int], None]


def _lay_out(
    pieces: list[str], idle_seconds: float, progress: Progress | None, pool: layout_pool.HelperPool
) -> list[bytes]:
    """The PDFs of the pieces, in order; ``progress`` hears 30–70 as pieces finish."""
    from tracker.reports.engine import piece_pdf

    done = 0

    def finished() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(30 + 40 * done // len(pieces))

    helpers = pool.workers(len(pieces) - 1, idle_seconds)
    with ThreadPoolExecutor(max_workers=len(helpers)) as pipes:
        futures = [pipes.submit(worker.pdf, piece) for worker, piece in zip(helpers, pieces[1:], strict=True)]
        pdfs = [piece_pdf(pieces[0])]
        finished()
        try:
            for future in futures:
                pdfs.append(future.result(timeout=PIECE_TIMEOUT_SECONDS))
                finished()
        except FuturesTimeout:
            # A hung helper: killing it ends the blocked read, so the threads can end.
            pool.abandon(helpers)
            raise
    return pdfs


def render(
    html: str,
    processes: int,
    progress: Progress | None = None,
    idle_seconds: float = layout_pool.DEFAULT_IDLE_SECONDS,
    min_rows_warm: int = MIN_ROWS_WARM,
    pool: layout_pool.HelperPool = layout_pool,
) -> bytes | None:
    """The PDF of ``html`` laid out by ``processes`` processes; None when it is not worth cutting.

    A table of ``min_rows_warm`` rows or more is cut when the helpers are already running; with
    no helper yet, only one of :data:`~tracker.reports.splitting.MIN_ROWS` or more (a cold
    helper needs about a second to start).
    """
    warm = pool.has_ready(processes - 1)
    pieces = split_html(html, processes, min_rows_warm if warm else MIN_ROWS)
    if pieces is None:
        return None
    try:
        from tracker.reports.numbering import merge

        start = time.perf_counter()
        pdfs = _lay_out(pieces, idle_seconds, progress, pool)
        laid_out = time.perf_counter() - start
        pdf = merge(pdfs)
        logger.debug(
            "%d pieces: laid out %.2f s, merged %.2f s", len(pieces), laid_out, time.perf_counter() - start
        )
        return pdf
    except Exception:  # noqa: BLE001 (any failure: the one-process render still works)
        logger.exception("parallel report layout failed; rendering in one process")
        layout_pool.stop_workers()  # this process's own helpers; shared ones serve others still
        return None
