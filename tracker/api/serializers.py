"""Plain JSON shapes of our objects (ISO dates, status codes rather than labels)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tracker.execution.models import StatusUpdate
from tracker.plans.models import DeadlineFields, Measure, Plan


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def deadline_json(item: DeadlineFields) -> dict[str, Any]:
    return item.deadline_json()


def plan_summary(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "title": plan.title,
        "kind": plan.kind,
        "state": plan.state,
        "version": plan.version,
        "organization": plan.organization.name,
        "period": {"start": _iso(plan.period_start), "end": _iso(plan.period_end)},
        "approval": {
            "name": plan.approval_name,
            "position": plan.approval_position,
            "date": _iso(plan.approval_date),
        }
        if plan.approval_name
        else None,
    }


def measure_json(measure: Measure) -> dict[str, Any]:
    return {
        "id": measure.id,
        "plan_id": measure.plan_id,
        "number": measure.number,
        "title": measure.title,
        "content": measure.content,
        "mechanism": measure.mechanism,
        "deadline": deadline_json(measure),
        "legal_basis": measure.legal_basis,
        "expected_result": measure.expected_result,
        "status": measure.status,
        "status_note": measure.status_note,
        "overdue": measure.is_overdue,
        "lock_version": measure.lock_version,
        "responsible": [
            {"name": r.display_name, "unit_id": r.unit_id, "lead": r.is_lead} for r in measure.responsibles
        ],
        "steps": [
            {
                "id": s.id,
                "number": s.number,
                "text": s.text,
                "deadline": deadline_json(s),
                "status": s.status,
                "status_note": s.status_note,
                "overdue": s.is_overdue,
            }
            for s in measure.steps
        ],
    }


def status_update_json(update: StatusUpdate) -> dict[str, Any]:
    return {
        "id": update.id,
        "measure_id": update.measure_id,
        "step_id": update.step_id,
        "status": update.status,
        "note": update.note,
        "effective_on": _iso(update.effective_on),
        "created_at": _iso(update.created_at),
        "review_state": update.review_state,
        "attachments": [
            {"id": a.id, "name": a.original_name, "size": a.size, "sha256": a.sha256}
            for a in update.attachments
        ],
    }
