"""Under load: concurrent writers wait instead of failing, conflicting edits are 409, a double
"Confirm" imports once, and concurrent wrong passwords cannot get past the lock.

These tests need data that other connections can see, so they build their own database (a
fresh SQLite file, or a fresh schema in the PostgreSQL test database) and commit for real.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy import func, select, text

from tests.conftest import (
    FAST_HASH,
    PASSWORD,
    IsolatedClient,
    approved_plan,
    csrf_token,
    database_url,
    make_test_app,
    soup_of,
)
from tracker.auth.models import LoginFailure, User
from tracker.core.permissions import Role
from tracker.extensions import db
from tracker.orgs.models import Organization, Unit
from tracker.plans import services as plans
from tracker.plans.models import Plan, PlanKind

SCHEMA = "concurrency_tests"


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app on its own committed database: SQLite file, or a PostgreSQL schema of its own."""
    tmp = tmp_path_factory.mktemp("live")
    url = database_url(tmp)
    overrides: dict[str, Any] = {"LOGIN_MAX_FAILURES": 5, "REPORTS_WORKER": "off"}
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine

        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        engine.dispose()
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "connect_args": {"options": f"-csearch_path={SCHEMA}"},
            "pool_size": 20,
        }
    else:
        url = f"sqlite:///{tmp / 'live.sqlite'}"
    app = make_test_app(url, tmp, **overrides)
    app.test_client_class = IsolatedClient
    with app.app_context():
        flask_migrate.upgrade()
        yield app
        db.session.remove()
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_world(live_app: Flask) -> dict[str, Any]:
    with live_app.app_context():
        organization = Organization(name="Live agency")
        unit = Unit(name="Бошқарма", organization=organization)
        db.session.add_all([organization, unit])
        db.session.flush()
        users = {}
        for role in (Role.CONTROLLER, Role.ADMIN, Role.VIEWER):
            user = User(
                email=f"{role.value}@live.uz",
                name=f"Live {role.value}",
                organization=organization,
                password_hash=FAST_HASH,
            )
            user.set_roles({role})
            db.session.add(user)
            users[role.value] = user
        writers = []
        for n in range(8):
            user = User(
                email=f"writer{n}@live.uz",
                name=f"Writer {n}",
                organization=organization,
                password_hash=FAST_HASH,
            )
            user.set_roles({Role.CONTROLLER})
            db.session.add(user)
            writers.append(user)
        plan = plans.create_plan(
            organization,
            plans.PlanData(
                kind=PlanKind.WORK_PLAN,
                title="Live plan",
                period_start=date(2024, 1, 1),
                period_end=date(2024, 12, 31),
            ),
            actor=None,
        )
        for n in range(1, 9):
            plans.add_measure(
                plan,
                plans.MeasureData(number=str(n), title=f"Measure {n}", deadline_text="2024 йил март"),
                actor=None,
            )
        db.session.commit()
        return {
            "users": {k: u.email for k, u in users.items()},
            "writers": [u.email for u in writers],
            "plan_id": plan.id,
            "measure_ids": [m.id for m in plan.measures],
        }


