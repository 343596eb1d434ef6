"""One measure of the read model as of a day: its fields, deadline and progress in force.

Part of :mod:`tracker.plans.snapshot` (which documents the rules); :func:`measure_as_of` turns a
measure's stored JSON shape and its loaded history into a :class:`MeasureSnapshot`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.core.status import Status
from tracker.plans import inforce
from tracker.plans.inforce import DeadlineValue
from tracker.plans.models import MEASURE_TEXTS
from tracker.plans.snapshot_load import LoadedHistory, in_script
from tracker.plans.snapshot_model import (
    Deadline,
    Evidence,
    MeasureSnapshot,
    ResponsibleUnit,
    StepSnapshot,
)


class ScriptWriter:
    """Writes every text in the chosen script (None: as written)."""

    def __init__(self, script: str | None) -> None:
        self.script = script

    def text(self, value: str | None) -> str:
        if not value:
            return ""
        return in_script(value, self.script) if self.script else value


def parse_date(value: str | None) -> date | None:
    """An ISO date of the JSON shape, or None."""
    return date.fromisoformat(value) if value else None


#: Change-record field → key of the measure/step JSON shape.
_MEASURE_KEYS = {
    "title": "title",
    "mechanism": "mechanism",
    "expected_result": "expected_result",
    "deadline": "deadline",
    "responsibles": "responsible",
}
_STEP_KEYS = {"title": "text", "deadline": "deadline"}


def _fields_in_force(
    item: dict[str, Any],
    keys: dict[str, str],
    history: LoadedHistory,
    measure_id: int,
    step_id: int | None,
    as_of: date,
    *,
    applied_after: Any,
    exact: bool,
    is_live: bool,
) -> tuple[dict[str, Any], Any]:
    """The item's fields in force on ``as_of``, and the extension record in force, if any."""
    values = dict(item)
    extension = None
    if exact:
        return values, None
    for field, key in keys.items():
        records = history.changes.get((measure_id, step_id, field), [])
        if is_live:
            values[key] = inforce.value_in_force(item.get(key), records, as_of)
            in_force = [r for r in records if r.effective_on is not None and r.effective_on <= as_of]
        else:
            in_force = [
                r
                for r in records
                if r.effective_on is not None and r.effective_on <= as_of and r.recorded_at > applied_after
            ]
            if in_force:
                values[key] = in_force[-1].new_value
        if field == "deadline" and in_force and in_force[-1].kind == "extension":
            extension = in_force[-1]
    return values, extension


def _deadline(
    value: dict[str, Any] | None, w: ScriptWriter, extension: Any, derived: bool = False
) -> Deadline:
    d = DeadlineValue.from_json(value)
    return Deadline(
        text=w.text(d.text),
        kind=d.kind,
        start_on=d.start_on,
        due_on=d.due_on,
        recurrence=d.recurrence,
        is_derived=derived,
        extended_from=w.text((extension.old_value or {}).get("text")) or None if extension else None,
        extension_basis=w.text(extension.basis) or None if extension else None,
    )


def _progress(
    key: tuple[int, int | None], history: LoadedHistory, due_on: date | None, as_of: date, w: ScriptWriter
) -> dict[str, Any]:
    state = history.state(key)
    return {
        "status": state.status,
        "note": w.text(state.note),
        "reported_on": state.reported_on,
        "done_on": state.done_on,
        "completion_unknown": state.completion_unknown,
        "return_reason": w.text(state.return_reason) or None,
        "is_overdue": inforce.is_overdue(due_on, state.status, as_of),
        "days_late": inforce.days_late(due_on, state.status, state.done_on, as_of),
        "is_done_on_time": inforce.done_on_time(due_on, state.status, state.done_on),
        "evidence": tuple(Evidence(*e) for e in history.evidence.get(key, ())),
        "is_note_internal": state.is_note_internal,
    }


