"""Roles, permissions and the decorators every route must carry.

Every view declares who may use it: :func:`permission_required`, :func:`login_only` or
:func:`public`. ``tests/test_permissions.py`` walks ``app.url_map`` and fails on any route
without one. Object checks (same organization, unit scope) are made by the services and by
the ``can_*`` helpers in each feature.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])

#: The attribute that records a view's access rule, read by the URL-map test.
ACCESS_ATTR = "_tracker_access"


class Role(enum.StrEnum):
    ADMIN = "admin"
    DIRECTOR = "director"
    CONTROLLER = "controller"
    UNIT_HEAD = "unit_head"
    EXECUTOR = "executor"
    VIEWER = "viewer"


_ALL = frozenset(Role)

#: Which roles hold which permission. Unit scope comes on top of "status.update".
PERMISSIONS: dict[str, frozenset[Role]] = {
    "plan.view": _ALL,
    "plan.edit": frozenset({Role.ADMIN, Role.CONTROLLER}),
    "plan.approve": frozenset({Role.DIRECTOR}),
    #: Making an approved plan public and choosing what of it is public (tracker/open/).
    "plan.publish": frozenset({Role.CONTROLLER, Role.DIRECTOR}),
    "status.update": frozenset({Role.CONTROLLER, Role.UNIT_HEAD, Role.EXECUTOR}),
    "status.review": frozenset({Role.CONTROLLER}),
    "admin.manage": frozenset({Role.ADMIN}),
    "audit.view": frozenset({Role.ADMIN, Role.CONTROLLER}),
}


def roles_with(permission: str) -> frozenset[Role]:
    try:
        return PERMISSIONS[permission]
    except KeyError:  # a typo in a decorator must fail at import, not grant access
        raise ValueError(f"unknown permission {permission!r}") from None


def permission_required(permission: str) -> Callable[[F], F]:
    """Only signed-in users holding ``permission``; others get 401 (redirect to login) or 403."""
    roles_with(permission)

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from tracker.extensions import login_manager

                return login_manager.unauthorized()
            if not current_user.has_permission(permission):
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapped, ACCESS_ATTR, permission)
        return wrapped  # type: ignore[return-value]

    return decorator


def login_only(view: F) -> F:
    """Any signed-in user (their own profile, logout)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            from tracker.extensions import login_manager

            return login_manager.unauthorized()
        return view(*args, **kwargs)

    setattr(wrapped, ACCESS_ATTR, "login")
    return wrapped  # type: ignore[return-value]


def public(view: F) -> F:
    """Deliberately open to anyone (login page, language switch, health check)."""
    setattr(view, ACCESS_ATTR, "public")
    return view
