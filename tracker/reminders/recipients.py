"""Who receives a reminder: the responsible units' people, their heads, directors, controllers.

Loaded in bulk once per sweep (a fixed number of queries whatever the number of measures).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from tracker.core.permissions import Role
from tracker.core.sql import among
from tracker.extensions import db
from tracker.orgs.models import Unit
from tracker.plans.models import Responsible
from tracker.reminders.models import ReminderKind

_UNIT_ROLES = frozenset({Role.EXECUTOR, Role.UNIT_HEAD})


@dataclass
class People:
    """Who can receive what, per organization, loaded once per sweep."""

    unit_users: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    heads: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    directors: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    controllers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    units_of_org: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    parent: dict[int, int | None] = field(default_factory=dict)

    def head_of(self, unit_id: int) -> list[int]:
        """Heads of the unit, or of the nearest unit above it that has one."""
        seen: set[int] = set()
        node: int | None = unit_id
        while node is not None and node not in seen:
            if self.heads.get(node):
                return self.heads[node]
            seen.add(node)
            node = self.parent.get(node)
        return []


def load_people(organization_ids: set[int]) -> People:
    from tracker.auth.models import User, UserRole

    people = People()
    if not organization_ids:
        return people
    for unit_id, parent_id, org_id in db.session.execute(
        select(Unit.id, Unit.parent_id, Unit.organization_id).where(
            Unit.organization_id.in_(organization_ids)
        )
    ):
        people.parent[unit_id] = parent_id
        people.units_of_org[org_id].append(unit_id)
    wanted = [Role.EXECUTOR, Role.UNIT_HEAD, Role.DIRECTOR, Role.CONTROLLER]
    rows = db.session.execute(
        select(User.id, User.unit_id, User.organization_id, UserRole.role)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.is_active, User.organization_id.in_(organization_ids), UserRole.role.in_(wanted))
        .order_by(User.id)
    )
    for user_id, user_unit, org_id, role_value in rows:
        role = Role(role_value)
        if role in _UNIT_ROLES and user_unit is not None and user_id not in people.unit_users[user_unit]:
            people.unit_users[user_unit].append(user_id)
        if role == Role.UNIT_HEAD and user_unit is not None:
            people.heads[user_unit].append(user_id)
        elif role == Role.DIRECTOR:
            people.directors[org_id].append(user_id)
        elif role == Role.CONTROLLER:
            people.controllers[org_id].append(user_id)
    return people


@dataclass
class Responsibility:
    """A measure's responsible units (the lead ones apart), or "all units"."""

    unit_ids: list[int] = field(default_factory=list)
    lead_unit_ids: list[int] = field(default_factory=list)
    is_all_units: bool = False


def load_responsibility(measure_ids: list[int]) -> dict[int, Responsibility]:
    """Measure id → its responsible units, in the measure's order. Measures with the same units
    share one :class:`Responsibility`, so :class:`RecipientFinder` works each answer out once."""
    responsibility: dict[int, Responsibility] = defaultdict(Responsibility)
    for condition in among(Responsible.measure_id, measure_ids):
        # Plain rows (the session's connection, no ORM result processing): there may be 100,000s.
        for measure_id, unit_id, is_all_units, is_lead in (
            db.session.connection()
            .execute(
                select(
                    Responsible.measure_id, Responsible.unit_id, Responsible.is_all_units, Responsible.is_lead
                )
                .where(condition)
                .order_by(Responsible.measure_id, Responsible.position)
            )
            .all()
        ):
            entry = responsibility[measure_id]
            entry.is_all_units = entry.is_all_units or is_all_units
            if unit_id is not None:
                entry.unit_ids.append(unit_id)
                if is_lead:
                    entry.lead_unit_ids.append(unit_id)
    shared: dict[tuple[Any, ...], Responsibility] = {}
    for measure_id, entry in responsibility.items():
        key = (tuple(entry.unit_ids), tuple(entry.lead_unit_ids), entry.is_all_units)
        responsibility[measure_id] = shared.setdefault(key, entry)
    return responsibility


class RecipientFinder:
    """:func:`recipients_of`, remembered per kind, organization and responsibility for one sweep."""

    def __init__(self, people: People) -> None:
        self.people = people
        self.seen: dict[tuple[Any, ...], list[int]] = {}

    def __call__(self, kind: ReminderKind, organization_id: int, duty: Responsibility) -> list[int]:
        key = (kind, organization_id, id(duty))
        if key not in self.seen:
            self.seen[key] = recipients_of(kind, organization_id, duty, self.people)
        return self.seen[key]


def recipients_of(
    kind: ReminderKind, organization_id: int, duty: Responsibility, people: People
) -> list[int]:
    """Who gets a reminder of ``kind`` about an item: the unit's people for before/due/overdue,
    the heads for the first escalation, directors for the second, controllers for a review."""
    if kind == ReminderKind.REVIEW:
        return people.controllers[organization_id]
    if kind == ReminderKind.ESCALATION_DIRECTOR:
        return people.directors[organization_id]
    recipients: list[int] = []
    if kind == ReminderKind.ESCALATION_HEAD:
        for unit_id in duty.lead_unit_ids or duty.unit_ids:
            recipients += [u for u in people.head_of(unit_id) if u not in recipients]
        return recipients
    units = people.units_of_org[organization_id] if duty.is_all_units else duty.unit_ids
    for unit_id in units:
        recipients += [u for u in people.unit_users.get(unit_id, ()) if u not in recipients]
    return recipients
