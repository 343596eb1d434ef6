"""Report speed, the rows of issue 17's table: over HTTP, from the CLI, and Chromium alongside.

    .venv/bin/python bench/report_speed.py \\
        [--database-url postgresql://postgres@127.0.0.1:5432/SCRATCH_DB] [--runs 3] [--repeat 5] \\
        [--python OTHER_VENV/bin/python]

The database named by ``--database-url`` is EMPTIED and filled with the bench content
(bench/report_fixture.py: the demo's 2024 H1 work plan with ~800-character notes, and a plan of
``--large`` measures); without it, a throw-away SQLite file is used. Then, ``--runs`` times:

- status report PDF of 30 and of 300 measures over HTTP: gunicorn with ``--workers`` (2) sync
  workers, signed in as the demo viewer, the report cache emptied before every request (cache
  defeated), median of ``--repeat``; the large report is answered in the request (the
  background threshold is raised), as in the issue's measurement;
- the same request again with the cache kept (what a pre-built report gives);
- a fresh ``chromium --headless --print-to-pdf`` of the very same HTML right after each cold
  request (median of ``--repeat``); the ratio is the median of those pairs' ratios, so a busy
  moment of the machine weighs on both sides of it;
- ``flask reports pdf`` for 30 and 300 measures, a fresh process each time, cache defeated;
- ``flask --help``;
- a fresh process building the app, and the same process importing only the third-party modules
  the app loads (bench/startup.py: the floor no change to tracker can remove);
- the server's peak memory so far: master, workers and their layout helpers summed, sampled
  every 0.1 s from its start, as resident sizes and with shared pages counted once (PSS: a
  forked process shares its parent's pages, which resident sizes count twice).

The project's bytecode is compiled first (``python -m compileall``), as a production install has
it: with PYTHONDONTWRITEBYTECODE=1 and no ``__pycache__``, every fresh process (the CLI rows,
each gunicorn worker) would compile tracker's modules again (~0.2 s) and the CLI rows would
measure the compiler. ``--no-compile`` measures that case.

Each run prints its figures with the load average; the summary prints each row's median over
the runs and their spread (min–max). Figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

import startup
from report_fixture import AS_OF, ROOT, VIEWER, fill, reset_database, status_html
from serve_load import PeakMemory, tree_rss_kib

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
SECRET = "report-bench-" + "k" * 40


def chromium_pdf(html: str, folder: Path, name: str) -> tuple[float, Path]:
    """Seconds for a fresh headless Chromium to print ``html`` (stylesheet and fonts from static)."""
    from tracker.reports.assets import STATIC_ROOT

    page_dir = folder / f"chromium-{name}"
    page_dir.mkdir(exist_ok=True)
    for sub in ("css", "fonts"):
        link = page_dir / sub
        if not link.exists():
            link.symlink_to(STATIC_ROOT / sub)
    page = page_dir / "report.html"
    page.write_text(html, encoding="utf-8")
    out = page_dir / "report.pdf"
    start = time.perf_counter()
    subprocess.run(  # noqa: S603
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={page_dir / 'profile'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
    )
    elapsed = time.perf_counter() - start
    shutil.rmtree(page_dir / "profile", ignore_errors=True)
    return elapsed, out


def pages(data: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(data)).pages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with sync workers on ``url``, reports written to ``reports``."""

    def __init__(self, database_url: str, reports: Path, workers: int, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = server_env(database_url, reports)
        self.log = log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "300",
                "--bind",
                f"127.0.0.1:{self.port}",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _attempt in range(600):  # up to a minute for the workers to start
            try:
                self.opener.open(self.base + "/login", timeout=5).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn did not start; see {log}")
        # master, workers and their layout helpers, from the start to the end of the bench
        self.idle_kib = tree_rss_kib(self.process.pid, helpers=True)
        self.memory = PeakMemory(self.process.pid, helpers=True).start()

    def sign_in(self, email: str, password: str) -> None:
        page = self.opener.open(self.base + "/login").read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert token, "no CSRF token on the sign-in page"
        body = urllib.parse.urlencode({"csrf_token": token.group(1), "email": email, "password": password})
        self.opener.open(self.base + "/login", data=body.encode()).read()

    def get(self, path: str) -> tuple[float, bytes, dict[str, str]]:
        start = time.perf_counter()
        with self.opener.open(self.base + path, timeout=600) as response:
            data = response.read()
            headers = dict(response.headers)
        return time.perf_counter() - start, data, headers

    def stop(self) -> None:
        self.memory.stop()
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


#: Settings passed on to the server and the CLI (``--parallel-min-rows``).
EXTRA_ENV: dict[str, str] = {}


def server_env(database_url: str, reports: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "REPORTS_"))}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET,
        REPORTS_DIR=str(reports),
        REPORTS_BACKGROUND_THRESHOLD="100000",  # answered in the request, as measured in the issue
        REPORTS_PREBUILD="0",
        PYTHONPATH=str(ROOT),
    )
    env.update(EXTRA_ENV)
    return env


