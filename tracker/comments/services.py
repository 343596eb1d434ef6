"""Writing comments: append-only, audited, and every mentioned person or unit is notified.

A mention is ``@[Name]`` (a person's or a unit's name, in either script), ``@email`` or the
part of the e-mail before the "@" (``@executor``); forms and the API may also name people and
units by id. A mentioned unit reaches its head and executors.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.comments.models import Comment
from tracker.core import audit
from tracker.core.errors import InvalidInput, PermissionDenied
from tracker.extensions import db
from tracker.notifications.models import NotificationKind
from tracker.notifications.services import record_event, unit_people
from tracker.orgs.models import Unit
from tracker.plans.access import can_view_plan
from tracker.plans.models import Measure, Step
from tracker.uzbek import search_key

if TYPE_CHECKING:
    from tracker.auth.models import User

logger = logging.getLogger(__name__)

MAX_BODY = 5000
_BRACKETED = re.compile(r"@\[([^\]\n]{1,200})\]")
_WORD = re.compile(r"(?<![\w.])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)", re.UNICODE)


@dataclass
class Mentions:
    users: list[User] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)

    def as_json(self) -> list[dict[str, Any]]:
        return [{"user_id": u.id, "name": u.name} for u in self.users] + [
            {"unit_id": u.id, "name": u.name} for u in self.units
        ]


def find_mentions(
    body: str, organization_id: int, user_ids: list[int] | None = None, unit_ids: list[int] | None = None
) -> Mentions:
    """The people and units of the organization that ``body`` (and the explicit ids) mention."""
    from tracker.auth.models import User

    users = list(
        db.session.scalars(select(User).where(User.organization_id == organization_id, User.is_active))
    )
    units = list(db.session.scalars(select(Unit).where(Unit.organization_id == organization_id)))
    by_key_user = {search_key(u.name): u for u in users}
    by_key_unit = {search_key(u.name): u for u in units}
    by_email = {u.email.lower(): u for u in users} | {u.email.lower().split("@")[0]: u for u in users}
    found = Mentions()

    def add(item: Any) -> None:
        bucket = found.users if isinstance(item, User) else found.units
        if item is not None and item not in bucket:
            bucket.append(item)

    for name in _BRACKETED.findall(body):
        key = search_key(name)
        add(by_key_user.get(key) or by_key_unit.get(key))
    for word in _WORD.findall(body):
        add(by_email.get(word.lower().rstrip(".")))
    for user in users:
        if user.id in set(user_ids or []):
            add(user)
    for unit in units:
        if unit.id in set(unit_ids or []):
            add(unit)
    return found


def add_comment(
    measure: Measure,
    body: str,
    *,
    actor: User,
    step: Step | None = None,
    mention_user_ids: list[int] | None = None,
    mention_unit_ids: list[int] | None = None,
) -> Comment:
    """Add a comment to a measure's thread (or a step's) and notify whoever it mentions.

    Raises :class:`PermissionDenied` or :class:`InvalidInput`.
    """
    if not can_view_plan(actor, measure.plan) or measure.deleted_at is not None:
        raise PermissionDenied(_("You may not comment on this measure."))
    if step is not None and step.measure_id != measure.id:
        raise InvalidInput(_("This step belongs to another measure."))
    body = (body or "").strip()
    if not body:
        raise InvalidInput(_("Write the comment."))
    if len(body) > MAX_BODY:
        raise InvalidInput(_("The comment is too long (at most %(n)s characters).", n=MAX_BODY))
    mentions = find_mentions(body, measure.plan.organization_id, mention_user_ids, mention_unit_ids)
    comment = Comment(
        measure_id=measure.id,
        step_id=step.id if step is not None else None,
        author_id=actor.id,
        body=body,
        mentions=mentions.as_json(),
    )
    db.session.add(comment)
    db.session.flush()
    audit.record(
        actor,
        "comment",
        comment.id,
        "create",
        after={
            "measure_id": measure.id,
            "step_id": comment.step_id,
            "body": body,
            "mentions": comment.mentions,
        },
    )
    recipients = [*mentions.users, *unit_people(mentions.units)]
    if recipients:
        record_event(
            NotificationKind.MENTION,
            actor=actor,
            recipients=recipients,
            measure=measure,
            step=step,
            text=body,
        )
    return comment


def comments_of(measure: Measure) -> list[Comment]:
    """The measure's thread, steps' comments included, oldest first."""
    return list(
        db.session.scalars(
            select(Comment).where(Comment.measure_id == measure.id).order_by(Comment.created_at, Comment.id)
        )
    )
