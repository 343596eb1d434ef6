"""Sign-in with throttling, user accounts and personal API tokens."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import ColumnElement, delete, func, select, text

from tracker.auth.models import ApiToken, LoginFailure, User, hash_token
from tracker.core import audit
from tracker.core.errors import InvalidInput, PermissionDenied
from tracker.core.permissions import Role
from tracker.core.time import as_utc, utcnow
from tracker.extensions import db
from tracker.orgs.models import Organization, Unit

logger = logging.getLogger(__name__)

USER_AUDIT_FIELDS = ("email", "name", "position", "unit_id", "locale", "is_active", "wants_email")


class SignInLocked(PermissionDenied):
    """Too many failed attempts for this account or from this address; try again later."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        #: Seconds until the oldest counted failure leaves the window (the Retry-After header).
        self.retry_after = retry_after


def _serialize_attempts(email: str) -> None:
    """Let attempts for one account run one after another, so concurrent guesses cannot all
    pass the count before any failure is written. SQLite: sign-in is a POST, whose transaction
    already holds the write lock (BEGIN IMMEDIATE). PostgreSQL: a transaction-scoped advisory lock."""
    if db.session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(b"login:" + email.encode()).digest()[:8], "big", signed=True)
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _lock_check(condition: ColumnElement[bool], limit: int) -> int | None:
    """Seconds to wait when ``limit`` failures matching ``condition`` lie inside the window."""
    window = timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])
    since = utcnow() - window
    count, oldest = db.session.execute(
        select(func.count(LoginFailure.id), func.min(LoginFailure.created_at)).where(
            condition, LoginFailure.created_at > since
        )
    ).one()
    if (count or 0) < limit:
        return None
    oldest = as_utc(oldest) if oldest is not None else utcnow()
    return max(1, int((oldest + window - utcnow()).total_seconds()) + 1)


def _locked_for(email: str, remote_addr: str | None) -> int | None:
    config = current_app.config
    wait = _lock_check(LoginFailure.email == email, config["LOGIN_MAX_FAILURES"])
    if wait is None and remote_addr:
        wait = _lock_check(LoginFailure.remote_addr == remote_addr, config["LOGIN_MAX_FAILURES_PER_ADDRESS"])
    return wait


def authenticate(email: str, password: str, remote_addr: str | None) -> User | None:
    """The user for these credentials, or None. Raises :class:`SignInLocked` after too many failures.

    An account locks after ``LOGIN_MAX_FAILURES`` failures within the window; an address (an
    office behind one NAT or proxy shares one) only after ``LOGIN_MAX_FAILURES_PER_ADDRESS``.
    The lock is checked before the password so that a locked account gives nothing away.
    """
    email = email.strip().lower()[:254]
    _serialize_attempts(email)
    wait = _locked_for(email, remote_addr)
    if wait is not None:
        logger.warning("sign-in locked for %s from %s", email, remote_addr)
        minutes = max(1, (wait + 59) // 60)
        raise SignInLocked(
            ngettext(
                "Too many failed sign-in attempts. Try again in %(num)s minute.",
                "Too many failed sign-in attempts. Try again in %(num)s minutes.",
                minutes,
            ),
            retry_after=wait,
        )
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None or not user.is_active or not user.check_password(password):
        db.session.add(LoginFailure(email=email, remote_addr=(remote_addr or "")[:64] or None))
        db.session.flush()
        return None
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    return user


def end_sessions(user: User) -> None:
    """Sign ``user`` out everywhere: every session and remember-me cookie issued so far stops working."""
    user.session_epoch = (user.session_epoch or 0) + 1
    db.session.flush()


def change_password(
    user: User, *, current_password: str, new_password: str, revoke_tokens: bool = False
) -> int:
    """Set a new password after checking the current one; returns how many API tokens were ended.

    Other sessions end (the session id carries the epoch). Raises :class:`InvalidInput` when the
    current password is wrong.
    """
    if not user.check_password(current_password or ""):
        raise InvalidInput(_("Your current password is not right."))
    user.set_password(new_password)
    end_sessions(user)
    audit.record(user, "user", user.id, "update", after={"password": "changed"})
    revoked = 0
    if revoke_tokens:
        for api_token in db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        ):
            revoke_api_token(api_token, actor=user)
            revoked += 1
    return revoked


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
        user.session_epoch = (user.session_epoch or 0) + 1  # their open sessions end
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
