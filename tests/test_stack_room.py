"""Deep recursion run with room on CPython's frame stack (``core/stack_room``, issue 17).

A report's layout goes up and down in call depth thousands of times; on CPython 3.11 each
crossing of a 16 KiB frame-stack chunk maps and frees a chunk. Counted here by the process's
minor page faults (a freshly mapped chunk faults when first written), not by time.
"""

from __future__ import annotations

import resource
import sys

import pytest

from tracker.core.stack_room import ROOM_SLOTS, call_with_room, frame_slots


def _down(depth: int) -> int:
    return 0 if depth == 0 else _down(depth - 1) + 0


def _up_and_down(times: int, depth: int) -> int:
    """Go ``depth`` calls deep and back, ``times`` times; no allocation on the way."""
    total = 0
    for _ in range(times):
        total += _down(depth)
    return total


def _faults(function: object, *args: object) -> int:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    function(*args)  # type: ignore[operator]
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_the_call_passes_arguments_and_results_and_errors_through() -> None:
    assert call_with_room(divmod, 17, 5) == (3, 2)
    assert call_with_room(sorted, [3, 1, 2], reverse=True) == [3, 2, 1]
    with pytest.raises(ZeroDivisionError):
        call_with_room(divmod, 1, 0)
    assert frame_slots() == ROOM_SLOTS + 3  # call, args, kwargs


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="CPython's frame stack")
def test_going_deep_and_back_stays_in_one_chunk() -> None:
    # 400 calls of ~100 bytes cross at least two 16 KiB chunk ends, wherever the caller stands
    _up_and_down(10, 400)  # warm: code specialised, the process's own pages touched
    with_room = min(_faults(call_with_room, _up_and_down, 1_000, 400) for _ in range(3))
    assert with_room < 200
    if sys.version_info < (3, 13):  # later versions keep a spare chunk (CPython gh-142183)
        without = min(_faults(_up_and_down, 1_000, 400) for _ in range(3))
        assert without > 1_000 > with_room
