"""What a revision changes against the approved version: measures added, removed, changed field by field.

The director reads (and prints) this before approving a revision. Both sides are the plain
snapshot shape (:func:`tracker.plans.snapshot_load.measure_json`), matched by measure id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from tracker.plans.models import Plan, PlanVersion
from tracker.plans.snapshot_load import measure_json

#: The compared fields of a measure, in print order, with their labels.
FIELDS = {
    "number": _l("№"),
    "title": _l("Title"),
    "mechanism": _l("Mechanism"),
    "deadline": _l("Deadline"),
    "legal_basis": _l("Legal basis"),
    "expected_result": _l("Expected result"),
    "responsible": _l("Responsible units"),
    "steps": _l("Steps"),
}


@dataclass(frozen=True)
class FieldChange:
    label: Any
    before: str
    after: str


@dataclass
class RevisionChanges:
    approved: PlanVersion | None
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    #: (measure as revised, its field changes)
    changed: list[tuple[dict[str, Any], list[FieldChange]]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _shown(key: str, value: Any) -> str:
    """A field as a person reads it."""
    if value is None:
        return ""
    if key == "deadline":
        return value.get("text") or ""
    if key == "responsible":
        return "; ".join(r.get("name") or "" for r in value)
    if key == "steps":
        return "\n".join(
            f"{s['number']}. {s['text']}"
            + (f" ({s['deadline']['text']})" if s["deadline"].get("text") else "")
            for s in value
        )
    return str(value)


def revision_changes(plan: Plan) -> RevisionChanges:
    """The plan as it is now against its latest approved version (empty when never approved)."""
    approved = max(plan.versions, key=lambda v: v.number) if plan.versions else None
    result = RevisionChanges(approved)
    if approved is None:
        return result
    before = {m["id"]: m for m in approved.snapshot.get("measures", [])}
    after = {m.id: measure_json(m) for m in plan.measures}
    result.added = [m for mid, m in after.items() if mid not in before]
    result.removed = [m for mid, m in before.items() if mid not in after]
    for mid, now in after.items():
        was = before.get(mid)
        if was is None:
            continue
        diffs = [
            FieldChange(label, _shown(key, was.get(key)), _shown(key, now.get(key)))
            for key, label in FIELDS.items()
            if _shown(key, was.get(key)) != _shown(key, now.get(key))
        ]
        if diffs:
            result.changed.append((now, diffs))
    return result
