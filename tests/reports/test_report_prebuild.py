"""The report people open most is built before they ask, and the first click is served from the cache."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.core.time import today, utcnow
from tracker.execution import services as execution
from tracker.reports import jobs
from tracker.reports.models import JobState, ReportJob


@pytest.fixture
def prebuild_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_PREBUILD", True)
    monkeypatch.setitem(app.config, "REPORTS_PREBUILD_DELAY_SECONDS", 30)


def _jobs(db, plan_id: int) -> list[ReportJob]:
    db.session.expire_all()
    return list(db.session.scalars(select(ReportJob).where(ReportJob.plan_id == plan_id)))


def _pdfs(folder: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in folder.rglob("*.pdf")}


def _default_click(plan_id: int) -> str:
    """What the report form sends when its defaults are left as they are."""
    return f"/plans/{plan_id}/report.pdf?kind=status&as_of={today().isoformat()}&script=cyrl&unit=0&status="


def test_after_a_status_change_the_report_is_served_from_the_cache_without_a_layout(
    client, db, make_plan, make_user, login_as, prebuild_on, report_settings
):
    plan = make_plan(measures=[{"number": "1", "title": "Ҳисобот"}, {"number": "2", "title": "Назорат"}])
    db.session.commit()

    execution.submit_status_update(plan.measures[0], status=Status.IN_PROGRESS, note="Бошланди", actor=None)
    db.session.commit()
    (job,) = _jobs(db, plan.id)
    assert job.state == JobState.QUEUED and job.requested_by_id is None
    assert job.options["script"] == "cyrl" and job.options["as_of"] == today().isoformat()
    assert job.not_before > utcnow()
    assert jobs.run_queued() == 0  # it waits for the changes to settle

    with freeze_time(utcnow() + timedelta(seconds=31)):
        assert jobs.run_queued() == 1  # what the worker thread or the scheduler does
    (job,) = _jobs(db, plan.id)
    assert job.state == JobState.DONE
    built = _pdfs(report_settings)
    assert len(built) == 1

    login_as(make_user(Role.VIEWER))
    response = client.get(_default_click(plan.id))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["X-Report-Cache"] == "hit"  # nothing was laid out for this request
    assert response.headers["ETag"].strip('"') == job.result_hash
    assert _pdfs(report_settings) == built  # no new file, the old one not rewritten
    assert len(_jobs(db, plan.id)) == 1  # and no job was queued for it


def test_a_burst_of_changes_gives_one_rebuild_after_the_last(db, make_plan, prebuild_on):
    plan = make_plan(measures=[{"number": "1", "title": "Ҳисобот"}, {"number": "2", "title": "Назорат"}])
    db.session.commit()
    start = utcnow()
    with freeze_time(start):
        execution.submit_status_update(plan.measures[0], status=Status.IN_PROGRESS, note="А", actor=None)
        execution.submit_status_update(plan.measures[1], status=Status.IN_PROGRESS, note="Б", actor=None)
        db.session.commit()
    with freeze_time(start + timedelta(seconds=20)):
        execution.submit_status_update(plan.measures[0], status=Status.DONE, note="Бажарилди", actor=None)
        db.session.commit()
    (job,) = _jobs(db, plan.id)
    assert job.not_before == start + timedelta(seconds=50)  # 30 s after the last change
    with freeze_time(start + timedelta(seconds=40)):
        assert jobs.run_queued() == 0
    with freeze_time(start + timedelta(seconds=51)):
        assert jobs.run_queued() == 1


def test_a_change_rolled_back_queues_nothing(app, db, make_plan, monkeypatch):
    plan = make_plan(measures=[{"number": "1", "title": "Ҳисобот"}])
    db.session.commit()
    monkeypatch.setitem(app.config, "REPORTS_PREBUILD", True)
    execution.submit_status_update(plan.measures[0], status=Status.IN_PROGRESS, note="А", actor=None)
    db.session.rollback()
    assert _jobs(db, plan.id) == []


def test_no_prebuild_when_switched_off(app, db, make_plan, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_PREBUILD", False)
    plan = make_plan(measures=[{"number": "1", "title": "Ҳисобот"}])
    execution.submit_status_update(plan.measures[0], status=Status.IN_PROGRESS, note="А", actor=None)
    db.session.commit()
    assert _jobs(db, plan.id) == []
