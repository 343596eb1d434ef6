"""Calling a service from a view: flash its outcome, turn its refusal into 403 or a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash

from tracker.core.errors import DomainError, PermissionDenied
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
        flash(error.message, "danger")
        return False
    db.session.flush()  # errors surface here; the request's edge commits (tracker.core.edge)
    if success:
        flash(success, "success")
    return True
