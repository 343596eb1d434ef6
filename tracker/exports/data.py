"""A plan as open data (``docs/open-data.md``), in either script and as of any date."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.core.status import Status
from tracker.core.time import today
from tracker.execution.history import plan_as_of
from tracker.extensions import db
from tracker.plans.models import DeadlineFields, Measure, Plan
from tracker.uzbek import parse_legal_basis, transliterate

FORMAT_NAME = "tracker-plan"
FORMAT_VERSION = 1
SCRIPTS = ("cyrl", "latn")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def plan_open_data(plan: Plan, *, script: str | None = None, as_of: date | None = None) -> dict[str, Any]:
    """The plan with each measure's and step's status on ``as_of`` (today when None).

    Only reviewed work counts (a "done" claim awaiting review is not done yet); measures that
    entered the plan after ``as_of`` are left out. ``script`` "cyrl"/"latn" transliterates the
    content; None keeps it as written.
    """
    as_of = as_of or today()
    state = plan_as_of(plan.id, as_of, include_pending=False)

    def t(text: str | None) -> str | None:
        if text is None or script is None:
            return text
        return transliterate(text, script)

    def deadline(item: DeadlineFields) -> dict[str, Any]:
        return item.deadline_json(text=t(item.deadline_text))

    measures = {
        m.id: m
        for m in db.session.scalars(
            select(Measure)
            .where(Measure.id.in_(state.measure_ids))
            .options(selectinload(Measure.steps), selectinload(Measure.responsibles))
        )
    }
    items = []
    for measure_id in state.measure_ids:
        measure = measures[measure_id]
        status = state.measures[measure_id]
        acts = parse_legal_basis(measure.legal_basis) if measure.legal_basis else []
        items.append(
            {
                "number": measure.number,
                "title": t(measure.title),
                "content": t(measure.content),
                "mechanism": t(measure.mechanism),
                "expected_result": t(measure.expected_result),
                "deadline": deadline(measure),
                "legal_basis": {
                    "text": t(measure.legal_basis),
                    "acts": [{**act.to_json(), "issuer": t(act.to_json().get("issuer"))} for act in acts],
                }
                if measure.legal_basis
                else None,
                "responsible": [
                    {
                        "name": t(r.display_name) if (r.unit or r.name) else None,
                        "unit_id": r.unit_id,
                        "lead": r.is_lead,
                        "all_units": r.is_all_units,
                    }
                    for r in measure.responsibles
                ],
                "status": Status(status.status).value,
                "status_note": t(status.note),
                "steps": [
                    {
                        "number": step.number,
                        "text": t(step.text),
                        "deadline": deadline(step),
                        "status": Status(state.steps[step.id].status).value,
                        "status_note": t(state.steps[step.id].note),
                    }
                    for step in measure.steps
                ],
            }
        )
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "id": plan.id,
        "title": t(plan.title),
        "kind": plan.kind,
        "organization": t(plan.organization.name),
        "state": plan.state,
        "version": plan.version,
        "basis": t(plan.basis),
        "period": {"start": _iso(plan.period_start), "end": _iso(plan.period_end)},
        "approval": {
            "name": t(plan.approval_name),
            "position": t(plan.approval_position),
            "date": _iso(plan.approval_date),
        }
        if plan.approval_name and plan.approval_date
        else None,
        "as_of": as_of.isoformat(),
        "script": script,
        "meeting": _meeting(plan, t),
        "measures": items,
    }


def _meeting(plan: Plan, t: Any) -> dict[str, Any] | None:
    """The meeting a plan of decisions records (issue 15), names in the export's script."""
    from tracker.meetings.services import meeting_of_plan

    meeting = meeting_of_plan(plan) if plan.kind == "decisions" else None
    if meeting is None:
        return None
    header = meeting.header_json()
    for key in ("body", "chair", "secretary"):
        header[key] = t(header[key])
    header["attendees"] = [t(name) for name in header["attendees"]]
    header["agenda"] = [t(item) for item in header["agenda"]]
    return header
