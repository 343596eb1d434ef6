"""Optimistic locking: refuse a save made from a form opened before someone else's save.

Every editable model has a ``lock_version`` column (SQLAlchemy's ``version_id_col``). A form
carries the version it was opened at; :func:`check_version` compares it before the change, and
:func:`flush_or_stale` turns a concurrent save caught at flush time into :class:`StaleEdit`.
Generic: any model with ``id`` and ``lock_version`` (and, to be named, ``updated_by`` or
``approver`` and ``updated_at``) works.
"""

from __future__ import annotations

from typing import Any, Protocol

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from tracker.core.errors import StaleEdit
from tracker.extensions import db


class Versioned(Protocol):
    """A model row with optimistic locking."""

    id: Any
    lock_version: Any


def check_version(obj: Versioned, expected: int | None) -> None:
    """Refuse a save made from a form opened before someone else's save (optimistic locking).

    The row is re-read and locked (FOR UPDATE on PostgreSQL; SQLite's write transaction already
    holds the lock), so a concurrent save is waited for and then named, instead of surfacing
    later as a failed flush. Raises :class:`StaleEdit` naming who saved and when.
    """
    if expected is None:
        return
    if obj.id is not None and obj in db.session:
        # Lock the one row (no joins: FOR UPDATE refuses outer-joined eager loads), then re-read it.
        model: Any = type(obj)
        db.session.execute(select(model.id).where(model.id == obj.id).with_for_update())
        db.session.refresh(obj)
    if expected == obj.lock_version:
        return
    who = getattr(obj, "updated_by", None) or getattr(obj, "approver", None)
    when = getattr(obj, "updated_at", None)
    raise StaleEdit(
        _(
            "%(name)s changed this at %(time)s, after you opened the form. "
            "Your changes were not saved: reload the page, check their changes and try again.",
            name=who.name if who is not None else _("someone else"),
            time=format_datetime(when, "short") if when else "?",
        )
    )


def flush_or_stale(target: Versioned | None = None) -> None:
    """Flush, turning a concurrent save caught by the version column into :class:`StaleEdit`
    (which names who saved ``target`` once the transaction is rolled back)."""
    kind, target_id = (type(target), target.id) if target is not None else (None, None)
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleEdit(
            _(
                "Someone else saved this at the same moment. "
                "Your changes were not saved: reload and try again."
            ),
            describe=(lambda: _stale_message(db.session.get(kind, target_id))) if kind else None,
        ) from error


def _stale_message(current: Versioned | None) -> str:
    try:
        check_version(current, -1) if current is not None else None
    except StaleEdit as error:
        return error.message
    return _("Someone else saved this at the same moment. Your changes were not saved: reload and try again.")
