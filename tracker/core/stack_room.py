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
from types import FunctionType
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

#: Unused local variables of the calling frame, 8 bytes each: 16,000 make CPython give the
#: frame a chunk of 256 KiB (it doubles 16 KiB until the frame and 1,000 spare slots fit).
ROOM_SLOTS = 16_000


def _trampoline_source(call: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    return call(*args, **kwargs)


@cache
def _trampoline() -> Callable[..., Any]:
    """``_trampoline_source`` with ROOM_SLOTS more local variables, which size its frame.

    Made by replacing the function's code with one that declares more (unused) local names:
    ~5 ms and ~1.7 MiB once per process (its 16,000 names), where compiling a function that
    assigned them took ~0.1 s and kept ~9 MiB of the process's memory.
    """
    code = _trampoline_source.__code__
    code = code.replace(
        co_varnames=code.co_varnames + tuple(f"_{i}" for i in range(ROOM_SLOTS)),
        co_nlocals=code.co_nlocals + ROOM_SLOTS,
    )
    return FunctionType(code, _trampoline_source.__globals__, "trampoline")


def call_with_room(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``function(*args, **kwargs)``, its frames in a chunk of their own (see the module)."""
    return _trampoline()(function, args, kwargs)


def frame_slots() -> int:
    """How many local variables the trampoline's frame holds (for the tests)."""
    return _trampoline().__code__.co_nlocals
