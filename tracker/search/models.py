"""The search index: one row per measure, step, status note and plan, keyed by a folded search key."""

from __future__ import annotations

import enum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.core.status import sql_in
from tracker.extensions import db


class EntryKind(enum.StrEnum):
    MEASURE = "measure"
    STEP = "step"
    NOTE = "note"
    PLAN = "plan"


class SearchEntry(db.Model):
    """What one object says, folded by ``tracker.uzbek.search_key`` (Latin, lower case, q→k, h→x).

    Rows are written by the ORM listener in :mod:`tracker.search.index`, never by hand; the
    foreign keys cascade, so deleting a plan, measure, step or status update deletes its rows.
    """

    __tablename__ = "search_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EntryKind] = mapped_column(String(10))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    #: Set for measures, steps and notes (the measure the step or note belongs to).
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    #: Set for steps and for notes about a step.
    step_id: Mapped[int | None] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    #: Set for notes.
    status_update_id: Mapped[int | None] = mapped_column(
        ForeignKey("status_updates.id", ondelete="CASCADE"), index=True
    )
    #: ``search_key(text)`` with a space before and after, so that ``LIKE '% pf-200 %'`` matches a
    #: whole token and ``LIKE '% ochik%'`` a word prefix.
    search_key: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_in(EntryKind)})", name="kind"),
        # PostgreSQL: a trigram index serves the LIKE patterns (pg_trgm, created by migration 0004).
        # SQLite builds a plain index from the same declaration; it is not used by the searches.
        db.Index(
            "ix_search_entries_search_key_trgm",
            "search_key",
            postgresql_using="gin",
            postgresql_ops={"search_key": "gin_trgm_ops"},
        ),
    )
