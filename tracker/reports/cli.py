"""`flask reports`: print a report to a file, run queued report jobs."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from tracker.core.time import today
from tracker.extensions import db
from tracker.plans.models import Plan
from tracker.reports import data as report_data
from tracker.reports import jobs, services
from tracker.reports.data import OPTIONAL_COLUMNS, OVERDUE, ReportOptions
from tracker.reports.models import ReportKind

reports_cli = AppGroup("reports", help="PDF reports.")


def warm_up_in_background(rows: int) -> Callable[[int], None]:
    """Start what a fresh process lacks while the database is read and the HTML is made.

    A web worker has WeasyPrint imported, its fonts loaded and its layout helpers warm from
    earlier reports, so it cuts a table of REPORTS_PARALLEL_MIN_ROWS rows or more in pieces.
    Here the helpers start now (in their own processes, in parallel with this one) and a thread
    imports WeasyPrint and lays out a small page (fonts, Pango). The returned progress callback
    waits, right before the layout, for the thread and (briefly) for the helpers: when they are
    warm the report is cut as a warm web worker cuts it, instead of being laid out here alone.
    """
    import threading

    from tracker.reports.render import helper_pool, parallel_min_rows, start_helpers

    helpers = start_helpers() if rows >= parallel_min_rows() else 0
    pool = helper_pool()

    def warm() -> None:
        from tracker.reports import engine

        engine.warm_up()  # the first layout of a process is the slow one (fonts, Pango)

    warming = threading.Thread(target=warm, name="reports-warm-up", daemon=True)
    warming.start()

    def before_layout(percent: int) -> None:
        # build_report says 30 once the HTML is ready, just before the layout starts.
        if percent != 30:
            return
        warming.join(WARM_UP_WAIT_SECONDS)  # the layout needs what it loads anyway; no two layouts at once
        deadline = time.monotonic() + HELPER_GRACE_SECONDS
        while helpers and not pool.has_ready(helpers) and time.monotonic() < deadline:
            time.sleep(0.01)

    return before_layout


#: Bounds on the waits before the layout: the warm-up thread (normally done by then) and the
#: helpers (warm about when the thread is, each on its own core; waiting longer than a fraction of
#: the layout they would share costs more than it saves, and parallel.render decides without them).
WARM_UP_WAIT_SECONDS = 30.0
HELPER_GRACE_SECONDS = 0.3


@reports_cli.command("pdf")
@click.argument("plan_id", type=int)
@click.option("--kind", type=click.Choice([k.value for k in ReportKind]), default="status", show_default=True)
@click.option(
    "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d", "%d.%m.%Y"]), help="Default: today."
)
@click.option("--script", type=click.Choice(["cyrl", "latn"]), default="cyrl", show_default=True)
@click.option("--unit", "unit_id", type=int, help="Only measures of this unit (id).")
@click.option("--status", help=f"Only measures with this status (or {OVERDUE!r}).")
@click.option("--column", "columns", multiple=True, type=click.Choice(OPTIONAL_COLUMNS), help="Extra column.")
@click.option("--include-pending", is_flag=True, help="Count claims still awaiting review.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def pdf_command(
    plan_id: int,
    kind: str,
    as_of: datetime | None,
    script: str,
    unit_id: int | None,
    status: str | None,
    columns: tuple[str, ...],
    include_pending: bool,
    output: Path,
) -> None:
    """Write the report of plan PLAN_ID to a PDF file (the CLI sees every plan)."""
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise click.ClickException(f"no plan {plan_id}")
    try:
        options = ReportOptions(
            as_of=as_of.date() if as_of else today(),
            script=script,
            unit_id=unit_id,
            status=status,
            columns=columns,
            include_pending=include_pending,
        )
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    report = services.ReportRequest(ReportKind(kind), plan.organization_id, plan.id, options)
    before_layout = warm_up_in_background(report_data.count_measures([plan.id], options.as_of))
    # one-shot: no helper kept for a next report
    result = services.build_report(report, before_layout, keep_helpers=False)
    output.write_bytes(result.path.read_bytes())
    click.echo(f"{output} ({'cached' if result.is_cached else 'rendered'}, {result.key[:12]})")


@reports_cli.command("work")
@click.option("--limit", type=int, help="Stop after this many jobs.")
def work_command(limit: int | None) -> None:
    """Build the report jobs waiting in the queue (e.g. after a restart)."""
    click.echo(f"{jobs.run_queued(limit)} report(s) built")


@reports_cli.command("clean")
def clean_command() -> None:
    """Remove finished report jobs and cached PDFs past their keeping time (the scheduler does it daily)."""
    from tracker.reports.cleanup import clean_reports_job

    click.echo(clean_reports_job())
