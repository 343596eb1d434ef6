"""Pages that list notifications of many plans read the items in force in a fixed number of
queries: the director's inbox, /notifications and the API list take as many statements for
escalations in one plan as in four, and name every item as in force."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import event

from tests.conftest import login, post_form, soup_of
from tracker.auth.services import create_api_token
from tracker.core.time import today, utcnow
from tracker.extensions import db as _db
from tracker.notifications.models import Notification, NotificationKind
from tracker.reminders import jobs
from tracker.uzbek import to_latin


def _escalate(db, office, plan) -> None:
    for measure in plan.measures:
        db.session.add(
            Notification(
                organization_id=plan.organization_id,
                recipient_id=office.director.id,
                kind=NotificationKind.ESCALATION_DIRECTOR,
                plan_id=plan.id,
                measure_id=measure.id,
                item_key=f"m{measure.id}",
                occurrence_on=today() - timedelta(days=10),
                offset_days=7,
                send_on=today(),
                created_at=utcnow(),
            )
        )
    db.session.commit()
    jobs.deliver_outbox()  # the plans' own hand-over e-mails, out of the way of the count


def _statements(client, url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    seen: list[str] = []

    def count(conn, cursor, statement, *args):  # noqa: ANN001, ANN002
        seen.append(statement)

    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url, headers=headers or {})
    finally:
        event.remove(_db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(seen), response.get_data(as_text=True)


def _plan(make_plan, office, n: int, size: int):
    return make_plan(
        title=f"Режа {n}",
        measures=[
            {
                "number": str(i),
                "title": f"Тадбир {n}-{i}",
                "lead_unit_id": office.department.id,
                "added_on": date(2024, 1, 1),
            }
            for i in range(1, size + 1)
        ],
    )


def test_escalations_of_one_plan_or_four_take_the_same_statements(app, db, client, office, make_plan, smtp):
    _escalate(db, office, _plan(make_plan, office, 1, 1))
    login(client, office.director)
    token = create_api_token(office.director, "bot", actor=office.director)[1]
    db.session.commit()
    api = {"Authorization": f"Bearer {token}"}
    pages = ("/inbox", "/notifications", "/api/v1/notifications")

    def measure_all():
        return {url: _statements(client, url, api if url.startswith("/api") else None) for url in pages}

    measure_all()  # warm the caches of the first request
    few = measure_all()
    for n in range(2, 5):
        _escalate(db, office, _plan(make_plan, office, n, 2))
    measure_all()  # the first request after the set-up hands its committed e-mails over
    many = measure_all()
    assert {u: c for u, (c, _t) in many.items()} == {u: c for u, (c, _t) in few.items()}
    inbox = soup_of(client.get("/inbox")).get_text(" ")
    for n in range(2, 5):
        assert to_latin(f"Тадбир {n}-2") in inbox  # each one named, in the director's (Latin) script
    assert to_latin("Тадбир 4-1") in many["/notifications"][1]
    listed = json.loads(many["/api/v1/notifications"][1])["notifications"]
    assert any(to_latin("Тадбир 4-1") in n["text"] for n in listed)
    post_form(client, "/logout")