def measure_as_of(
    item: dict[str, Any],
    history: LoadedHistory,
    as_of: date,
    w: ScriptWriter,
    *,
    applied_after: Any,
    exact: bool,
    is_live: bool,
) -> MeasureSnapshot:
    """The measure and its steps in force on ``as_of``, statuses rebuilt from ``history``."""
    mid = item["id"]
    flags = {"applied_after": applied_after, "exact": exact, "is_live": is_live}
    values, extension = _fields_in_force(item, _MEASURE_KEYS, history, mid, None, as_of, **flags)
    own = _deadline(values["deadline"], w, extension)
    steps = []
    for raw in item.get("steps", []):
        step_values, step_ext = _fields_in_force(raw, _STEP_KEYS, history, mid, raw["id"], as_of, **flags)
        step_deadline = _deadline(step_values["deadline"], w, step_ext)
        due = step_deadline.due_on or (own.due_on if not step_deadline.text else None)
        steps.append(
            StepSnapshot(
                id=raw["id"],
                number=str(raw["number"]),
                title=w.text(step_values["text"]),
                deadline=step_deadline,
                **_progress((mid, raw["id"]), history, due, as_of, w),
            )
        )
    value, derived = inforce.deadline_from_steps(
        DeadlineValue.from_json(values["deadline"]),
        [DeadlineValue.from_json(s["deadline"]) for s in (_step_raw(item, history, as_of, flags))],
        set_on_measure=bool(item.get("deadline_on_measure")),
    )
    deadline = _deadline(value.to_json(), w, None, derived) if derived else own
    progress = _progress((mid, None), history, deadline.due_on, as_of, w)
    from_steps = bool(steps) and not inforce.own_status_wins(
        history.state((mid, None)).recorded, [history.state((mid, s.id)).recorded for s in steps]
    )
    if from_steps:
        progress = _progress_from_steps(progress, steps, deadline.due_on, as_of)
    # Texts changed after approval (mechanism, expected result) are the ones in force.
    texts: dict[str, Any] = {name: w.text(values.get(name)) for name in MEASURE_TEXTS}
    return MeasureSnapshot(
        id=mid,
        number=str(item["number"]),
        title=w.text(values["title"]),
        deadline=deadline,
        responsibles=tuple(
            ResponsibleUnit(
                w.text(r.get("name")), r.get("unit_id"), bool(r.get("lead")), bool(r.get("all_units"))
            )
            for r in values.get("responsible") or []
        ),
        **texts,
        is_status_from_steps=from_steps,
        steps=tuple(steps),
        **progress,
    )


def _step_raw(item: dict[str, Any], history: LoadedHistory, as_of: date, flags: dict[str, Any]) -> list[Any]:
    """The steps' deadlines in force, untransliterated (the derived text is transliterated once)."""
    return [
        _fields_in_force(raw, _STEP_KEYS, history, item["id"], raw["id"], as_of, **flags)[0]
        for raw in item.get("steps", [])
    ]


def _progress_from_steps(
    own: dict[str, Any], steps: list[StepSnapshot], due_on: date | None, as_of: date
) -> dict[str, Any]:
    status = inforce.status_from_steps([s.status for s in steps])
    done_days = [s.done_on for s in steps if s.status == Status.DONE]
    unknown = status == Status.DONE and any(s.completion_unknown for s in steps if s.status == Status.DONE)
    done_on = max(done_days) if status == Status.DONE and done_days and not unknown else None  # type: ignore[type-var]
    reported = [s.reported_on for s in steps if s.reported_on]
    return {
        **own,
        "status": status,
        "reported_on": max(reported) if reported else own["reported_on"],
        "done_on": done_on,
        "completion_unknown": unknown,
        "is_overdue": inforce.is_overdue(due_on, status, as_of),
        "days_late": inforce.days_late(due_on, status, done_on, as_of),
        "is_done_on_time": inforce.done_on_time(due_on, status, done_on),
    }
