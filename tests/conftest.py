"""Fixtures: a real database built by the migrations, each test inside a rolled-back transaction.

The database is SQLite in a temporary folder, or PostgreSQL when TRACKER_TEST_DATABASE_URL is
set (``.ci/run`` sets it). CSRF stays on: tests post forms with the token, as a browser does.
"""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import scoped_session, sessionmaker
from werkzeug.security import generate_password_hash

from config import normalise_database_url
from tests import api_contract
from tracker import create_app
from tracker.auth.models import User
from tracker.core.permissions import Role
from tracker.extensions import db as _db
from tracker.orgs.models import Organization, Unit
from tracker.plans import services as plan_services
from tracker.plans.models import Measure, Plan, PlanKind, PlanState

# The property tests draw the same examples on every run, so a run passes or fails for the code,
# never for its seed (CI once could have failed on "ЛВ", read back as the Roman numeral LV). To
# search further: HYPOTHESIS_PROFILE=explore (random examples, failures kept in .hypothesis/).
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

PASSWORD = "password123"
#: Tests need not wait for scrypt; production hashes use Werkzeug's default.
FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def database_url(tmp_dir: Path) -> str:
    url = os.environ.get("TRACKER_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'test.sqlite'}"
    return normalise_database_url(url)


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist (``-n auto``) each worker process gets a PostgreSQL database of its own,
    "<name>_<worker>", created here if missing; every sibling database a test derives from
    TRACKER_TEST_DATABASE_URL ("_browser", "_migration", "_reminders_race") follows it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = normalise_database_url(os.environ.get("TRACKER_TEST_DATABASE_URL", ""))
    if worker and url.startswith("postgresql"):
        os.environ["TRACKER_TEST_DATABASE_URL"] = sibling_database(url, worker)


def sibling_database(url: str, suffix: str) -> str:
    """The URL of "<database>_<suffix>" on the same PostgreSQL server, created if it does not exist."""
    target = make_url(url)
    name = f"{target.database}_{suffix}"
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return target.set(database=name).render_as_string(hide_password=False)


def reset_database(url: str) -> None:
    """An empty database for the migrations to build (PostgreSQL keeps state between runs)."""
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()


def make_test_app(url: str, tmp_dir: Path, **overrides: Any) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "ATTACHMENTS_DIR": str(tmp_dir / "attachments"),
            "REPORTS_DIR": str(tmp_dir / "reports"),
            "IMPORTS_DIR": str(tmp_dir / "imports"),
            "SERVER_NAME": None,
            **overrides,
        }
    )


def approved_plan(
    organization: Organization, director: User, measures: list[plan_services.MeasureData], *, title: str
) -> Plan:
    """A work plan for the first half of 2024, built through the services and approved by
    ``director`` (for tests on a database committed for real, where ``make_plan`` is not at hand)."""
    plan = plan_services.create_plan(
        organization,
        plan_services.PlanData(
            kind=PlanKind.WORK_PLAN, title=title, period_start=date(2024, 1, 1), period_end=date(2024, 6, 30)
        ),
        actor=None,
    )
    for measure in measures:
        plan_services.add_measure(plan, measure, actor=None)
    plan.state = PlanState.IN_REVIEW
    plan_services.approve_plan(
        plan, actor=director, position="Директор", name="А. Бурханов", approval_date=date(2024, 1, 4)
    )
    return plan


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as in production.

    Tests hold an app context open for the database session; without this, requests would
    reuse it and share ``g`` (cached CSRF tokens, the cached current user) between requests
    and even between clients.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if isinstance(_db.session, TestSession):
            # What the test wrote is committed before the request, as it would be in production;
            # otherwise the rollback of a refused request (the edge) would undo the test's setup.
            _db.session.commit()  # releases a savepoint only: the test's transaction still ends it
        # Buffered, as a WSGI server does: the body is read and the response closed, which runs
        # what the app does after the response (e-mail for "immediately" notifications).
        kwargs.setdefault("buffered", True)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        request = response.request
        # Every API response is held to the OpenAPI document (tests/api_contract.py).
        api_contract.check(self.application, request.method, request.path, response)
        return response


class TestSession(scoped_session):  # type: ignore[type-arg]
    """Survives Flask-SQLAlchemy's per-request ``remove()``; the fixture ends it itself."""

    def remove(self) -> None:
        pass

    def end(self) -> None:
        super().remove()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp_dir = tmp_path_factory.mktemp("tracker")
    url = database_url(tmp_dir)
    reset_database(url)
    application = make_test_app(url, tmp_dir)
    application.test_client_class = IsolatedClient
    with application.app_context():
        flask_migrate.upgrade()
    yield application
    with application.app_context():
        _db.engine.dispose()


@pytest.fixture
def db(app: Flask) -> Iterator[Any]:
    """The session, bound to a connection whose transaction is rolled back after the test.

    Code under test commits as usual; with ``create_savepoint`` those commits only release
    savepoints inside the outer transaction.
    """
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original = _db.session
        session = TestSession(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=True)
        )
        _db.session = session
        try:
            yield _db
        finally:
            session.end()
            _db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app: Flask, db: Any) -> FlaskClient:
    return app.test_client()


