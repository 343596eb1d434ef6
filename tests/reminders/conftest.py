"""Reminder fixtures: an organization with units and people, a real SMTP server on loopback."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tracker.auth.models import User
from tracker.core.permissions import Role
from tracker.core.time import TASHKENT
from tracker.orgs.models import Unit
from tracker.reminders.models import Reminder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """Collects what the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd API)
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in m["To"]]


class SmtpServer:
    """aiosmtpd on a free loopback port; can be stopped and started again on the same port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_port(app: Any) -> Iterator[int]:
    """The app's mail settings point at a free loopback port (nothing listening yet)."""
    port = free_port()
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_USERNAME=None)
    yield port
    app.config.update(saved)


@pytest.fixture
def smtp(smtp_port: int) -> Iterator[SmtpServer]:
    server = SmtpServer(smtp_port)
    server.start()
    yield server
    server.stop()


def at(day: str, hour: int = 9, minute: int = 0) -> datetime:
    """A moment in Tashkent, e.g. at("2024-03-15") → 09:00 that day."""
    return datetime.combine(datetime.fromisoformat(day).date(), time(hour, minute), tzinfo=TASHKENT)


@dataclass
class People:
    lead: Unit
    co: Unit
    other: Unit
    executor: User
    head: User
    co_executor: User
    other_executor: User
    viewer: User
    controller: User
    director: User
    admin: User


@pytest.fixture
def people(db: Any, make_unit: Callable[..., Unit], make_user: Callable[..., User]) -> People:
    lead = make_unit("Тизимли таҳлил бўлими")
    co = make_unit("Молия бошқармаси")
    other = make_unit("Ҳуқуқ бўлими")
    return People(
        lead=lead,
        co=co,
        other=other,
        executor=make_user(
            Role.EXECUTOR, unit=lead, email="executor@example.uz", name="Ижрочи", locale="uz_Cyrl"
        ),
        head=make_user(Role.UNIT_HEAD, unit=lead, email="head@example.uz", name="Бошлиқ", locale="ru"),
        co_executor=make_user(Role.EXECUTOR, unit=co, email="co@example.uz", name="Co Executor", locale="en"),
        other_executor=make_user(Role.EXECUTOR, unit=other, email="other@example.uz"),
        viewer=make_user(Role.VIEWER, unit=lead, email="viewer@example.uz"),
        controller=make_user(Role.CONTROLLER, email="controller@example.uz", locale="uz_Latn"),
        director=make_user(Role.DIRECTOR, email="director@example.uz", name="Director", locale="en"),
        admin=make_user(Role.ADMIN, email="admin@example.uz", locale="en"),
    )


def claims(db: Any) -> list[tuple[str, str, str, int, str]]:
    """Every reminder as (recipient e-mail, item key, kind, offset, send day), in order."""
    rows = db.session.execute(
        select(User.email, Reminder.item_key, Reminder.kind, Reminder.offset_days, Reminder.send_on)
        .join(User, User.id == Reminder.recipient_id)
        .where(Reminder.event_id.is_(None))  # reminders only, not workflow events
        .order_by(Reminder.send_on, Reminder.kind, Reminder.offset_days, User.email, Reminder.item_key)
    )
    return [(email, key, kind, offset, day.isoformat()) for email, key, kind, offset, day in rows]
