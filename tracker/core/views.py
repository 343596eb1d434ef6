"""Home, language switch and health check."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text
from werkzeug import Response

from tracker.core.forms import EmptyForm
from tracker.core.i18n import SESSION_KEY, normalise_locale
from tracker.core.permissions import permission_required, public
from tracker.extensions import db

bp = Blueprint("core", __name__)


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


@bp.get("/")
@public
def index() -> Response:
    if current_user.is_authenticated:
        return redirect(url_for("inbox.index"))
    return redirect(url_for("auth.login"))


@bp.post("/language/<code>")
@public
def set_language(code: str) -> Response:
    locale = normalise_locale(code)
    if locale is None or not EmptyForm().validate_on_submit():
        abort(400)
    session[SESSION_KEY] = locale
    if current_user.is_authenticated:
        from tracker.auth.services import set_own_preferences

        set_own_preferences(current_user, locale=locale)
    return redirect(safe_next(request.form.get("next"), url_for("core.index")))


@bp.get("/healthz")
@public
def health() -> dict[str, str]:
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.post("/reading-script/<any(original, latn, cyrl):script>")
@permission_required("plan.view")
def set_reading_script(script: str) -> Response:
    """Remember the script the user reads plan content in (the stored text never changes)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    from tracker.auth.services import set_own_preferences

    set_own_preferences(current_user, reading_script=None if script == "original" else script)
    db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("plans.index")))
