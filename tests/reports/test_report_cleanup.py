"""Housekeeping: old finished jobs and cached PDFs nobody opens are removed; nothing else is."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from tracker.core.permissions import Role
from tracker.core.time import today, utcnow
from tracker.reports.cleanup import clean_reports
from tracker.reports.models import JobState, ReportJob

DAY = 86400


def _job(db, plan, state: JobState, *, finished_days_ago: float | None, result: str | None = None) -> int:
    finished = utcnow() - timedelta(days=finished_days_ago) if finished_days_ago is not None else None
    if state == JobState.DONE and result is None:
        result = "zz/zz" + "0" * 62 + ".pdf"  # a file that was removed already
    job = ReportJob(
        organization_id=plan.organization_id,
        kind="status",
        plan_id=plan.id,
        options={},
        state=state,
        created_at=finished or utcnow() - timedelta(days=40),
        finished_at=finished,
        result_path=result,
        result_hash=Path(result).stem if result else None,
    )
    db.session.add(job)
    db.session.flush()
    return job.id


def _file(folder: Path, name: str, *, days_old: float) -> Path:
    path = folder / name[:2] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7 test")
    moment = time.time() - days_old * DAY
    os.utime(path, (moment, moment))
    return path


def test_old_finished_jobs_and_unused_files_go_the_rest_stays(db, make_plan, report_settings):
    plan = make_plan(measures=[{"number": "1", "title": "Ҳисобот"}])
    folder = report_settings
    kept_job_file = _file(folder, "aa" + "1" * 62 + ".pdf", days_old=40)
    old_done = _job(db, plan, JobState.DONE, finished_days_ago=8, result="bb/" + "bb" + "2" * 62 + ".pdf")
    old_failed = _job(db, plan, JobState.FAILED, finished_days_ago=10)
    recent_done = _job(db, plan, JobState.DONE, finished_days_ago=1, result=f"aa/{kept_job_file.name}")
    queued = _job(db, plan, JobState.QUEUED, finished_days_ago=None)
    running = _job(db, plan, JobState.RUNNING, finished_days_ago=None)
    unused = _file(folder, "cc" + "3" * 62 + ".pdf", days_old=31)
    old_job_file = _file(folder, "bb" + "2" * 62 + ".pdf", days_old=31)
    fresh = _file(folder, "dd" + "4" * 62 + ".pdf", days_old=29)
    abandoned_part = _file(folder, "ee" + "5" * 62 + ".part", days_old=2)
    writing_part = _file(folder, "ff" + "6" * 62 + ".part", days_old=0.01)
    db.session.commit()

    result = clean_reports()
    db.session.commit()

    left = set(db.session.scalars(select(ReportJob.id)))
    assert left == {recent_done, queued, running}
    assert old_done not in left and old_failed not in left
    assert (result.jobs, result.files) == (2, 3)
    assert not unused.exists() and not old_job_file.exists() and not abandoned_part.exists()
    assert kept_job_file.exists() and fresh.exists() and writing_part.exists()
    assert clean_reports().files == 0  # a second run finds nothing more


def test_a_report_served_from_the_cache_is_kept(client, db, make_plan, make_user, login_as, report_settings):
    plan = make_plan(measures=[{"number": "1", "title": "Ҳисобот"}])
    db.session.commit()
    login_as(make_user(Role.VIEWER))
    url = f"/plans/{plan.id}/report.pdf?kind=status&as_of={today().isoformat()}&script=cyrl&unit=0&status="
    assert client.get(url).headers["X-Report-Cache"] == "miss"
    (pdf,) = report_settings.rglob("*.pdf")
    built = time.time() - 40 * DAY
    os.utime(pdf, (built, built))

    response = client.get(url)
    assert response.headers["X-Report-Cache"] == "hit"
    assert pdf.stat().st_mtime == built  # the build time is kept, the access time is now
    clean_reports()
    assert pdf.exists()

    os.utime(pdf, (built, built))  # nobody opened it for 40 days
    assert clean_reports().files == 1
    assert not pdf.exists()
    assert client.get(url).headers["X-Report-Cache"] == "miss"  # asked again: built again


def test_clean_command(app, db, make_plan, report_settings):
    plan = make_plan(measures=[{"number": "1", "title": "Ҳисобот"}])
    _job(db, plan, JobState.DONE, finished_days_ago=30)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reports", "clean"])
    assert result.exit_code == 0, result.output
    assert "1 finished job(s) and 0 cached PDF(s) removed" in result.output
    assert db.session.scalars(select(ReportJob)).all() == []
