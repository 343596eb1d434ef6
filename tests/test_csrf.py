"""CSRF protection stays on in tests and refuses every state-changing POST without a valid token:
forms, the language switch and session-authenticated API calls; token-authenticated API calls need none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token, login, post_form, reload
from tracker.auth.models import LoginFailure, User
from tracker.auth.services import create_api_token
from tracker.core.i18n import SESSION_KEY
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.execution.models import StatusUpdate
from tracker.orgs.models import Unit
from tracker.plans.models import Measure, Plan, PlanState


@dataclass
class Setup:
    unit: Unit
    plan: Plan
    measure: Measure
    in_review: Plan


@pytest.fixture
def setup(db: Any, make_unit: Callable[..., Unit], make_plan: Callable[..., Plan]) -> Setup:
    unit = make_unit("Стратегия бошқармаси")
    plan = make_plan(measures=[{"number": "1", "title": "Миллий маъруза", "lead_unit_id": unit.id}])
    in_review = make_plan(title="Awaiting approval", state=PlanState.IN_REVIEW)
    db.session.commit()  # only releases a savepoint
    return Setup(unit=unit, plan=plan, measure=plan.measures[0], in_review=in_review)


def database_rows(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    db.session.flush()
    return {
        table.name: sorted((tuple(row) for row in db.session.execute(table.select())), key=repr)
        for table in db.metadata.sorted_tables
    }


def count(db: Any, model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_csrf_protection_is_not_switched_off_for_tests(app):
    assert app.config.get("WTF_CSRF_ENABLED", True) is not False
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True) is not False


def test_login_without_token_is_refused_and_signs_nobody_in(client, db, make_user):
    user = make_user(Role.EXECUTOR)
    db.session.commit()

    response = client.post("/login", data={"email": user.email, "password": "password123"})

    assert response.status_code == 400
    assert count(db, LoginFailure) == 0
    assert client.get("/plans").status_code == 302  # still anonymous


def test_status_update_without_token_is_refused_and_stores_nothing(client, db, setup, make_user):
    login(client, make_user(Role.EXECUTOR, unit=setup.unit))
    before = database_rows(db)

    response = client.post(
        f"/measures/{setup.measure.id}/status", data={"status": "in_progress", "note": "Бошланди"}
    )

    assert response.status_code == 400
    assert database_rows(db) == before
    assert reload(setup.measure).status == Status.NOT_STARTED


def test_plan_approval_without_token_is_refused_and_the_plan_stays_in_review(client, db, setup, make_user):
    login(client, make_user(Role.DIRECTOR))
    before = database_rows(db)

    response = client.post(
        f"/plans/{setup.in_review.id}/approve",
        data={"name": "А. Бурханов", "position": "Директор", "approval_date": "04.01.2024"},
    )

    assert response.status_code == 400
    assert database_rows(db) == before
    assert reload(setup.in_review).state == PlanState.IN_REVIEW


def test_language_switch_without_token_is_refused_for_anonymous_users(client):
    response = client.post("/language/ru", data={"next": "/login"})

    assert response.status_code == 400
    with client.session_transaction() as session:
        assert SESSION_KEY not in session


def test_language_switch_without_token_is_refused_and_keeps_the_users_language(client, db, make_user):
    user = make_user(Role.VIEWER, locale="en")
    login(client, user)
    before = database_rows(db)

    response = client.post("/language/ru", data={"next": "/plans"})

    assert response.status_code == 400
    assert database_rows(db) == before
    assert reload(user).locale == "en"
    with client.session_transaction() as session:
        assert session.get(SESSION_KEY) != "ru"


def test_language_switch_with_token_works(client, db, make_user):
    """The positive control for the two tests above."""
    user = make_user(Role.VIEWER, locale="en")
    login(client, user)

    response = post_form(client, "/language/ru", {"next": "/plans"})

    assert response.status_code == 302
    assert reload(user).locale == "ru"


def test_admin_user_creation_without_token_is_refused(client, db, make_user):
    login(client, make_user(Role.ADMIN))
    users_before = count(db, User)
    before = database_rows(db)

    response = client.post(
        "/admin/users/new",
        data={
            "email": "intruder@example.uz",
            "name": "Intruder",
            "unit_id": "0",
            "roles": ["admin"],
            "locale": "",
            "is_active": "y",
            "password": "a-long-password",
        },
    )

    assert response.status_code == 400
    assert count(db, User) == users_before
    assert db.session.scalar(select(User).where(User.email == "intruder@example.uz")) is None
    assert database_rows(db) == before


def test_logout_without_token_is_refused_and_keeps_the_session(client, make_user):
    login(client, make_user(Role.VIEWER))

    assert client.post("/logout").status_code == 400
    assert client.get("/plans").status_code == 200


def test_token_from_another_session_is_refused(app, client, db, setup, make_user):
    login(client, make_user(Role.EXECUTOR, unit=setup.unit))
    stranger = app.test_client()
    foreign_token = csrf_token(stranger)
    own_token = csrf_token(client)
    assert foreign_token != own_token
    before = database_rows(db)

    response = client.post(
        f"/measures/{setup.measure.id}/status",
        data={"csrf_token": foreign_token, "status": "in_progress", "note": "Бошланди"},
    )

    assert response.status_code == 400
    assert database_rows(db) == before


def test_token_from_another_session_cannot_sign_in(app, client, db, make_user):
    user = make_user(Role.VIEWER)
    db.session.commit()
    foreign_token = csrf_token(app.test_client())

    response = client.post(
        "/login", data={"csrf_token": foreign_token, "email": user.email, "password": "password123"}
    )

    assert response.status_code == 400
    assert client.get("/plans").status_code == 302


# -- the API ------------------------------------------------------------------------------------


def test_session_api_post_needs_the_csrf_header(client, db, setup, make_user):
    login(client, make_user(Role.EXECUTOR, unit=setup.unit))
    url = f"/api/v1/measures/{setup.measure.id}/status"
    payload = {"status": "in_progress", "note": "Бошланди"}
    before = database_rows(db)

    refused = client.post(url, json=payload)

    assert refused.status_code == 400
    assert refused.is_json and refused.get_json()["error"]["code"] == 400
    assert database_rows(db) == before

    accepted = client.post(url, json=payload, headers={"X-CSRFToken": csrf_token(client)})

    assert accepted.status_code == 201, accepted.get_json()
    assert reload(setup.measure).status == Status.IN_PROGRESS


def test_session_api_post_with_a_token_from_another_session_is_refused(app, client, db, setup, make_user):
    login(client, make_user(Role.EXECUTOR, unit=setup.unit))
    before = database_rows(db)

    response = client.post(
        f"/api/v1/measures/{setup.measure.id}/status",
        json={"status": "in_progress", "note": "Бошланди"},
        headers={"X-CSRFToken": csrf_token(app.test_client())},
    )

    assert response.status_code == 400
    assert database_rows(db) == before


def test_bearer_token_api_post_needs_no_csrf_token(app, db, setup, make_user):
    user = make_user(Role.EXECUTOR, unit=setup.unit)
    _row, token = create_api_token(user, "script", actor=user)
    db.session.flush()
    client = app.test_client()  # no cookie, no CSRF token: a script

    response = client.post(
        f"/api/v1/measures/{setup.measure.id}/status",
        json={"status": "in_progress", "note": "Бошланди"},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 201, response.get_json()
    assert reload(setup.measure).status == Status.IN_PROGRESS
    assert count(db, StatusUpdate) == 1


def test_bogus_bearer_header_does_not_let_a_session_skip_csrf(client, db, setup, make_user):
    """A signed-in browser session that adds "Authorization: Bearer <junk>" is still a session request:
    it must send the CSRF token (400) or be refused as an unknown token (401), never accepted."""
    login(client, make_user(Role.EXECUTOR, unit=setup.unit))
    before = database_rows(db)

    response = client.post(
        f"/api/v1/measures/{setup.measure.id}/status",
        json={"status": "in_progress", "note": "Бошланди"},
        headers={"Authorization": "Bearer not-a-real-token"},
    )

    assert response.status_code in (400, 401), response.get_json()
    assert database_rows(db) == before


def test_bearer_token_beside_a_session_cookie_acts_as_the_token_owner(app, client, db, setup, make_user):
    """A valid token alone decides who the caller is, even when a browser session is also present."""
    token_owner = make_user(Role.EXECUTOR, unit=setup.unit)
    _row, token = create_api_token(token_owner, "script", actor=token_owner)
    login(client, make_user(Role.EXECUTOR, unit=setup.unit))

    response = client.post(
        f"/api/v1/measures/{setup.measure.id}/status",
        json={"status": "in_progress", "note": "Бошланди"},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 201, response.get_json()
    update = db.session.scalar(select(StatusUpdate))
    assert update.author_id == token_owner.id
