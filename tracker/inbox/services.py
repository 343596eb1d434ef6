"""Reviewing several claims at once with one comment (the secretariat's review list)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.core.errors import InvalidInput
from tracker.execution import services as execution
from tracker.execution.models import StatusUpdate
from tracker.extensions import db

if TYPE_CHECKING:
    from tracker.auth.models import User

#: At most this many claims in one decision.
MAX_BATCH = 200


def review_many(
    update_ids: list[int], *, decision: str, comment: str | None, actor: User
) -> list[StatusUpdate]:
    """Accept or return each claim with the same comment; all or nothing.

    Raises :class:`InvalidInput` (nothing chosen, no reason to return, unknown decision) and
    whatever :func:`accept_claim` / :func:`return_claim` raise for any one claim.
    """
    ids = list(dict.fromkeys(update_ids))
    if not ids:
        raise InvalidInput(_("Choose at least one report."))
    if len(ids) > MAX_BATCH:
        raise InvalidInput(_("Choose at most %(n)s reports at once.", n=MAX_BATCH))
    if decision not in ("accept", "return"):
        raise InvalidInput(_("Accept or return?"))
    comment = (comment or "").strip()
    if decision == "return" and not comment:
        raise InvalidInput(_("Say why the report is returned."))
    updates = list(
        db.session.scalars(select(StatusUpdate).where(StatusUpdate.id.in_(ids)).order_by(StatusUpdate.id))
    )
    if len(updates) != len(ids):
        raise InvalidInput(_("Some of the chosen reports do not exist."))
    for update in updates:
        if decision == "accept":
            execution.accept_claim(update, actor=actor, comment=comment or None)
        else:
            execution.return_claim(update, actor=actor, reason=comment)
    return updates
