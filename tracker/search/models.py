"""The search index: one row per measure, step, status note and plan, keyed by a folded search key."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import CheckConstraint, Computed, ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import ColumnElement

from tracker.core.status import sql_in
from tracker.extensions import Model, db


class EntryKind(enum.StrEnum):
    MEASURE = "measure"
    STEP = "step"
    NOTE = "note"
    PLAN = "plan"


#: SQLite: the FTS5 table over ``search_entries.search_key`` (external content, rowid = id), kept
#: current by triggers created in migration 0004. Its shadow tables are FTS5's own storage.
FTS_TABLE = "search_entries_fts"
FTS_SHADOW_TABLES = tuple(f"{FTS_TABLE}_{suffix}" for suffix in ("data", "idx", "docsize", "config"))


class KeyTokens(ColumnElement[Any]):
    """The stored key's tokens as a ``tsvector``, one lexeme per token, exactly as written.

    PostgreSQL: ``array_to_tsvector`` takes the tokens as they are (no parser, no
    dictionary), so "pf-200" and "27.11.2023" stay whole lexemes and a tsquery ``'pf-200'``
    matches exactly that token while ``'ochik':*`` matches a word prefix. SQLite has no
    tsvector (its FTS5 table does the job): the column is a virtual NULL there.
    """

    inherit_cache = True
    type = TSVECTOR()


@compiles(KeyTokens, "postgresql")
def _key_tokens_postgresql(_element: KeyTokens, _compiler: Any, **_kw: Any) -> str:
    # Written as PostgreSQL reflects it, so that Alembic's comparison sees no change.
    return "array_to_tsvector(array_remove(string_to_array(btrim(search_key), ' '::text), ''::text))"


@compiles(KeyTokens)
def _key_tokens_other(_element: KeyTokens, _compiler: Any, **_kw: Any) -> str:
    return "NULL"


class SearchEntry(Model):
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
    #: PostgreSQL: the key's tokens as a tsvector (generated, stored), served by a GIN index.
    #: SQLite: always NULL (virtual, no storage); SQLite searches the FTS5 table instead.
    tokens: Mapped[Any] = mapped_column(
        TSVECTOR().with_variant(Text(), "sqlite"), Computed(KeyTokens()), nullable=True, deferred=True
    )

    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_in(EntryKind)})", name="kind"),
        # PostgreSQL: a GIN index on the tsvector serves every search. SQLite builds a plain
        # index on the NULL column from the same declaration (unused, nearly empty).
        db.Index("ix_search_entries_tokens", "tokens", postgresql_using="gin"),
    )
