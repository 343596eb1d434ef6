"""Importing a plan: read the file, preview what will be created, then create it in one go.

``preview_file`` never writes; ``import_plan`` creates the plan, its measures and steps through
:mod:`tracker.plans.services` (so every change is audited), records the approval printed on the
document, and turns printed statuses into status updates effective on the as-of date. It only
flushes: the caller commits once, or rolls back and nothing is left.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.core import audit
from tracker.core.errors import InvalidInput, PermissionDenied
from tracker.core.status import Status
from tracker.core.time import today
from tracker.execution import services as execution
from tracker.extensions import db
from tracker.imports import bulk, textdocs
from tracker.imports.minutes import ParsedMeeting, looks_like_minutes, parse_minutes
from tracker.imports.parser import ParsedMeasure, ParsedPlan, ParsedStep, parse_document
from tracker.imports.proposals import parse_proposal
from tracker.imports.readers import read_document
from tracker.imports.units import NameMatcher, ResponsibleName

# The uploads kept between the preview and the confirmation live in tracker/imports/uploads.py;
# these names stay reachable here for the views.
from tracker.imports.uploads import claim_upload as claim_upload
from tracker.imports.uploads import delete_upload as delete_upload
from tracker.imports.uploads import imported_plan as imported_plan
from tracker.imports.uploads import load_upload as load_upload
from tracker.imports.uploads import save_upload as save_upload
from tracker.orgs.models import Organization, Unit
from tracker.orgs.queries import organization_units
from tracker.orgs.services import create_unit
from tracker.plans import services as plans
from tracker.plans.models import Measure, Plan, PlanKind, Step
from tracker.plans.relative_deadlines import resolve_relative_deadlines
from tracker.uzbek import format_doc_date, parse_legal_basis

if TYPE_CHECKING:
    from tracker.auth.models import User

logger = logging.getLogger(__name__)

#: A mapping choice: keep the name as written, or create a unit with it.
KEEP = ""
CREATE = "new"


@dataclass
class MeasurePreview:
    measure: ParsedMeasure
    responsible: list[ResponsibleName]


@dataclass
class Preview:
    plan: ParsedPlan
    measures: list[MeasurePreview]
    #: Distinct names matching no unit: search key → name as first written.
    unmatched: dict[str, str] = field(default_factory=dict)
    #: Minutes only: the meeting record, and the file kept with it as its source.
    meeting: ParsedMeeting | None = None
    source: textdocs.IncomingSource | None = None

    @property
    def shape(self) -> str:
        """ "table", "proposal" or "minutes": what the preview explains."""
        if self.meeting is not None:
            return "minutes"
        return "proposal" if any(m.measure.content for m in self.measures) else "table"

    #: Acts cited with different dates within the plan: "ПФ-200" → ["27.11.2023", "27.11.2024"].
    date_conflicts: dict[str, list[str]] = field(default_factory=dict)

    @property
    def warnings(self) -> list[str]:
        return self.plan.warnings

    def guessed_statuses(self) -> list[tuple[str, str, ParsedMeasure | ParsedStep]]:
        """(form key, row label, item) of each row whose note has no status word."""
        found: list[tuple[str, str, ParsedMeasure | ParsedStep]] = []
        for mi, item in enumerate(self.measures):
            measure = item.measure
            if measure.status_guessed:
                found.append((f"m{mi}", measure.number, measure))
            for si, step in enumerate(measure.steps):
                if step.status_guessed:
                    found.append((f"m{mi}s{si}", f"{measure.number}.{step.number}", step))
        return found

    def set_statuses(self, chosen: dict[str, str]) -> None:
        """The controller's status for rows without a status word (key → status value)."""
        allowed = {Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED}
        for key, _label, item in self.guessed_statuses():
            value = chosen.get(key)
            if value in allowed:
                item.status = Status(value)


#: The statuses the controller may give a row whose note has no status word.
GUESS_CHOICES = (Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED)


def act_date_conflicts(parsed: ParsedPlan) -> dict[str, list[str]]:
    """Acts the plan cites (legal basis, plan basis) with more than one date for one number."""
    dates: dict[str, set[date]] = {}
    # Each distinct text once: thousands of measures cite the same few acts.
    texts = dict.fromkeys([parsed.basis or "", *(m.legal_basis or "" for m in parsed.measures)])
    for text in texts:
        for act in parse_legal_basis(text) if text else []:
            if act.number and act.date:
                dates.setdefault(act.label("cyrl"), set()).add(act.date)
    return {
        label: [format_doc_date(d, "cyrl", "numeric") for d in sorted(days)]
        for label, days in sorted(dates.items())
        if len(days) > 1
    }


