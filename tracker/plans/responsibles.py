"""Who answers for a measure: the lead unit, co-executors, and names that match no unit.

Shared by editing a draft (:mod:`tracker.plans.measures`) and reassigning the units of an
approved plan's measure (:mod:`tracker.plans.changes`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Row, select

from tracker.core.errors import InvalidInput
from tracker.core.sql import rows_among
from tracker.extensions import db
from tracker.orgs.models import Unit
from tracker.plans.models import Measure, Plan, Responsible
from tracker.plans.phrases import is_all_units_phrase, is_heading_phrase


def _units_of(plan: Plan, unit_ids: list[int]) -> dict[int, Unit]:
    if not unit_ids:
        return {}
    units = db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids))).all()
    found = {u.id: u for u in units if u.organization_id == plan.organization_id}
    if len(found) != len(set(unit_ids)):
        raise InvalidInput(_("A responsible unit does not belong to this plan's organization."))
    return found


def set_responsibles(
    measure: Measure, *, lead_unit_id: int | None, co_unit_ids: list[int], other_responsible: list[str]
) -> None:
    """Replace the measure's responsible units (lead first, then co-executors, then names that
    match no unit; "all units" phrases are recognised, headings dropped). Raises
    :class:`InvalidInput` for a unit of another organization."""
    co_ids = [u for u in dict.fromkeys(co_unit_ids) if u != lead_unit_id]
    units = _units_of(measure.plan, [*([lead_unit_id] if lead_unit_id else []), *co_ids])
    rows: list[Responsible] = []
    if lead_unit_id:
        rows.append(Responsible(unit=units[lead_unit_id], is_lead=True))
    rows += [Responsible(unit=units[unit_id]) for unit_id in co_ids]
    names = (n.strip() for n in other_responsible if n.strip() and not is_heading_phrase(n))
    for name in dict.fromkeys(names):
        rows.append(Responsible(name=name, is_all_units=is_all_units_phrase(name), is_lead=not rows))
    for position, row in enumerate(rows):
        row.position = position
    measure.responsibles = rows


def responsible_summary(measure: Measure) -> list[str]:
    """The responsibles as the audit trail records them (the lead marked with "* ")."""
    return [("* " if r.is_lead else "") + r.display_name for r in measure.responsibles]


def responsibles_among(measure_ids: list[int]) -> Iterable[Row[Any]]:
    """The responsibles of these measures as plain rows (``measure_id``, ``unit_id``,
    ``is_lead``, ``is_all_units``, ``name`` as written, ``unit_name``), each measure's in its
    order: what the plan page's rows and the read model show of them, without an object per row."""
    query = (
        select(
            Responsible.measure_id,
            Responsible.unit_id,
            Responsible.is_lead,
            Responsible.is_all_units,
            Responsible.name,
            Unit.name.label("unit_name"),
        )
        .outerjoin(Unit, Unit.id == Responsible.unit_id)
        .order_by(Responsible.measure_id, Responsible.position, Responsible.id)
    )
    return rows_among(query, Responsible.measure_id, measure_ids)
