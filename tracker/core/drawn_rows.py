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

The template asks ``rows.key(row)``, then ``rows.get(key)``, and on a miss draws the row and
hands it to ``rows.keep(key, html)``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
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

    def key(self, row: Hashable) -> tuple[Any, ...] | None:
        return (self._page, row) if self.enabled else None

    def get(self, key: tuple[Any, ...] | None) -> Markup | None:
        if key is None:
            return None
        with _lock:
            html = _rows.get(key)
            if html is not None:
                _rows.move_to_end(key)
            return html

    def keep(self, key: tuple[Any, ...] | None, html: Markup) -> Markup:
        if key is not None:
            with _lock:
                _rows[key] = html
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
