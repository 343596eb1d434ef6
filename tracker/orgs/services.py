"""Creating and changing units."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.core import audit
from tracker.core.errors import InvalidInput, PermissionDenied
from tracker.extensions import db
from tracker.orgs.models import Organization, Unit

if TYPE_CHECKING:
    from tracker.auth.models import User

UNIT_FIELDS = ("name", "parent_id", "is_active")


def get_or_create_organization(name: str) -> Organization:
    organization = db.session.scalar(select(Organization).where(Organization.name == name))
    if organization is None:
        organization = Organization(name=name)
        db.session.add(organization)
        db.session.flush()
        audit.record(None, "organization", organization.id, "create", after={"name": name})
    return organization


def _check(
    organization: Organization, name: str, parent: Unit | None, unit: Unit | None, actor: User | None
) -> None:
    if actor is not None and (
        not actor.has_permission("admin.manage") or actor.organization_id != organization.id
    ):
        raise PermissionDenied(_("You may not manage this organization's units."))
    if not name:
        raise InvalidInput(_("Give the unit a name."))
    clash = db.session.scalar(
        select(Unit.id).where(
            Unit.organization_id == organization.id, Unit.name == name, Unit.id != (unit.id if unit else -1)
        )
    )
    if clash is not None:
        raise InvalidInput(_("A unit named “%(name)s” already exists.", name=name))
    if parent is not None:
        if parent.organization_id != organization.id:
            raise InvalidInput(_("The parent unit belongs to another organization."))
        if unit is not None and (parent is unit or unit in parent.ancestors()):
            raise InvalidInput(_("A unit cannot be placed under itself or under one of its own sub-units."))


def create_unit(
    organization: Organization, name: str, *, parent: Unit | None = None, actor: User | None
) -> Unit:
    name = name.strip()
    _check(organization, name, parent, None, actor)
    unit = Unit(organization=organization, name=name, parent=parent)
    db.session.add(unit)
    db.session.flush()
    audit.record(actor, "unit", unit.id, "create", after=audit.snapshot(unit, UNIT_FIELDS))
    return unit


def update_unit(unit: Unit, *, name: str, parent: Unit | None, is_active: bool, actor: User) -> Unit:
    name = name.strip()
    _check(unit.organization, name, parent, unit, actor)
    before = audit.snapshot(unit, UNIT_FIELDS)
    unit.name, unit.parent, unit.is_active = name, parent, is_active
    db.session.flush()
    old, new = audit.changed(before, audit.snapshot(unit, UNIT_FIELDS))
    if new:
        audit.record(actor, "unit", unit.id, "update", before=old, after=new)
    return unit
