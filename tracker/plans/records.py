"""Dated change records of measures and steps, and deadline extension requests.

A change record keeps what a field held before and after, from which day the new value is in
force (``effective_on``), when it was written (``recorded_at``), who wrote it, why, and on what
document. "As of" views (:mod:`tracker.plans.snapshot`) read them so that the past stays as it
was. Records are append-only; the one exception is ``effective_on`` of an edit made to a draft
revision, which is NULL until the director approves the revision and is then set to the
approval date (the edit is in force from the day the new version is).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.models import UTCDateTime
from tracker.core.status import sql_in
from tracker.core.time import utcnow
from tracker.extensions import Model


class ChangeField(enum.StrEnum):
    DEADLINE = "deadline"
    RESPONSIBLES = "responsibles"
    TITLE = "title"
    MECHANISM = "mechanism"
    EXPECTED_RESULT = "expected_result"


class ChangeKind(enum.StrEnum):
    #: An edit of a draft revision; in force from the approval of that revision.
    REVISION = "revision"
    #: "Муддат узайтирилди": a deadline extended on an approved plan.
    EXTENSION = "extension"
    #: Responsible units reassigned on an approved plan.
    REASSIGNMENT = "reassignment"


CHANGE_FIELD_LABELS = {
    ChangeField.DEADLINE: _l("Deadline"),
    ChangeField.RESPONSIBLES: _l("Responsible units"),
    ChangeField.TITLE: _l("Title"),
    ChangeField.MECHANISM: _l("Mechanism"),
    ChangeField.EXPECTED_RESULT: _l("Expected result"),
}

CHANGE_KIND_LABELS = {
    ChangeKind.REVISION: _l("Revision of the plan"),
    ChangeKind.EXTENSION: _l("Deadline extended"),
    ChangeKind.REASSIGNMENT: _l("Responsible units reassigned"),
}


class ItemChange(Model):
    """One dated change of one field of a measure (``step_id`` None) or of one of its steps."""

    __tablename__ = "item_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    field: Mapped[ChangeField] = mapped_column(String(20))
    kind: Mapped[ChangeKind] = mapped_column(String(20))
    #: The value before and after, in the shape of the approved-version snapshot (deadline: the
    #: open-data deadline object; responsibles: a list of {name, unit_id, lead, all_units}).
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    #: The first day the new value is in force; NULL while the revision awaits approval.
    effective_on: Mapped[date | None] = mapped_column(Date, index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    #: The document the change rests on, as written ("Вазирлар Маҳкамасининг 12.03.2024 йилдаги хати").
    basis: Mapped[str | None] = mapped_column(Text)

    author = relationship("User", foreign_keys=[author_id], lazy="joined")

    __table_args__ = (
        CheckConstraint(f"field IN ({sql_in(ChangeField)})", name="field"),
        CheckConstraint(f"kind IN ({sql_in(ChangeKind)})", name="kind"),
        CheckConstraint("kind = 'revision' OR effective_on IS NOT NULL", name="dated_unless_revision"),
    )

    @property
    def field_label(self) -> Any:
        return CHANGE_FIELD_LABELS[ChangeField(self.field)]

    @property
    def kind_label(self) -> Any:
        return CHANGE_KIND_LABELS[ChangeKind(self.kind)]


class ExtensionState(enum.StrEnum):
    #: Asked for by a department; awaits the controller's (or director's) decision.
    REQUESTED = "requested"
    GRANTED = "granted"
    REFUSED = "refused"
    #: Recorded directly by a controller, without a request.
    RECORDED = "recorded"


EXTENSION_STATE_LABELS = {
    ExtensionState.REQUESTED: _l("Awaiting a decision"),
    ExtensionState.GRANTED: _l("Granted"),
    ExtensionState.REFUSED: _l("Refused"),
    ExtensionState.RECORDED: _l("Recorded by the secretariat"),
}


class DeadlineExtension(Model):
    """A request to extend the deadline of a measure or step, and its decision."""

    __tablename__ = "deadline_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    #: The new deadline as it is to be written ("2024 йил апрель").
    deadline_text: Mapped[str] = mapped_column(Text)
    #: The deadline in force when the request was made, in the open-data deadline shape.
    old_deadline: Mapped[Any] = mapped_column(JSON, nullable=True)
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    #: The letter the request rests on ("2024 йил 12 мартдаги 01/2-15-сон хат").
    basis: Mapped[str | None] = mapped_column(Text)
    state: Mapped[ExtensionState] = mapped_column(String(20), default=ExtensionState.REQUESTED)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_comment: Mapped[str | None] = mapped_column(Text)
    #: The change record written when the extension came into force.
    change_id: Mapped[int | None] = mapped_column(ForeignKey("item_changes.id"))

    requested_by = relationship("User", foreign_keys=[requested_by_id], lazy="joined")
    decided_by = relationship("User", foreign_keys=[decided_by_id], lazy="joined")
    measure = relationship("Measure")
    step = relationship("Step")

    __table_args__ = (
        CheckConstraint(f"state IN ({sql_in(ExtensionState)})", name="state"),
        CheckConstraint("state = 'requested' OR decided_at IS NOT NULL", name="decided_has_time"),
        CheckConstraint("state <> 'refused' OR decision_comment IS NOT NULL", name="refused_has_reason"),
    )

    @property
    def state_label(self) -> Any:
        return EXTENSION_STATE_LABELS[ExtensionState(self.state)]

    @property
    def is_pending(self) -> bool:
        return self.state == ExtensionState.REQUESTED
