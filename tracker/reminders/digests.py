"""The daily digest: one e-mail per recipient with their reminders and workflow events, once a day.

A digest exists once its outbox row is inserted under its key, and a reminder joins one digest
only (``UPDATE … WHERE email_id IS NULL``), so a second run the same day sends nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask_babel import ngettext
from sqlalchemy import delete, select, update

from tracker.extensions import db
from tracker.notifications.items import ItemsInForce
from tracker.reminders.models import EmailKind, OutboundEmail, Reminder, ReminderKind
from tracker.reminders.outbox import claim_outbox_row
from tracker.reminders.policy import CATCH_UP_DAYS, local_today
from tracker.reminders.wording import (
    KIND_SECTIONS,
    describe,
    item_view,
    items_for,
    render_email,
    section_titles,
)

if TYPE_CHECKING:
    from tracker.auth.models import User


def digest_key(today: date, user_id: int) -> str:
    return f"digest:{today.isoformat()}:{user_id}"


def pending_digests(now: datetime) -> dict[int, list[int]]:
    """Reminder ids not yet e-mailed, per recipient who wants e-mail (one query)."""
    from tracker.auth.models import User

    today = local_today(now)
    grouped: dict[int, list[int]] = defaultdict(list)
    for reminder_id, user_id in db.session.execute(
        select(Reminder.id, Reminder.recipient_id)
        .join(User, User.id == Reminder.recipient_id)
        .where(
            Reminder.email_id.is_(None),
            Reminder.send_on >= today - timedelta(days=CATCH_UP_DAYS),
            Reminder.created_at <= now,
            User.is_active,
            User.wants_email,
        )
        .order_by(Reminder.recipient_id, Reminder.id)
    ):
        grouped[user_id].append(reminder_id)
    return grouped


def queue_digest(user: User, reminder_ids: list[int], now: datetime) -> OutboundEmail | None:
    """Claim today's digest for ``user`` and the reminders it carries; None when there is nothing.

    A second run the same day finds the key taken and queues nothing; a reminder already carried
    by another digest is left out, and a digest left with nothing is not queued (never empty).
    """
    today = local_today(now)
    email_id = claim_outbox_row(user, EmailKind.DIGEST, digest_key(today, user.id), now)
    if email_id is None:
        return None
    taken = list(
        db.session.scalars(
            update(Reminder)
            .where(Reminder.id.in_(reminder_ids), Reminder.email_id.is_(None))
            .values(email_id=email_id)
            .returning(Reminder.id)
        )
    )
    if not taken:
        db.session.execute(delete(OutboundEmail).where(OutboundEmail.id == email_id))
        return None
    email = db.session.get(OutboundEmail, email_id)
    assert email is not None
    reminders = list(
        db.session.scalars(select(Reminder).where(Reminder.id.in_(taken)).order_by(Reminder.occurrence_on))
    )
    email.subject, email.body_text, email.body_html = render_digest(user, reminders, today)
    db.session.flush()
    return email


def event_view(notification: Reminder, base_url: str, items: ItemsInForce) -> dict[str, Any]:
    """A workflow event in the digest: what happened, and the item or plan it concerns."""
    from tracker.notifications.links import link_of
    from tracker.notifications.text import describe as describe_notification

    said = describe_notification(notification, items.script, items=items)
    return {
        "plan": said.plan,
        "event": said.headline,
        "item": said.item,
        "unit": said.unit,
        "url": base_url + link_of(notification),
    }


def render_digest(user: User, reminders: list[Reminder], today: date) -> tuple[str, str, str]:
    def build(base_url: str) -> dict[str, Any]:
        titles = section_titles()
        sections: dict[str, list[dict[str, Any]]] = {key: [] for key in titles}
        items = items_for([(r.measure, r.step) for r in reminders if r.measure is not None], today)
        for reminder in reminders:
            if reminder.event_id is not None:
                sections["events"].append(event_view(reminder, base_url, items))
                continue
            # Reminders of a deadline always name its occurrence; only workflow events have none.
            occurrence = reminder.occurrence_on or today
            text = describe(reminder.kind, occurrence, today)
            sections[KIND_SECTIONS[ReminderKind(reminder.kind)]].append(
                item_view(items, reminder.measure, reminder.step, occurrence, text, base_url)
            )
        count = len(reminders)
        return {
            "subject": ngettext("Plan tracker: %(num)s reminder", "Plan tracker: %(num)s reminders", count),
            "sections": [(titles[key], items) for key, items in sections.items() if items],
            "count": count,
            "notifications_url": base_url + "/notifications",
        }

    return render_email(user, "digest", build)
