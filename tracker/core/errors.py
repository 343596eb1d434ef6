"""Domain exceptions raised by services; views turn them into flashed messages or HTTP errors."""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule was broken; ``message`` is already translated for the person who broke it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionDenied(DomainError):
    """The actor may not do this to this object (HTTP 403)."""


class InvalidTransition(DomainError):
    """The object is not in a state that allows this action (HTTP 409 in the API)."""


class StaleEdit(DomainError):
    """Someone else saved the object since the form was opened (optimistic locking).

    ``describe``, when given, builds a better message (who changed it, and when) once the failed
    transaction is rolled back: the session cannot load anything before that.
    """

    def __init__(self, message: str, describe: Callable[[], str] | None = None) -> None:
        super().__init__(message)
        self.describe = describe

    def message_after_rollback(self) -> str:
        if self.describe is not None:
            try:
                self.message = self.describe()
            except Exception:  # noqa: BLE001 (the plain message is still right)
                logger.exception("could not describe a stale edit")
            self.describe = None
        return self.message


class InvalidInput(DomainError):
    """The data is well-formed but not acceptable (bad file, bad date, …)."""


def domain_status(error: DomainError) -> int:
    """The HTTP status of a refusal: 403 not allowed, 409 wrong state or stale, 400 otherwise."""
    if isinstance(error, PermissionDenied):
        return 403
    if isinstance(error, InvalidTransition | StaleEdit):
        return 409
    return 400
