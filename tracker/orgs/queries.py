"""The organization's units: the one query every list, filter and form uses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Select, select

from tracker.extensions import db
from tracker.orgs.models import Unit


def _units_query(organization_id: int, include_inactive: bool, *columns: Any) -> Select[Any]:
    query = select(*columns).where(Unit.organization_id == organization_id).order_by(Unit.name)
    if not include_inactive:
        query = query.where(Unit.is_active.is_(True))
    return query


def organization_units(organization_id: int, *, include_inactive: bool = False) -> list[Unit]:
    """The organization's units by name; active ones only unless ``include_inactive``
    (administration, and filters over past work that inactive units may still hold)."""
    return list(db.session.scalars(_units_query(organization_id, include_inactive, Unit)))


def unit_names(organization_id: int, *, include_inactive: bool = False) -> Sequence[Row[Any]]:
    """The same units as plain rows with ``id`` and ``name``: what a filter or a choice list
    shows. An agency has a hundred units or more, and a page that only lists them need not build
    (and track) an ORM object for each (issue 17)."""
    return db.session.execute(_units_query(organization_id, include_inactive, Unit.id, Unit.name)).all()
