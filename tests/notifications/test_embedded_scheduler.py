"""`flask run` runs the reminder jobs in-process when TRACKER_SCHEDULER=embedded (the demo default)."""

from __future__ import annotations

from datetime import datetime

from tracker.core.time import TASHKENT
from tracker.reminders.scheduler import JOBS, embedded_scheduler, should_embed


class _App:
    def __init__(self, mode: str | None, testing: bool = False) -> None:
        self.config = {} if mode is None else {"TRACKER_SCHEDULER": mode}
        self.testing = testing


def test_only_flask_run_in_the_serving_process_embeds_the_scheduler():
    run = ["/srv/.venv/bin/flask", "run"]
    assert should_embed(_App(None), run, {})  # the default (development) is embedded
    assert should_embed(_App("embedded"), run, {})
    assert not should_embed(_App("off"), run, {})  # production: `flask scheduler run` instead
    assert not should_embed(_App("embedded"), ["/srv/.venv/bin/flask", "db", "upgrade"], {})
    assert not should_embed(_App("embedded"), ["gunicorn", "wsgi:app"], {})
    assert not should_embed(_App("embedded", testing=True), run, {})
    # With the reloader, only the child that serves runs it, not the watching parent.
    assert not should_embed(_App("embedded"), run, {"FLASK_DEBUG": "1"})
    assert should_embed(_App("embedded"), run, {"FLASK_DEBUG": "1", "WERKZEUG_RUN_MAIN": "true"})


def test_the_embedded_scheduler_has_every_job_and_sweeps_at_once(app):
    scheduler = embedded_scheduler(app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == set(JOBS)
    # The first sweep is due at start, so a fresh install shows today's reminders at once.
    assert jobs["reminders.sweep"].kwargs == {} and scheduler.state == 0  # built, not started
    pending = {job.id: job for job in scheduler.get_jobs()}
    assert pending["reminders.sweep"].trigger is not None
    assert _first_run(scheduler, "reminders.sweep") <= datetime.now(TASHKENT)
    assert _first_run(scheduler, "reminders.deliver") is None  # the others follow their triggers


def _first_run(scheduler, job_id):
    job = next(j for j in scheduler.get_jobs() if j.id == job_id)
    return getattr(job, "next_run_time", None)
