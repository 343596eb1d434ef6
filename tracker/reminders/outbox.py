"""The e-mail outbox's bookkeeping: claiming a message under its key, leasing it for delivery,
recording each attempt with backoff, and sending a failed message again.

A message exists once its row is inserted under its unique key (``INSERT … ON CONFLICT DO
NOTHING``), so a second run queues nothing; a delivery run leases a message before sending it,
so two runs never send the same one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select, update

from tracker.core import audit
from tracker.core.errors import InvalidInput
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.reminders.models import DeliveryAttempt, EmailKind, EmailState, OutboundEmail

if TYPE_CHECKING:
    from tracker.auth.models import User

#: Delivery gives up after this many attempts (about two days with the backoff below).
MAX_ATTEMPTS = 12
#: A delivery run holds a claimed message this long; after that another run may take it.
LEASE = timedelta(minutes=5)


def insert_ignoring_conflicts(table: Any, rows: list[dict[str, Any]] | None, conflict: list[str]) -> Any:
    """``INSERT … ON CONFLICT (conflict) DO NOTHING`` on either engine; with ``rows=None`` the rows
    come at execution (``execute(statement, rows)``: batched, compiled once, whatever their number)."""
    from sqlalchemy.dialects import postgresql, sqlite

    insert: Any = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(table) if rows is None else insert(table).values(rows)
    return statement.on_conflict_do_nothing(index_elements=conflict)


def claim_outbox_row(user: User, kind: EmailKind, key: str, now: datetime) -> int | None:
    """Insert an empty queued message under ``key``; None when the key is taken already."""
    statement = insert_ignoring_conflicts(
        OutboundEmail.__table__,
        [
            {
                "organization_id": user.organization_id,
                "recipient_id": user.id,
                "kind": kind.value,
                "key": key,
                "to_address": user.email,
                "subject": "",
                "body_text": "",
                "body_html": "",
                "state": EmailState.QUEUED.value,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
        ],
        ["key"],
    ).returning(OutboundEmail.__table__.c.id)
    return db.session.scalar(statement)


def _deliverable(now: datetime) -> Any:
    return or_(
        and_(
            OutboundEmail.state.in_([EmailState.QUEUED.value, EmailState.RETRYING.value]),
            OutboundEmail.next_attempt_at <= now,
        ),
        and_(OutboundEmail.state == EmailState.SENDING.value, OutboundEmail.lease_until < now),
    )


def claim_deliveries(now: datetime, limit: int = 50, *, only: list[int] | None = None) -> list[int]:
    """Lease up to ``limit`` messages that are due for an attempt (among ``only``, when given);
    returns their ids.

    On PostgreSQL the candidates are locked with ``FOR UPDATE SKIP LOCKED``, so concurrent runs
    take different messages; the condition is repeated in the UPDATE, so a message leased by
    another run meanwhile (SQLite, or a lease that just changed hands) is never taken twice.
    """
    candidates = (
        select(OutboundEmail.id)
        .where(_deliverable(now))
        .order_by(OutboundEmail.next_attempt_at, OutboundEmail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if only is not None:
        candidates = candidates.where(OutboundEmail.id.in_(only))
    return list(
        db.session.scalars(
            update(OutboundEmail)
            .where(OutboundEmail.id.in_(candidates.scalar_subquery()), _deliverable(now))
            .values(state=EmailState.SENDING.value, lease_until=now + LEASE)
            .returning(OutboundEmail.id)
            .execution_options(synchronize_session=False)
        )
    )


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after the 1st, 2nd, 3rd … failure, at most 6 hours."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 6 * 3600))


def record_attempt(email: OutboundEmail, now: datetime, error: str | None) -> None:
    """Write the outcome of one attempt: sent, retrying later, or failed for good."""
    email.attempts += 1
    email.lease_until = None
    db.session.add(
        DeliveryAttempt(email_id=email.id, attempted_at=now, is_success=error is None, error=error)
    )
    if error is None:
        email.state = EmailState.SENT
        email.sent_at = now
        email.last_error = None
    else:
        email.last_error = error
        if email.attempts >= MAX_ATTEMPTS:
            email.state = EmailState.FAILED
        else:
            email.state = EmailState.RETRYING
            email.next_attempt_at = now + backoff(email.attempts)
    db.session.flush()


def requeue(email: OutboundEmail, *, actor: User, now: datetime | None = None) -> None:
    """An admin sends a failed (or retrying) message again now."""
    if email.state not in (EmailState.FAILED, EmailState.RETRYING):
        raise InvalidInput(_("Only failed or retrying messages can be sent again."))
    email.state = EmailState.QUEUED
    email.next_attempt_at = now or utcnow()
    db.session.flush()
    audit.record(actor, "outbound_email", email.id, "requeue", after={"to": email.to_address})
