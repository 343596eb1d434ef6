"""Sign-in with throttling, user accounts and personal API tokens."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, func, or_, select

from tracker.auth.models import ApiToken, LoginFailure, User, hash_token
from tracker.core import audit
from tracker.core.errors import InvalidInput, PermissionDenied
from tracker.core.permissions import Role
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.orgs.models import Organization, Unit

logger = logging.getLogger(__name__)

USER_AUDIT_FIELDS = ("email", "name", "position", "unit_id", "locale", "is_active", "wants_email")


class SignInLocked(PermissionDenied):
    """Too many failed attempts for this e-mail or address; try again later."""


def _recent_failures(email: str, remote_addr: str | None) -> int:
    window = timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])
    conditions = [LoginFailure.email == email]
    if remote_addr:
        conditions.append(LoginFailure.remote_addr == remote_addr)
    return (
        db.session.scalar(
            select(func.count(LoginFailure.id)).where(
                or_(*conditions), LoginFailure.created_at > utcnow() - window
            )
        )
        or 0
    )


def authenticate(email: str, password: str, remote_addr: str | None) -> User | None:
    """The user for these credentials, or None. Raises :class:`SignInLocked` after too many failures.

    The lock is checked before the password so that a locked account gives nothing away.
    """
    email = email.strip().lower()
    if _recent_failures(email, remote_addr) >= current_app.config["LOGIN_MAX_FAILURES"]:
        logger.warning("sign-in locked for %s from %s", email, remote_addr)
        minutes = current_app.config["LOGIN_LOCKOUT_MINUTES"]
        raise SignInLocked(
            ngettext(
                "Too many failed sign-in attempts. Try again in %(num)s minute.",
                "Too many failed sign-in attempts. Try again in %(num)s minutes.",
                minutes,
            )
        )
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None or not user.is_active or not user.check_password(password):
        db.session.add(LoginFailure(email=email, remote_addr=remote_addr))
        db.session.flush()
        return None
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    return user


def create_user(
    *,
    email: str,
    name: str,
    password: str,
    organization: Organization,
    roles: list[Role] | set[Role],
    unit: Unit | None = None,
    position: str | None = None,
    locale: str | None = None,
    actor: User | None = None,
) -> User:
    email = email.strip().lower()
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvalidInput(_("A user with the e-mail %(email)s already exists.", email=email))
    if unit is not None and unit.organization_id != organization.id:
        raise InvalidInput(_("The unit belongs to another organization."))
    if not roles:
        raise InvalidInput(_("Give the user at least one role."))
    user = User(
        email=email, name=name, organization=organization, unit=unit, position=position, locale=locale
    )
    user.set_password(password)
    user.set_roles(set(roles))
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor,
        "user",
        user.id,
        "create",
        after={**audit.snapshot(user, USER_AUDIT_FIELDS), "roles": sorted(user.roles)},
    )
    return user


def update_user(
    user: User,
    *,
    actor: User,
    roles: set[Role] | None = None,
    password: str | None = None,
    **fields: object,
) -> User:
    """Change account fields (any of ``USER_AUDIT_FIELDS``), roles and optionally the password."""
    unknown = set(fields) - set(USER_AUDIT_FIELDS)
    if unknown:
        raise ValueError(f"not user fields: {sorted(unknown)}")
    before = {**audit.snapshot(user, USER_AUDIT_FIELDS), "roles": sorted(user.roles)}
    if "email" in fields:
        email = str(fields["email"]).strip().lower()
        clash = db.session.scalar(select(User.id).where(User.email == email, User.id != user.id))
        if clash is not None:
            raise InvalidInput(_("A user with the e-mail %(email)s already exists.", email=email))
        fields["email"] = email
    if user.id == actor.id and fields.get("is_active") is False:
        raise InvalidInput(_("You cannot deactivate your own account."))
    if user.id == actor.id and roles is not None and Role.ADMIN in user.roles and Role.ADMIN not in roles:
        raise InvalidInput(_("You cannot remove your own administrator role."))
    for name, value in fields.items():
        setattr(user, name, value)
    if roles is not None:
        if not roles:
            raise InvalidInput(_("Give the user at least one role."))
        user.set_roles(roles)
    if password:
        user.set_password(password)
    db.session.flush()
    after = {**audit.snapshot(user, USER_AUDIT_FIELDS), "roles": sorted(user.roles)}
    old, new = audit.changed(before, after)
    if password:
        new["password"] = "changed"  # noqa: S105 (a marker, never the password itself)
    if new:
        audit.record(actor, "user", user.id, "update", before=old, after=new)
    return user


def create_api_token(user: User, name: str, *, actor: User | None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token, which is never shown again."""
    token = "trk_" + secrets.token_urlsafe(32)
    api_token = ApiToken(user=user, name=name or "API", token_hash=hash_token(token), prefix=token[:10])
    db.session.add(api_token)
    db.session.flush()
    audit.record(
        actor, "api_token", api_token.id, "create", after={"user_id": user.id, "name": api_token.name}
    )
    return api_token, token


def revoke_api_token(api_token: ApiToken, *, actor: User) -> None:
    if api_token.user_id != actor.id and not actor.has_permission("admin.manage"):
        raise PermissionDenied(_("This token belongs to someone else."))
    if api_token.revoked_at is None:
        api_token.revoked_at = utcnow()
        db.session.flush()
        audit.record(actor, "api_token", api_token.id, "revoke")


def set_own_preferences(user: User, **preferences: str | None) -> None:
    """One's own display preferences (UI language, reading script). Not audited: they change
    nothing anyone else sees, and a language click per page would drown the audit trail."""
    unknown = set(preferences) - {"locale", "reading_script"}
    if unknown:
        raise ValueError(f"not preferences: {sorted(unknown)}")
    for name, value in preferences.items():
        setattr(user, name, value)
    db.session.flush()
