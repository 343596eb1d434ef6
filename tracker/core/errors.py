"""Domain exceptions raised by services; views turn them into flashed messages or HTTP errors."""

from __future__ import annotations


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
    """Someone else saved the object since the form was opened (optimistic locking)."""


class InvalidInput(DomainError):
    """The data is well-formed but not acceptable (bad file, bad date, …)."""
