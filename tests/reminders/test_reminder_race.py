"""Two `flask reminders …` processes started at the same moment send each reminder exactly once.

Real subprocesses against a dedicated, committed PostgreSQL database (the rolled-back test
transaction is invisible to other processes). Runs in CI's PostgreSQL pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import func, make_url, select

from tests.conftest import FAST_HASH, approved_plan
from tests.reminders.conftest import SmtpServer, free_port

ROOT = Path(__file__).resolve().parents[2]
MEASURES = 40

# Runs in the PostgreSQL pass only: two processes racing on SQLite would only take turns on its
# file lock (see the "postgresql" marker in tests/conftest.py).
pytestmark = pytest.mark.postgresql


@pytest.fixture
def race_url():
    import psycopg

    base = make_url(os.environ["TRACKER_TEST_DATABASE_URL"])
    race_db = f"{base.database}_reminders_race"  # a sibling of this run's (or this worker's) database
    admin_dsn = base.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {race_db} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {race_db}")
    url = base.set(drivername="postgresql", database=race_db).render_as_string(hide_password=False)
    yield url
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {race_db} WITH (FORCE)")


def _seed(app):
    from tracker.auth.models import User
    from tracker.core.permissions import Role
    from tracker.extensions import db
    from tracker.orgs.models import Organization, Unit
    from tracker.plans import services as plans

    with app.app_context():
        flask_migrate.upgrade()
        org = Organization(name="Race agency")
        db.session.add(org)
        units = [Unit(name=f"Unit {i}", organization=org) for i in range(3)]
        db.session.add_all(units)
        db.session.flush()
        n = 0
        for unit in units:
            for role in (Role.EXECUTOR, Role.UNIT_HEAD):
                n += 1
                user = User(
                    email=f"u{n}@race.uz", name=f"U{n}", organization=org, unit=unit, password_hash=FAST_HASH
                )
                user.set_roles({role})
                db.session.add(user)
        director = User(email="director@race.uz", name="D", organization=org, password_hash=FAST_HASH)
        director.set_roles({Role.DIRECTOR})
        db.session.add(director)
        db.session.flush()
        measures = [
            plans.MeasureData(
                number=str(i + 1),
                title=f"Measure {i + 1}",
                deadline_text="15.03.2024" if i % 2 else "18.03.2024",
                lead_unit_id=units[i % 3].id,
                co_unit_ids=[units[(i + 1) % 3].id],
            )
            for i in range(MEASURES)
        ]
        approved_plan(org, director, measures, title="Race plan")
        db.session.commit()


def _race(url: str, *args: str, env_extra: dict[str, str] | None = None) -> list[str]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "race",
        "FLASK_APP": "wsgi:app",
        "MAIL_SERVER": "127.0.0.1",
        **(env_extra or {}),
    }
    flask = str(Path(sys.executable).with_name("flask"))
    processes = [
        subprocess.Popen(
            [flask, "reminders", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        outputs.append(out)
    return outputs


def _number(output: str, label: str) -> int:
    """The count after ``label:`` in run-once's line ("claimed: 160 (finding …); …")."""
    return int(output.split(f"{label}: ")[1].split(";")[0].split()[0])


def test_two_processes_at_once_send_each_reminder_and_each_email_exactly_once(race_url, tmp_path):
    from tests.conftest import make_test_app
    from tracker.extensions import db
    from tracker.reminders.models import OutboundEmail, Reminder

    app = make_test_app(
        race_url.replace("postgresql://", "postgresql+psycopg://"), ROOT / "instance" / "race-test"
    )
    _seed(app)
    port = free_port()
    smtp = SmtpServer(port)
    smtp.start()
    try:
        env = {"MAIL_PORT": str(port)}
        outputs = _race(race_url, "run-once", "--now", "2024-03-15T00:05+05:00", env_extra=env)
        claimed = [_number(o, "claimed") for o in outputs]
        due = [_number(o, "reminders due") for o in outputs]
        with app.app_context():
            reminders = db.session.scalar(select(func.count(Reminder.id)).where(Reminder.event_id.is_(None)))
            distinct = db.session.scalar(
                select(func.count()).select_from(
                    select(Reminder.recipient_id, Reminder.item_key, Reminder.kind, Reminder.offset_days)
                    .where(Reminder.event_id.is_(None))
                    .distinct()
                    .subquery()
                )
            )
        # 40 measures × (lead + co-executor unit) × 2 people; the first process to see a reminder
        # claims it, the other skips it: together they claimed each one once, and none is lost.
        assert reminders == distinct == MEASURES * 4 == sum(claimed) == max(due)

        outputs = _race(race_url, "digest", "--now", "2024-03-15T09:00+05:00", env_extra=env)
        assert sum(_number(o, "digests queued") for o in outputs) == 6
        with app.app_context():
            assert db.session.scalar(select(func.count(OutboundEmail.id))) == 6
            assert (
                db.session.scalar(
                    select(func.count(Reminder.id)).where(
                        Reminder.email_id.is_(None), Reminder.event_id.is_(None)
                    )
                )
                == 0
            )
        recipients = sorted(m["To"] for m in smtp.inbox.messages)
        assert len(recipients) == 6 == len(set(recipients)), recipients
    finally:
        smtp.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
