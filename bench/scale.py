"""National scale on PostgreSQL: 1,000,000 measures in 2,000 organizations (issue 17).

Creates ``bench_scale`` on the server of BENCH_DATABASE_URL (default
``postgresql://postgres@127.0.0.1:5432/postgres``), builds the schema with the migrations, then
fills it with set-based SQL (``INSERT … SELECT generate_series``, never the ORM): per organization
5 units, a director, a controller, an executor and a unit head per unit, one approved plan with
``measures / orgs`` measures (one lead unit each, 2 % claimed and waiting for review, deadlines
spread over −200…+400 days, every 25th due tomorrow) and their search entries (each distinct
title folded once in Python, the rest joined in SQL). Then it prints, for one organization, the
median server time and SQL statement count of the dashboard, two searches, the plan page (first
and last page, a jump) and both inboxes (Flask test client, no network), and the reminder
sweeps over the whole country (claims committed, no e-mail): the first, which claims the whole
backlog, and the next, the daily steady state, ``--sweeps`` rounds (3) from an emptied claims
table, with their spread. Targets: pages < 300 ms, search < 150 ms, sweep < 10 s. Drops the
database at the end unless ``--keep``; ``--reuse`` measures a kept one again without filling it;
``BENCH_DB_NAME`` names it, so two runs can go side by side.

    .venv/bin/python bench/scale.py                      # the full 1,000,000 (lead, quiet machine)
    .venv/bin/python bench/scale.py --measures 50000     # a quick check
    .venv/bin/python bench/scale.py --measures 50000 --orgs 100 --repeat 5 --keep
    .venv/bin/python bench/scale.py --reuse --keep --skip-pages --sweeps 5   # sweeps only, again
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import inbox_bench  # noqa: E402  (database helpers)
from timed_requests import sign_in, timed_get  # noqa: E402

DB_NAME = os.environ.get("BENCH_DB_NAME", "bench_scale")
UNITS_PER_ORG = 5
PASSWORD = inbox_bench.PASSWORD
#: Distinct measure titles: real plans repeat their wording; search keys are folded once per text.
WORDS = (
    "davlat xizmatlarini raqamlashtirish ochiq ma'lumotlar portali hududlar investitsiya "
    "ta'lim sog'liqni saqlash yoshlar bandlik eksport soliq tekshiruv monitoring hisobot "
    "qonunchilik takomillashtirish axborot tizimi korrupsiyaga qarshi kurashish"
).split()
TARGETS = {"page": 300.0, "search": 150.0}


def titles(count: int) -> list[str]:
    out = []
    for i in range(count):
        a, b, c = WORDS[i % len(WORDS)], WORDS[(i // 3) % len(WORDS)], WORDS[(i // 7) % len(WORDS)]
        out.append(f"{a.capitalize()} {b} {c} bo'yicha chora-tadbir {i}")
    return out


def fill(connection, orgs: int, per_org: int) -> None:  # noqa: ANN001
    from werkzeug.security import generate_password_hash

    from tracker.search.index import padded_key

    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    run = lambda sql, **p: connection.execute(text(sql), p)  # noqa: E731
    run(
        "INSERT INTO organizations (name, created_at) "
        "SELECT 'Agency ' || g, now() FROM generate_series(1, :n) g",
        n=orgs,
    )
    run(
        "INSERT INTO units (organization_id, name, created_at) SELECT o.id, 'Boshqarma ' || u, now() "
        "FROM organizations o CROSS JOIN generate_series(1, :u) u",
        u=UNITS_PER_ORG,
    )
    for role in ("director", "controller"):
        run(
            "INSERT INTO users (email, name, password_hash, organization_id, wants_email, locale, "
            "created_at) "
            "SELECT :r || o.id || '@scale.uz', initcap(:r) || ' ' || o.id, :h, o.id, false, 'uz_Latn', now() "
            "FROM organizations o",
            r=role,
            h=hashed,
        )
    for role in ("executor", "unit_head"):
        run(
            "INSERT INTO users (email, name, password_hash, organization_id, unit_id, wants_email, locale, "
            "created_at) SELECT :r || u.id || '@scale.uz', :r || ' ' || u.id, :h, u.organization_id, u.id, "
            "false, 'uz_Latn', now() FROM units u",
            r=role,
            h=hashed,
        )
    run(
        "INSERT INTO user_roles (user_id, role) SELECT id, regexp_replace(email, '[0-9]+@.*$', '') FROM users"
    )
    run(
        "INSERT INTO plans (organization_id, kind, title, period_start, period_end, state, approval_name, "
        "approval_date, created_at, updated_at) SELECT o.id, 'work_plan', 'Ish rejasi ' || o.id, "
        "current_date - 365, current_date + 365, 'approved', 'A. Burxonov', current_date - 360, now(), now() "
        "FROM organizations o"
    )
    distinct = titles(997)
    run("CREATE TEMP TABLE bench_titles (n int PRIMARY KEY, title text, key text)")
    connection.execute(
        text("INSERT INTO bench_titles VALUES (:n, :t, :k)"),
        [{"n": i, "t": t, "k": padded_key(t)} for i, t in enumerate(distinct)],
    )
    run(
        "INSERT INTO measures (plan_id, number, position, title, due_on, deadline_kind, deadline_text, "
        "status, added_on, created_at, updated_at) "
        "SELECT p.id, g::text, g - 1, t.title, "
        "  CASE WHEN g % 25 = 0 THEN current_date + 1 ELSE current_date + ((g * 37) % 600 - 200) END, "
        "  'date', NULL, (ARRAY['not_started','in_progress','in_progress','done','cancelled'])[1 + g % 5], "
        "  current_date - 360, now(), now() "
        "FROM plans p CROSS JOIN generate_series(1, :m) g JOIN bench_titles t ON t.n = (p.id * 7 + g) % 997",
        m=per_org,
    )
    run(
        "INSERT INTO responsibles (measure_id, unit_id, is_lead, position) "
        "SELECT m.id, u.id, true, 0 FROM measures m JOIN plans p ON p.id = m.plan_id "
        "JOIN LATERAL (SELECT id FROM units WHERE organization_id = p.organization_id ORDER BY id "
        "  OFFSET (m.position % :u) LIMIT 1) u ON true",
        u=UNITS_PER_ORG,
    )
    run("UPDATE measures SET status = 'done_claimed' WHERE position % 50 = 7")
    run(
        "INSERT INTO status_updates (measure_id, status, note, author_id, created_at, effective_on, "
        "review_state) SELECT m.id, 'done_claimed', 'Bajarildi', NULL, now() - interval '1 day', "
        "current_date, 'submitted' FROM measures m WHERE m.status = 'done_claimed'"
    )
    run(
        "INSERT INTO search_entries (kind, plan_id, measure_id, search_key) "
        "SELECT 'measure', m.plan_id, m.id, t.key FROM measures m JOIN bench_titles t ON t.title = m.title"
    )
    run(
        "INSERT INTO search_entries (kind, plan_id, search_key) "
        "SELECT 'plan', p.id, ' ish rejasi ' || p.id || ' ' FROM plans p"
    )


def timed(app, client, url: str, repeat: int) -> tuple[float, float, int, int]:  # noqa: ANN001
    times, statements, response = timed_get(app, client, url, repeat)
    return statistics.median(times), max(times), statements, response.status_code


def pages(app, org_id: int, unit_id: int, plan_id: int, per_org: int, repeat: int) -> bool:  # noqa: ANN001
    director = sign_in(app, f"director{org_id}@scale.uz", PASSWORD)
    controller = sign_in(app, f"controller{org_id}@scale.uz", PASSWORD)
    executor = sign_in(app, f"executor{unit_id}@scale.uz", PASSWORD)
    last = (per_org + 99) // 100
    rows = [
        ("dashboard", "page", director, "/dashboard"),
        ("search: one word", "search", director, "/search?q=monitoring"),
        ("search: two words", "search", director, "/search?q=ochiq+portali"),
        ("plan page 1", "page", director, f"/plans/{plan_id}"),
        (f"plan page {last}", "page", director, f"/plans/{plan_id}?page={last}"),
        ("plan, jump", "page", director, f"/plans/{plan_id}?jump={per_org - 3}"),
        ("inbox (controller)", "page", controller, "/inbox"),
        ("inbox (director)", "page", director, "/inbox"),
        ("inbox (executor)", "page", executor, "/inbox"),
        ("review list", "page", controller, "/reviews"),
    ]
    ok = True
    print(f"{'page':<22}{'median ms':>10}{'max ms':>8}{'queries':>9}  status  target")
    for name, kind, client, url in rows:
        median, worst, queries, status = timed(app, client, url, repeat)
        within = median < TARGETS[kind]
        ok &= within and status in (200, 302)
        verdict = f"<{TARGETS[kind]:.0f} {'ok' if within else 'OVER'}"
        print(f"{name:<22}{median:>10.1f}{worst:>8.1f}{queries:>9}  {status:>6}  {verdict}")
    return ok


def sweep(app, rounds: int) -> bool:  # noqa: ANN001
    """The first sweep claims the whole backlog once (every overdue item of the country); the
    second is the daily steady state. ``rounds`` times: the claims are emptied (``TRUNCATE``, as
    on the day the reminders were switched on) and both sweeps run again; each round is printed,
    then the median and spread of each. The target (< 10 s) is read on the medians of both."""
    from tracker.extensions import db
    from tracker.reminders import jobs

    seconds: dict[str, list[float]] = {"first sweep": [], "next sweep": []}
    with app.app_context():
        statements: list[str] = []

        def count(conn, cursor, statement, *args):  # noqa: ANN001, ANN002
            statements.append(statement)

        for _round in range(rounds):
            db.session.execute(text("TRUNCATE notifications"))
            db.session.commit()
            event.listen(db.engine, "before_cursor_execute", count)
            for label, minutes in (("first sweep", 1), ("next sweep", 2)):
                statements.clear()
                started = time.perf_counter()
                result = jobs.sweep(datetime.now(UTC) + timedelta(minutes=minutes), deliver=False)
                elapsed = time.perf_counter() - started
                db.session.remove()
                seconds[label].append(elapsed)
                print(
                    f"reminder {label}: {elapsed:.2f} s, {len(statements)} SQL statements, "
                    f"{result.open_items} open items, {result.due} due, {result.claimed} claimed "
                    f"(finding {result.finding_seconds:.2f} s, claiming {result.claiming_seconds:.2f} s)"
                )
            event.remove(db.engine, "before_cursor_execute", count)
    ok = True
    for label, values in seconds.items():
        median = statistics.median(values)
        ok &= median < 10
        print(
            f"  {label}: median {median:.2f} s ({min(values):.2f}–{max(values):.2f}) over "
            f"{len(values)} round(s) (target < 10 s: {'ok' if median < 10 else 'OVER'})"
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measures", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--skip-sweep", action="store_true", help="pages only (the backlog sweep is long)")
    parser.add_argument("--sweeps", type=int, default=3, help="rounds of first + next sweep (spread)")
    parser.add_argument("--reuse", action="store_true", help="measure a database kept by --keep")
    parser.add_argument("--skip-pages", action="store_true", help="the sweeps only")
    args = parser.parse_args()
    per_org = max(args.measures // args.orgs, 1)
    import flask_migrate

    from tracker import create_app
    from tracker.extensions import db

    print(f"load average before: {os.getloadavg()}")
    if not args.reuse:
        inbox_bench._admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        inbox_bench._admin(f"CREATE DATABASE {DB_NAME}")
    ok = False
    with tempfile.TemporaryDirectory() as tmp:
        url = inbox_bench._url(DB_NAME).replace("postgresql://", "postgresql+psycopg://", 1)
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": "bench",
                "REPORTS_DIR": tmp,
                "ATTACHMENTS_DIR": tmp,
                "REPORTS_WORKER": "off",
                "TRACKER_SCHEDULER": "off",
            }
        )
        try:
            with app.app_context():
                done = "kept from an earlier run"
                if not args.reuse:
                    flask_migrate.upgrade()
                    started = time.perf_counter()
                    fill(db.session.connection(), args.orgs, per_org)
                    db.session.commit()
                    db.session.execute(text("ANALYZE"))
                    db.session.commit()
                    done = f"filled in {time.perf_counter() - started:.1f} s"
                total = db.session.execute(text("SELECT COUNT(*) FROM measures")).scalar_one()
                org_id = args.orgs // 2 or 1
                plan_id, unit_id = db.session.execute(
                    text(
                        "SELECT p.id, (SELECT MIN(id) FROM units WHERE organization_id = :o) FROM plans p "
                        "WHERE p.organization_id = :o"
                    ),
                    {"o": org_id},
                ).one()
            print(f"{total:,} measures in {args.orgs:,} organizations, {done}")
            ok = args.skip_pages or pages(app, org_id, unit_id, plan_id, per_org, args.repeat)
            if not args.skip_sweep:
                ok &= sweep(app, args.sweeps)
            print(f"load average after: {os.getloadavg()}")
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            if not args.keep:
                inbox_bench._admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    print("OK: every figure within its target" if ok else "OVER: some figure above its target")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
