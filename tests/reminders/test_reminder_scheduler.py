"""The scheduler's jobs are defined in code with stable ids; the CLI runs one sweep at a given moment."""

from __future__ import annotations

import re
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select

from tracker.core.time import TASHKENT
from tracker.reminders.models import Reminder
from tracker.reminders.scheduler import JOB_DEFAULTS, build_scheduler


def test_jobs_have_stable_ids_schedules_and_never_overlap(app):
    scheduler = build_scheduler(app, BackgroundScheduler(timezone=TASHKENT, job_defaults=JOB_DEFAULTS))
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {
        "reminders.sweep",
        "reminders.deliver",
        "reminders.daily_digest",
        "reminders.weekly_summary",
        "reports.run_queued",
        "reports.clean",
        "obligations.extend_periods",
    }
    assert all(job.coalesce and job.max_instances == 1 for job in jobs.values())
    start = datetime(2024, 3, 24, 12, 0, tzinfo=TASHKENT)  # a Sunday
    assert jobs["reminders.sweep"].trigger.interval.total_seconds() == 15 * 60
    assert jobs["reminders.daily_digest"].trigger.get_next_fire_time(None, start) == datetime(
        2024, 3, 25, 9, 0, tzinfo=TASHKENT
    )
    weekly = jobs["reminders.weekly_summary"].trigger.get_next_fire_time(None, start)
    assert (weekly.date().isoformat(), weekly.hour, str(weekly.tzinfo)) == ("2024-03-25", 9, "Asia/Tashkent")


def test_scheduler_jobs_command_lists_without_running(app):
    result = app.test_cli_runner().invoke(args=["scheduler", "jobs"])
    assert result.exit_code == 0, result.output
    assert "reminders.daily_digest: cron[" in result.output


def test_run_once_takes_the_moment_from_the_command_line(app, db, make_plan, people):
    make_plan(
        measures=[
            {"number": "1", "title": "T", "deadline_text": "15.03.2024", "lead_unit_id": people.lead.id}
        ]
    )
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reminders", "run-once", "--now", "2024-03-15T00:05"])
    assert result.exit_code == 0, result.output
    assert "claimed: 2 " in result.output
    # where a slow sweep's time went, for the operator: working out what is due, or inserting it
    assert re.search(r"\(finding \d+\.\d\d s, claiming \d+\.\d\d s\)", result.output), result.output
    assert db.session.scalar(select(func.count(Reminder.id)).where(Reminder.event_id.is_(None))) == 2
    again = runner.invoke(args=["reminders", "run-once", "--now", "2024-03-15T08:00+05:00"])
    assert "claimed: 0 " in again.output
    bad = runner.invoke(args=["reminders", "run-once", "--now", "tomorrow"])
    assert bad.exit_code != 0
