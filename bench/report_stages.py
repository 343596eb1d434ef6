"""The status report's request path stage by stage, wall and CPU time (``report_profile.py --stages``).

Runs what a request for a status report does after the view has checked the form, in the same
order and with the same functions: read model (``data``), Jinja (``html``), cache key (``key``),
cut (``split``), the helper's piece sent and the first piece laid out here (``piece 1``), the
wait for the helper (``wait``), pypdf join and "N / M" (``join``), the cache file (``store``);
and, for comparison, the whole report laid out in this one process (``one process``). CPU is
this process's time (``time.process_time``) and, for the helper, its utime + stime from
/proc. Each figure is the median of ``--repeat``; the SQL queries are counted.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from report_fixture import AS_OF


def helper_cpu(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Stopwatch:
    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        self.laps: dict[str, tuple[float, float]] = {}

    def lap(self, name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.laps[name] = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu


def one_request(app, plan_id: int, queries: list[int]) -> tuple[dict[str, tuple[float, float]], str]:  # noqa: ANN001
    """One cache-defeated status report, stage by stage; also the helper's CPU and the pieces."""
    from tracker.extensions import db
    from tracker.plans.models import Plan
    from tracker.reports import engine, layout_pool, numbering, render, services, splitting
    from tracker.reports.data import ReportOptions
    from tracker.reports.models import ReportKind

    db.session.expire_all()
    plan = db.session.get(Plan, plan_id)
    report = services.ReportRequest(
        ReportKind.STATUS, plan.organization_id, plan.id, ReportOptions(as_of=AS_OF, script="cyrl")
    )
    first_query = queries[0]
    watch = Stopwatch()
    data = services.report_data_for(report)
    watch.lap("data")
    html = render.render_html(services.TEMPLATES[report.kind], data)
    watch.lap("html")
    key = services.cache_key(report, html)
    watch.lap("key")
    pieces = splitting.split_html(html, 2, 1)
    assert pieces is not None
    watch.lap("split")
    helper = layout_pool.workers(1)[0]
    helper_start = helper_cpu(helper.process.pid)
    with ThreadPoolExecutor(max_workers=1) as pipe:
        future = pipe.submit(helper.pdf, pieces[1])
        first = engine.piece_pdf(pieces[0])
        watch.lap("piece 1")
        second = future.result()
        watch.lap("wait")
    helper_seconds = helper_cpu(helper.process.pid) - helper_start
    pdf = numbering.merge([first, second])
    watch.lap("join")
    path = services.cached_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    watch.lap("store")
    laps = dict(watch.laps)
    laps["helper's piece 2"] = (float("nan"), helper_seconds)
    laps["request total"] = tuple(sum(v[i] for n, v in watch.laps.items()) for i in (0, 1))  # type: ignore[assignment]
    watch.lap("-")
    engine.write_pdf(html)
    watch.lap("one process")
    laps["one process"] = watch.laps["one process"]
    laps["queries"] = (float(queries[0] - first_query), float("nan"))
    sizes = "/".join(f"{len(p) // 1024}" for p in pieces)
    return laps, f"{len(html) // 1024} KiB of HTML, pieces {sizes} KiB, {len(pdf) // 1024} KiB of PDF"


def print_stages(app, sizes: list[tuple[int, int]], repeat: int) -> None:  # noqa: ANN001
    from sqlalchemy import event

    from tracker.extensions import db
    from tracker.reports import engine, layout_pool, numbering

    with app.app_context():
        queries = [0]

        def count(*_args: object) -> None:
            queries[0] += 1

        event.listen(db.engine, "before_cursor_execute", count)
        layout_pool.workers(1)
        engine.warm_up()
        numbering.footer_glyphs()
        for count_of_measures, plan_id in sizes:
            one_request(app, plan_id, queries)  # warm: helper ready, caches filled
            runs: dict[str, list[tuple[float, float]]] = defaultdict(list)
            for _ in range(repeat):
                laps, shape = one_request(app, plan_id, queries)
                for name, value in laps.items():
                    runs[name].append(value)
            load = os.getloadavg()[0]
            print(f"status report, {count_of_measures} measures ({shape}); load average {load:.2f}")
            print(f"  {'stage':18} {'wall s':>8} {'CPU s':>8}   (median of {repeat})")
            for name, values in runs.items():
                wall = statistics.median(v[0] for v in values)
                cpu = statistics.median(v[1] for v in values)
                print(f"  {name:18} {wall:8.3f} {cpu:8.3f}")
        layout_pool.stop_workers()
