"""The one process that runs the periodic jobs (``flask scheduler run``), never a web worker.

Jobs are defined here in code with stable ids; ``coalesce`` folds runs missed while the process
was down into one, ``max_instances=1`` keeps a slow run from overlapping the next. Running two
scheduler processes by mistake is still safe: every job claims rows in the database first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from tracker.core.time import TASHKENT
from tracker.obligations.jobs import extend_periods
from tracker.reminders import jobs
from tracker.reports import jobs as report_jobs
from tracker.reports.cleanup import clean_reports_job

logger = logging.getLogger(__name__)

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 15 * 60}


def _in_app(app: Flask, job: Callable[[], Any]) -> Callable[[], None]:
    def run() -> None:
        with app.app_context():
            try:
                result = job()
                logger.info("job %s finished: %s", job.__name__, result)
            finally:
                from tracker.extensions import db

                db.session.remove()

    run.__name__ = job.__name__
    return run


#: id → (job, trigger factory); ids are stable so logs and operators can refer to them.
JOBS: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {
    "reminders.sweep": (jobs.sweep, lambda: IntervalTrigger(minutes=15, timezone=TASHKENT)),
    "reminders.deliver": (jobs.deliver_outbox, lambda: IntervalTrigger(minutes=1, timezone=TASHKENT)),
    # Report jobs queued while no web worker ran them (a restart), or abandoned by a dead worker.
    "reports.run_queued": (report_jobs.run_queued, lambda: IntervalTrigger(minutes=1, timezone=TASHKENT)),
    # Finished report jobs after a week, cached PDFs nobody opened for a month.
    "reports.clean": (clean_reports_job, lambda: CronTrigger(hour=3, minute=0, timezone=TASHKENT)),
    "reminders.daily_digest": (jobs.daily_digest, lambda: CronTrigger(hour=9, minute=0, timezone=TASHKENT)),
    # Standing obligations: periods of the rolling horizon exist before their reminders are due.
    "obligations.extend_periods": (extend_periods, lambda: CronTrigger(hour=0, minute=30, timezone=TASHKENT)),
    "reminders.weekly_summary": (
        jobs.weekly_summary,
        lambda: CronTrigger(day_of_week="mon", hour=9, minute=0, timezone=TASHKENT),
    ),
}


def build_scheduler(
    app: Flask, scheduler: BaseScheduler | None = None, *, sweep_now: bool = False
) -> BaseScheduler:
    """A scheduler with every job added (not started); ``sweep_now`` runs the first sweep at start."""
    from datetime import datetime

    scheduler = scheduler or BlockingScheduler(timezone=TASHKENT, job_defaults=JOB_DEFAULTS)
    for job_id, (job, trigger) in JOBS.items():
        first = {"next_run_time": datetime.now(TASHKENT)} if sweep_now and job_id == "reminders.sweep" else {}
        scheduler.add_job(
            _in_app(app, job),
            trigger(),
            id=job_id,
            name=job_id,
            replace_existing=True,
            **JOB_DEFAULTS,
            **first,
        )
    return scheduler


def should_embed(app: Flask, argv: list[str] | None = None, environ: dict[str, str] | None = None) -> bool:
    """``flask run`` with ``TRACKER_SCHEDULER=embedded``: in the serving process (not the reloader's)."""
    import os
    import sys

    argv = sys.argv if argv is None else argv
    environ = dict(os.environ) if environ is None else environ
    if app.config.get("TRACKER_SCHEDULER", "embedded") != "embedded" or app.testing:
        return False
    is_flask_run = (
        len(argv) >= 2 and os.path.basename(argv[0]) in ("flask", "__main__.py") and "run" in argv[1:]
    )
    if not is_flask_run:
        return False
    reloading = "--reload" in argv or (
        environ.get("FLASK_DEBUG", "").lower() in ("1", "true") and "--no-reload" not in argv
    )
    return not reloading or environ.get("WERKZEUG_RUN_MAIN") == "true"


def embedded_scheduler(app: Flask) -> BaseScheduler:
    """The jobs for a background thread of this process, the first sweep due at once (not started).

    For ``flask run`` (the demo and development): a fresh install shows today's reminders as
    soon as it starts. Production runs ``flask scheduler run`` as its own process instead.
    """
    from apscheduler.schedulers.background import BackgroundScheduler

    return build_scheduler(
        app, BackgroundScheduler(timezone=TASHKENT, job_defaults=JOB_DEFAULTS, daemon=True), sweep_now=True
    )


def start_embedded_if_asked(app: Flask) -> BaseScheduler | None:
    if not should_embed(app):
        return None
    scheduler = embedded_scheduler(app)
    scheduler.start()
    app.extensions["tracker_scheduler"] = scheduler
    logger.info("scheduler running inside this process (TRACKER_SCHEDULER=embedded)")
    return scheduler
