"""Benchmark of the public plan page: 2 gunicorn workers on PostgreSQL under ``wrk -c 32``.

Creates its own database (``bench_open`` on the server of BENCH_DATABASE_URL, default
``postgresql://postgres@127.0.0.1:5432/postgres``), builds the schema with the migrations, loads
the demo (seed 003's work plan of 30 measures, seed 004's roadmap), publishes both, starts
gunicorn with 2 sync workers (per-address limit off: every request comes from 127.0.0.1), warms
the page once, then runs wrk and prints requests per second and the 99th percentile latency,
with the machine's load average before and after (the machine may be shared). Drops the
database at the end. Needs ``wrk`` (``apt-get install wrk``).

    .venv/bin/python bench/open_bench.py [--duration 20] [--connections 32] [--threads 2]
                                         [--path /open/plans/1]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DB_NAME = "bench_open"
PORT = int(os.environ.get("BENCH_PORT", "8716"))


def _url(database: str) -> str:
    return make_url(SERVER_URL).set(database=database).render_as_string(hide_password=False)


def _psycopg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def _admin(statement: str) -> None:
    engine = create_engine(_psycopg(SERVER_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def prepare(environment: dict[str, str]) -> list[int]:
    """Schema, demo data and both plans published; returns the plan ids."""
    _admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    _admin(f"CREATE DATABASE {DB_NAME}")
    flask = [str(ROOT / ".venv" / "bin" / "flask")]
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([*flask, *command], env=environment, check=True, capture_output=True, cwd=ROOT)  # noqa: S603
    engine = create_engine(environment["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        plan_ids = [row[0] for row in connection.execute(text("SELECT id FROM plans ORDER BY id"))]
    engine.dispose()
    for plan_id in plan_ids:
        subprocess.run(  # noqa: S603
            [*flask, "plans", "publish", str(plan_id)],
            env=environment,
            check=True,
            capture_output=True,
            cwd=ROOT,
        )  # noqa: S603
    return plan_ids


def wait_for(url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer {url}")


def worker_cpu_seconds(master_pid: int) -> float:
    """User + system CPU time of gunicorn's workers so far (Linux /proc)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def parse_requests(output: str) -> int:
    return int(re.search(r"(\d+) requests in", output).group(1))


def parse_wrk(output: str) -> tuple[float, str]:
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1)
    return rate, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--path", default=None, help="default: the first plan's public page")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="open-bench-"))
    environment = {
        **os.environ,
        "DATABASE_URL": _url(DB_NAME),
        "FLASK_APP": "wsgi.py",
        "SECRET_KEY": "bench",
        "OPEN_RATE_LIMIT": "0",
        "REPORTS_DIR": str(workdir / "reports"),
        "ATTACHMENTS_DIR": str(workdir / "attachments"),
        "LOG_LEVEL": "WARNING",
    }
    plan_ids = prepare(environment)
    path = args.path or f"/open/plans/{plan_ids[0]}"
    gunicorn = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "wsgi:app",
        ],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{PORT}{path}"
        wait_for(url)
        for _ in range(4):  # each worker renders once; later requests are served from its cache
            urllib.request.urlopen(url, timeout=30).read()  # noqa: S310
        load_before = os.getloadavg()
        cpu_before = worker_cpu_seconds(gunicorn.pid)
        result = subprocess.run(  # noqa: S603
            [  # noqa: S607 (wrk from the PATH, checked above)
                "wrk",
                "-t",
                str(args.threads),
                "-c",
                str(args.connections),
                "-d",
                f"{args.duration}s",
                "--latency",
                url,
            ],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        )
        load_after = os.getloadavg()
        cpu_per_request = (worker_cpu_seconds(gunicorn.pid) - cpu_before) / max(
            1, parse_requests(result.stdout)
        )
        rate, p99 = parse_wrk(result.stdout)
        print(result.stdout)
        print(
            f"{path}: {rate:.0f} req/s, p99 {p99} "
            f"(wrk -t{args.threads} -c{args.connections} -d{args.duration}s, 2 gunicorn workers, PostgreSQL)"
        )
        print(
            f"workers' CPU per request {cpu_per_request * 1000:.2f} ms: two idle cores would serve "
            f"about {2 / cpu_per_request:.0f} req/s"
        )
        print(
            f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} on {os.cpu_count()} cores"
        )
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
        _admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
