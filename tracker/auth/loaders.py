"""How Flask-Login finds the current user: the session cookie, or a personal API token."""

from __future__ import annotations

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


@cache
def _user_with_roles() -> Select[Any]:
    """The signed-in user with their roles in one statement (a join, not a second query). It runs
    on every page, so it is built once: SQLAlchemy then also keeps its cache key, which
    ``session.get`` with options works out again on each call (issue 17)."""
    return select(User).options(joinedload(User.role_rows)).where(User.id == bindparam("user_id"))


def _load_user(session_id: str) -> User | None:
    user_id, _, stamp = session_id.partition(":")
    if not user_id.isdigit() or int(user_id) > MAX_ID:
        return None
    user: User | None = (
        db.session.execute(_user_with_roles(), {"user_id": int(user_id)}).unique().scalar_one_or_none()
    )
    if user is None or not user.is_active or user.get_id() != session_id:
        return None
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
