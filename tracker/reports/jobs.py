"""Building report jobs: claimed in the database, so running one twice does no harm.

In the web process a single worker thread takes jobs one at a time (``REPORTS_WORKER=thread``,
the default; a 2-core machine gains nothing from rendering two PDFs at once). ``flask reports
work`` and the scheduler process (every minute) run whatever is waiting, e.g. jobs left behind
by a restart. The state and progress live in the ``report_jobs`` row, so any web worker can
show them.

A claimed job carries a lease (``REPORTS_LEASE_SECONDS``) that the worker renews with every
progress step. A worker that dies leaves a "running" job whose lease runs out; such a job is
claimable again, by the next request for the same report or by the scheduler.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, cast

from flask import Flask, current_app
from sqlalchemy import ColumnElement, CursorResult, or_, select, update

from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.reports import services
from tracker.reports.models import JobState, ReportJob

logger = logging.getLogger(__name__)

#: How often a waiting page looks at a job run by another process.
POLL_SECONDS = 0.2

_executor: ThreadPoolExecutor | None = None
#: Notified whenever a job of this process moves on, so a page waiting in this process hears at once.
changed = threading.Condition()


def _notify() -> None:
    with changed:
        changed.notify_all()


def _lease_end() -> datetime:
    return utcnow() + timedelta(seconds=int(current_app.config.get("REPORTS_LEASE_SECONDS", 300)))


def _claimable() -> ColumnElement[bool]:
    """Queued jobs whose time has come, and running jobs whose worker stopped renewing the
    lease (it died)."""
    now = utcnow()
    due = (ReportJob.state == JobState.QUEUED) & (
        ReportJob.not_before.is_(None) | (ReportJob.not_before <= now)
    )
    lapsed = (ReportJob.state == JobState.RUNNING) & (
        ReportJob.lease_expires_at.is_(None) | (ReportJob.lease_expires_at < now)
    )
    return or_(due, lapsed)


def claim(job_id: int) -> bool:
    """Take a queued (or abandoned) job with a fresh lease; False when another worker holds it."""
    # An UPDATE gives a CursorResult (it has rowcount); Session.execute is typed as plain Result.
    result = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(ReportJob)
            .where(ReportJob.id == job_id, _claimable())
            .values(state=JobState.RUNNING, started_at=utcnow(), progress=5, lease_expires_at=_lease_end())
            .execution_options(synchronize_session=False)
        ),
    )
    db.session.commit()
    return result.rowcount == 1


def _set_progress(job_id: int, value: int) -> None:
    db.session.execute(
        update(ReportJob)
        .where(ReportJob.id == job_id)
        .values(progress=min(max(value, 0), 99), lease_expires_at=_lease_end())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()  # progress is for other processes to read: it must be visible now
    _notify()


def _claimed_job(job_id: int) -> ReportJob:
    """The job this process has just claimed: only this worker changes it until it finishes."""
    job = db.session.get(ReportJob, job_id)
    assert job is not None
    return job


def run_job(job_id: int) -> ReportJob | None:
    """Build one job's PDF and record the outcome; a job already claimed is left alone.

    Commits its own progress (this is a job's edge, not a service). Never raises for a failed
    report: the error is stored on the job.
    """
    if not claim(job_id):
        return None
    job = _claimed_job(job_id)
    try:
        result = services.build_report(services.request_from_job(job), lambda p: _set_progress(job_id, p))
    except Exception as error:  # noqa: BLE001 (any failure is the job's outcome, shown to the user)
        db.session.rollback()
        logger.exception("report job %s failed", job_id)
        job = _claimed_job(job_id)
        job.state = JobState.FAILED
        job.lease_expires_at = None
        job.error = f"{type(error).__name__}: {error}"[:2000]
        job.finished_at = utcnow()
        db.session.commit()
        _notify()
        logger.debug("%s", traceback.format_exc())
        return job
    job = _claimed_job(job_id)
    job.state = JobState.DONE
    job.progress = 100
    job.lease_expires_at = None
    job.result_hash = result.key
    job.result_path = str(result.path.relative_to(services.reports_folder()))
    job.finished_at = utcnow()
    db.session.commit()
    _notify()
    return job


def wait_for_change(job_id: int, seen: tuple[str, int], seconds: float) -> ReportJob | None:
    """The job once its state or progress differs from ``seen`` (or it is finished), or after
    ``seconds`` as it then is; None if it no longer exists.

    Long polling for the job page: a job run by this process wakes the wait at once; one run
    by another process (the scheduler, another web worker) is seen within ``POLL_SECONDS``.
    """
    deadline = time.monotonic() + seconds
    while True:
        db.session.rollback()  # a fresh snapshot: the worker commits in its own transaction
        job = db.session.get(ReportJob, job_id, populate_existing=True)
        left = deadline - time.monotonic()
        if job is None or job.is_finished or (str(job.state), job.progress) != seen or left <= 0:
            return job
        with changed:
            changed.wait(min(POLL_SECONDS, left))


def run_queued(limit: int | None = None) -> int:
    """Run queued jobs, oldest first; returns how many this call built."""
    done = 0
    while limit is None or done < limit:
        job_id = db.session.scalar(select(ReportJob.id).where(_claimable()).order_by(ReportJob.id).limit(1))
        if job_id is None:
            break
        if run_job(job_id) is not None:
            done += 1
    return done


def _run_in_app(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            run_job(job_id)
        finally:
            db.session.remove()


def _submit(app: Flask, job_id: int) -> None:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reports")
    try:
        _executor.submit(_run_in_app, app, job_id)
    except RuntimeError:  # the process is exiting (a CLI command): the scheduler builds the job
        logger.info("report job %s left queued for the scheduler: this process is exiting", job_id)


def start(job_id: int, delay: float = 0) -> None:
    """Hand a committed job to the worker thread (after ``delay`` seconds), unless
    ``REPORTS_WORKER`` is "off". A job whose ``not_before`` moved later in the meantime is
    not claimable yet, and the run that finds it so does nothing (the later change's run will)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # Flask types the proxy as Flask
    if app.config.get("REPORTS_WORKER", "thread") != "thread":
        return
    if delay <= 0:
        _submit(app, job_id)
        return
    timer = threading.Timer(delay, _submit, args=(app, job_id))
    timer.daemon = True  # a process that stops leaves the job to the scheduler
    timer.start()
