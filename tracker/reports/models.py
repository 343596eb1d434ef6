"""Report jobs: a report built in the background, its state and progress, and where the PDF is."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.models import UTCDateTime
from tracker.core.status import sql_in
from tracker.core.time import utcnow
from tracker.extensions import Model, db


class ReportKind(enum.StrEnum):
    #: The execution status of a plan's measures as of a date (seed 004).
    STATUS = "status"
    #: The plan document with its approval block (seed 003).
    PLAN = "plan"
    #: Counts by status and unit, on-time rate, overdue list and a chart.
    SUMMARY = "summary"


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ReportJob(Model):
    """A report requested once and built by a worker; any web process can show its progress."""

    __tablename__ = "report_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[ReportKind] = mapped_column(String(20))
    #: None for the organization-wide summary.
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    #: The report options as given (script, as_of, unit, status, columns, include_pending).
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[JobState] = mapped_column(String(20), default=JobState.QUEUED)
    #: 0–100, written by the worker as it goes.
    progress: Mapped[int] = mapped_column(default=0, server_default="0")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: SHA-256 of the rendered inputs; the PDF is cached under this name.
    result_hash: Mapped[str | None] = mapped_column(String(64))
    #: Path of the PDF, relative to the reports folder.
    result_path: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A running job belongs to its worker until then; the worker renews it as it makes
    #: progress, and a job whose lease ran out (the worker died) is queued work again.
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A queued job waits until then: a pre-built report starts once the plan's changes have
    #: settled (each change pushes it later), see :mod:`tracker.reports.prebuild`.
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan = relationship("Plan")
    requested_by = relationship("User")

    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_in(ReportKind)})", name="kind"),
        CheckConstraint(f"state IN ({sql_in(JobState)})", name="state"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),
        CheckConstraint("state <> 'done' OR result_path IS NOT NULL", name="done_has_result"),
        CheckConstraint("kind = 'summary' OR plan_id IS NOT NULL", name="plan_reports_name_a_plan"),
        db.Index("ix_report_jobs_state", "state"),
    )

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    def __repr__(self) -> str:
        return f"<ReportJob {self.id} {self.kind} {self.state} {self.progress}%>"