# -- factories ----------------------------------------------------------------------------------


@pytest.fixture
def organization(db: Any) -> Organization:
    org = Organization(name="Test agency")
    db.session.add(org)
    db.session.flush()
    return org


@pytest.fixture
def make_unit(db: Any, organization: Organization) -> Callable[..., Unit]:
    def factory(name: str, parent: Unit | None = None, org: Organization | None = None) -> Unit:
        unit = Unit(name=name, parent=parent, organization=org or organization)
        db.session.add(unit)
        db.session.flush()
        return unit

    return factory


@pytest.fixture
def make_user(db: Any, organization: Organization) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def factory(
        *roles: Role | str,
        unit: Unit | None = None,
        email: str | None = None,
        name: str | None = None,
        org: Organization | None = None,
        **fields: Any,
    ) -> User:
        n = next(counter)
        user = User(
            email=email or f"user{n}@example.uz",
            name=name or f"User {n}",
            organization=org or organization,
            unit=unit,
            password_hash=FAST_HASH,
            **fields,
        )
        user.set_roles({Role(r) for r in roles or (Role.VIEWER,)})
        db.session.add(user)
        db.session.flush()
        return user

    return factory


@pytest.fixture
def make_plan(db: Any, organization: Organization, make_user: Callable[..., User]) -> Callable[..., Plan]:
    """A plan built through the services; approved unless ``state`` says otherwise."""

    def factory(
        *,
        measures: list[dict[str, Any]] | None = None,
        state: PlanState = PlanState.APPROVED,
        title: str = "2024 йил I ярим йиллигига мўлжалланган иш режаси",
        kind: PlanKind = PlanKind.WORK_PLAN,
        org: Organization | None = None,
    ) -> Plan:
        plan = plan_services.create_plan(
            org or organization,
            plan_services.PlanData(
                kind=kind, title=title, period_start=date(2024, 1, 1), period_end=date(2024, 6, 30)
            ),
            actor=None,
        )
        for item in measures if measures is not None else [{"number": "1", "title": "Миллий маъруза"}]:
            data = {"deadline_text": "2024 йил январь-март", **item}
            steps = data.pop("steps", [])
            measure = plan_services.add_measure(plan, plan_services.MeasureData(**data), actor=None)
            for step in steps:
                plan_services.add_step(measure, plan_services.StepData(**step), actor=None)
        if state in (PlanState.IN_REVIEW, PlanState.APPROVED, PlanState.CLOSED):
            plan.state = PlanState.IN_REVIEW
        if state in (PlanState.APPROVED, PlanState.CLOSED):
            director = make_user(Role.DIRECTOR, org=org or organization)
            plan_services.approve_plan(
                plan,
                actor=director,
                position="Агентлик директори",
                name="А. Бурханов",
                approval_date=date(2024, 1, 4),
            )
        if state == PlanState.CLOSED:
            plan.state = PlanState.CLOSED
        db.session.flush()
        return plan

    return factory


# -- HTTP helpers -------------------------------------------------------------------------------


def csrf_token(client: FlaskClient) -> str:
    """A CSRF token for the client's session, read from a real form."""
    page = client.get("/login")
    if page.status_code != 200:  # signed in: the login page redirects; any form page carries the token
        page = client.get("/profile")
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    field = soup.find("input", {"name": "csrf_token"})
    assert field is not None, "no CSRF token on the page"
    return str(field["value"])


def post_form(client: FlaskClient, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    payload = {"csrf_token": csrf_token(client), **(data or {})}
    return client.post(url, data=payload, **kwargs)


def login(client: FlaskClient, user: User, password: str = PASSWORD) -> None:
    response = post_form(client, "/login", {"email": user.email, "password": password})
    assert response.status_code == 302, f"login failed for {user.email}: {response.status_code}"


@pytest.fixture
def login_as(client: FlaskClient) -> Callable[[User], FlaskClient]:
    def do_login(user: User) -> FlaskClient:
        login(client, user)
        return client

    return do_login


def soup_of(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def flashes(response: Any) -> list[str]:
    return [re.sub(r"\s+", " ", a.get_text(" ", strip=True)) for a in soup_of(response).select(".alert")]


def reload(obj: Any) -> Any:
    _db.session.expire_all()
    return _db.session.get(type(obj), obj.id)


def measure_by_number(plan: Plan, number: str) -> Measure:
    return next(m for m in plan.measures if m.number == number)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgresql`` belong to the PostgreSQL pass; on SQLite they are deselected."""
    if os.environ.get("TRACKER_TEST_DATABASE_URL", "").startswith("postgresql"):
        return
    selected = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(selected) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in selected])
        items[:] = selected


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under CI (CI=true) a skip is a failure: CI installs and starts everything the tests need."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, which must provide every component: {report.longrepr}"
