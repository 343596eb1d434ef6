"""Benchmark of the controller's and the director's inbox on PostgreSQL: 10,000 then 100,000 measures.

Creates its own database (``bench_inbox`` on the server of BENCH_DATABASE_URL, default
``postgresql://postgres@127.0.0.1:5432/postgres``), builds the schema with the migrations, bulk
loads 100 units, approved plans of 1,000 measures (a third overdue, 2% with a claim waiting for
review), a few plans awaiting approval and the director's escalations; times ``GET /inbox`` for a
signed-in controller and director through the Flask test client (median of several requests),
counts the SQL statements, then loads up to 100,000 measures and measures again: the statement
counts must not change. Drops the database at the end.

    .venv/bin/python bench/inbox_bench.py [--repeat 7] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, event, insert, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SERVER_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DB_NAME = "bench_inbox"
UNITS, PER_PLAN = 100, 1_000
PASSWORD = "bench-password"  # noqa: S105 (a throw-away database)
#: Both inboxes must render within this many milliseconds at 100,000 measures.
BUDGET_MS = 150


def _url(database: str) -> str:
    return make_url(SERVER_URL).set(database=database).render_as_string(hide_password=False)


def _admin(statement: str) -> None:
    engine = create_engine(
        SERVER_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def load_people(connection, rng: random.Random) -> tuple[int, list[int]]:  # noqa: ANN001
    from werkzeug.security import generate_password_hash

    from tracker.auth.models import User, UserRole
    from tracker.orgs.models import Organization, Unit

    now = datetime.now(UTC)
    org_id = connection.execute(
        insert(Organization).values(name="Bench agency", created_at=now).returning(Organization.id)
    ).scalar_one()
    connection.execute(
        insert(Unit),
        [
            {"organization_id": org_id, "name": f"Бўлим {i:03d}", "is_active": True, "created_at": now}
            for i in range(UNITS)
        ],
    )
    unit_ids = [r[0] for r in connection.execute(text("SELECT id FROM units ORDER BY id"))]
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    for role in ("controller", "director"):
        user_id = connection.execute(
            insert(User)
            .values(
                email=f"{role}@bench.uz",
                name=role.title(),
                password_hash=hashed,
                organization_id=org_id,
                is_active=True,
                wants_email=False,
                locale="uz_Latn",
                created_at=now,
            )
            .returning(User.id)
        ).scalar_one()
        connection.execute(insert(UserRole).values(user_id=user_id, role=role))
    return org_id, unit_ids


def load_plans(connection, rng: random.Random, org_id: int, unit_ids: list[int], plans: int) -> None:  # noqa: ANN001
    from tracker.execution.models import StatusUpdate
    from tracker.notifications.models import Notification
    from tracker.plans.models import Measure, Plan, Responsible

    now = datetime.now(UTC)
    today = date.today()
    first = connection.execute(text("SELECT COALESCE(MAX(id), 0) FROM plans")).scalar_one()
    connection.execute(
        insert(Plan),
        [
            {
                "organization_id": org_id,
                "kind": "work_plan",
                "title": f"Иш режаси {first + i}",
                "period_start": date(today.year - 1, 1, 1),
                "period_end": date(today.year + 1, 12, 31),
                "state": "approved" if i % 20 else "in_review",
                "version": 1,
                "approval_name": "А. Бурханов" if i % 20 else None,
                "approval_date": date(today.year - 1, 1, 4) if i % 20 else None,
                "created_at": now,
                "updated_at": now,
                "lock_version": 1,
            }
            for i in range(plans)
        ],
    )
    plan_ids = [
        r[0] for r in connection.execute(text("SELECT id FROM plans WHERE id > :f ORDER BY id"), {"f": first})
    ]
    statuses = ["not_started", "in_progress", "in_progress", "done", "cancelled"]
    director_id = connection.execute(
        text("SELECT id FROM users WHERE email = 'director@bench.uz'")
    ).scalar_one()
    controller_id = connection.execute(
        text("SELECT id FROM users WHERE email = 'controller@bench.uz'")
    ).scalar_one()
    for plan_id in plan_ids:
        rows = [
            {
                "plan_id": plan_id,
                "number": str(p + 1),
                "position": p,
                "title": f"Тадбир {p + 1}",
                "due_on": today + timedelta(days=rng.randint(-200, 400)),
                "deadline_kind": "date",
                "status": rng.choice(statuses),
                "added_on": date(today.year - 1, 1, 4),
                "created_at": now,
                "updated_at": now,
                "lock_version": 1,
            }
            for p in range(PER_PLAN)
        ]
        ids = connection.execute(insert(Measure).returning(Measure.id), rows).scalars().all()
        connection.execute(
            insert(Responsible),
            [
                {
                    "measure_id": mid,
                    "unit_id": rng.choice(unit_ids),
                    "is_all_units": False,
                    "is_lead": True,
                    "position": 0,
                }
                for mid in ids
            ],
        )
        claimed = ids[::50]
        connection.execute(
            text("UPDATE measures SET status = 'done_claimed' WHERE id = ANY(:ids)"), {"ids": list(claimed)}
        )
        connection.execute(
            insert(StatusUpdate),
            [
                {
                    "measure_id": mid,
                    "status": "done_claimed",
                    "note": "Бажарилди",
                    "author_id": controller_id,
                    "created_at": now - timedelta(days=rng.randint(0, 30)),
                    "effective_on": today,
                    "review_state": "submitted",
                }
                for mid in claimed
            ],
        )
        connection.execute(
            insert(Notification),
            [
                {
                    "organization_id": org_id,
                    "recipient_id": director_id,
                    "kind": "escalation_director",
                    "plan_id": plan_id,
                    "measure_id": mid,
                    "item_key": f"m{mid}",
                    "occurrence_on": today - timedelta(days=10),
                    "offset_days": 7,
                    "send_on": today,
                    "created_at": now,
                }
                for mid in ids[:2]
            ],
        )


def measure_pages(app, repeat: int) -> dict[str, tuple[float, int]]:  # noqa: ANN001
    from tracker.extensions import db

    results = {}
    for role in ("controller", "director"):
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        response = client.post(
            "/login", data={"email": f"{role}@bench.uz", "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302, response.status_code
        statements: list[str] = []

        def count(conn, cursor, statement, *args, _seen=statements):  # noqa: ANN001, ANN002
            _seen.append(statement)

        client.get("/inbox")  # warm up (templates, caches)
        times = []
        for _ in range(repeat):
            statements.clear()
            with app.app_context():
                event.listen(db.engine, "before_cursor_execute", count)
            started = time.perf_counter()
            response = client.get("/inbox")
            times.append((time.perf_counter() - started) * 1000)
            with app.app_context():
                event.remove(db.engine, "before_cursor_execute", count)
            assert response.status_code == 200
        results[role] = (statistics.median(times), len(statements))
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    import flask_migrate

    from tracker import create_app
    from tracker.extensions import db

    _admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    _admin(f"CREATE DATABASE {DB_NAME}")
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": _url(DB_NAME).replace("postgresql://", "postgresql+psycopg://", 1),
                "SECRET_KEY": "bench",
                "REPORTS_DIR": tmp,
                "REPORTS_WORKER": "off",
                "TRACKER_SCHEDULER": "off",
            }
        )
        failed = False
        try:
            with app.app_context():
                flask_migrate.upgrade()
                connection = db.session.connection()
                org_id, unit_ids = load_people(connection, rng)
                load_plans(connection, rng, org_id, unit_ids, 10)
                db.session.commit()
                db.session.execute(text("ANALYZE"))
                db.session.commit()
            small = measure_pages(app, args.repeat)
            with app.app_context():
                connection = db.session.connection()
                load_plans(connection, rng, org_id, unit_ids, 90)
                db.session.commit()
                db.session.execute(text("ANALYZE"))
                db.session.commit()
                measures = db.session.execute(text("SELECT COUNT(*) FROM measures")).scalar_one()
            large = measure_pages(app, args.repeat)
            print(f"{'inbox':<12}{'10,000 measures':>22}{f'{measures:,} measures':>24}")
            for role in ("controller", "director"):
                (t1, q1), (t2, q2) = small[role], large[role]
                print(f"{role:<12}{t1:>10.1f} ms {q1:>4} queries{t2:>12.1f} ms {q2:>4} queries")
                failed |= q1 != q2 or t2 > BUDGET_MS
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            if not args.keep:
                _admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    print(
        "FAILED: over budget or query count grew" if failed else f"OK: under {BUDGET_MS} ms, constant queries"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
