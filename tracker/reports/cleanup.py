"""Housekeeping of finished report jobs and cached PDFs (``flask reports clean``, the scheduler daily).

The pre-build adds a job for every burst of changes to a plan, and every new status or note makes
a new cache key, so without this ``report_jobs`` and ``REPORTS_DIR`` only ever grow. Finished
jobs (done or failed) are kept ``REPORTS_JOBS_KEEP_DAYS`` (7) after they finished, long enough
for a link in a browser tab to keep working; cached PDFs that nobody asked for in
``REPORTS_FILES_KEEP_DAYS`` (30) are removed, except the file of a job still kept. A cache hit
sets the file's access time (:func:`tracker.reports.services.cached_report`), so a report that
people keep opening stays. Removing a cached PDF never loses anything: the next request builds
it again from the same data. Queued and running jobs are never touched.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select

from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.reports import services
from tracker.reports.models import JobState, ReportJob

logger = logging.getLogger(__name__)

DEFAULT_JOBS_KEEP_DAYS = 7
DEFAULT_FILES_KEEP_DAYS = 30
#: A half-written file (a worker that died while writing) is surely abandoned after this long.
PARTIAL_FILE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class CleanupResult:
    jobs: int
    files: int

    def __str__(self) -> str:
        return f"{self.jobs} finished job(s) and {self.files} cached PDF(s) removed"


def _days(setting: str, default: int) -> int:
    return int(current_app.config.get(setting, default))


def remove_finished_jobs() -> int:
    """Finished jobs older than the keeping time; the caller commits."""
    cutoff = utcnow() - timedelta(days=_days("REPORTS_JOBS_KEEP_DAYS", DEFAULT_JOBS_KEEP_DAYS))
    finished = ReportJob.state.in_([JobState.DONE, JobState.FAILED])
    old = delete(ReportJob).where(finished, ReportJob.finished_at < cutoff)
    result = db.session.execute(old.execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def _files_of_kept_jobs() -> set[str]:
    paths = db.session.scalars(select(ReportJob.result_path).where(ReportJob.result_path.is_not(None)))
    return {Path(path).name for path in paths if path}


def remove_unused_files() -> int:
    """Cached PDFs not opened within the keeping time and not the file of a kept job."""
    folder = services.reports_folder()
    now = time.time()
    cutoff = now - _days("REPORTS_FILES_KEEP_DAYS", DEFAULT_FILES_KEEP_DAYS) * 86400
    keep = _files_of_kept_jobs()
    removed = 0
    for path in folder.glob("*/*"):
        if not path.is_file():
            continue
        age_limit = now - PARTIAL_FILE_SECONDS if path.suffix == ".part" else cutoff
        stat = path.stat()
        last_used = max(stat.st_mtime, stat.st_atime)  # built, or last served from the cache
        if path.suffix not in {".pdf", ".part"} or path.name in keep or last_used >= age_limit:
            continue
        path.unlink(missing_ok=True)  # another process may have removed it meanwhile
        removed += 1
    return removed


def clean_reports() -> CleanupResult:
    """Remove old finished jobs, then the cached files no kept job needs. The caller commits."""
    result = CleanupResult(jobs=remove_finished_jobs(), files=remove_unused_files())
    logger.info("report housekeeping: %s", result)
    return result


def clean_reports_job() -> str:
    """The scheduler's daily job: one transaction, committed here at its edge."""
    result = clean_reports()
    db.session.commit()
    return str(result)
