"""`flask reports`: print a report to a file, run queued report jobs."""

from __future__ import annotations

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
from tracker.reports.splitting import MIN_ROWS

reports_cli = AppGroup("reports", help="PDF reports.")


def warm_up_in_background(is_large: bool) -> None:
    """Start what a fresh process lacks while the database is read and the HTML is made.

    A web worker has WeasyPrint imported, its fonts loaded and its layout helpers running from
    earlier reports; a fresh ``flask reports pdf`` would pay for all of it after the HTML is
    ready. For a large report the helpers start now (they warm up in their own processes);
    WeasyPrint is imported (and its stylesheet and fonts read) in a thread.
    """
    import threading

    from tracker.reports import layout_pool
    from tracker.reports.render import idle_seconds, layout_processes

    processes = layout_processes()
    if is_large and processes > 1:
        layout_pool.prestart(processes - 1, idle_seconds())

    def warm() -> None:
        from tracker.reports import engine

        engine.preload()

    threading.Thread(target=warm, name="reports-warm-up", daemon=True).start()


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
    warm_up_in_background(report_data.count_measures([plan.id], options.as_of) >= MIN_ROWS)
    result = services.build_report(report, keep_helpers=False)  # one-shot: none kept for a next report
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
