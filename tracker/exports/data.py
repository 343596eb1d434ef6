"""A plan as open data (``docs/open-data.md``), in either script and as of any date.

A formatting of the one read model (:mod:`tracker.plans.snapshot`): the same deadlines,
responsible units and statuses in force as the printed reports.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.extensions import db
from tracker.plans.models import Plan
from tracker.plans.snapshot import MeasureSnapshot, PlanSnapshot, StepSnapshot, snapshot_of
from tracker.uzbek import parse_legal_basis, transliterate

FORMAT_NAME = "tracker-plan"
FORMAT_VERSION = 1
SCRIPTS = ("cyrl", "latn")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _progress_json(item: MeasureSnapshot | StepSnapshot) -> dict[str, Any]:
    return {
        "status": item.status.value,
        "status_note": item.note or None,
        "reported_on": _iso(item.reported_on),
        "done_on": _iso(item.done_on),
        "overdue": item.is_overdue,
        "days_late": item.days_late,
        "done_on_time": item.is_done_on_time,
    }


def _extension_json(item: MeasureSnapshot | StepSnapshot) -> dict[str, Any] | None:
    if not item.deadline.extended_from:
        return None
    return {"from": item.deadline.extended_from, "basis": item.deadline.extension_basis}


def step_json(step: StepSnapshot) -> dict[str, Any]:
    return {
        "id": step.id,
        "number": step.number,
        "text": step.title,
        "deadline": step.deadline.to_json(),
        "extension": _extension_json(step),
        **_progress_json(step),
    }


def measure_json(measure: MeasureSnapshot, *, with_acts: bool = True) -> dict[str, Any]:
    """One measure of the snapshot in the open-data shape (``id`` included)."""
    acts = parse_legal_basis(measure.legal_basis) if with_acts and measure.legal_basis else []
    return {
        "id": measure.id,
        "number": measure.number,
        "title": measure.title,
        "content": measure.content or None,
        "mechanism": measure.mechanism or None,
        "expected_result": measure.expected_result or None,
        "deadline": measure.deadline.to_json(),
        "extension": _extension_json(measure),
        "legal_basis": {"text": measure.legal_basis, "acts": [act.to_json() for act in acts]}
        if measure.legal_basis
        else None,
        "responsible": [
            {"name": r.name or None, "unit_id": r.unit_id, "lead": r.is_lead, "all_units": r.is_all_units}
            for r in measure.responsibles
        ],
        **_progress_json(measure),
        "status_from_steps": measure.is_status_from_steps,
        "steps": [step_json(s) for s in measure.steps],
    }


def snapshot_json(view: PlanSnapshot) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "id": view.id,
        "title": view.title,
        "kind": view.kind,
        "organization": view.organization,
        "state": view.state,
        "version": view.version if view.version is not None else view.working_version,
        "basis": view.basis or None,
        "period": {"start": _iso(view.period_start), "end": _iso(view.period_end)},
        "approval": {
            "name": view.approval.name,
            "position": view.approval.position or None,
            "date": view.approval.approved_on.isoformat(),
        }
        if view.approval
        else None,
        "as_of": view.as_of.isoformat(),
        "script": view.script,
        "meeting": _meeting(view),
        "measures": [measure_json(m) for m in view.measures],
    }


def _meeting(view: PlanSnapshot) -> dict[str, Any] | None:
    """The meeting a plan of decisions records (issue 15), names in the snapshot's script."""
    from tracker.meetings.services import meeting_of_plan

    plan = db.session.get(Plan, view.id) if view.kind == "decisions" else None
    meeting = meeting_of_plan(plan) if plan is not None else None
    if meeting is None:
        return None
    header = meeting.header_json()

    def t(text: str | None) -> str | None:
        return transliterate(text, view.script) if text and view.script else text

    for key in ("body", "chair", "secretary"):
        header[key] = t(header[key])
    header["attendees"] = [t(name) for name in header["attendees"]]
    header["agenda"] = [t(item) for item in header["agenda"]]
    return header


def plan_open_data(plan: Plan, *, script: str | None = None, as_of: date | None = None) -> dict[str, Any]:
    """The plan as it stood at the end of ``as_of`` (today when None).

    Only reviewed work counts (a "done" claim awaiting review is not done yet); the version of the
    plan in force that day is given, with the deadlines and responsible units then in force.
    ``script`` "cyrl"/"latn" transliterates the content; None keeps it as written.
    """
    return snapshot_json(snapshot_of(plan, as_of, script=script))
