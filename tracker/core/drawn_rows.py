"""Rows of long lists drawn once per content and reader, then copied (issue 17).

A list page draws the same rows again and again: the plan table's 100 measures, the review
list's claims. A row's HTML depends only on the values the row shows and on who reads it (UI
language, reading script), so each worker keeps the HTML it drew keyed by exactly that: the list's
name, the reader, and the row's values (a named tuple or a database row that holds everything the
template reads for it, and nothing the template could show without). A change to anything a row
shows is a new key, and the row is drawn again: nothing is invalidated, so nothing is ever served
stale. Rows that carry the session's CSRF token (forms) must not be kept: the page passes
``enabled=False`` for them. At most :data:`MAX_ROWS` rows are kept per worker (a few megabytes),
the least recently drawn forgotten first.

The template loops over ``rows.drawn(items)``: each item with its kept HTML, or None, and then
draws the row and hands it to ``rows.keep(item, html)``. The page's rows are looked up in one
call (one lock, no template call per kept row: a Jinja call costs what copying the row saves).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterable
from threading import Lock
from typing import Any

from markupsafe import Markup

from tracker.core.templating import reading_script, ui_locale

#: Rows kept per worker: 20 pages of the plan table, some 2–4 MB of HTML.
MAX_ROWS = 2000

_rows: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()
_lock = Lock()  # the development server and threaded workers draw pages side by side


class RowMemo:
    """One page's view of the memo: its list's name and its reader, read once per page."""

    def __init__(self, kind: str, *, enabled: bool = True, context: Hashable = None) -> None:
        self.enabled = enabled
        # ``context``: anything else every row of this page shows (today's date for "days
        # waiting"), so that it is part of each row's key.
        self._page = (kind, ui_locale(), reading_script(), context) if enabled else None

    def drawn(self, items: Iterable[Hashable]) -> list[tuple[Any, Markup | None]]:
        """Each item with the HTML kept for it, or None where the row must be drawn."""
        if not self.enabled:
            return [(item, None) for item in items]
        page, found = self._page, []
        with _lock:
            for item in items:
                key = (page, item)
                html = _rows.get(key)
                if html is not None:
                    _rows.move_to_end(key)
                found.append((item, html))
        return found

    def keep(self, item: Hashable, html: Markup) -> Markup:
        """Keep the row drawn for ``item``; returns ``html`` for the template to write out."""
        if self.enabled:
            with _lock:
                _rows[(self._page, item)] = html
                while len(_rows) > MAX_ROWS:
                    _rows.popitem(last=False)
        return html


def kept_rows() -> int:
    """How many rows this worker keeps."""
    with _lock:
        return len(_rows)


def forget_rows() -> None:
    """Empty this worker's memo (tests compare pages drawn with and without it)."""
    with _lock:
        _rows.clear()
