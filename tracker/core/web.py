"""Calling a service from a view: flash its outcome, turn its refusal into 403 or a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, g

from tracker.core.errors import DomainError, PermissionDenied, StaleEdit, domain_status
from tracker.extensions import db


def run_service(action: Callable[[], Any], success: str | None = None) -> bool:
    """Run ``action`` and flash ``success``, or roll back and flash why (403 when not allowed).

    Returns whether it succeeded, so the view can redirect or show the form again.
    """
    try:
        action()
    except PermissionDenied as error:
        db.session.rollback()
        abort(403, error.message)
    except DomainError as error:
        db.session.rollback()
        message = error.message_after_rollback() if isinstance(error, StaleEdit) else error.message
        flash(message, "danger")
        refuse_with(domain_status(error))  # the form is shown again, with the status of the refusal
        return False
    db.session.flush()  # errors surface here; the request's edge commits (tracker.core.edge)
    if success:
        flash(success, "success")
    return True


def refuse_with(status: int) -> None:
    """Answer this request with ``status`` (400, 409) even though the view renders its page:
    a refused form is not a success, for browsers' history as for scripts and proxies."""
    g.refused_status = status
