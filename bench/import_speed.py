"""Benchmark of importing a 10,000-measure work plan (issue 17, "Bulk import"), on SQLite and PostgreSQL.

Builds an XLSX (or DOCX) in the shape of seed 003 — its preamble (approval, title, period), its
header row, and its 30 measures repeated and renumbered 1…N (mechanisms split into steps, several
responsible units, legal bases, expected results) — then, for each engine, builds an empty
database with the migrations, creates the organization with a few of the seed's units, and times:

* reading and parsing the file into the preview (``preview_file``),
* creating the plan (``import_plan``: measures, steps, responsibles, audit entries, search entries),
* the commit,

and prints the counts of the rows made, so that two runs can be compared. The CPU time of the
benchmark's own process is printed beside the wall-clock figures: on a busy machine it is the
steadier of the two (on PostgreSQL it leaves out the server's share). Figures only; nothing is
asserted. The PostgreSQL database ``bench_import`` (on the server of BENCH_DATABASE_URL, default
``postgresql://postgres@127.0.0.1:5432/postgres``; ``BENCH_DB_NAME`` names another) is created and
dropped; SQLite uses a temporary file.

    .venv/bin/python bench/import_speed.py                       # 10,000 measures, XLSX, both engines
    .venv/bin/python bench/import_speed.py --engine sqlite       # one engine
    .venv/bin/python bench/import_speed.py --measures 1000 --format docx
    .venv/bin/python bench/import_speed.py --runs 3              # three runs each: median, min, max
    .venv/bin/python bench/import_speed.py --profile             # cProfile of import_plan (top 25)

``BENCH_SORT=tottime`` and ``BENCH_TOP=N`` change the profile's order and length. The file repeats
seed 003's 30 measures, so its texts repeat: per-text caches (deadlines, cell text, unit names,
search keys) help it more than a real plan of 10,000 different measures. A DOCX of 10,000
measures is over the 1,000,000 XML elements a file may hold (tracker/imports/safety.py): use XLSX.

The seeds are found in ``../shared/seeds`` or ``TRACKER_SEEDS_DIR``.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DB_NAME", "bench_import")


def _seed_lines() -> list[str]:
    named = os.environ.get("TRACKER_SEEDS_DIR")
    beside = [ROOT.parent / "shared" / "seeds", ROOT.parents[1] / "shared" / "seeds"]
    folders = [Path(named)] if named else beside
    for folder in folders:
        matches = sorted(folder.glob("003_*.txt")) if folder.is_dir() else []
        if matches:
            return matches[0].read_text(encoding="utf-8").splitlines()
    sys.exit(f"seed 003 not found in {', '.join(map(str, folders))} (set TRACKER_SEEDS_DIR)")


def plan_table(count: int) -> tuple[list[str], list[list[str]]]:
    """(preamble lines, table rows with the header first) of a ``count``-measure plan like seed 003."""
    import json

    lines = _seed_lines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("№\t"))
    preamble = [line for line in lines[:header_at] if line.strip()]
    header = lines[header_at].split("\t")
    fixture = json.loads((ROOT / "tracker/demo/fixtures/work_plan_2024_h1.json").read_text(encoding="utf-8"))
    rows = [header]
    for index in range(count):
        measure = fixture["measures"][index % len(fixture["measures"])]
        steps = measure["steps"]
        deadline = "\n".join(s["deadline"] for s in steps) if steps and steps[0]["deadline"] else None
        rows.append(
            [
                f"{index + 1}.",
                measure["title"],
                measure["mechanism"] or "",
                deadline or measure["deadline"] or "",
                measure["legal_basis"] or "",
                measure["expected_result"] or "",
                "\n".join(measure["responsible"]),
            ]
        )
    return preamble, rows


def xlsx_file(preamble: list[str], rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in preamble:
        sheet.append([line])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_file(preamble: list[str], rows: list[list[str]]) -> bytes:
    from docx import Document

    document = Document()
    for line in preamble:
        document.add_paragraph(line)
    table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _postgres_url() -> str:
    url = make_url(SERVER_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    return url.set(database=DB_NAME).render_as_string(hide_password=False)


def _recreate_postgres(drop_only: bool = False) -> None:
    server = SERVER_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"))
        if not drop_only:
            connection.execute(text(f"CREATE DATABASE {DB_NAME}"))
    admin.dispose()


def run(engine: str, filename: str, data: bytes, profile: bool) -> tuple[float, float, float, float]:
    import flask_migrate

    from tracker import create_app
    from tracker.core.models import AuditEntry
    from tracker.extensions import db
    from tracker.imports import services
    from tracker.orgs.models import Organization, Unit
    from tracker.plans.models import Measure, Responsible, Step
    from tracker.search.models import SearchEntry

    folder = tempfile.mkdtemp()
    if engine == "postgresql":
        _recreate_postgres()
        url = _postgres_url()
    else:
        url = f"sqlite:///{folder}/bench.sqlite"
    # No pre-built report: its background layout would run during the next engine's import.
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "ATTACHMENTS_DIR": folder,
            "REPORTS_PREBUILD": False,
        }
    )
    try:
        with app.app_context():
            flask_migrate.upgrade(revision="heads")
            organization = Organization(name="Коррупцияга қарши курашиш агентлиги")
            db.session.add(organization)
            db.session.flush()
            for name in ("Тизимли таҳлил ва прогнозлаштириш йиғма бўлими", "Кадрлар бўлими"):
                db.session.add(Unit(organization_id=organization.id, name=name))
            db.session.commit()

            started, cpu_started = time.perf_counter(), time.process_time()
            preview = services.preview_file(filename, data, organization)
            parsed, cpu_parsed = time.perf_counter(), time.process_time()
            profiler = None
            if profile:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            services.import_plan(preview, organization, actor=None, create_units=True)
            imported, cpu_imported = time.perf_counter(), time.process_time()
            db.session.commit()
            committed, cpu_committed = time.perf_counter(), time.process_time()
            if profiler is not None:
                import pstats

                profiler.disable()
                stats = pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative"))
                stats.print_stats(int(os.environ.get("BENCH_TOP", "25")))

            def count(model: type) -> int:
                return db.session.scalar(select(func.count()).select_from(model)) or 0

            figures = (parsed - started, imported - parsed, committed - imported, committed - started)
            print(
                f"{engine:10} read+preview {figures[0]:6.2f} s   import_plan {figures[1]:6.2f} s   "
                f"commit {figures[2]:5.2f} s   total {figures[3]:6.2f} s   (load {os.getloadavg()[0]:.2f})"
            )
            cpu = (cpu_parsed - cpu_started, cpu_imported - cpu_parsed, cpu_committed - cpu_imported)
            print(
                f"{'':10} CPU of this process: read+preview {cpu[0]:6.2f} s   import_plan {cpu[1]:6.2f} s   "
                f"commit {cpu[2]:5.2f} s   total {sum(cpu):6.2f} s"
            )
            print(
                f"{'':10} rows: {count(Measure)} measures, {count(Step)} steps, "
                f"{count(Responsible)} responsibles, {count(SearchEntry)} search entries, "
                f"{count(AuditEntry)} audit entries"
            )
            db.session.remove()
            return figures
    finally:
        with app.app_context():
            db.engine.dispose()
        if engine == "postgresql":
            _recreate_postgres(drop_only=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=10_000)
    parser.add_argument("--format", choices=("xlsx", "docx"), default="xlsx")
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--runs", type=int, default=1, help="runs per engine (median, min and max)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of import_plan")
    options = parser.parse_args()
    preamble, rows = plan_table(options.measures)
    started = time.perf_counter()
    data = (xlsx_file if options.format == "xlsx" else docx_file)(preamble, rows)
    print(
        f"{options.measures} measures, {options.format.upper()} of {len(data) / 1e6:.1f} MB built in "
        f"{time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.2f}"
    )
    engines = ("sqlite", "postgresql") if options.engine == "both" else (options.engine,)
    for engine in engines:
        runs = [run(engine, f"plan.{options.format}", data, options.profile) for _ in range(options.runs)]
        if options.runs > 1:
            for index, name in enumerate(("read+preview", "import_plan", "commit", "total")):
                values = [r[index] for r in runs]
                print(
                    f"{engine:10} {name:12} median {statistics.median(values):6.2f} s   "
                    f"min {min(values):6.2f} s   max {max(values):6.2f} s   ({options.runs} runs)"
                )
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
