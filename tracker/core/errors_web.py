"""HTTP error pages (and JSON errors under /api/), and how the edge maps failures to them.

Domain errors that leave a view uncaught map to 400 (invalid input), 403 (not allowed) and
409 (wrong state, stale edit); a concurrent change caught by the database (a version or unique
key clash at flush or commit) is a 409 as well. Every one of them rolls the transaction back.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError, PendingRollbackError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from tracker.core.errors import DomainError, StaleEdit, domain_status
from tracker.extensions import db

logger = logging.getLogger(__name__)


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please sign in."),
        403: _("You do not have access to this page or action."),
        404: _("This page does not exist, or it was removed."),
        405: _("This action is not allowed here."),
        409: _("This cannot be done in the current state."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Please wait and try again."),
        500: _("Something went wrong on our side. The error was logged."),
        503: _("The service is busy. Please try again in a moment."),
    }


def render_error(code: int, message: str | None = None) -> tuple[Response | str, int]:
    message = message or _messages().get(code, _messages()[500])
    if request.path.startswith("/api/"):
        return jsonify(error={"code": code, "message": message}), code
    return render_template("errors/error.html", code=code, message=message), code


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 (a broken connection: the session is discarded at teardown)
        logger.exception("rollback failed")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> ResponseReturnValue:
        _rollback()
        return render_error(
            400, _("The form expired or was not sent from this site. Reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> ResponseReturnValue:
        _rollback()
        body, code = render_error(error.code or 500, _described(error))
        if code == 429 and (retry := getattr(error, "retry_after", None)):
            return body, code, {"Retry-After": str(retry)}
        return body, code

    @app.errorhandler(DomainError)
    def _domain(error: DomainError) -> ResponseReturnValue:
        _rollback()
        message = error.message_after_rollback() if isinstance(error, StaleEdit) else error.message
        return render_error(domain_status(error), message)

    @app.errorhandler(StaleDataError)
    @app.errorhandler(IntegrityError)
    def _conflict(error: Exception) -> ResponseReturnValue:
        _rollback()
        logger.info("conflict at the edge: %s", error)
        return render_error(
            409,
            _(
                "Someone else saved this at the same moment. "
                "Your changes were not saved: reload and try again."
            ),
        )

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)  # SQLite's driver, for a number beyond 64 bits
    def _data(error: Exception) -> ResponseReturnValue:
        # A value the database cannot hold (too long for its column, out of range) that no
        # form check caught: the person's input, not our fault.
        _rollback()
        logger.warning("value refused by the database: %s", error)
        return render_error(400, _("A value is too long or out of range."))

    @app.errorhandler(OperationalError)
    @app.errorhandler(PendingRollbackError)
    def _database(error: DBAPIError | PendingRollbackError) -> ResponseReturnValue:
        _rollback()
        if "locked" in str(error) or "deadlock" in str(error) or "could not serialize" in str(error):
            body, code = render_error(503)
            return body, code, {"Retry-After": "2"}
        app.logger.exception("database error")
        return render_error(500)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> ResponseReturnValue:
        _rollback()
        app.logger.exception("unhandled error")
        return render_error(500)


def _described(error: HTTPException) -> str | None:
    """A message given to ``abort(code, message)`` by our code; Werkzeug's English defaults are not shown."""
    description = error.description
    if description and description != type(error).description:
        return str(description)
    return None
