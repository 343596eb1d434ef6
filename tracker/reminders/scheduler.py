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
    "reminders.daily_digest": (jobs.daily_digest, lambda: CronTrigger(hour=9, minute=0, timezone=TASHKENT)),
    # Standing obligations: periods of the rolling horizon exist before their reminders are due.
    "obligations.extend_periods": (extend_periods, lambda: CronTrigger(hour=0, minute=30, timezone=TASHKENT)),
    "reminders.weekly_summary": (
        jobs.weekly_summary,
        lambda: CronTrigger(day_of_week="mon", hour=9, minute=0, timezone=TASHKENT),
    ),
}


def build_scheduler(app: Flask, scheduler: BaseScheduler | None = None) -> BaseScheduler:
    """A scheduler with every job added (not started)."""
    scheduler = scheduler or BlockingScheduler(timezone=TASHKENT, job_defaults=JOB_DEFAULTS)
    for job_id, (job, trigger) in JOBS.items():
        scheduler.add_job(
            _in_app(app, job), trigger(), id=job_id, name=job_id, replace_existing=True, **JOB_DEFAULTS
        )
    return scheduler
