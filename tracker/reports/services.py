"""Report rules: who may have which report, the content-keyed cache, and background jobs.

Services never commit; the view, the CLI or the job runner does, at its edge.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from tracker.auth.models import User
from tracker.core import audit
from tracker.core.errors import PermissionDenied
from tracker.extensions import db
from tracker.orgs.models import Organization
from tracker.plans.access import can_view_plan
from tracker.plans.models import Plan
from tracker.reports import data as report_data
from tracker.reports.data import ReportOptions
from tracker.reports.models import JobState, ReportJob, ReportKind
from tracker.reports.render import assets_digest, html_to_pdf, render_html

logger = logging.getLogger(__name__)

TEMPLATES = {
    ReportKind.STATUS: "reports/status.html",
    ReportKind.PLAN: "reports/plan.html",
    ReportKind.SUMMARY: "reports/summary.html",
}
#: Reports over more measures than this are built in the background (``REPORTS_BACKGROUND_THRESHOLD``).
DEFAULT_BACKGROUND_THRESHOLD = 100


@dataclass(frozen=True)
class ReportRequest:
    """One report: its kind, the plan (None for the organization-wide summary) and the options."""

    kind: ReportKind
    organization_id: int
    plan_id: int | None
    options: ReportOptions

    def filename(self) -> str:
        subject = f"plan-{self.plan_id}" if self.plan_id else "organization"
        return f"{self.kind}-{subject}-{self.options.as_of.isoformat()}-{self.options.script}.pdf"


@dataclass(frozen=True)
class ReportFile:
    path: Path
    key: str
    #: True when the PDF came from the cache.
    is_cached: bool


# -- rights ---------------------------------------------------------------------------------------


def can_view_organization_summary(user: User) -> bool:
    """Controllers, admins (plan.edit) and directors (plan.approve) see the organization's summary."""
    return user.is_active and (user.has_permission("plan.edit") or user.has_permission("plan.approve"))


def can_view_report(user: User, request: ReportRequest) -> bool:
    if request.organization_id != user.organization_id:
        return False
    if request.plan_id is None:
        return can_view_organization_summary(user)
    plan = db.session.get(Plan, request.plan_id)
    return plan is not None and can_view_plan(user, plan)


def check_can_view(user: User, request: ReportRequest) -> None:
    """Raises :class:`PermissionDenied` when ``user`` may not see this report."""
    if not can_view_report(user, request):
        from flask_babel import gettext as _

        raise PermissionDenied(_("You may not see this report."))


# -- building -------------------------------------------------------------------------------------


def report_data_for(request: ReportRequest) -> dict[str, Any]:
    """The plain data the template prints."""
    if request.plan_id is None:
        organization = db.session.get(Organization, request.organization_id)
        if organization is None:
            raise LookupError(f"organization {request.organization_id} does not exist")
        return report_data.organization_summary(organization, request.options)
    plan = db.session.get(Plan, request.plan_id)
    if plan is None:
        raise LookupError(f"plan {request.plan_id} does not exist")
    builders = {
        ReportKind.STATUS: report_data.status_report,
        ReportKind.PLAN: report_data.plan_document,
        ReportKind.SUMMARY: report_data.plan_summary,
    }
    return builders[request.kind](plan, request.options)


