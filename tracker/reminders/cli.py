"""``flask reminders …`` (one run of a job, for operators and tests) and ``flask scheduler run``."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.core.time import TASHKENT
from tracker.reminders import jobs

reminders_cli = AppGroup("reminders", help="Deadline reminders and their e-mail.")
scheduler_cli = AppGroup("scheduler", help="The process that runs periodic jobs.")


def _parse_now(value: str | None) -> datetime | None:
    """ISO date-time; without an offset it is Tashkent time."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use an ISO date-time such as 2024-03-25T09:00+05:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TASHKENT)
    return moment.astimezone(UTC)


_now_option = click.option("--now", "now", metavar="ISO-DATETIME", help="Act as if it were this moment.")


@reminders_cli.command("run-once")
@_now_option
def run_once(now: str | None) -> None:
    """One sweep: claim the reminders due now (in-app at once), then deliver queued e-mail."""
    result = jobs.sweep(_parse_now(now))
    click.echo(
        f"open items: {result.open_items}; reminders due: {result.due}; claimed: {result.claimed} "
        f"(finding {result.finding_seconds:.2f} s, claiming {result.claiming_seconds:.2f} s); "
        f"e-mails sent: {result.sent}; failed: {result.failed}"
    )


def _echo_queued(what: str, result: jobs.DigestResult) -> None:
    click.echo(f"{what} queued: {result.queued}; e-mails sent: {result.sent}; failed: {result.failed}")


@reminders_cli.command("digest")
@_now_option
def digest(now: str | None) -> None:
    """The daily digest: one e-mail per recipient with the reminders not yet e-mailed."""
    _echo_queued("digests", jobs.daily_digest(_parse_now(now)))


@reminders_cli.command("weekly")
@_now_option
def weekly(now: str | None) -> None:
    """The directors' weekly summary of overdue items."""
    _echo_queued("summaries", jobs.weekly_summary(_parse_now(now)))


@reminders_cli.command("deliver")
@_now_option
def deliver(now: str | None) -> None:
    """Send the queued e-mail that is due for an attempt."""
    result = jobs.deliver_outbox(_parse_now(now))
    click.echo(f"e-mails sent: {result.sent}; failed: {result.failed}")


@scheduler_cli.command("run")
def run() -> None:
    """Run the periodic jobs until stopped (one such process per deployment)."""
    from tracker.reminders.scheduler import build_scheduler

    scheduler = build_scheduler(current_app._get_current_object())  # type: ignore[attr-defined]  # Flask types the proxy as Flask
    for job in scheduler.get_jobs():
        click.echo(f"{job.id}: {job.trigger}")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass


@scheduler_cli.command("jobs")
def list_jobs() -> None:
    """List the jobs and their schedules without running them."""
    from apscheduler.schedulers.background import BackgroundScheduler

    from tracker.reminders.scheduler import JOB_DEFAULTS, build_scheduler

    scheduler = build_scheduler(
        current_app._get_current_object(),  # type: ignore[attr-defined]  # Flask types the proxy as Flask
        BackgroundScheduler(timezone=TASHKENT, job_defaults=JOB_DEFAULTS),
    )
    for job in scheduler.get_jobs():
        click.echo(f"{job.id}: {job.trigger}")
