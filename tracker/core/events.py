"""Domain events: a feature says what changed; others listen, without either importing the other.

A service announces a change inside its transaction (``plan_changed.send(plan_id=…)``); a
listener that needs the change to be committed defers its work with
:func:`tracker.core.transaction.after_commit`. ``core`` defines the events and imports no
feature; the feature that listens connects its handler when it is imported (its blueprint).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

Handler = Callable[..., None]


class Event:
    """A named event with handlers called in the order they connected."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: list[Handler] = []

    def connect(self, handler: Handler) -> Handler:
        """Call ``handler(**payload)`` on every :meth:`send`; connecting twice is connecting once."""
        if handler not in self._handlers:
            self._handlers.append(handler)
        return handler

    def disconnect(self, handler: Handler) -> None:
        if handler in self._handlers:
            self._handlers.remove(handler)

    def send(self, **payload: Any) -> None:
        """Call every handler. A handler's error propagates: it belongs to the sender's transaction."""
        for handler in list(self._handlers):
            handler(**payload)


#: A plan's printed content may have changed (a status, an approval, a deadline): ``plan_id``.
plan_changed = Event("plan_changed")