def preview_file(
    filename: str,
    data: bytes,
    organization: Organization,
    *,
    kind: PlanKind | None = None,
    meeting_date: date | None = None,
) -> Preview:
    """What importing the file would create. Raises :class:`InvalidInput` for a bad file.

    A table becomes a plan by its columns; running text (.txt, pasted, or a Word file without a
    table) is meeting minutes when it has "QAROR QILADI:" (or ``kind`` is decisions), else a
    proposal of numbered blocks.
    """
    if not textdocs.is_running_text(filename, data):
        return build_preview(parse_document(read_document(filename, data), kind), organization)
    document = textdocs.read_text_document(filename, data)
    if kind == PlanKind.DECISIONS or (kind is None and looks_like_minutes(document)):
        parsed, meeting = parse_minutes(document, kind, meeting_date=meeting_date)
        preview = build_preview(parsed, organization)
        preview.meeting = meeting
        preview.source = textdocs.IncomingSource(filename, data)
        return preview
    return build_preview(parse_proposal(document, kind), organization)


def build_preview(parsed: ParsedPlan, organization: Organization) -> Preview:
    matcher = NameMatcher(organization_units(organization.id))  # each distinct cell text once
    previews = []
    unmatched: dict[str, str] = {}
    for measure in parsed.measures:
        if measure.responsible_names is not None:
            # Open-data files list names one by one: match each whole.
            names = [matcher.match(raw) for raw in measure.responsible_names if raw]
        else:
            names = matcher.split(measure.responsible_text or "")
        for name in names:
            if name.unit_id is None and not name.is_group:
                unmatched.setdefault(name.key, name.name)
        previews.append(MeasurePreview(measure=measure, responsible=names))
    return Preview(
        plan=parsed, measures=previews, unmatched=unmatched, date_conflicts=act_date_conflicts(parsed)
    )


def same_plans(parsed: ParsedPlan, organization: Organization) -> list[Plan]:
    """Plans of the organization with the file's title, kind and period: an import seen before."""
    return list(
        db.session.scalars(
            select(Plan).where(
                Plan.organization_id == organization.id,
                Plan.title == parsed.title,
                Plan.kind == parsed.kind,
                Plan.period_start.is_(None)
                if parsed.period_start is None
                else Plan.period_start == parsed.period_start,
                Plan.period_end.is_(None)
                if parsed.period_end is None
                else Plan.period_end == parsed.period_end,
            )
        )
    )


def copy_title(title: str, organization: Organization) -> str:
    """``title`` with the first free suffix " (2)", " (3)", … so that the copy can be told apart."""
    taken = set(db.session.scalars(select(Plan.title).where(Plan.organization_id == organization.id)))
    number = 2
    while f"{title} ({number})" in taken:
        number += 1
    return f"{title} ({number})"


def import_plan(
    preview: Preview,
    organization: Organization,
    *,
    actor: User | None,
    mapping: dict[str, str] | None = None,
    create_units: bool = False,
    title: str | None = None,
) -> Plan:
    """Create the plan the preview shows.

    ``mapping`` maps an unmatched name's search key to a unit id (as text), ``CREATE`` (make a
    unit of that name) or ``KEEP`` (keep the name as written); ``create_units`` creates every
    unmatched name not mapped otherwise; ``title`` replaces the file's title (a re-imported copy).
    Raises :class:`PermissionDenied` or :class:`InvalidInput`.
    """
    if actor is not None and (
        not actor.has_permission("plan.edit") or actor.organization_id != organization.id
    ):
        raise PermissionDenied(_("You may not create plans for this organization."))
    parsed = preview.plan
    resolved = resolve_units(preview, organization, mapping or {}, create_units, actor)
    plan_data = plans.PlanData(
        kind=parsed.kind,
        title=title or parsed.title,
        period_start=parsed.period_start,
        period_end=parsed.period_end,
        basis=parsed.basis,
    )
    plan = plans.create_plan(organization, plan_data, actor=actor)
    in_force_from = (
        (parsed.approval.date if parsed.approval else None) or parsed.period_start or parsed.as_of or today()
    )
    # -- the measures, their steps and responsibles, in batches (tracker/imports/bulk.py) --
    items = [_new_measure(item, resolved, in_force_from, parsed.filename) for item in preview.measures]
    measures = bulk.add_measures(plan, items, actor=actor)
    created = list(zip(measures, (item.measure for item in preview.measures), strict=True))
    # -- end of the batched part --
    # A draft's relative deadlines count from its basis document (approval recomputes them).
    resolve_relative_deadlines(plan)
    _record_file_history(plan, preview, created, actor)
    audit.record(actor, "plan", plan.id, "import", after=_import_summary(parsed))
    db.session.flush()
    return plan


