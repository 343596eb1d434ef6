"""Plans (work plans, roadmaps, …), their approved versions, measures, steps and responsible units."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.models import UTCDateTime
from tracker.core.status import Status, is_overdue, sql_in
from tracker.core.time import today, utcnow
from tracker.extensions import Model, db
from tracker.orgs.models import Organization, Unit


class PlanKind(enum.StrEnum):
    WORK_PLAN = "work_plan"
    ROADMAP = "roadmap"
    PROGRAMME = "programme"
    DECISIONS = "decisions"
    #: Standing duties of a legal act, recurring without end (tracker/obligations/).
    OBLIGATIONS = "obligations"


class PlanState(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    CLOSED = "closed"


PLAN_KIND_LABELS = {
    PlanKind.WORK_PLAN: _l("Work plan"),
    PlanKind.ROADMAP: _l("Roadmap"),
    PlanKind.PROGRAMME: _l("Programme"),
    PlanKind.DECISIONS: _l("Meeting decisions"),
    PlanKind.OBLIGATIONS: _l("Standing obligations"),
}

PLAN_STATE_LABELS = {
    PlanState.DRAFT: _l("Draft"),
    PlanState.IN_REVIEW: _l("Awaiting approval"),
    PlanState.APPROVED: _l("Approved"),
    PlanState.CLOSED: _l("Closed"),
}


class Plan(Model):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[PlanKind] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    #: The document the plan implements, as written ("ПФ-200-сон Фармони, 27.11.2023").
    basis: Mapped[str | None] = mapped_column(Text)
    state: Mapped[PlanState] = mapped_column(String(20), default=PlanState.DRAFT)
    #: The version being worked on; approved versions are kept in ``plan_versions``.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: The director's comment when the plan was returned to draft.
    review_comment: Mapped[str | None] = mapped_column(Text)
    #: The approval record of the current version, as printed in the "ТАСДИҚЛАЙМАН" block.
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approval_position: Mapped[str | None] = mapped_column(String(300))
    approval_name: Mapped[str | None] = mapped_column(String(200))
    approval_date: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    organization: Mapped[Organization] = relationship(lazy="joined")
    approver = relationship("User", foreign_keys=[approver_id])
    #: Every measure, removed ones included; see :attr:`measures`.
    all_measures: Mapped[list[Measure]] = relationship(
        back_populates="plan", order_by="Measure.position", cascade="all, delete-orphan"
    )
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", order_by="PlanVersion.number", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": lock_version}
    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_in(PlanKind)})", name="kind"),
        CheckConstraint(f"state IN ({sql_in(PlanState)})", name="state"),
        CheckConstraint(
            "period_start IS NULL OR period_end IS NULL OR period_start <= period_end", name="period_order"
        ),
        CheckConstraint(
            "state <> 'approved' OR (approval_name IS NOT NULL AND approval_date IS NOT NULL)",
            name="approved_has_approval",
        ),
    )

    @property
    def is_editable(self) -> bool:
        """Only drafts change; an approved plan must be revised into a new draft version first."""
        return self.state == PlanState.DRAFT

    @property
    def measures(self) -> list[Measure]:
        """The measures of the current version, in table order."""
        return [m for m in self.all_measures if m.deleted_at is None]

    @property
    def has_approved_version(self) -> bool:
        return bool(self.versions)

    @property
    def kind_label(self) -> Any:
        return PLAN_KIND_LABELS[PlanKind(self.kind)]

    @property
    def state_label(self) -> Any:
        return PLAN_STATE_LABELS[PlanState(self.state)]

    def __repr__(self) -> str:
        return f"<Plan {self.id} v{self.version} {self.state}>"


class PlanVersion(Model):
    """An approved version of a plan, frozen as it was approved, so it stays readable after a revision."""

    __tablename__ = "plan_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approval_position: Mapped[str | None] = mapped_column(String(300))
    approval_name: Mapped[str] = mapped_column(String(200))
    approval_date: Mapped[date] = mapped_column(Date)
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The plan header, measures and steps as approved (see ``services.plan_snapshot``).
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)

    plan: Mapped[Plan] = relationship(back_populates="versions")

    __table_args__ = (UniqueConstraint("plan_id", "number", name="uq_plan_versions_plan_number"),)


class DeadlineFields:
    """The deadline as written plus what the parser made of it (all optional but the text)."""

    #: The deadline exactly as written ("2024 йил январь-март", "Доимий равишда").
    deadline_text: Mapped[str | None] = mapped_column(Text)
    start_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    #: date, month, range, period, recurring, continuous, schedule or unknown.
    deadline_kind: Mapped[str | None] = mapped_column(String(20))
    #: RFC 5545 RRULE for recurring deadlines ("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1").
    deadline_recurrence: Mapped[str | None] = mapped_column(String(200))

    def deadline_json(self, text: str | None = None) -> dict[str, Any]:
        """The open-data deadline shape; ``text`` replaces the text as written (e.g. transliterated)."""
        return deadline_json_of(self, text)


#: The deadline columns, shared by measures and steps (what :func:`deadline_json_of` reads).
DEADLINE_COLUMNS = ("deadline_text", "deadline_kind", "start_on", "due_on", "deadline_recurrence")


def deadline_json_of(item: Any, text: str | None = None) -> dict[str, Any]:
    """The open-data deadline shape of anything with the :data:`DEADLINE_COLUMNS`: a measure, a
    step, or a plain row of their columns (the read model reads rows, not objects)."""
    return {
        "text": item.deadline_text if text is None else text,
        "kind": item.deadline_kind,
        "start": item.start_on.isoformat() if item.start_on else None,
        "due": item.due_on.isoformat() if item.due_on else None,
        "recurrence": item.deadline_recurrence,
    }


#: The measure's free-text columns besides its number and title, in document order. Each is
#: audited, frozen into approved versions (:func:`tracker.plans.snapshot_load.measure_json`),
#: carried by the read model in the reader's script (:mod:`tracker.plans.snapshot_measure`) and
#: exported: a new text column is named here once (docs/architecture.md, "A new measure field").
MEASURE_TEXTS = ("content", "mechanism", "legal_basis", "expected_result")


class Measure(DeadlineFields, Model):
    __tablename__ = "measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Indexed with the table's order and with the deadline (``__table_args__``).
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    #: The number as written ("1", "3", "5.2"); gaps are kept.
    number: Mapped[str] = mapped_column(String(20))
    #: Order in the table.
    position: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    #: What the measure is about ("Мазмуни" of a proposal), with the proposal's other labelled
    #: parts ("Баҳолаш мезонлари: …") after it; None for measures from tables.
    content: Mapped[str | None] = mapped_column(Text)
    mechanism: Mapped[str | None] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    expected_result: Mapped[str | None] = mapped_column(Text)
    #: The deadline is set on the measure itself; otherwise a measure whose steps have deadlines
    #: takes its deadline from them (see :mod:`tracker.plans.inforce`).
    deadline_on_measure: Mapped[bool] = mapped_column(default=False, server_default=db.false())
    #: Current status and note: a cache of the status history kept by the execution service.
    status: Mapped[Status] = mapped_column(String(20), default=Status.NOT_STARTED)
    status_note: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The day the measure entered the plan ("as of" reports leave out later ones); for an
    #: imported plan, the day the plan came into force rather than the day of the import.
    added_on: Mapped[date] = mapped_column(Date, default=today)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Set when a measure with history is removed from a revised plan; approved versions still show it.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    plan: Mapped[Plan] = relationship(back_populates="all_measures")
    steps: Mapped[list[Step]] = relationship(
        back_populates="measure", order_by="Step.position", cascade="all, delete-orphan"
    )
    responsibles: Mapped[list[Responsible]] = relationship(
        back_populates="measure", order_by="Responsible.position", cascade="all, delete-orphan"
    )
    updated_by = relationship("User", foreign_keys=[updated_by_id])

    __mapper_args__ = {"version_id_col": lock_version}
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_in(Status)})", name="status"),
        # The plan table's order (plan pages read 100 rows at an offset in it; migration 0015).
        db.Index("ix_measures_plan_order", "plan_id", "position", "id"),
        # A plan's overdue and due-soon measures (inboxes, the dashboard; migration 0016).
        db.Index("ix_measures_plan_due", "plan_id", "due_on"),
    )

    @property
    def is_overdue(self) -> bool:
        return is_overdue(self.due_on, self.status, today())

    @property
    def lead(self) -> Responsible | None:
        return next((r for r in self.responsibles if r.is_lead), None)

    def responsible_unit_ids(self) -> set[int]:
        return {r.unit_id for r in self.responsibles if r.unit_id is not None}

    def __repr__(self) -> str:
        return f"<Measure {self.id} №{self.number}>"


class Step(DeadlineFields, Model):
    """A numbered step of a measure's mechanism, with its own deadline and status."""

    __tablename__ = "steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[Status] = mapped_column(String(20), default=Status.NOT_STARTED)
    status_note: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    measure: Mapped[Measure] = relationship(back_populates="steps")
    updated_by = relationship("User", foreign_keys=[updated_by_id])

    __mapper_args__ = {"version_id_col": lock_version}
    __table_args__ = (CheckConstraint(f"status IN ({sql_in(Status)})", name="status"),)

    @property
    def is_overdue(self) -> bool:
        return is_overdue(self.due_on, self.status, today())

    @property
    def plan(self) -> Plan:
        return self.measure.plan


class Responsible(Model):
    """A unit responsible for a measure: the lead, a co-executor, "all units", or a name matching no unit."""

    __tablename__ = "responsibles"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    #: The name as written when it matches no unit ("Барча таркибий тармоқлар" is ``all_units``).
    name: Mapped[str | None] = mapped_column(String(300))
    #: "Барча таркибий тармоқлар": every unit of the organization is a co-executor.
    is_all_units: Mapped[bool] = mapped_column(default=False, server_default=db.false())
    is_lead: Mapped[bool] = mapped_column(default=False, server_default=db.false())
    position: Mapped[int] = mapped_column(default=0, server_default="0")

    measure: Mapped[Measure] = relationship(back_populates="responsibles")
    unit: Mapped[Unit | None] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint("unit_id IS NOT NULL OR name IS NOT NULL OR is_all_units", name="names_something"),
    )

    @property
    def display_name(self) -> str:
        if self.unit is not None:
            return self.unit.name
        return self.name or ""
