"""The periodic work, each job safe to run twice at once: it claims rows before acting.

Jobs are the edge: they commit after each claimed batch or message, and e-mail goes out only
after the commit that queued it. ``now`` is passed in (``--now`` on the command line), so tests
and operators control time without waiting for it.
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import ParamSpec, TypeVar

from flask import current_app
from sqlalchemy import select

from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.reminders import digests, mail, outbox, weekly
from tracker.reminders import sweep as reminder_sweep
from tracker.reminders.models import OutboundEmail
from tracker.reminders.policy import local_today

logger = logging.getLogger(__name__)
T = TypeVar("T")
P = ParamSpec("P")


def _committed(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """What ``work(*args)`` gives, in a transaction of its own: one batch or message's failure leaves
    the ones already committed in place."""
    try:
        outcome = work(*args, **kwargs)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return outcome


def _delivered(now: datetime) -> tuple[int, int]:
    """The outbox delivered now: how many messages were sent, how many failed."""
    delivered = deliver_outbox(now)
    return delivered.sent, delivered.failed


@dataclass
class SweepResult:
    open_items: int = 0
    due: int = 0
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    #: Seconds spent reading the open items and working out what is due, and inserting the claims
    #: (the database's part: ~10 of a first national sweep's ~13 s on two cores, docs/reminders.md).
    finding_seconds: float = 0.0
    claiming_seconds: float = 0.0


def sweep(now: datetime | None = None, *, deliver: bool = True) -> SweepResult:
    """One reminder sweep: claim what is due (in-app at once), then deliver the outbox."""
    now = now or utcnow()
    started = time.perf_counter()
    found = reminder_sweep.find_due_reminders(now)
    result = SweepResult(open_items=found.open_items, due=len(found.rows))
    found_at = time.perf_counter()
    result.claimed = _claim(found.rows, now)
    result.finding_seconds, result.claiming_seconds = found_at - started, time.perf_counter() - found_at
    logger.info(
        "reminder sweep %s: %s open items, %s due, %s claimed (finding %.2f s, claiming %.2f s)",
        now.isoformat(),
        result.open_items,
        result.due,
        result.claimed,
        result.finding_seconds,
        result.claiming_seconds,
    )
    if deliver:
        result.sent, result.failed = _delivered(now)
    return result


def claim_connections() -> int:
    """How many database connections claim a large backlog at once (``REMINDER_CLAIM_CONNECTIONS``).

    One on SQLite (one writer at a time) and under tests (whose session holds one connection).
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return 1
    configured = current_app.config.get("REMINDER_CLAIM_CONNECTIONS", 1 if current_app.testing else 2)
    return max(1, int(configured))


def _claim(rows: list[reminder_sweep.Claim], now: datetime) -> int:
    """Claim ``rows`` in batches of CLAIM_BATCH, each batch its own transaction; how many were new.

    PostgreSQL spends most of a large claim checking the seven foreign keys and filling the
    indexes of each row, on one core per connection: with two connections, the first national
    sweep (496,000 claims) claims in ~10 s instead of ~14.5 (bench/scale.py). Exactly once
    still rests on the claim key: batches hold different keys, and a concurrent sweep's equal key
    waits for, then yields to, the first insert.
    """
    batch = reminder_sweep.CLAIM_BATCH
    batches = [rows[start : start + batch] for start in range(0, len(rows), batch)]
    connections = min(claim_connections(), len(batches))
    if connections <= 1:
        return sum(len(_committed(reminder_sweep.claim_reminders, rows, now)) for rows in batches)
    db.session.commit()  # what the sweep read is over; each batch is a transaction of its own
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def claim_batch(rows: list[reminder_sweep.Claim]) -> int:
        with app.app_context():  # a session (and connection) of this thread's own
            try:
                return len(_committed(reminder_sweep.claim_reminders, rows, now))
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=connections, thread_name_prefix="reminder-claims") as pool:
        return sum(pool.map(claim_batch, batches))


@dataclass
class DigestResult:
    queued: int = 0
    sent: int = 0
    failed: int = 0


def daily_digest(now: datetime | None = None) -> DigestResult:
    """The 09:00 digest: today's reminders first, then one e-mail per recipient, then delivery."""
    from tracker.auth.models import User

    now = now or utcnow()
    sweep(now, deliver=False)
    result = DigestResult()
    pending = digests.pending_digests(now)
    for user_id, reminder_ids in pending.items():
        user = db.session.get(User, user_id)
        if user is None:
            continue
        if _committed(digests.queue_digest, user, reminder_ids, now) is not None:
            result.queued += 1
    result.sent, result.failed = _delivered(now)
    return result


def weekly_summary(now: datetime | None = None) -> DigestResult:
    """Monday's summary for directors: their organization's overdue items, never sent empty."""
    now = now or utcnow()
    today = local_today(now)
    result = DigestResult()
    overdue_by_org: dict[int, list] = {}
    for user in weekly.weekly_recipients():
        if user.organization_id not in overdue_by_org:
            overdue_by_org[user.organization_id] = weekly.overdue_items(user.organization_id, today)
        overdue = overdue_by_org[user.organization_id]
        if _committed(weekly.queue_weekly_summary, user, now, overdue) is not None:
            result.queued += 1
    result.sent, result.failed = _delivered(now)
    return result


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0


def deliver_outbox(
    now: datetime | None = None, *, batch: int = 50, ids: list[int] | None = None
) -> DeliveryResult:
    """Send every message due for an attempt (or only the messages ``ids``); failures wait with
    backoff. Safe to run concurrently: each message is leased before it is sent."""
    now = now or utcnow()
    result = DeliveryResult()
    while True:
        claimed = outbox.claim_deliveries(now, batch, only=ids)
        db.session.commit()  # the lease is visible before anything goes out
        if not claimed:
            return result
        emails = db.session.scalars(
            select(OutboundEmail).where(OutboundEmail.id.in_(claimed)).order_by(OutboundEmail.id)
        ).all()
        for email in emails:
            error: str | None = None
            try:
                mail.send(email)
            except (OSError, smtplib.SMTPException) as exc:
                error = f"{type(exc).__name__}: {exc}"[:2000]
                logger.warning("e-mail %s to %s not delivered: %s", email.id, email.to_address, error)
            outbox.record_attempt(email, now, error)
            db.session.commit()
            if error is None:
                result.sent += 1
            else:
                result.failed += 1
        if len(claimed) < batch or ids is not None:
            return result
