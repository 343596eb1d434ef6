"""Benchmark of the dashboard, search and plan pages on PostgreSQL with 100,000 measures.

Creates its own database (``bench_dashboard`` on the server of BENCH_DATABASE_URL, default
``postgresql://postgres@127.0.0.1:5432/postgres``), builds the schema with the migrations, bulk
loads 1,000 units, 200 approved plans of 500 measures (half with a step, a third with a status
update), rebuilds the search index, then times each page through the Flask test client with a
signed-in director (median of several requests) and counts its SQL statements. Drops the
database at the end.

    .venv/bin/python bench/dashboard_bench.py            # create, fill, time, drop
    .venv/bin/python bench/dashboard_bench.py --keep     # ... and keep the database afterwards
    .venv/bin/python bench/dashboard_bench.py --reuse    # time a kept database again (no fill)

Options: ``--keep`` leaves ``bench_dashboard`` in place; ``--reuse`` skips creating and filling
it (it must have been kept by an earlier run, and is kept again); ``--repeat N`` times each
page N times (default 7); ``--only TEXT`` times only the pages whose name contains TEXT.
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
DB_NAME = "bench_dashboard"
UNITS, PLANS, PER_PLAN = 1_000, 200, 500
REPEAT = 7

WORDS = (
    "очиқ маълумотлар базасини кенгайтириш янгилаш жамоатчилик мулоқот мурожаатлар статистика ҳисобот "
    "коррупция профилактика таҳлил мониторинг ахборот хизмати кадрлар малака ошириш семинар тренинг "
    "норматив ҳужжат лойиҳа муҳокама электрон платформа веб-сайт рейтинг очиқлик шаффофлик"
).split()


def _url(database: str) -> str:
    return make_url(SERVER_URL).set(database=database).render_as_string(hide_password=False)


def _psycopg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def recreate_database() -> None:
    admin = create_engine(_psycopg(SERVER_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {DB_NAME}"))
    admin.dispose()


def drop_database() -> None:
    admin = create_engine(_psycopg(SERVER_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"))
    admin.dispose()


def load(db, rng: random.Random) -> dict[str, int]:  # noqa: ANN001
    from tracker.auth.models import User, UserRole
    from tracker.execution.models import StatusUpdate
    from tracker.orgs.models import Organization, Unit
    from tracker.plans.models import Measure, Plan, Responsible, Step
    from tracker.search.index import rebuild_index

    now = datetime.now(UTC)
    today = date.today()
    connection = db.session.connection()
    org_id = connection.execute(
        insert(Organization).values(name="Bench agency", created_at=now).returning(Organization.id)
    ).scalar_one()
    connection.execute(
        insert(Unit),
        [
            {"organization_id": org_id, "name": f"Бўлим {i:04d}", "is_active": True, "created_at": now}
            for i in range(UNITS)
        ],
    )
    unit_ids = [r[0] for r in connection.execute(text("SELECT id FROM units ORDER BY id"))]
    from werkzeug.security import generate_password_hash

    user_id = connection.execute(
        insert(User)
        .values(
            email="director@bench.uz",
            name="Director",
            password_hash=generate_password_hash("x", method="pbkdf2:sha256:1000"),
            organization_id=org_id,
            is_active=True,
            wants_email=False,
            created_at=now,
        )
        .returning(User.id)
    ).scalar_one()
    connection.execute(insert(UserRole).values(user_id=user_id, role="director"))
    connection.execute(
        insert(Plan),
        [
            {
                "organization_id": org_id,
                "kind": "work_plan",
                "title": f"Иш режаси {i}",
                "period_start": date(today.year - 1, 1, 1),
                "period_end": date(today.year + 1, 12, 31),
                "state": "approved",
                "version": 1,
                "approval_name": "А. Бурханов",
                "approval_date": date(today.year - 1, 1, 4),
                "created_at": now,
                "updated_at": now,
                "lock_version": 1,
            }
            for i in range(PLANS)
        ],
    )
    plan_ids = [r[0] for r in connection.execute(text("SELECT id FROM plans ORDER BY id"))]
    pool = {
        k: [" ".join(rng.choices(WORDS, k=n)) for _ in range(3000)]
        for k, n in (("t", 8), ("m", 12), ("r", 6))
    }
    statuses = ["not_started"] * 4 + ["in_progress"] * 3 + ["done"] * 3 + ["done_claimed", "cancelled"]
    measures = []
    for plan_id in plan_ids:
        for position in range(PER_PLAN):
            due = today + timedelta(days=rng.randint(-365, 365))
            status = rng.choice(statuses)
            measures.append(
                {
                    "plan_id": plan_id,
                    "number": str(position + 1),
                    "position": position,
                    "title": rng.choice(pool["t"]),
                    "mechanism": rng.choice(pool["m"]),
                    "legal_basis": f"Президентнинг ПФ-{rng.randint(1, 9999)}-сон Фармони",
                    "expected_result": rng.choice(pool["r"]),
                    "deadline_text": due.strftime("%d.%m.%Y"),
                    "due_on": due,
                    "deadline_kind": "date",
                    "status": status,
                    "status_changed_at": now - timedelta(days=rng.randint(0, 360))
                    if status != "not_started"
                    else None,
                    "added_on": date(today.year - 1, 1, 4),
                    "created_at": now,
                    "updated_at": now,
                    "lock_version": 1,
                }
            )
    for start in range(0, len(measures), 10_000):
        connection.execute(insert(Measure), measures[start : start + 10_000])
    rows = connection.execute(text("SELECT id, due_on, status FROM measures ORDER BY id")).all()
    responsibles = [
        {
            "measure_id": mid,
            "unit_id": rng.choice(unit_ids),
            "is_all_units": False,
            "is_lead": True,
            "position": 0,
        }
        for mid, _due, _status in rows
    ]
    steps = [
        {
            "measure_id": mid,
            "number": "1",
            "position": 0,
            "text": rng.choice(pool["r"]),
            "due_on": due - timedelta(days=10),
            "status": "not_started",
            "updated_at": now,
            "lock_version": 1,
        }
        for mid, due, _status in rows[::2]
    ]
    updates = []
    for mid, due, status in rows[::3]:
        if status == "not_started":
            continue
        record = {
            "measure_id": mid,
            "step_id": None,
            "status": status,
            "note": rng.choice(pool["r"]),
            "created_at": now,
            "effective_on": due + timedelta(days=rng.randint(-20, 20)),
            "review_state": None,
            "reviewed_at": None,
        }
        if status == "done_claimed":
            record["review_state"] = "submitted"
        updates.append(record)
    for table, data in ((Responsible, responsibles), (Step, steps), (StatusUpdate, updates)):
        for start in range(0, len(data), 10_000):
            connection.execute(insert(table), data[start : start + 10_000])
    started = time.perf_counter()
    entries = rebuild_index(connection)
    print(f"search index: {entries} entries in {time.perf_counter() - started:.1f} s")
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE"))
    return {"user_id": user_id, "plan_id": plan_ids[len(plan_ids) // 2], "unit_id": unit_ids[7]}


def main() -> None:
    import flask_migrate

    from tracker import create_app
    from tracker.extensions import db

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="time a kept database (no fill)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="requests timed per page")
    parser.add_argument("--only", default="", help="time only the pages whose name contains this")
    options = parser.parse_args()
    keep = options.keep or options.reuse
    if not options.reuse:
        recreate_database()
    try:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": _psycopg(_url(DB_NAME)),
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
                "ATTACHMENTS_DIR": tempfile.mkdtemp(),
            }
        )
        with app.app_context():
            if options.reuse:
                ids = existing_ids(db)
            else:
                flask_migrate.upgrade(revision="heads")
                started = time.perf_counter()
                ids = load(db, random.Random(7))  # noqa: S311
                elapsed = time.perf_counter() - started
                print(f"loaded {PLANS * PER_PLAN} measures in {UNITS} units in {elapsed:.0f} s")
            db.session.remove()

        statements: list[str] = []
        event.listen(_engine(app), "before_cursor_execute", lambda *a: statements.append(a[2]))
        client = app.test_client()
        signed_in = client.post("/login", data={"email": "director@bench.uz", "password": "x"})
        assert signed_in.status_code == 302, signed_in.status_code
        pages = {
            "organization dashboard": "/dashboard",
            "search 'очиқ маълумотлар платформа'": "/search?q=очиқ+маълумотлар+платформа",
            "search 'ПФ-4242'": "/search?q=ПФ-4242",
            "API search 'ochiq malumotlar'": "/api/v1/search?q=ochiq+malumotlar",
            "plan page (500 measures)": f"/plans/{ids['plan_id']}",
            "plan dashboard": f"/dashboard/plans/{ids['plan_id']}",
            "unit dashboard": f"/dashboard/units/{ids['unit_id']}",
            "plan timeline": f"/plans/{ids['plan_id']}/timeline",
            "plan calendar": f"/plans/{ids['plan_id']}/calendar",
            "unit rating (12 months)": f"/rating?from={date.today() - timedelta(365)}&to={date.today()}",
        }
        print(f"\n{'page':42} {'median ms':>10} {'min ms':>8} {'queries':>8}")
        for name, url in pages.items():
            if options.only not in name:
                continue
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            timings = []
            for _ in range(options.repeat):
                statements.clear()
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            print(f"{name:42} {statistics.median(timings):10.1f} {min(timings):8.1f} {len(statements):8d}")
        with app.app_context():
            db.engine.dispose()
    finally:
        if not keep:
            drop_database()


def existing_ids(db) -> dict[str, int]:  # noqa: ANN001
    """The ids ``load`` returned, read back from a kept database."""
    plan_ids = [r[0] for r in db.session.execute(text("SELECT id FROM plans ORDER BY id"))]
    unit_ids = [r[0] for r in db.session.execute(text("SELECT id FROM units ORDER BY id"))]
    user_id = db.session.execute(text("SELECT id FROM users WHERE email = 'director@bench.uz'")).scalar_one()
    return {"user_id": user_id, "plan_id": plan_ids[len(plan_ids) // 2], "unit_id": unit_ids[7]}


def _engine(app):  # noqa: ANN001, ANN202
    from tracker.extensions import db

    with app.app_context():
        return db.engine


if __name__ == "__main__":
    main()
