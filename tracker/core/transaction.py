"""Work that must follow the transaction's outcome: after the commit, or undone on rollback.

Services flush and never commit, so a file they write or a thread they would start must wait
for the edge to commit. :func:`after_commit` runs a callback once the session's transaction has
committed (never if it rolls back); :func:`remove_on_rollback` deletes a newly written file
when the transaction rolls back, so no file is left on disk without its row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.extensions import db

logger = logging.getLogger(__name__)

_CALLBACKS = "tracker_after_commit"
_NEW_FILES = "tracker_new_files"


def after_commit(callback: Callable[[], Any]) -> None:
    """Run ``callback`` after the current transaction commits; forget it if it rolls back."""
    db.session.info.setdefault(_CALLBACKS, []).append(callback)


def remove_on_rollback(path: Path) -> None:
    """Delete ``path`` (just written by this transaction) if the transaction rolls back."""
    db.session.connection()  # a transaction is open, so that its rollback is seen
    db.session.info.setdefault(_NEW_FILES, []).append(Path(path))


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    session.info.pop(_NEW_FILES, None)
    for callback in session.info.pop(_CALLBACKS, []):
        try:
            callback()
        except Exception:  # noqa: BLE001 (the data is committed; a failed follow-up is only logged)
            logger.exception("after-commit callback failed")


@event.listens_for(Session, "after_soft_rollback")
def _undo_on_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is not None:
        return  # a savepoint inside the request's transaction: the outer one may still commit
    session.info.pop(_CALLBACKS, None)
    for path in session.info.pop(_NEW_FILES, []):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.warning("could not remove %s after a rollback", path)
