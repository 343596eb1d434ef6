"""Where WeasyPrint spends its time on our status reports (cProfile), in one process.

    .venv/bin/python bench/report_profile.py [--large 300] [--top 30] [--html-dir DIR]
    .venv/bin/python bench/report_profile.py --stages [--database-url URL] [--repeat 5]

``--stages`` times the whole request path instead, stage by stage, wall and CPU (the helper's
too), with its SQL queries (bench/report_stages.py); ``--database-url`` names a scratch
database, which is EMPTIED.

Builds the bench content in a throw-away SQLite database (bench/report_fixture.py), lays out
the 30-measure and the large report once to warm up, then profiles one layout + write of each
(one process, no parallel pieces) and prints the top functions by cumulative and own time,
grouped: style cascade (css), table layout (layout), text shaping and line breaking (text/
pango), fonts (fonts, subsetting) and PDF writing (pdf). Figures only.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from report_fixture import fill, reset_database, status_html

GROUPS = (
    ("css", ("weasyprint/css",)),
    ("layout", ("weasyprint/layout",)),
    ("text", ("weasyprint/text",)),
    ("fonts", ("weasyprint/text/fonts", "fontTools")),
    ("pdf", ("weasyprint/pdf", "pydyf")),
    ("html", ("html5lib", "tinyhtml5", "weasyprint/html")),
)


def groups(stats: pstats.Stats) -> dict[str, float]:
    """Own time per group of modules."""
    out: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), (_cc, _nc, own, _cum, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        path = filename.replace("\\", "/")
        for group, needles in reversed(GROUPS):
            if any(n in path for n in needles):
                out[group] += own
                break
        else:
            out["other"] += own
    return dict(out)


def profile(html: str, top: int) -> None:
    from tracker.reports import engine

    engine.write_pdf(html)  # warm: fonts, stylesheets, caches
    start = time.perf_counter()
    engine.write_pdf(html)
    plain = time.perf_counter() - start
    profiler = cProfile.Profile()
    profiler.enable()
    document = engine.layout(html)
    engine.write(document)
    profiler.disable()
    print(f"  {len(document.pages)} pages; {plain:.2f} s without the profiler")
    stats = pstats.Stats(profiler)
    total = sum(groups(stats).values())
    print(
        "  own time by group: " + ", ".join(f"{g} {t / total:.0%}" for g, t in sorted(groups(stats).items()))
    )
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        print(f"  -- top {top} by {order} --")
        print("\n".join("    " + line for line in out.getvalue().splitlines()[6:] if line.strip()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--html-dir", type=Path, help="Also write the two HTML files here.")
    parser.add_argument("--stages", action="store_true", help="Time the request path stage by stage.")
    parser.add_argument("--database-url", help="A scratch database (emptied); default SQLite in a temp dir.")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from config import normalise_database_url
    from tracker import create_app

    folder = Path(tempfile.mkdtemp(prefix="report-profile-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
            "SECRET_KEY": "bench",
            "REPORTS_DIR": str(folder / "reports"),
            "REPORTS_WORKER": "off",
            "REPORTS_PREBUILD": False,
        }
    )
    reset_database(app)
    plans = fill(app, args.large)
    if args.stages:
        from report_stages import print_stages

        sizes = [(plans.small_measures, plans.small_id), (plans.large_measures, plans.large_id)]
        print_stages(app, sizes, args.repeat)
        shutil.rmtree(folder, ignore_errors=True)
        return
    for _name, plan_id, count in (
        ("small", plans.small_id, plans.small_measures),
        ("large", plans.large_id, plans.large_measures),
    ):
        html = status_html(app, plan_id)
        if args.html_dir:
            args.html_dir.mkdir(parents=True, exist_ok=True)
            (args.html_dir / f"status-{count}.html").write_text(html, encoding="utf-8")
        print(f"status report, {count} measures ({len(html) // 1024} KiB of HTML)")
        with app.app_context():
            profile(html, args.top)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
