"""Cutting a one-table report into pieces of whole rows, for the parallel layout.

The first piece keeps everything before the table (approval block, title, "(… ҳолатига)"
line), the others start with the table itself, and every piece keeps ``<thead>``, so the
header is repeated on every page as before.
"""

from __future__ import annotations

import re
from bisect import bisect_left

#: Tables with fewer body rows are rendered in one process when no layout helper is running yet
#: (starting one costs more than it saves) ...
MIN_ROWS = 60
#: ... and with fewer than these even when helpers are running and warm
#: (``REPORTS_PARALLEL_MIN_ROWS``; a 30-measure status report is cut in two).
MIN_ROWS_WARM = 24

#: A row a piece may start with: not the later rows of a measure whose number and title span them.
_ROW = re.compile(r"<tr\b(?![^>]*\bcontinues\b)")
_BODY = re.compile(r"<body\b[^>]*>")
_TAIL = re.compile(r"\A\s*</table>\s*</body>\s*</html>\s*\Z")


def _cuts(sizes: list[int], total: int, parts: int, preamble: int = 0) -> list[int] | None:
    """Row indexes where the pieces start: the row boundary nearest to where each even share ends.

    ``sizes``: where each row starts, then the end. ``preamble``: the size of what only the first
    piece lays out before the table (approval block, title), counted in its share so that the
    processes finish together. Even shares: the calling process and a helper lay out a KiB of
    HTML in the same time (13.4 ms, 300 measures, ``bench/report_profile.py --stages``) since
    both run the layout with room on the frame stack (``core/stack_room``); before, a helper
    was 10–20 % slower and the first piece was made 5 % smaller. The nearest boundary, not the
    first past the share: a 30-measure report has rows of 1–2 KiB in 41 KiB.
    """
    first = max(0.0, (total + preamble) / parts - preamble)
    rest = (total - first) / (parts - 1)
    last_start = len(sizes) - 2  # the last row's start (sizes[-1] is the end)
    cuts = [0]
    for part in range(1, parts):
        target = first + rest * (part - 1)
        index = bisect_left(sizes, target, lo=cuts[-1] + 1, hi=last_start + 1)
        if index > cuts[-1] + 1 and target - sizes[index - 1] < sizes[min(index, last_start + 1)] - target:
            index -= 1
        if index > last_start:
            return None  # no row left to start this piece with
        cuts.append(index)
    return cuts


def split_html(html: str, parts: int, min_rows: int = MIN_ROWS) -> list[str] | None:
    """The report cut into ``parts`` documents of whole table rows, or None when it cannot be cut.

    Only a document with exactly one table whose ``</table>`` ends the body is cut (the status
    and plan reports). User text is escaped before it reaches the HTML, so every ``<tr``,
    ``<table`` and ``<tbody>`` here is the template's own.
    """
    if parts < 2 or html.count("<table") != 1 or html.count("<tbody>") != 1 or html.count("</tbody>") != 1:
        return None
    body = _BODY.search(html)
    table_start = html.find("<table")
    rows_start = html.find("<tbody>") + len("<tbody>")
    rows_end = html.find("</tbody>")
    if body is None or not body.end() <= table_start < rows_start <= rows_end:
        return None
    if not _TAIL.match(html[rows_end + len("</tbody>") :]):
        return None
    rows_html = html[rows_start:rows_end]
    starts = [match.start() for match in _ROW.finditer(rows_html)]
    if len(starts) < max(min_rows, parts) or rows_html[: starts[0]].strip():
        return None
    bounds = [*starts, len(rows_html)]
    preamble = len(html[body.end() : table_start].strip())
    cuts = _cuts(bounds, len(rows_html), parts, preamble)
    if cuts is None:
        return None
    cuts.append(len(starts))
    first_head = html[:rows_start]
    other_head = html[: body.end()] + "\n" + html[table_start:rows_start]
    tail = html[rows_end:]
    return [
        (first_head if n == 0 else other_head) + rows_html[bounds[a] : bounds[b]] + tail
        for n, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False))
    ]
