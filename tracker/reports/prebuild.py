"""The report people open most, built before they ask.

After a change to a plan (:data:`tracker.core.events.plan_changed`, sent by the execution and
plans services), the plan's status report "as of today" in the default script, with the
report form's default options, is queued as a report job that waits
``REPORTS_PREBUILD_DELAY_SECONDS`` (default 30) after the *last* change: each further change
pushes its ``not_before`` later, so a burst of updates gives one rebuild (a debounce kept in the
database, so the scheduler's ``reports.run_queued`` finds it after a restart). The job lands in
the content-keyed cache, where the first click finds it.

The job row is written in the changing transaction (it commits or rolls back with the change);
the worker thread is started only after the commit. Any other date or option is built on demand.
Switched on by ``REPORTS_PREBUILD`` (default: on, except in tests).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tracker.core.events import plan_changed
from tracker.core.time import today, utcnow
from tracker.core.transaction import after_commit
from tracker.extensions import db
from tracker.plans.models import Plan
from tracker.reports import jobs
from tracker.reports.data import ReportOptions
from tracker.reports.forms import DEFAULT_SCRIPT
from tracker.reports.models import JobState, ReportJob, ReportKind
from tracker.reports.services import ReportRequest

logger = logging.getLogger(__name__)

#: Seconds a pre-build waits after a plan's last change.
DEFAULT_DELAY_SECONDS = 30
#: Plans already scheduled in this transaction (an import may change hundreds of measures).
_SCHEDULED = "tracker_prebuild_plans"


def is_enabled() -> bool:
    return bool(current_app.config.get("REPORTS_PREBUILD", not current_app.testing))


def delay_seconds() -> float:
    return float(current_app.config.get("REPORTS_PREBUILD_DELAY_SECONDS", DEFAULT_DELAY_SECONDS))


def default_request(plan: Plan) -> ReportRequest:
    """The status report a click on the form's "Make the report" gives without touching it."""
    options = ReportOptions(as_of=today(), script=DEFAULT_SCRIPT)
    return ReportRequest(ReportKind.STATUS, plan.organization_id, plan.id, options)


def _waiting_job(request: ReportRequest) -> ReportJob | None:
    options = request.options.to_json()
    for job in db.session.scalars(
        select(ReportJob).where(
            ReportJob.plan_id == request.plan_id,
            ReportJob.kind == str(request.kind),
            ReportJob.state == JobState.QUEUED,
        )
    ):
        if job.options == options:
            return job
    return None


def schedule_prebuild(plan_id: int) -> ReportJob | None:
    """Queue (or push back) the pre-build of ``plan_id``'s default report; flushes, never commits."""
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        return None
    request = default_request(plan)
    not_before = utcnow() + timedelta(seconds=delay_seconds())
    job = _waiting_job(request)
    if job is None:
        job = ReportJob(
            organization_id=plan.organization_id,
            kind=request.kind,
            plan_id=plan.id,
            options=request.options.to_json(),
            state=JobState.QUEUED,
            progress=0,
            requested_by_id=None,  # the system: a cache warm-up, not a person's request
        )
        db.session.add(job)
    job.not_before = not_before
    db.session.flush()
    job_id, delay = job.id, delay_seconds()
    after_commit(lambda: jobs.start(job_id, delay=delay + 0.5))
    return job


def on_plan_changed(plan_id: int) -> None:
    """Schedule the pre-build once per plan and transaction."""
    if not is_enabled():
        return
    seen = db.session.info.setdefault(_SCHEDULED, set())
    if plan_id in seen:
        return
    seen.add(plan_id)
    try:
        with db.session.begin_nested():  # a failure here must not undo the change itself
            schedule_prebuild(plan_id)
    except Exception:  # noqa: BLE001 (a cache warm-up; the report is still built on demand)
        logger.exception("could not schedule the pre-built report of plan %s", plan_id)


@event.listens_for(Session, "after_transaction_end")
def _forget_scheduled(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outer transaction ended: committed or rolled back
        session.info.pop(_SCHEDULED, None)


def connect() -> None:
    """Listen to :data:`~tracker.core.events.plan_changed` (called when the app is built)."""
    plan_changed.connect(on_plan_changed)
