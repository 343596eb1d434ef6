"""E-mail for people who chose "immediately": queued with the change, sent after the commit.

:func:`queue_immediate` writes the message into the outbox (``outbound_emails``, key
``notification:<id>``) inside the transaction that records the event, so a rolled-back change
sends nothing. Once the request's transaction commits, the message ids are handed to the
response: after the response is sent, the same worker delivers exactly those messages with the
outbox's lease (a scheduler's delivery run may race it; the lease lets only one of them send).
Whatever is not delivered then (SMTP down) is retried by the scheduler's delivery job.

``NOTIFICATIONS_DELIVERY``: ``after_response`` (default) or ``off`` (leave it to the scheduler).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from tracker.extensions import db
from tracker.notifications.links import link_of
from tracker.notifications.models import Notification
from tracker.notifications.text import describe, reader_script

logger = logging.getLogger(__name__)

#: session.info keys: ids queued in the open transaction / committed and not yet handed over.
PENDING = "tracker_outbox_pending"
COMMITTED = "tracker_outbox_committed"


def _claim_key(notification: Notification) -> str:
    return f"notification:{notification.id}"


def render_notification_email(notification: Notification) -> tuple[str, str, str]:
    """Subject, text and HTML of one notification, in the recipient's language and script."""
    from tracker.core.i18n import DEFAULT_LOCALE

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    user = notification.recipient
    base_url = app.config.get("TRACKER_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    locale = user.locale or app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    with app.test_request_context("/", base_url=base_url), force_locale(locale):
        said = describe(notification, reader_script(locale))
        context: dict[str, Any] = {
            "user": user,
            "said": said,
            "kind_label": str(notification.kind_label),
            "url": base_url + link_of(notification),
            "notifications_url": base_url + "/notifications",
            "html_lang": locale.replace("_", "-"),
        }
        subject = _("Plan tracker: %(what)s", what=str(notification.kind_label))
        if said.item:
            subject += " — " + said.item.split(".")[0]
        text = render_template("notifications/email/notification.txt", subject=subject, **context)
        html = render_template("notifications/email/notification.html", subject=subject, **context)
    return subject[:300], text, html


def queue_immediate(notification: Notification, now: datetime) -> int:
    """Put one notification's e-mail into the outbox (flushed, not sent). Returns the message id."""
    from tracker.reminders.models import EmailKind, EmailState, OutboundEmail

    user = notification.recipient
    subject, text, html = render_notification_email(notification)
    email = OutboundEmail(
        organization_id=notification.organization_id,
        recipient_id=user.id,
        kind=EmailKind.NOTIFICATION,
        key=_claim_key(notification),
        to_address=user.email,
        subject=subject,
        body_text=text,
        body_html=html,
        state=EmailState.QUEUED,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    db.session.add(email)
    db.session.flush()
    notification.email_id = email.id
    db.session.info.setdefault(PENDING, []).append(email.id)
    return email.id


def _after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if pending:
        session.info.setdefault(COMMITTED, []).extend(pending)


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


def deliver_now(ids: list[int]) -> None:
    """Send the given queued messages (inside an app context); failures wait for the retry job."""
    from tracker.reminders.jobs import deliver_outbox

    try:
        result = deliver_outbox(ids=ids)
        logger.info("immediate e-mail: %s sent, %s failed", result.sent, result.failed)
    except Exception:  # the messages stay queued; the scheduler's delivery job sends them
        logger.exception("immediate e-mail delivery failed; the scheduler will retry")
        db.session.rollback()


def init_app(app: Flask) -> None:
    """Hook the session (what was committed) and the response (send after it)."""
    if not getattr(Session, "_tracker_outbox_hooked", False):
        sa_event.listen(Session, "after_commit", _after_commit)
        sa_event.listen(Session, "after_rollback", _after_rollback)
        Session._tracker_outbox_hooked = True  # type: ignore[attr-defined]

    @app.after_request
    def _send_after_response(response: Any) -> Any:
        ids = db.session.info.pop(COMMITTED, None)
        if not ids or app.config.get("NOTIFICATIONS_DELIVERY", "after_response") == "off":
            return response

        def send() -> None:
            with app.app_context():
                deliver_now(ids)

        response.call_on_close(send)
        return response