def cache_key(request: ReportRequest, html: str) -> str:
    """SHA-256 of everything that determines the PDF: kind, options, the exact HTML, the assets.

    Any change of status, note, title or heading changes the HTML and so the key; time alone
    never does.
    """
    digest = hashlib.sha256()
    for part in (
        str(request.kind),
        json.dumps(request.options.to_json(), sort_keys=True),
        assets_digest(),
        html,
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def reports_folder() -> Path:
    folder = Path(current_app.config.get("REPORTS_DIR") or Path(current_app.instance_path) / "reports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cached_path(key: str) -> Path:
    return reports_folder() / key[:2] / f"{key}.pdf"


def _store(path: Path, pdf: bytes) -> None:
    """Write atomically: a reader sees the whole PDF or none (two workers may write the same key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(pdf)
    os.replace(temporary, path)


def _html_and_key(request: ReportRequest) -> tuple[str, str]:
    html = render_html(TEMPLATES[request.kind], report_data_for(request))
    return html, cache_key(request, html)


def cached_report(request: ReportRequest) -> ReportFile | None:
    """The PDF of ``request`` if the cache has it (a pre-built report, an earlier request); no layout."""
    key = _html_and_key(request)[1]
    path = cached_path(key)
    return _cache_hit(path, key) if path.is_file() else None


def _cache_hit(path: Path, key: str) -> ReportFile | None:
    """A cached PDF being served: its access time is set to now (the modification time stays the
    build time), so housekeeping keeps what people open, whatever the disk's atime mount option."""
    try:
        os.utime(path, ns=(time.time_ns(), path.stat().st_mtime_ns))
    except FileNotFoundError:  # housekeeping removed it a moment ago: build it again
        return None
    return ReportFile(path, key, is_cached=True)


def build_report(
    request: ReportRequest, progress: Callable[[int], None] | None = None, *, keep_helpers: bool = True
) -> ReportFile:
    """The PDF of ``request``: from the cache when the same inputs were rendered before
    (``keep_helpers``: see :func:`~tracker.reports.render.html_to_pdf`)."""
    html, key = _html_and_key(request)
    if progress:
        progress(20)
    path = cached_path(key)
    if path.is_file() and (hit := _cache_hit(path, key)) is not None:
        return hit
    if progress:
        progress(30)
    _store(path, html_to_pdf(html, progress, keep_helpers=keep_helpers))
    return ReportFile(path, key, is_cached=False)


def background_threshold() -> int:
    return int(current_app.config.get("REPORTS_BACKGROUND_THRESHOLD", DEFAULT_BACKGROUND_THRESHOLD))


def is_large(request: ReportRequest) -> bool:
    """Whether the report goes to the background (more measures than the threshold)."""
    if request.plan_id is not None:
        plan_ids = [request.plan_id]
    else:
        plan_ids = [p.id for p in report_data.plans_in_force(request.organization_id, request.options.as_of)]
    return report_data.count_measures(plan_ids, request.options.as_of) > background_threshold()


# -- jobs -----------------------------------------------------------------------------------------


def request_from_job(job: ReportJob) -> ReportRequest:
    return ReportRequest(
        ReportKind(job.kind), job.organization_id, job.plan_id, ReportOptions.from_json(job.options)
    )


def queue_report(request: ReportRequest, *, actor: User) -> ReportJob:
    """A job for ``request``; an unfinished job for the same report is reused rather than doubled.

    Raises :class:`PermissionDenied` when ``actor`` may not see the report.
    """
    check_can_view(actor, request)
    options = request.options.to_json()
    for job in db.session.scalars(
        select(ReportJob).where(
            ReportJob.organization_id == request.organization_id,
            ReportJob.kind == str(request.kind),
            ReportJob.plan_id.is_(None) if request.plan_id is None else ReportJob.plan_id == request.plan_id,
            ReportJob.state.in_([JobState.QUEUED, JobState.RUNNING]),
        )
    ):
        if job.options == options:
            return job
    job = ReportJob(
        organization_id=request.organization_id,
        kind=request.kind,
        plan_id=request.plan_id,
        options=options,
        state=JobState.QUEUED,
        progress=0,
        requested_by_id=actor.id,
    )
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "report_job", job.id, "create", after={"kind": str(request.kind), **options})
    return job


def job_file(job: ReportJob) -> Path | None:
    """The finished PDF of a job, if it is still on disk."""
    if job.state != JobState.DONE or not job.result_path:
        return None
    path = reports_folder() / job.result_path
    return path if path.is_file() else None
