"""Time and SQL statements of every list at 100 rows on 10,000 measures (issue 17), on PostgreSQL.

Creates ``bench_lists`` on the server of BENCH_DATABASE_URL (default
``postgresql://postgres@127.0.0.1:5432/postgres``), builds the schema with the migrations and bulk
loads one agency with 100 units and ONE approved plan of 10,000 measures (the loaders of
bench/inbox_bench.py), then for each list prints the median server time (Flask test client, no
network), the statement count and the response size; and the process's resident memory before
and after opening the 10,000-measure plan page (the worker's "idle" and "after a big page").
Drops the database at the end unless ``--keep``.

    .venv/bin/python bench/lists.py [--repeat 9] [--keep]

With ``--serve`` it then starts gunicorn (2 sync workers) on that database and runs
``wrk -t2 -c8 -d10s --latency`` on the plan page (bench/serve_load.py): req/s, p50, p99 and the
server's peak memory, master and workers summed.

    .venv/bin/python bench/lists.py --serve
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import inbox_bench  # noqa: E402  (its bulk loaders and database helpers)
from timed_requests import sign_in, timed_get  # noqa: E402

DB_NAME = os.environ.get("BENCH_DB_NAME", "bench_lists")  # two benches side by side: own names
#: Lists and who reads them; {plan} is the 10,000-measure plan.
LISTS = [
    ("plans", "/plans", "director"),
    ("plan page 1", "/plans/{plan}", "director"),
    ("plan page 100", "/plans/{plan}?page=100", "director"),
    ("plan, jump to 9,876", "/plans/{plan}?jump=9876", "director"),
    ("plan, overdue", "/plans/{plan}?overdue=overdue", "director"),
    ("search", "/search?q=Тадбир", "director"),
    ("inbox (controller)", "/inbox", "controller"),
    ("inbox (director)", "/inbox", "director"),
    ("notifications", "/notifications", "controller"),
    ("review list", "/reviews", "controller"),
    ("dashboard", "/dashboard", "director"),
]


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def database_url() -> str:
    """The bench database (``DB_NAME``) as SQLAlchemy's psycopg URL."""
    return inbox_bench._url(DB_NAME).replace("postgresql://", "postgresql+psycopg://", 1)


def bench_app(url: str, reports_dir: str):  # noqa: ANN201 (a Flask app; flask is imported late)
    """The app on ``url`` as the list benches run it: no report worker, no scheduler."""
    from tracker import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "REPORTS_DIR": reports_dir,
            "REPORTS_WORKER": "off",
            "TRACKER_SCHEDULER": "off",
        }
    )


def largest_plan_id() -> int:
    """The plan with the most measures (the 10,000-measure plan); needs an app context."""
    from tracker.extensions import db

    return db.session.execute(
        text("SELECT plan_id FROM measures GROUP BY plan_id ORDER BY COUNT(*) DESC LIMIT 1")
    ).scalar_one()


def measure(app, client, url: str, repeat: int) -> tuple[float, int, int, int]:  # noqa: ANN001
    times, statements, response = timed_get(app, client, url, repeat)
    return statistics.median(times), statements, len(response.get_data()), response.status_code


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--serve", action="store_true", help="also gunicorn + wrk on the plan page")
    args = parser.parse_args()
    import os

    import flask_migrate

    from tracker.extensions import db

    print(f"load average: {os.getloadavg()}")
    inbox_bench._admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    inbox_bench._admin(f"CREATE DATABASE {DB_NAME}")
    inbox_bench.PER_PLAN = 10_000
    rng = random.Random(17)
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url()
        app = bench_app(url, tmp)
        try:
            with app.app_context():
                flask_migrate.upgrade()
                connection = db.session.connection()
                org_id, unit_ids = inbox_bench.load_people(connection, rng)
                inbox_bench.load_plans(connection, rng, org_id, unit_ids, 1)
                db.session.commit()
                db.session.execute(text("ANALYZE"))
                db.session.commit()
                plan_id = largest_plan_id()
            clients = {
                role: sign_in(app, f"{role}@bench.uz", inbox_bench.PASSWORD)
                for role in ("controller", "director")
            }
            gc.collect()
            idle = rss_mib()
            print(f"{'list':<24}{'median ms':>10}{'queries':>9}{'KB':>9}  status")
            for name, path, role in LISTS:
                ms, queries, size, status = measure(
                    app, clients[role], path.format(plan=plan_id), args.repeat
                )
                print(f"{name:<24}{ms:>10.1f}{queries:>9}{size / 1024:>9.1f}  {status}")
            after = rss_mib()
            gc.collect()
            print(f"RSS of this process: idle {idle:.1f} MiB, after the lists {after:.1f} MiB, ", end="")
            print(f"after gc {rss_mib():.1f} MiB")
            if args.serve:
                import serve_load

                serve_load.run(url, f"/plans/{plan_id}", "director@bench.uz", inbox_bench.PASSWORD)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            if not args.keep:
                inbox_bench._admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
