"""Home, language switch and health check."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text
from werkzeug import Response

from tracker.core.forms import EmptyForm
from tracker.core.i18n import SESSION_KEY, normalise_locale
from tracker.core.permissions import permission_required, public
from tracker.core.preferences import set_own_preferences
from tracker.core.web import safe_next
from tracker.extensions import db

bp = Blueprint("core", __name__)


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
    set_own_preferences(current_user, reading_script=None if script == "original" else script)
    return redirect(safe_next(request.form.get("next"), url_for("plans.index")))
