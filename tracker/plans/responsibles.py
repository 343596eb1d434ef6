"""Who answers for a measure: the lead unit, co-executors, and names that match no unit.

Shared by editing a draft (:mod:`tracker.plans.measures`) and reassigning the units of an
approved plan's measure (:mod:`tracker.plans.changes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.core.errors import InvalidInput
from tracker.extensions import db
from tracker.orgs.models import Unit
from tracker.plans.models import Measure, Plan, Responsible
from tracker.plans.phrases import is_all_units_phrase, is_heading_phrase


@dataclass
class MeasureData:
    number: str
    title: str
    mechanism: str | None = None
    deadline_text: str | None = None
    #: A due date typed by hand wins over the parsed one.
    due_on: date | None = None
    legal_basis: str | None = None
    expected_result: str | None = None
    lead_unit_id: int | None = None
    co_unit_ids: list[int] = field(default_factory=list)
    #: Responsible names matching no unit; "all units" phrases are recognised.
    other_responsible: list[str] = field(default_factory=list)
    #: When the measure entered the plan; today unless an import says otherwise.
    added_on: date | None = None
    #: A proposal's content (issue 15); None leaves the stored content as it is.
    content: str | None = None


def _units_of(plan: Plan, unit_ids: list[int]) -> dict[int, Unit]:
    if not unit_ids:
        return {}
    units = db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids))).all()
    found = {u.id: u for u in units if u.organization_id == plan.organization_id}
    if len(found) != len(set(unit_ids)):
        raise InvalidInput(_("A responsible unit does not belong to this plan's organization."))
    return found


def set_responsibles(measure: Measure, data: MeasureData) -> None:
    """Replace the measure's responsible units (lead first, then co-executors, then names)."""
    co_ids = [u for u in dict.fromkeys(data.co_unit_ids) if u != data.lead_unit_id]
    units = _units_of(measure.plan, [*([data.lead_unit_id] if data.lead_unit_id else []), *co_ids])
    rows: list[Responsible] = []
    if data.lead_unit_id:
        rows.append(Responsible(unit=units[data.lead_unit_id], is_lead=True))
    rows += [Responsible(unit=units[unit_id]) for unit_id in co_ids]
    names = (n.strip() for n in data.other_responsible if n.strip() and not is_heading_phrase(n))
    for name in dict.fromkeys(names):
        rows.append(Responsible(name=name, is_all_units=is_all_units_phrase(name), is_lead=not rows))
    for position, row in enumerate(rows):
        row.position = position
    measure.responsibles = rows


def responsible_summary(measure: Measure) -> list[str]:
    """The responsibles as the audit trail records them (the lead marked with "* ")."""
    return [("* " if r.is_lead else "") + r.display_name for r in measure.responsibles]