def median(values: list[float]) -> float:
    return statistics.median(values)


def cli_pdf(env: dict[str, str], plan_id: int, folder: Path) -> float:
    """Seconds for a fresh ``flask reports pdf`` process, cache defeated."""
    shutil.rmtree(env["REPORTS_DIR"], ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(  # noqa: S603
        [
            PYTHON,
            "-m",
            "flask",
            "reports",
            "pdf",
            str(plan_id),
            "--as-of",
            AS_OF.isoformat(),
            "-o",
            str(folder / "cli.pdf"),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def one_run(server: Server, plans, html: dict[int, str], folder: Path, repeat: int) -> dict[str, float]:  # noqa: ANN001
    figures: dict[str, float] = {}
    reports = Path(server.env["REPORTS_DIR"])
    for count, plan_id in ((plans.small_measures, plans.small_id), (plans.large_measures, plans.large_id)):
        url = f"/plans/{plan_id}/report.pdf?kind=status&as_of={AS_OF.isoformat()}&script=cyrl"
        for _warm in range(2):  # each worker: WeasyPrint imported, fonts loaded, helpers started
            shutil.rmtree(reports, ignore_errors=True)
            server.get(url)
        cold, hits, chromium = [], [], []
        # Each tracker request is followed by Chromium on the same HTML: the pair sees the same
        # machine, so a busy minute on a shared host moves both figures, not just their ratio.
        for _ in range(repeat):
            shutil.rmtree(reports, ignore_errors=True)
            seconds, data, headers = server.get(url)
            assert headers.get("X-Report-Cache") == "miss" and data.startswith(b"%PDF"), headers
            cold.append(seconds)
            chromium.append(chromium_pdf(html[count], folder, str(count)))
        for _ in range(repeat):
            seconds, _pdf, headers = server.get(url)  # ``data`` keeps the cold answer for its pages
            assert headers.get("X-Report-Cache") == "hit", headers
            hits.append(seconds)
        figures[f"http {count}"] = median(cold)
        figures[f"http {count} pages"] = pages(data)
        figures[f"cache hit {count} (ms)"] = median(hits) * 1000
        figures[f"chromium {count}"] = median([c[0] for c in chromium])
        figures[f"chromium {count} pages"] = pages(chromium[-1][1].read_bytes())
        pairs = zip(cold, chromium, strict=True)
        figures[f"tracker / chromium {count}"] = median([t / c[0] for t, c in pairs])
        cli_env = dict(server.env, REPORTS_DIR=str(folder / "cli-reports"))
        figures[f"flask reports pdf {count}"] = median(
            [cli_pdf(cli_env, plan_id, folder) for _ in range(repeat)]
        )
    helps = []
    for _ in range(repeat):
        start = time.perf_counter()
        command = [PYTHON, "-m", "flask", "--help"]
        subprocess.run(command, cwd=ROOT, env=server.env, check=True, capture_output=True)  # noqa: S603
        helps.append(time.perf_counter() - start)
    figures["flask --help"] = median(helps)
    start = startup.app_start(repeat, server.env)
    figures["app start"], figures["app start, libraries alone"] = start.app, start.libraries
    figures["app start, fixed stack alone"] = start.fixed_stack
    figures["server peak (MiB)"] = server.memory.peak / 1024
    figures["server peak, shared once (MiB)"] = server.memory.peak_pss / 1024
    return figures


def print_run(index: int, figures: dict[str, float], load: tuple[float, float]) -> None:
    print(f"run {index}: load average {load[0]:.2f} before, {load[1]:.2f} after")
    for name, value in figures.items():
        print(f"  {name:32} {value:8.2f}")


def print_summary(runs: list[dict[str, float]], plans, idle_mib: float) -> None:  # noqa: ANN001
    rows: dict[str, list[float]] = defaultdict(list)
    for figures in runs:
        for name, value in figures.items():
            rows[name].append(value)

    def cell(name: str, unit: str = "s") -> str:
        values = rows[name]
        return f"{median(values):.2f} {unit} ({min(values):.2f}–{max(values):.2f})"

    print(f"\nsummary over {len(runs)} run(s): median of the runs' medians (min–max)")
    print("| work | tracker | Chromium | tracker / Chromium | cache hit |")
    print("|---|---|---|---|---|")
    for count in (plans.small_measures, plans.large_measures):
        ratio = rows[f"tracker / chromium {count}"]  # each run's median of its request pairs
        print(
            f"| status report PDF, {count} measures | {cell(f'http {count}')}, "
            f"{int(rows[f'http {count} pages'][0])} pages | {cell(f'chromium {count}')}, "
            f"{int(rows[f'chromium {count} pages'][0])} pages | {median(ratio):.2f} "
            f"({min(ratio):.2f}–{max(ratio):.2f}) | {cell(f'cache hit {count} (ms)', 'ms')} |"
        )
    small, large = plans.small_measures, plans.large_measures
    gaps = [
        (c - h, cl - hl)
        for c, h, cl, hl in zip(
            rows[f"flask reports pdf {small}"],
            rows[f"http {small}"],
            rows[f"flask reports pdf {large}"],
            rows[f"http {large}"],
            strict=True,
        )
    ]
    print(
        f"| `flask reports pdf`, {small} / {large} measures | {cell(f'flask reports pdf {small}')} / "
        f"{cell(f'flask reports pdf {large}')}; over HTTP by {median([g[0] for g in gaps]):+.2f} s / "
        f"{median([g[1] for g in gaps]):+.2f} s | – | – | – |"
    )
    print(
        f"| `flask --help` / a process building the app | {cell('flask --help')} / {cell('app start')}; "
        f"the same process importing only the libraries the app loads: {cell('app start, libraries alone')}, "
        f"only the fixed stack: {cell('app start, fixed stack alone')}"
        " | – | – | – |"
    )
    print(
        f"| peak memory of the server (master, workers, layout helpers) | "
        f"{cell('server peak (MiB)', 'MiB')} resident, {cell('server peak, shared once (MiB)', 'MiB')} "
        f"with shared pages counted once; {idle_mib:.0f} MiB after start | – | – | – |"
    )


def compile_bytecode() -> None:
    """What a production install does once: ``__pycache__`` for tracker, config.py and wsgi.py."""
    targets = [str(ROOT / name) for name in ("tracker", "config.py", "wsgi.py")]
    subprocess.run([PYTHON, "-m", "compileall", "-q", *targets], check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", help="A scratch database: it is emptied. Default: SQLite in a temp dir."
    )
    parser.add_argument("--large", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--parallel-min-rows",
        type=int,
        help="REPORTS_PARALLEL_MIN_ROWS for the server and the CLI (default 24: a 30-measure report is "
        "cut in two when a warm helper waits; 60 keeps it in one process, as before).",
    )
    parser.add_argument(
        "--no-compile", action="store_true", help="Do not compile the bytecode first (see above)."
    )
    parser.add_argument(
        "--python", help="Run the server, the CLI and the start-up rows on another virtualenv's interpreter."
    )
    args = parser.parse_args()
    if args.python:
        global PYTHON  # noqa: PLW0603 (a script's setting, read by every function here)
        PYTHON = startup.PYTHON = args.python
    if not args.no_compile:
        compile_bytecode()
    if args.parallel_min_rows:
        EXTRA_ENV["REPORTS_PARALLEL_MIN_ROWS"] = str(args.parallel_min_rows)

    folder = Path(tempfile.mkdtemp(prefix="report-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite'}"
    from config import normalise_database_url
    from tracker import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
            "SECRET_KEY": SECRET,
            "REPORTS_DIR": str(folder / "reports"),
            "REPORTS_WORKER": "off",
            "REPORTS_PREBUILD": False,
        }
    )
    reset_database(app)
    plans = fill(app, args.large)
    html = {
        plans.small_measures: status_html(app, plans.small_id),
        plans.large_measures: status_html(app, plans.large_id),
    }
    with app.app_context():
        from tracker.extensions import db

        db.engine.dispose()  # the server processes use the database from here on
    print(
        f"database: {url.split('@')[-1]}; {args.workers} sync gunicorn workers; {os.cpu_count()} CPUs; "
        f"REPORTS_PARALLEL_MIN_ROWS={EXTRA_ENV.get('REPORTS_PARALLEL_MIN_ROWS', 'default (24)')}"
    )
    print(startup.interpreter())
    server = Server(url, folder / "reports", args.workers, folder / "gunicorn.log")
    runs = []
    try:
        server.sign_in(*VIEWER)
        for index in range(1, args.runs + 1):
            before = os.getloadavg()[0]
            figures = one_run(server, plans, html, folder, args.repeat)
            runs.append(figures)
            print_run(index, figures, (before, os.getloadavg()[0]))
    finally:
        server.stop()
    print_summary(runs, plans, server.idle_kib / 1024)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
