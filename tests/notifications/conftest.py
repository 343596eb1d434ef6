"""Hand-over fixtures: people in four languages, a real SMTP server, one client per person."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import login
from tests.reminders.conftest import smtp, smtp_port  # noqa: F401  (the real SMTP server fixtures)
from tracker.auth.models import User
from tracker.core.permissions import Role
from tracker.notifications.models import EmailTiming, Notification, NotificationSetting
from tracker.orgs.models import Unit
from tracker.plans.models import Plan

TITLE = "Миллий маъруза тайёрлаш"


@dataclass
class Office:
    department: Unit
    executor: User  # uz_Cyrl, e-mail at once
    head: User  # ru, daily digest (the default)
    controller: User  # uz_Latn, e-mail at once
    quiet_controller: User  # en, e-mail never
    director: User  # en, e-mail at once
    plan: Plan


def choose(db: Any, user: User, timing: EmailTiming | None) -> None:
    if timing is None:
        user.wants_email = False
    else:
        db.session.add(NotificationSetting(user_id=user.id, email_timing=timing))
    db.session.flush()


@pytest.fixture
def office(db: Any, make_unit: Callable[..., Unit], make_user: Callable[..., User], make_plan: Any) -> Office:
    department = make_unit("Тизимли таҳлил бўлими")
    people = {
        "executor": make_user(
            Role.EXECUTOR, unit=department, email="executor@example.uz", name="Ижрочи Али", locale="uz_Cyrl"
        ),
        "head": make_user(
            Role.UNIT_HEAD, unit=department, email="head@example.uz", name="Бошлиқ Вали", locale="ru"
        ),
        "controller": make_user(
            Role.CONTROLLER, email="controller@example.uz", name="Nazoratchi Sobir", locale="uz_Latn"
        ),
        "quiet_controller": make_user(
            Role.CONTROLLER, email="quiet@example.uz", name="Quiet Controller", locale="en"
        ),
        "director": make_user(
            Role.DIRECTOR, email="director@example.uz", name="Director Karimov", locale="en"
        ),
    }
    plan = make_plan(measures=[{"number": "1", "title": TITLE, "lead_unit_id": department.id}])
    # Chosen after the plan's approval, so that its notifications wait for the digest.
    choose(db, people["executor"], EmailTiming.IMMEDIATE)
    choose(db, people["controller"], EmailTiming.IMMEDIATE)
    choose(db, people["quiet_controller"], None)
    choose(db, people["director"], EmailTiming.IMMEDIATE)
    db.session.commit()
    return Office(department=department, plan=plan, **people)


@pytest.fixture
def client_of(app: Any, db: Any) -> Callable[[User], Any]:
    clients: dict[int, Any] = {}

    def get(user: User) -> Any:
        if user.id not in clients:
            clients[user.id] = app.test_client()
            login(clients[user.id], user)
        return clients[user.id]

    return get


def inbox_of(db: Any, user: User, kind: str | None = None) -> list[Notification]:
    query = select(Notification).where(
        Notification.recipient_id == user.id, Notification.event_id.is_not(None)
    )
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query.order_by(Notification.id)))


def mail_to(smtp_server: Any, address: str) -> list[Message]:
    return smtp_server.inbox.to(address)


def text_of(message: Message) -> str:
    part = message.get_body(preferencelist=("plain",)) if hasattr(message, "get_body") else None
    if part is None:
        for candidate in message.walk():
            if candidate.get_content_type() == "text/plain":
                return candidate.get_payload(decode=True).decode()
        return ""
    return part.get_payload(decode=True).decode()
