"""Re-importing a plan that exists: update it as a new version instead of making a copy.

A file whose title, kind and period match a plan of the organization (see
:func:`tracker.imports.services.same_plans`) may update that plan. Measures are matched by
their number as written, steps by their number within the measure: a matched measure keeps
its id, so its status history and comments stay with it. What the file changes is made through
:mod:`tracker.plans.services`, so that it is audited and, on an approved plan, recorded as the
changes of a new draft version (:func:`tracker.plans.services.revise_plan`): the approved
version stays readable, and the director approves the new one as usual. Statuses and notes
written in the file are not re-imported: the units report on the plan in the tracker.

Only flushes: the caller commits once, or rolls back and nothing is left.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from tracker.core import audit
from tracker.core.errors import InvalidTransition, PermissionDenied
from tracker.imports.services import MeasurePreview, Preview, measure_data, resolve_units
from tracker.orgs.models import Organization
from tracker.plans import services as plans
from tracker.plans.models import Measure, Plan, PlanState

if TYPE_CHECKING:
    from tracker.auth.models import User

logger = logging.getLogger(__name__)

#: Plans a file may update: a draft is edited in place, an approved plan gets a new version.
UPDATABLE_STATES = (PlanState.DRAFT, PlanState.APPROVED)

#: The fields compared, in the order the preview names them.
COMPARED = ("title", "mechanism", "deadline_text", "legal_basis", "expected_result", "responsible", "steps")


#: The text fields whose old and new wording the preview shows, around the first difference.
TEXT_FIELDS = ("title", "mechanism", "deadline_text", "legal_basis", "expected_result")


@dataclass
class ChangedMeasure:
    measure: Measure
    item: MeasurePreview
    #: Keys of :data:`COMPARED` whose value differs between the plan and the file.
    fields: list[str]

    def wording(self) -> list[tuple[str, str, str]]:
        """(field, old, new) for each changed text field, cut around where the two first differ."""
        return [
            (name, *difference(getattr(self.measure, name), getattr(self.item.measure, name)))
            for name in self.fields
            if name in TEXT_FIELDS
        ]


def difference(old: str | None, new: str | None, *, before: int = 40, width: int = 160) -> tuple[str, str]:
    """``old`` and ``new`` (whitespace evened) from a little before their first difference."""
    old_text, new_text = _text(old), _text(new)
    common = 0
    for a, b in zip(old_text, new_text, strict=False):
        if a != b:
            break
        common += 1
    start = max(0, common - before)
    # Start at a word, so the cut does not look like a typo.
    if start:
        start = old_text.rfind(" ", 0, start) + 1

    def cut(text: str) -> str:
        part = text[start : start + width]
        return ("…" if start else "") + (part or "—") + ("…" if start + width < len(text) else "")

    return cut(old_text), cut(new_text)


@dataclass
class Update:
    """What updating ``plan`` from the file would do, measure by measure."""

    plan: Plan
    added: list[MeasurePreview] = field(default_factory=list)
    changed: list[ChangedMeasure] = field(default_factory=list)
    removed: list[Measure] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    @property
    def opens_version(self) -> bool:
        """An approved plan is revised: the changes go into a new draft version."""
        return self.plan.state == PlanState.APPROVED


def updatable_plan(candidates: list[Plan]) -> Plan | None:
    """The plan a re-imported file may update: the newest matching draft or approved plan."""
    found = [p for p in candidates if p.state in UPDATABLE_STATES]
    return max(found, key=lambda p: p.id) if found else None


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _file_responsible(item: MeasurePreview) -> list[str]:
    """As :func:`tracker.plans.services.set_responsibles` would store them: units, then names."""
    units = [f"u{r.unit_id}" for r in item.responsible if r.unit_id and not r.is_group]
    names = [
        _text(r.name)
        for r in item.responsible
        if not (r.unit_id and not r.is_group) and r.name.strip() and not plans.is_heading_phrase(r.name)
    ]
    return list(dict.fromkeys(units)) + list(dict.fromkeys(names))


def _plan_responsible(measure: Measure) -> list[str]:
    return [f"u{r.unit_id}" if r.unit_id else _text(r.name) for r in measure.responsibles]


def _steps(rows: list[tuple[str, str, str | None]]) -> list[tuple[str, str, str]]:
    return [(_text(n), _text(t), _text(d)) for n, t, d in rows]


def changed_fields(measure: Measure, item: MeasurePreview) -> list[str]:
    """Which of :data:`COMPARED` the file writes differently (whitespace aside)."""
    parsed = item.measure
    found = [name for name in TEXT_FIELDS if _text(getattr(measure, name)) != _text(getattr(parsed, name))]
    if _plan_responsible(measure) != _file_responsible(item):
        found.append("responsible")
    ours = _steps([(s.number, s.text, s.deadline_text) for s in measure.steps])
    theirs = _steps([(s.number, s.text, s.deadline_text) for s in parsed.steps])
    if ours != theirs:
        found.append("steps")
    return found


def compare(preview: Preview, plan: Plan) -> Update:
    """What the file adds, changes and removes, measures matched by number. Never writes."""
    current = {m.number.strip(): m for m in plan.measures}
    result = Update(plan=plan)
    seen: set[str] = set()
    for item in preview.measures:
        number = item.measure.number.strip()
        seen.add(number)
        measure = current.get(number)
        if measure is None:
            result.added.append(item)
        elif fields := changed_fields(measure, item):
            result.changed.append(ChangedMeasure(measure, item, fields))
    result.removed = [m for number, m in current.items() if number not in seen]
    return result


def _update_steps(measure: Measure, item: MeasurePreview, actor: User) -> None:
    """Steps matched by number: changed ones edited, new ones added, missing ones deleted.

    Raises :class:`InvalidTransition` when a step to delete has status reports.
    """
    wanted = {s.number.strip(): s for s in item.measure.steps}
    for step in list(measure.steps):
        if step.number.strip() not in wanted:
            plans.delete_step(step, actor=actor)
    existing = {s.number.strip(): s for s in measure.steps}
    for number, parsed in wanted.items():
        data = plans.StepData(number=parsed.number, text=parsed.text, deadline_text=parsed.deadline_text)
        current = existing.get(number)
        if current is None:
            plans.add_step(measure, data, actor=actor)
        elif _steps([(current.number, current.text, current.deadline_text)]) != _steps(
            [(parsed.number, parsed.text, parsed.deadline_text)]
        ):
            plans.update_step(current, data, actor=actor, expected_version=None)
    order = {number: position for position, number in enumerate(wanted, start=1)}
    for step in measure.steps:
        step.position = order.get(step.number.strip(), len(order) + step.position)


def update_plan_from_import(
    preview: Preview,
    plan: Plan,
    organization: Organization,
    *,
    actor: User,
    mapping: dict[str, str] | None = None,
) -> Update:
    """Bring ``plan`` in line with the file; an approved plan first opens a new draft version.

    ``mapping`` is as for :func:`tracker.imports.services.import_plan`. Raises
    :class:`PermissionDenied`, :class:`InvalidTransition` (a plan awaiting approval or closed, a
    removed step with status reports) or :class:`InvalidInput`.
    """
    _check_updatable(plan, organization, actor)
    update = compare(preview, plan)
    if update.is_empty:
        raise InvalidTransition(_("The file changes nothing in this plan."))
    resolved = resolve_units(preview, organization, mapping or {}, False, actor)
    was_version = plan.version
    if update.opens_version:
        plans.revise_plan(plan, actor=actor)
    _apply_update(plan, update, resolved, actor)
    _follow_file_order(plan, preview)
    audit.record(
        actor,
        "plan",
        plan.id,
        "reimport",
        before={"version": was_version},
        after={
            "file": preview.plan.filename,
            "version": plan.version,
            "added": [i.measure.number for i in update.added],
            "changed": {c.measure.number: c.fields for c in update.changed},
            "removed": [m.number for m in update.removed],
        },
    )
    plans.flush_or_stale(plan)
    return update


def _check_updatable(plan: Plan, organization: Organization, actor: User) -> None:
    if plan.organization_id != organization.id or not actor.has_permission("plan.edit"):
        raise PermissionDenied(_("You may not edit this plan."))
    if plan.state not in UPDATABLE_STATES:
        raise InvalidTransition(
            _(
                "Only a draft or an approved plan can be updated from a file; this one is “%(state)s”.",
                state=plan.state_label,
            )
        )


def _apply_update(plan: Plan, update: Update, resolved: dict[str, int], actor: User) -> None:
    """Measures gone from the file deleted, changed ones edited (with their steps), new ones added."""
    for removed in update.removed:
        plans.delete_measure(removed, actor=actor)
    for changed in update.changed:
        plans.update_measure(
            changed.measure, measure_data(changed.item, resolved), actor=actor, expected_version=None
        )
        _update_steps(changed.measure, changed.item, actor)
    for item in update.added:
        measure = plans.add_measure(plan, measure_data(item, resolved), actor=actor)
        for step in item.measure.steps:
            plans.add_step(
                measure,
                plans.StepData(number=step.number, text=step.text, deadline_text=step.deadline_text),
                actor=actor,
            )


def _follow_file_order(plan: Plan, preview: Preview) -> None:
    """Measures in the file's order; ones the file no longer lists (removed) stay after them."""
    order = {item.measure.number.strip(): i for i, item in enumerate(preview.measures, start=1)}
    for measure in plan.all_measures:
        measure.position = order.get(measure.number.strip(), len(order) + measure.position)
