"""Benchmark: one reminder sweep over many open measures and steps on PostgreSQL.

    .venv/bin/python bench/reminder_sweep.py [--sizes 10000,100000] [--due 2000]
        [--admin-url postgresql://postgres@127.0.0.1:5432/postgres]

For each size it creates the database ``bench_reminders``, builds the schema with the migrations,
loads that many open items (80 % measures, 20 % steps; 10 % of them recurring "Ҳар чоракда",
``--due`` of them due on the day of the sweep, the rest due after the reminder horizon), runs one
sweep (claims committed, no e-mail) and a second one (nothing left to claim), prints the time
and the number of SQL statements of each, and drops the database.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "bench_reminders"
TODAY = date(2024, 3, 15)
NOW = datetime(2024, 3, 14, 19, 5, tzinfo=UTC)  # 00:05 on 15.03 in Tashkent
UNITS = 20


def reminder_recreate(admin_url: str, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {DB_NAME}")


def reminder_seed(size: int, due: int) -> None:
    from sqlalchemy import insert

    from tracker.auth.models import User, UserRole
    from tracker.core.permissions import Role
    from tracker.extensions import db
    from tracker.orgs.models import Organization, Unit
    from tracker.plans.models import Measure, Plan, PlanState, Responsible, Step

    now = datetime.now(UTC)
    org = Organization(name="Bench agency")
    db.session.add(org)
    db.session.flush()
    units = [Unit(name=f"Unit {i}", organization_id=org.id) for i in range(UNITS)]
    db.session.add_all(units)
    db.session.flush()
    for i, unit in enumerate(units):
        for role in (Role.EXECUTOR, Role.UNIT_HEAD):
            user = User(
                email=f"{role.value}{i}@bench.uz",
                name=f"{role.value} {i}",
                organization_id=org.id,
                unit_id=unit.id,
                password_hash="!",  # noqa: S106 (no sign-in in the bench)
            )
            db.session.add(user)
            db.session.flush()
            db.session.add(UserRole(user_id=user.id, role=role.value))
    plan = Plan(
        organization_id=org.id,
        kind="work_plan",
        title="Bench plan",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        state=PlanState.APPROVED,
        approval_name="Bench",
        approval_date=date(2024, 1, 4),
    )
    db.session.add(plan)
    db.session.flush()

    n_measures = size * 8 // 10
    n_steps = size - n_measures

    def deadline(i: int, is_due: bool) -> dict[str, object]:
        if is_due:
            return {
                "deadline_text": "15.03.2024",
                "deadline_kind": "date",
                "start_on": TODAY,
                "due_on": TODAY,
            }
        if i % 10 == 0:
            return {
                "deadline_text": "Ҳар чоракда",
                "deadline_kind": "recurring",
                "start_on": date(2024, 1, 1),
                "due_on": date(2024, 12, 31),
                "deadline_recurrence": "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1",
            }
        later = date(2024, 5 + i % 8, 1 + i % 28)
        return {
            "deadline_text": later.strftime("%d.%m.%Y"),
            "deadline_kind": "date",
            "start_on": later,
            "due_on": later,
        }

    base = {"deadline_recurrence": None}
    rows = []
    for i in range(n_measures):
        rows.append(
            {
                **base,
                "plan_id": plan.id,
                "number": str(i + 1),
                "position": i + 1,
                "title": f"Чора-тадбир {i + 1}",
                "status": "in_progress" if i % 3 else "not_started",
                "added_on": date(2024, 1, 4),
                "created_at": now,
                "updated_at": now,
                "lock_version": 1,
                **deadline(i, i < due // 2),
            }
        )
    db.session.execute(insert(Measure), rows)
    measure_ids = [m for (m,) in db.session.execute(db.select(Measure.id).order_by(Measure.id))]
    db.session.execute(
        insert(Responsible),
        [
            {
                "measure_id": m,
                "unit_id": units[k % UNITS].id,
                "is_lead": True,
                "is_all_units": False,
                "position": 0,
            }
            for k, m in enumerate(measure_ids)
        ],
    )
    # Steps belong to the last measures; half of the due items are steps.
    step_rows = []
    for j in range(n_steps):
        i = n_measures - n_steps + j
        step_rows.append(
            {
                **base,
                "measure_id": measure_ids[i],
                "number": "1",
                "position": 1,
                "text": f"Қадам {j + 1}",
                "status": "not_started",
                "updated_at": now,
                "lock_version": 1,
                **deadline(n_measures + j, j < due - due // 2),
            }
        )
    db.session.execute(insert(Step), step_rows)
    db.session.commit()


def reminder_run(size: int, due: int, admin_url: str) -> None:
    import flask_migrate
    from sqlalchemy import event, func, select

    from tracker import create_app
    from tracker.extensions import db
    from tracker.plans.models import Measure, Step
    from tracker.reminders import jobs
    from tracker.reminders.models import Reminder

    reminder_recreate(admin_url)
    url = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{DB_NAME}"
    try:
        with TemporaryDirectory() as tmp:
            app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "ATTACHMENTS_DIR": tmp})
            with app.app_context():
                flask_migrate.upgrade(revision="heads")
                started = time.perf_counter()
                reminder_seed(size, due)
                seeded = time.perf_counter() - started
                items = db.session.scalar(select(func.count(Measure.id))) + db.session.scalar(
                    select(func.count(Step.id))
                )
                db.session.execute(db.text("ANALYZE"))
                db.session.commit()
                db.session.remove()

                statements = []

                def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
                    statements.append(statement)

                event.listen(db.engine, "before_cursor_execute", count)
                for label in ("first sweep", "second sweep"):
                    statements.clear()
                    started = time.perf_counter()
                    result = jobs.sweep(NOW, deliver=False)
                    elapsed = time.perf_counter() - started
                    print(
                        f"{items:>7} open items | {label:<12} | {elapsed:6.2f} s"
                        f" | {len(statements):3d} SQL statements | {result.open_items} candidates,"
                        f" {result.due} reminders due, {result.claimed} claimed"
                    )
                event.remove(db.engine, "before_cursor_execute", count)
                due_items = db.session.scalar(select(func.count(func.distinct(Reminder.item_key))))
                print(f"        (seeded in {seeded:.1f} s; {due_items} items reminded)")
                db.session.remove()
                db.engine.dispose()
    finally:
        reminder_recreate(admin_url, drop_only=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--due", type=int, default=2000)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    import logging

    logging.disable(logging.INFO)
    for size in (int(s) for s in args.sizes.split(",")):
        reminder_run(size, args.due, args.admin_url)


if __name__ == "__main__":
    main()
