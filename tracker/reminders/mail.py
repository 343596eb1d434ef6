"""Handing one message to the SMTP server configured from the environment (MAIL_*)."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from flask import current_app

from tracker.core.time import utcnow
from tracker.reminders.models import OutboundEmail

logger = logging.getLogger(__name__)

#: Seconds to wait for the SMTP server before the attempt counts as failed.
SMTP_TIMEOUT = 15


def build_message(email: OutboundEmail) -> EmailMessage:
    """A multipart/alternative message: the plain-text part first, then the HTML part."""
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = email.subject
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = (
        formataddr((email.recipient.name, email.to_address)) if email.recipient else email.to_address
    )
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(idstring=f"tracker-{email.id}")
    # Lets the receiving side drop a duplicate should a crash ever make us resend.
    message["X-Tracker-Message"] = email.key
    message.set_content(email.body_text)
    message.add_alternative(email.body_html, subtype="html")
    return message


def send(email: OutboundEmail) -> None:
    """Deliver one message. Raises :class:`OSError` or :class:`smtplib.SMTPException` on failure."""
    config = current_app.config
    message = build_message(email)
    with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=SMTP_TIMEOUT) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
