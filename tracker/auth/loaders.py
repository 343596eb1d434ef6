"""How Flask-Login finds the current user: the session cookie, or a personal API token."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cache
from typing import Any

from flask import Flask, Request, abort, flash, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug import Response

from tracker.auth.models import ApiToken, User
from tracker.core.edge import MAX_ID
from tracker.core.time import utcnow
from tracker.extensions import db, login_manager

#: Figures of the signed-in user every page shows, read in the user's own statement rather than
#: one statement each: name → a function giving a scalar subquery correlated to ``User.id``.
#: Features register theirs at start-up (:func:`read_with_user`); pages find them in ``g``.
_figures: dict[str, Callable[[], Any]] = {}


def read_with_user(name: str, figure: Callable[[], Any]) -> None:
    """Read ``figure`` (a scalar subquery of ``User.id``) with the signed-in user of each page;
    :func:`user_figure` gives it back during the request."""
    _figures[name] = figure
    _user_with_roles.cache_clear()


def user_figure(name: str) -> Any | None:
    """The figure ``name`` as read with this request's user at its start, or None: an API token's
    user, or a request that may have changed it (anything but GET and HEAD) reads it afresh."""
    if request.method not in ("GET", "HEAD"):
        return None
    return g.get("user_figures", {}).get(name)


@cache
def _user_with_roles() -> Select[Any]:
    """The signed-in user with their roles in one statement (a join, not a second query), and the
    registered figures. It runs on every page, so it is built once: SQLAlchemy then also keeps
    its cache key, which ``session.get`` with options works out again on each call (issue 17)."""
    figures = [figure().label(name) for name, figure in _figures.items()]
    return select(User, *figures).options(joinedload(User.role_rows)).where(User.id == bindparam("user_id"))


def _load_user(session_id: str) -> User | None:
    user_id, _, stamp = session_id.partition(":")
    if not user_id.isdigit() or int(user_id) > MAX_ID:
        return None
    row = db.session.execute(_user_with_roles(), {"user_id": int(user_id)}).unique().one_or_none()
    if row is None:
        return None
    user: User = row[0]
    if not user.is_active or user.get_id() != session_id:
        return None
    g.user_figures = dict(zip(_figures, row[1:], strict=True))
    return user


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def user_from_token(request: Request) -> User | None:
    """The active user owning the request's bearer token (API only; pages use the session)."""
    token = bearer_token(request)
    if token is None:
        return None
    api_token = ApiToken.find_active(token)
    if api_token is None or not api_token.user.is_active:
        return None
    g.authenticated_by_token = True
    # Recorded at most once a minute, so that reads do not each write a row.
    now = utcnow()
    if api_token.last_used_at is None or now - api_token.last_used_at > timedelta(minutes=1):
        api_token.last_used_at = now  # committed by the request's edge
    return api_token.user


def _unauthorized() -> Response:
    """API clients get a plain 401; people are sent to the sign-in page and back."""
    if request.path.startswith("/api/"):
        abort(401)
    flash(str(login_manager.login_message), login_manager.login_message_category)
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)
