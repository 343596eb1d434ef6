"""The audit trail: services call :func:`record` for every change they make."""

from __future__ import annotations

import logging
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from sqlalchemy import text

from tracker.core.models import AuditEntry
from tracker.extensions import db

if TYPE_CHECKING:
    from tracker.auth.models import User

logger = logging.getLogger(__name__)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: Any, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of ``obj`` as JSON-ready data, for the before/after of an entry."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


#: How to find the organization an entity belongs to, for entries made by the system (no actor).
#: Plain SQL by table name, so that the core imports no feature (migration 0007 uses the same).
OWNER_SQL = {
    "organization": "SELECT id FROM organizations WHERE id = :id",
    "user": "SELECT organization_id FROM users WHERE id = :id",
    "unit": "SELECT organization_id FROM units WHERE id = :id",
    "plan": "SELECT organization_id FROM plans WHERE id = :id",
    "measure": "SELECT p.organization_id FROM measures m JOIN plans p ON p.id = m.plan_id WHERE m.id = :id",
    "step": (
        "SELECT p.organization_id FROM steps s JOIN measures m ON m.id = s.measure_id "
        "JOIN plans p ON p.id = m.plan_id WHERE s.id = :id"
    ),
    "status_update": (
        "SELECT p.organization_id FROM status_updates u JOIN measures m ON m.id = u.measure_id "
        "JOIN plans p ON p.id = m.plan_id WHERE u.id = :id"
    ),
    "report_job": "SELECT organization_id FROM report_jobs WHERE id = :id",
    "deadline_extension": (
        "SELECT p.organization_id FROM deadline_extensions e JOIN measures m ON m.id = e.measure_id "
        "JOIN plans p ON p.id = m.plan_id WHERE e.id = :id"
    ),
    "meeting": "SELECT organization_id FROM meetings WHERE id = :id",
    "obligation_period": (
        "SELECT p.organization_id FROM obligation_periods o JOIN measures m ON m.id = o.measure_id "
        "JOIN plans p ON p.id = m.plan_id WHERE o.id = :id"
    ),
    "reminder_policy": "SELECT organization_id FROM reminder_policies WHERE id = :id",
    "holiday": "SELECT organization_id FROM reminder_holidays WHERE id = :id",
    "outbound_email": "SELECT organization_id FROM outbound_emails WHERE id = :id",
    "api_token": (
        "SELECT u.organization_id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = :id"
    ),
    "calendar_feed": (
        "SELECT u.organization_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE f.id = :id"
    ),
}


def owner_of(entity_type: str, entity_id: int | None) -> int | None:
    """The organization of a flushed entity, or None for a kind this table does not know."""
    sql = OWNER_SQL.get(entity_type)
    if sql is None or entity_id is None:
        return None
    return db.session.execute(text(sql), {"id": entity_id}).scalar()


class EntryDetails(TypedDict, total=False):
    """What an entry may say besides who did what to which entity (:func:`record`, :func:`entry_row`)."""

    before: dict[str, Any] | None
    after: dict[str, Any] | None
    organization_id: int | None


def record(
    actor: User | None, entity_type: str, entity_id: int | None, action: str, **details: Unpack[EntryDetails]
) -> AuditEntry:
    """Add an audit entry to the session (flushed with the change it describes, never committed here).

    The entry belongs to ``organization_id``, else to the actor's organization, else (system
    changes: CLI, demo, imports) to the organization of the entity it names. Only that
    organization's auditors see it; an entry whose owner cannot be found is shown to nobody
    (and logged), never to everyone.
    """
    entry = AuditEntry(**entry_row(actor, entity_type, entity_id, action, **details))
    db.session.add(entry)
    return entry


def entry_row(
    actor: User | None,
    entity_type: str,
    entity_id: int | None,
    action: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organization_id: int | None = None,
) -> dict[str, Any]:
    """The columns of the entry :func:`record` adds, owner resolved the same way, for a service that
    writes many at once: ``db.session.execute(insert(AuditEntry), rows)`` (the bulk import)."""
    if organization_id is None and actor is not None:
        organization_id = actor.organization_id
    if organization_id is None:
        organization_id = owner_of(entity_type, entity_id)
    if organization_id is None:
        logger.warning(
            "audit entry for %s %s has no organization; pass organization_id", entity_type, entity_id
        )
    return {
        "organization_id": organization_id,
        "actor_id": actor.id if actor is not None else None,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "action": action,
        "before": _jsonable(before) if before is not None else None,
        "after": _jsonable(after) if after is not None else None,
    }


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, so entries stay readable."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