def _signed_in(app: Flask, email: str) -> Any:
    client = app.test_client()
    token = csrf_token(client)
    response = client.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def _all_at_once(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs in threads released together; their results in order (exceptions included)."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = jobs[index]()
        except Exception as error:  # noqa: BLE001 (reported by the assertion)
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def _edit_form(client: Any, measure_id: int) -> dict[str, str]:
    page = soup_of(client.get(f"/measures/{measure_id}/edit"))
    form = next(f for f in page.select("form[method=post]") if f.select_one("[name=title]"))
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[field["name"]] = chosen.get("value", "") if chosen else ""
        elif field.get("type") not in ("checkbox", "submit"):
            data[field["name"]] = field.get("value", "") if field.name != "textarea" else field.get_text()
    return data


def test_eight_concurrent_writers_all_succeed(live_app, live_world):
    clients = [_signed_in(live_app, email) for email in live_world["writers"]]
    forms = [_edit_form(c, m) for c, m in zip(clients, live_world["measure_ids"], strict=True)]

    def save(index: int) -> int:
        data = {**forms[index], "title": f"Measure {index + 1}, edited by writer {index}"}
        response = clients[index].post(f"/measures/{live_world['measure_ids'][index]}/edit", data=data)
        if response.status_code != 302:
            print(data, [e.get_text() for e in soup_of(response).select(".invalid-feedback, .alert")])
        return response.status_code

    statuses = _all_at_once([lambda i=i: save(i) for i in range(8)])
    assert statuses == [302] * 8
    with live_app.app_context():
        titles = db.session.scalars(select(Plan).where(Plan.id == live_world["plan_id"])).one().measures
        assert sum("edited by writer" in m.title for m in titles) == 8


def test_conflicting_edits_give_409_naming_who_saved_first(live_app, live_world):
    first, second = (_signed_in(live_app, live_world["users"][r]) for r in ("controller", "admin"))
    measure_id = live_world["measure_ids"][0]
    forms = [_edit_form(c, measure_id) for c in (first, second)]

    def save(client: Any, form: dict[str, str], title: str) -> Any:
        return client.post(f"/measures/{measure_id}/edit", data={**form, "title": title})

    responses = _all_at_once(
        [lambda: save(first, forms[0], "First title"), lambda: save(second, forms[1], "Second")]
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302, 409]
    refused = next(r for r in responses if r.status_code == 409)
    winner = "Live controller" if responses[0].status_code == 302 else "Live admin"
    assert winner in refused.get_data(as_text=True)


def test_a_double_confirm_imports_once(live_app, live_world, tmp_path):
    from tests.imports._import_docs import csv_bytes

    client = _signed_in(live_app, live_world["users"]["controller"])
    rows = [["№", "Чора-тадбирлар номи", "Ижро муддати"], ["1", "Бир марта", "2024 йил март"]]
    upload = client.post(
        "/plans/import",
        data={
            "csrf_token": csrf_token(client),
            "kind": "",
            "file": (io.BytesIO(csv_bytes(["ИШ РЕЖАСИ 2024"], rows)), "p.csv"),
        },
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302, [
        e.get_text() for e in soup_of(upload).select(".alert, .invalid-feedback")
    ]
    token = csrf_token(client)
    cookie = client.get_cookie("session")

    def confirm() -> Any:
        twin = live_app.test_client()
        twin.set_cookie("session", cookie.value)  # the same browser, clicking twice
        return twin.post("/plans/import/confirm", data={"csrf_token": token})

    responses = _all_at_once([confirm, confirm])
    assert [r.status_code for r in responses] == [302, 302]
    with live_app.app_context():
        assert (
            db.session.scalar(select(func.count()).select_from(Plan).where(Plan.title.contains("ИШ РЕЖАСИ")))
            == 1
        )
    targets = {r.headers["Location"] for r in responses}
    assert len(targets) == 1 and "/plans/" in targets.pop()  # both show the one plan


def test_forty_concurrent_wrong_passwords_hold_the_limit(live_app, live_world):
    email = live_world["users"]["viewer"]
    clients = [live_app.test_client() for _ in range(40)]
    tokens = [csrf_token(c) for c in clients]

    def guess(index: int) -> int:
        data = {"csrf_token": tokens[index], "email": email, "password": f"wrong-{index}"}
        return clients[index].post("/login", data=data).status_code

    statuses = _all_at_once([lambda i=i: guess(i) for i in range(40)])
    assert all(isinstance(s, int) for s in statuses), statuses
    assert statuses.count(200) == 5 and statuses.count(429) == 35, sorted(statuses)
    with live_app.app_context():
        assert db.session.scalar(select(func.count()).where(LoginFailure.email == email)) == 5
    refused = live_app.test_client()
    response = refused.post(
        "/login", data={"csrf_token": csrf_token(refused), "email": email, "password": PASSWORD}
    )
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0


def test_a_backlog_claimed_on_two_connections_is_claimed_once(live_app, monkeypatch):
    """The sweep claims a large backlog on two connections at once on PostgreSQL (one on SQLite):
    every reminder once, the count it reports is what the table holds, and the next sweep finds
    nothing left to claim."""
    from tests.reminders.conftest import at
    from tracker.reminders import jobs
    from tracker.reminders import sweep as reminder_sweep
    from tracker.reminders.models import Reminder

    monkeypatch.setitem(live_app.config, "REMINDER_CLAIM_CONNECTIONS", 2)
    monkeypatch.setattr(reminder_sweep, "CLAIM_BATCH", 3)  # 36 claims: twelve batches
    with live_app.app_context():
        organization = Organization(name="Backlog agency")
        unit = Unit(name="Ижро бўлими", organization=organization)
        people = [
            User(
                email=f"{name}@backlog.uz",
                name=name,
                organization=organization,
                unit=unit,
                password_hash=FAST_HASH,
            )
            for name in ("ijrochi", "boshliq", "yordamchi")
        ]
        for person, role in zip(people, (Role.EXECUTOR, Role.UNIT_HEAD, Role.EXECUTOR), strict=True):
            person.set_roles({role})
        director = User(
            email="direktor@backlog.uz", name="Direktor", organization=organization, password_hash=FAST_HASH
        )
        director.set_roles({Role.DIRECTOR})
        db.session.add_all([organization, unit, *people, director])
        db.session.flush()
        measures = [
            plans.MeasureData(
                number=str(n), title=f"Тадбир {n}", deadline_text="15.03.2024", lead_unit_id=unit.id
            )
            for n in range(1, 13)
        ]
        plan = approved_plan(organization, director, measures, title="Backlog")
        db.session.commit()
        measure_ids = [m.id for m in plan.measures]
        expected_connections = 2 if db.session.get_bind().dialect.name == "postgresql" else 1
        assert jobs.claim_connections() == expected_connections

        first = jobs.sweep(at("2024-03-15", 0, 5), deliver=False)
        db.session.remove()
        keys = db.session.execute(
            select(Reminder.recipient_id, Reminder.item_key, Reminder.kind, Reminder.offset_days).where(
                Reminder.measure_id.in_(measure_ids), Reminder.event_id.is_(None)
            )
        ).all()
        assert first.due == first.claimed == len(keys) == 36  # twelve measures, three people each
        assert len(set(keys)) == 36
        assert jobs.sweep(at("2024-03-15", 0, 20), deliver=False).claimed == 0
