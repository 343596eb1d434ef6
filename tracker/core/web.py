"""Calling a service from a view: flash its outcome, turn its refusal into 403 or a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import abort, flash, g

from tracker.core.errors import DomainError, PermissionDenied, StaleEdit, domain_status
from tracker.core.forms import EmptyForm
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


def run_when_confirmed(action: Callable[[], Any], success: str | None = None) -> bool:
    """A button's POST (a form of nothing but its CSRF token): :func:`run_service` when the token
    is good; a bad or missing token runs nothing."""
    return EmptyForm().validate_on_submit() and run_service(action, success)


def refuse_with(status: int) -> None:
    """Answer this request with ``status`` (400, 409) even though the view renders its page:
    a refused form is not a success, for browsers' history as for scripts and proxies."""
    g.refused_status = status


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths, so the redirect cannot be used to send people elsewhere.

    Browsers drop tabs and newlines inside URLs and read a backslash as a slash, so
    ``/\t/evil.com`` would become ``//evil.com``: any control character, space or backslash,
    and anything naming a scheme or host, gives the fallback.
    """
    if not target or len(target) > 2000 or not target.startswith("/"):
        return fallback
    if any(ch <= " " or ch == "\x7f" or ch == "\\" for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return fallback
    return target
