"""Deeply recursive work run where CPython has room for its frames (a report's layout).

CPython 3.11 and 3.12 keep Python frames in 16 KiB chunks: a call that does not fit in the
current chunk maps a new one (``mmap``), and the return out of it frees it (``munmap``). Work
whose call depth goes back and forth across a chunk's end maps and frees a chunk at every
crossing (CPython issue gh-142183; 3.14 and the 3.13 releases since March 2026 keep one spare
chunk). WeasyPrint's layout recurses through boxes, lines and text, and where its depth lands
depends on how deep the caller was: a layout helper started with ``python -m`` made ~65,000
``mmap``/``munmap`` pairs a piece of a 300-measure report (``strace -c``), ~0.4 s of system
time and ~12 % of the piece's time; the same helper started otherwise made ~10,000.

:func:`call_with_room` calls a function from a frame so large that CPython gives it a chunk of
its own (256 KiB) with ~130 KiB left over, and the callee's frames, however deep they go and
come back, stay in that chunk: one ``mmap`` a call. The frame's size comes from unused local
variables (each a NULL pointer, set on entry): ~80 µs a call, nothing for work of seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

#: Unused local variables of the calling frame, 8 bytes each: 16,000 make CPython give the
#: frame a chunk of 256 KiB (it doubles 16 KiB until the frame and 1,000 spare slots fit).
ROOM_SLOTS = 16_000


@cache
def _trampoline() -> Callable[..., Any]:
    """``trampoline(call, args, kwargs)``, whose frame holds ROOM_SLOTS locals (compiled once, ~40 ms).

    The locals are assigned under ``if False``: the compiler drops the assignment but still
    counts the names as the function's locals, which sizes the frame.
    """
    names = ", ".join(f"_{i}" for i in range(ROOM_SLOTS))
    source = (
        "def trampoline(call, args, kwargs):\n"
        "    if False:\n"
        f"        {names} = ()\n"
        "    return call(*args, **kwargs)\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, "<stack_room>", "exec"), namespace)  # noqa: S102 (our own fixed source)
    return namespace["trampoline"]


def call_with_room(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``function(*args, **kwargs)``, its frames in a chunk of their own (see the module)."""
    return _trampoline()(function, args, kwargs)


def frame_slots() -> int:
    """How many local variables the trampoline's frame holds (for the tests)."""
    return _trampoline().__code__.co_nlocals
