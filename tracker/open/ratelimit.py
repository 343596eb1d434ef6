"""A per-address limit on the public pages, so that one client cannot starve the rest.

A fixed window per client address, counted in each worker process's memory: with ``N``
workers an address may make up to ``N × limit`` requests per window, which is still a bound,
and costs no database write per request. Behind a proxy, the address must be the client's
(set ``TRACKER_PROXY_HOPS``: :mod:`tracker.core.edge` installs ``ProxyFix``), or every visitor
shares one limit.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

#: Beyond this many tracked addresses, windows that have ended are dropped.
MAX_TRACKED = 10_000


class RateLimiter:
    """``limit`` requests per ``window`` seconds per key; ``limit`` 0 turns it off."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._windows: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> int | None:
        """Count a request; None when allowed, else the seconds to wait (for ``Retry-After``)."""
        if self.limit <= 0:
            return None
        now = self.clock()
        with self._lock:
            started, count = self._windows.get(key, (now, 0))
            if now - started >= self.window:
                started, count = now, 0
            if count >= self.limit:
                return max(1, math.ceil(started + self.window - now))
            self._windows[key] = (started, count + 1)
            if len(self._windows) > MAX_TRACKED:
                self._forget_ended(now)
        return None

    def _forget_ended(self, now: float) -> None:
        for key in [k for k, (started, _) in self._windows.items() if now - started >= self.window]:
            del self._windows[key]