def _record_file_history(
    plan: Plan, preview: Preview, created: list[tuple[Measure, ParsedMeasure]], actor: User | None
) -> None:
    """What the file says happened: the meeting it records, its approval block, the statuses
    of an "as of" report."""
    parsed = preview.plan
    if preview.meeting is not None:
        from tracker.meetings.services import record_meeting

        record_meeting(plan, preview.meeting, [m for m, _d in created], source=preview.source, actor=actor)
    if parsed.approval is not None:
        plans.record_document_approval(
            plan,
            actor=actor,
            position=parsed.approval.position,
            name=parsed.approval.name,
            approval_date=parsed.approval.date,
        )
    effective_on = parsed.as_of or today()
    for measure, measure_item in created:
        for step, step_item in zip(measure.steps, measure_item.steps, strict=True):
            _record_status(step, step_item.status, step_item.status_note, effective_on, parsed.as_of)
        _record_status(measure, measure_item.status, measure_item.status_note, effective_on, parsed.as_of)


def _import_summary(parsed: ParsedPlan) -> dict[str, object]:
    """What the plan's ``import`` audit entry says of the file."""
    return {
        "file": parsed.filename,
        "format": parsed.format,
        "measures": len(parsed.measures),
        "steps": parsed.step_count,
        "as_of": parsed.as_of,
        "approval": bool(parsed.approval),
        "warnings": parsed.warnings,
    }


def measure_data(
    item: MeasurePreview, resolved: dict[str, int], added_on: date | None = None
) -> plans.MeasureData:
    """A previewed measure's fields: units matched or resolved (the first one leads), other names
    (and groups of units) as written."""
    unit_ids: list[int] = []
    others: list[str] = []
    for name in item.responsible:
        unit_id = name.unit_id or resolved.get(name.key)
        if unit_id is not None and not name.is_group:
            unit_ids.append(unit_id)
        else:
            others.append(name.name)
    unit_ids = list(dict.fromkeys(unit_ids))
    parsed = item.measure
    return plans.MeasureData(
        number=parsed.number,
        title=parsed.title,
        mechanism=parsed.mechanism,
        deadline_text=parsed.deadline_text,
        legal_basis=parsed.legal_basis,
        expected_result=parsed.expected_result,
        content=parsed.content,
        lead_unit_id=unit_ids[0] if unit_ids else None,
        co_unit_ids=unit_ids[1:],
        other_responsible=others,
        added_on=added_on,
    )


def _new_measure(
    item: MeasurePreview, resolved: dict[str, int], in_force_from: date, filename: str | None
) -> bulk.NewMeasure:
    """What to create for one previewed measure, with its steps and where it was read from."""
    parsed = item.measure
    steps = [
        plans.StepData(number=step.number, text=step.text, deadline_text=step.deadline_text)
        for step in parsed.steps
    ]
    imported = {"file": filename, "rows": list(parsed.rows), "cells": parsed.source}
    data = measure_data(item, resolved, added_on=in_force_from)
    return bulk.NewMeasure(data=data, steps=steps, imported=imported)


def _record_status(
    target: Measure | Step, status: Status | None, note: str | None, effective_on: date, as_of: date | None
) -> None:
    """An "(… ҳолатига)" report says how things stood that day, not when the work was finished."""
    if status is None or (status == Status.NOT_STARTED and not note):
        return
    execution.submit_status_update(
        target,
        status=status,
        note=note or "—",
        actor=None,
        effective_on=effective_on,
        completion_unknown=as_of is not None and status == Status.DONE,
    )


def resolve_units(
    preview: Preview,
    organization: Organization,
    mapping: dict[str, str],
    create_all: bool,
    actor: User | None,
) -> dict[str, int]:
    """Unit ids for unmatched names: mapped by hand, or new units created now."""
    units = {u.id: u for u in organization_units(organization.id)}
    resolved: dict[str, int] = {}
    for key, name in preview.unmatched.items():
        choice = mapping.get(key, CREATE if create_all else KEEP)
        if choice == KEEP:
            continue
        if choice == CREATE:
            existing = db.session.scalar(
                select(Unit).where(Unit.organization_id == organization.id, Unit.name == name)
            )
            unit = existing or create_unit(organization, name, actor=None)
            if existing is None:
                audit.record(actor, "unit", unit.id, "create_from_import", after={"name": name})
            resolved[key] = unit.id
            continue
        if not str(choice).isdigit() or int(choice) not in units:
            raise InvalidInput(_("“%(name)s”: choose a unit of this organization.", name=name))
        resolved[key] = int(choice)
    return resolved
