"""HTTP error pages (and JSON errors under /api/)."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from tracker.extensions import db


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
    }


def _render(code: int, message: str | None = None) -> tuple[object, int]:
    message = message or _messages().get(code, _messages()[500])
    if request.path.startswith("/api/"):
        return jsonify(error={"code": code, "message": message}), code
    return render_template("errors/error.html", code=code, message=message), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[object, int]:
        return _render(
            400, _("The form expired or was not sent from this site. Reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[object, int]:
        return _render(error.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[object, int]:
        db.session.rollback()
        app.logger.exception("unhandled error")
        return _render(500)
