"""Users, their roles, personal API tokens and failed sign-ins (for throttling)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.core.models import UTCDateTime
from tracker.core.permissions import Role, roles_with
from tracker.core.time import utcnow
from tracker.extensions import Model, db
from tracker.orgs.models import Organization, Unit

_ROLE_VALUES = ", ".join(f"'{r.value}'" for r in Role)


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The login; stored lower-case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Job title as printed in approval blocks ("Агентлик директори").
    position: Mapped[str | None] = mapped_column(String(300))
    password_hash: Mapped[str] = mapped_column(String(255))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    #: Preferred UI language: uz_Latn, uz_Cyrl, ru or en; NULL follows the browser.
    locale: Mapped[str | None] = mapped_column(String(10))
    #: Script plan content is shown in on screen: 'latn', 'cyrl', or NULL (as written).
    reading_script: Mapped[str | None] = mapped_column(String(4))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=db.true())
    #: Reminder e-mails; in-app notifications are always on.
    wants_email: Mapped[bool] = mapped_column(default=True, server_default=db.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Raised by sign-out and password change: every session and remember-me cookie issued
    #: before carries the old value in its id and stops working (server-side sign-out).
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")

    organization: Mapped[Organization] = relationship(lazy="joined")
    unit: Mapped[Unit | None] = relationship(lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        CheckConstraint("locale IS NULL OR locale IN ('uz_Latn', 'uz_Cyrl', 'ru', 'en')", name="locale"),
        CheckConstraint(
            "reading_script IS NULL OR reading_script IN ('latn', 'cyrl')", name="reading_script"
        ),
        # What a notification's foreign key names: a person together with their organization.
        db.Index("ix_users_id_organization", "id", "organization_id", unique=True),
    )

    # -- roles -------------------------------------------------------------------------
    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.role_rows)

    def set_roles(self, roles: set[Role] | list[Role]) -> None:
        wanted = {Role(r) for r in roles}
        self.role_rows = [r for r in self.role_rows if Role(r.role) in wanted]
        have = {Role(r.role) for r in self.role_rows}
        for role in sorted(wanted - have):
            self.role_rows.append(UserRole(role=role.value))

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def has_permission(self, permission: str) -> bool:
        return self.is_active and bool(self.roles & roles_with(permission))

    # -- password ------------------------------------------------------------------------
    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        # The epoch ends sessions at sign-out; the hash suffix after a password change.
        return f"{self.id}:{self.session_epoch or 0}:{self.password_hash[-12:]}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(Model):
    __tablename__ = "user_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="role_rows")

    __table_args__ = (
        UniqueConstraint("user_id", "role", name="uq_user_roles_user_role"),
        CheckConstraint(f"role IN ({_ROLE_VALUES})", name="role"),
    )


def hash_token(token: str) -> str:
    """API tokens are random and long, so a plain SHA-256 is the right hash (no salt needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(Model):
    """A personal API token; only its hash is stored, the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: First characters of the token, to tell tokens apart in the profile page.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def find_active(cls, token: str) -> ApiToken | None:
        return db.session.scalar(
            select(cls).where(cls.token_hash == hash_token(token), cls.revoked_at.is_(None))
        )


class LoginFailure(Model):
    """One failed sign-in; recent rows for an e-mail or an address lock sign-in for a while."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    remote_addr: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
