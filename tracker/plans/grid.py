"""One grid on the plan page to give many measures a deadline and a lead unit at once.

A proposal of measures (tracker/imports/proposals.py) arrives with neither; the controller fills
them here, measure by measure, before the draft may be sent for approval. Each changed row goes
through :func:`tracker.plans.services.update_measure`, so it is checked and audited as one edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from tracker.core.errors import InvalidInput
from tracker.plans import services
from tracker.plans.models import Measure, Plan

if TYPE_CHECKING:
    from tracker.auth.models import User


@dataclass(frozen=True)
class GridRow:
    measure_id: int
    #: The deadline as a clerk writes it ("2025 йил 1 март", "Ҳар чоракда"); "" leaves none.
    deadline_text: str
    #: The lead unit; None keeps the measure without one.
    unit_id: int | None


def measures_missing_details(measures: list[Measure]) -> list[Measure]:
    """The measures from a proposal among ``measures`` that still lack a deadline or a
    responsible unit."""
    return [m for m in measures if m.content and not (m.deadline_text and m.responsibles)]


def fill_grid(plan: Plan, rows: list[GridRow], *, actor: User) -> int:
    """Save the grid; returns how many measures changed. Raises like ``update_measure``."""
    by_id = {m.id: m for m in plan.measures}
    changed = 0
    for row in rows:
        measure = by_id.get(row.measure_id)
        if measure is None:
            raise InvalidInput(_("A measure of the grid is not in this plan any more; reload the page."))
        text = row.deadline_text.strip()
        lead = measure.lead
        lead_id = lead.unit_id if lead is not None else None
        if text == (measure.deadline_text or "") and row.unit_id == lead_id:
            continue
        co_ids = [r.unit_id for r in measure.responsibles if r.unit_id and not r.is_lead]
        services.update_measure(
            measure,
            services.MeasureData(
                number=measure.number,
                title=measure.title,
                mechanism=measure.mechanism,
                deadline_text=text or None,
                legal_basis=measure.legal_basis,
                expected_result=measure.expected_result,
                lead_unit_id=row.unit_id,
                co_unit_ids=[u for u in co_ids if u != row.unit_id],
                other_responsible=[r.name for r in measure.responsibles if r.unit_id is None and r.name],
            ),
            actor=actor,
            expected_version=None,
        )
        changed += 1
    return changed
