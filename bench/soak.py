"""Does a worker stay as fast and as small after 20,000 requests as after its first hundred?

A page that costs a little more each time it is served (state that grows per request: a class
attribute appended to, a cache without a bound) does not show in a bench of a few dozen
requests: the lists bench measures a fresh process. This serves every list of bench/lists.py in
turn, as their readers, in one process (Flask test client, PostgreSQL), and prints the CPU time
a request over each window and the process's resident memory after a garbage collection. A
healthy worker gives flat rows. Figures only; nothing here asserts a time.

Runs on the database ``bench/lists.py --keep`` leaves (``bench_lists``: 10,000 measures):

    .venv/bin/python bench/lists.py --keep
    .venv/bin/python bench/soak.py [--requests 20000] [--window 1000]

Found this way (2 December): each form made added one more strip filter to its class, so the
plan page cost 11.0 ms of CPU at the start of a worker, 18.3 ms after 5,000 requests and 28.7 ms
after 20,000 (``tracker/core/forms.py``).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import inbox_bench  # noqa: E402  (the bench databases' server and password)
from lists import LISTS, bench_app, database_url, largest_plan_id, rss_mib  # noqa: E402
from timed_requests import sign_in  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20_000, help="requests in all (default 20,000)")
    parser.add_argument("--window", type=int, default=1_000, help="requests a printed row (default 1,000)")
    args = parser.parse_args()

    from tracker.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = bench_app(database_url(), tmp)
        with app.app_context():
            plan_id = largest_plan_id()
            db.session.remove()
        clients = {role: sign_in(app, f"{role}@bench.uz", inbox_bench.PASSWORD) for _, _, role in LISTS}
        pages = [(path.format(plan=plan_id), clients[role]) for _, path, role in LISTS]
        for page, client in pages:  # warm-up: templates compiled, caches filled
            client.get(page)
        gc.collect()
        print(f"{len(pages)} lists in turn (bench/lists.py), {args.requests:,} requests;", end=" ")
        print(f"RSS {rss_mib():.1f} MiB")
        print(f"{'requests':>10}{'CPU ms/request':>16}{'slowest list, CPU ms':>22}{'RSS MiB':>9}")
        served, first = 0, None
        while served < args.requests:
            per_page: dict[str, list[float]] = {}
            started = time.process_time()
            for _ in range(args.window):
                page, client = pages[served % len(pages)]
                one = time.process_time()
                status = client.get(page).status_code
                assert status in (200, 302), (page, status)
                per_page.setdefault(page, []).append(time.process_time() - one)
                served += 1
            cpu_ms = (time.process_time() - started) * 1000 / args.window
            slowest = max(statistics.median(times) for times in per_page.values()) * 1000
            gc.collect()
            first = first or cpu_ms
            print(f"{served:>10,}{cpu_ms:>16.2f}{slowest:>22.1f}{rss_mib():>9.1f}", flush=True)
        print(f"last window against the first: {cpu_ms / first:.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
