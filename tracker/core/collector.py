"""Pausing Python's cycle collector around work that allocates millions of short-lived objects,
and giving the memory such work freed back to the system.

Start-up, a report's layout and the national reminder sweep each allocate hundreds of thousands
to millions of objects, most freed by reference counting, while the cycle collector's passes
over them cost 10–30 % of the work (measured in each place). What such work leaves in reference
cycles (a laid-out WeasyPrint document) must become garbage inside the pause: it is then still in
the youngest generation, which the next collection examines (``reports/engine.write_pdf``).
No Flask here: ``import tracker`` stays light.
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off inside, back as it was afterwards (a caller that had it off keeps
    it off), even when the work raises."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows)
        return None


def give_back_free_memory() -> None:
    """Return the C heap's free pages to the system (glibc's ``malloc_trim``; elsewhere nothing).

    After a large report most of what its layout took is free again inside the process, but
    glibc keeps the pages for later allocations: ~27 MiB per 300-measure piece, in each web
    worker and layout helper, until the next report. A trim costs about 2 ms.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
