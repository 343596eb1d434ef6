"""The audit trail for people: filters by person, item, action and dates, and each change told
in the UI language (field names, status words, names and links instead of ids and JSON keys)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from tracker.auth.models import User
from tracker.core.i18n import LANGUAGE_NAMES
from tracker.core.models import AuditEntry
from tracker.core.status import REVIEW_LABELS, STATUS_LABELS, ReviewState, Status
from tracker.core.templating import show_date
from tracker.core.time import TASHKENT
from tracker.extensions import db
from tracker.orgs.models import Unit
from tracker.plans.models import PLAN_KIND_LABELS, PLAN_STATE_LABELS, Measure, Plan, PlanKind, PlanState, Step

#: Names of the fields that audit entries record, as people call them.
FIELD_LABELS = {
    "title": _l("Title"),
    "name": _l("Name"),
    "email": _l("E-mail"),
    "position": _l("Position"),
    "locale": _l("Language"),
    "is_active": _l("Active"),
    "wants_email": _l("Reminder e-mails"),
    "roles": _l("Roles"),
    "unit_id": _l("Unit"),
    "parent_id": _l("Part of"),
    "user_id": _l("User"),
    "measure_id": _l("Measure"),
    "step_id": _l("Step"),
    "kind": _l("Kind"),
    "state": _l("State"),
    "status": _l("Status"),
    "review_state": _l("Review"),
    "note": _l("Note"),
    "comment": _l("Comment"),
    "number": _l("Number"),
    "text": _l("Text"),
    "mechanism": _l("Implementation mechanism"),
    "deadline_text": _l("Deadline"),
    "deadline_kind": _l("Kind of deadline"),
    "due_on": _l("Due date"),
    "start_on": _l("Start date"),
    "effective_on": _l("Date of the report"),
    "period_due_on": _l("Reporting period"),
    "legal_basis": _l("Legal basis"),
    "expected_result": _l("Expected result"),
    "basis": _l("Basis"),
    "period_start": _l("Period start"),
    "period_end": _l("Period end"),
    "version": _l("Version"),
    "attachments": _l("Files"),
    "approval_name": _l("Approved by"),
    "approval_position": _l("Position of the approver"),
    "approval_date": _l("Approval date"),
    "approval": _l("Approval block"),
    "content": _l("Content"),
    "as_of": _l("As of"),
    "body": _l("Text"),
    "mentions": _l("Addressed to"),
    "cells": _l("Cells"),
    "rows": _l("Rows"),
    "measures": _l("Measures"),
    "steps": _l("Steps"),
    "warnings": _l("Warnings"),
    "file": _l("File"),
    "format": _l("Format"),
    "checked": _l("Checklist items done"),
    "checklist": _l("Checklist"),
    "recurrence": _l("Recurrence"),
    "reported_on": _l("Reported on"),
    "letter": _l("Letter"),
    "url": _l("Link"),
    "reason": _l("Reason"),
    "from": _l("From"),
    "to": _l("To"),
    "plan_id": _l("Plan"),
    "responsible": _l("Responsible"),
    "day": _l("Day"),
    "offset": _l("Moved by"),
    "password": _l("Password"),
    "is_public": _l("Public"),
    "show_statuses": _l("Statuses and notes public"),
    "show_steps": _l("Steps public"),
    "show_evidence": _l("Evidence files public"),
    "days_before": _l("Days before the deadline"),
    "remind_on_due_day": _l("On the due day"),
    "overdue_every_days": _l("Overdue: every N days"),
    "escalate_head_after_days": _l("To the unit head after N days"),
    "escalate_director_after_days": _l("To the director after N days"),
    "continuous_period": _l("Continuous measures report"),
    "added": _l("Measures added"),
    "changed": _l("Measures changed"),
    "removed": _l("Measures removed"),
}
_DATE_FIELDS = {
    "due_on",
    "start_on",
    "effective_on",
    "period_due_on",
    "period_start",
    "period_end",
    "approval_date",
    "reported_on",
    "as_of",
    "day",
}


@dataclass
class AuditFilters:
    actor_id: int | None = None
    entity: str | None = None
    entity_id: int | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> AuditFilters:
        def number(name: str) -> int | None:
            value = args.get(name, "")
            # ASCII digits within a database integer: "²" or a 30-digit id is no filter, not a 500.
            return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None

        def day(name: str) -> date | None:
            try:
                return date.fromisoformat(args.get(name, ""))
            except ValueError:
                return None

        return cls(
            number("actor"),
            args.get("entity") or None,
            number("entity_id"),
            args.get("action") or None,
            day("from"),
            day("to"),
        )

    def apply(self, query: Select[Any]) -> Select[Any]:
        if self.actor_id is not None:
            query = query.where(AuditEntry.actor_id == self.actor_id)
        if self.entity:
            query = query.where(AuditEntry.entity_type == self.entity)
        if self.entity_id is not None:
            query = query.where(AuditEntry.entity_id == self.entity_id)
        if self.action:
            query = query.where(AuditEntry.action == self.action)
        if self.date_from:
            start = datetime.combine(self.date_from, datetime.min.time(), TASHKENT)
            query = query.where(AuditEntry.created_at >= start)
        if self.date_to:
            end = datetime.combine(self.date_to + timedelta(days=1), datetime.min.time(), TASHKENT)
            query = query.where(AuditEntry.created_at < end)
        return query


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class AuditRow:
    entry: AuditEntry
    item: str
    item_url: str | None
    changes: list[Change] = field(default_factory=list)


def _names(model: Any, column: Any, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, column).where(model.id.in_(ids))).all())


class _Lookup:
    """Names of the users, units, plans, measures and steps the entries mention (a query per kind)."""

    def __init__(self, entries: Sequence[AuditEntry]) -> None:
        wanted: dict[str, set[int]] = {
            "user": set(),
            "unit": set(),
            "plan": set(),
            "measure": set(),
            "step": set(),
        }
        for e in entries:
            if e.entity_type in wanted and e.entity_id:
                wanted[e.entity_type].add(e.entity_id)
            for values in (e.before or {}, e.after or {}):
                for key, kind in (
                    ("user_id", "user"),
                    ("unit_id", "unit"),
                    ("parent_id", "unit"),
                    ("measure_id", "measure"),
                    ("step_id", "step"),
                ):
                    if isinstance(values.get(key), int):
                        wanted[kind].add(values[key])
        self.users = _names(User, User.name, wanted["user"])
        self.units = _names(Unit, Unit.name, wanted["unit"])
        self.plans = _names(Plan, Plan.title, wanted["plan"])
        self.measures = {
            i: (plan_id, f"№{number} {title}")
            for i, plan_id, number, title in db.session.execute(
                select(Measure.id, Measure.plan_id, Measure.number, Measure.title).where(
                    Measure.id.in_(wanted["measure"])
                )
            ).all()
        }
        self.steps = _names(Step, Step.text, wanted["step"])

    def value(self, key: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if key in ("user_id",) and isinstance(value, int):
            return self.users.get(value, f"#{value}")
        if key in ("unit_id", "parent_id") and isinstance(value, int):
            return self.units.get(value, f"#{value}")
        if key == "measure_id" and isinstance(value, int):
            return self.measures.get(value, (None, f"#{value}"))[1]
        if key == "step_id" and isinstance(value, int):
            return self.steps.get(value, f"#{value}")
        return describe_value(key, value)


def describe_value(key: str, value: Any) -> str:
    """A recorded value in words: status names, dates, yes/no, lists."""
    labels: dict[str, Mapping[Any, Any]] = {
        "status": {s.value: STATUS_LABELS[s] for s in Status},
        "review_state": {s.value: REVIEW_LABELS[s] for s in ReviewState},
        "state": {s.value: PLAN_STATE_LABELS[s] for s in PlanState},
        "kind": {k.value: PLAN_KIND_LABELS[k] for k in PlanKind},
        "locale": LANGUAGE_NAMES,
    }
    if key in labels and value in labels[key]:
        return str(labels[key][value])
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if key in _DATE_FIELDS and isinstance(value, str):
        try:
            return show_date(date.fromisoformat(value[:10]), "short")
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(describe_value(key, v) for v in value) or "—"
    text = str(value)
    return text if len(text) <= 300 else text[:299] + "…"


def _item(entry: AuditEntry, lookup: _Lookup) -> tuple[str, str | None]:
    kind, item_id = entry.entity_type, entry.entity_id
    if item_id is None:
        return "", None
    if kind == "plan" and item_id in lookup.plans:
        return lookup.plans[item_id], url_for("plans.show", plan_id=item_id)
    if kind == "measure" and item_id in lookup.measures:
        return lookup.measures[item_id][1], url_for("plans.measure", measure_id=item_id)
    if kind == "status_update":
        measure_id = (entry.after or {}).get("measure_id")
        if isinstance(measure_id, int) and measure_id in lookup.measures:
            return lookup.measures[measure_id][1], url_for("plans.measure", measure_id=measure_id)
    if kind == "user" and item_id in lookup.users:
        return lookup.users[item_id], url_for("admin.edit_user", user_id=item_id)
    if kind == "unit" and item_id in lookup.units:
        return lookup.units[item_id], url_for("admin.edit_unit", unit_id=item_id)
    if kind == "step" and item_id in lookup.steps:
        return lookup.steps[item_id], None
    return f"#{item_id}", None


def present(entries: Sequence[AuditEntry]) -> list[AuditRow]:
    """The entries as rows people read: the item by name (with a link), each field changed in words."""
    lookup = _Lookup(entries)
    rows = []
    for entry in entries:
        item, url = _item(entry, lookup)
        before, after = entry.before or {}, entry.after or {}
        changes = [
            Change(
                str(FIELD_LABELS.get(key, key)),
                lookup.value(key, before[key]) if key in before else "",
                lookup.value(key, after[key]) if key in after else "",
            )
            for key in dict.fromkeys([*before, *after])
        ]
        rows.append(AuditRow(entry, item, url, changes))
    return rows


def people(organization_id: int) -> list[tuple[int, str]]:
    """Who can appear as the actor: the organization's users, by name."""
    return list(
        db.session.execute(
            select(User.id, User.name).where(User.organization_id == organization_id).order_by(User.name)
        ).all()
    )
