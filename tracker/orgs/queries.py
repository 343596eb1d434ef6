"""The organization's units: the one query every list, filter and form uses."""

from __future__ import annotations

from sqlalchemy import select

from tracker.extensions import db
from tracker.orgs.models import Unit


def organization_units(organization_id: int, *, include_inactive: bool = False) -> list[Unit]:
    """The organization's units by name; active ones only unless ``include_inactive``
    (administration, and filters over past work that inactive units may still hold)."""
    query = select(Unit).where(Unit.organization_id == organization_id).order_by(Unit.name)
    if not include_inactive:
        query = query.where(Unit.is_active.is_(True))
    return list(db.session.scalars(query))
