"""The plain data each report template prints: dicts, strings and numbers, no ORM objects.

Everything shown in the PDF is written in the report's script: headings from
:mod:`tracker.reports.headings`, content transliterated by the language engine, dates in the
official formats. Statuses are rebuilt from the history as of the report date.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.charts import BarSeries, bar_chart, stacked_bar
from tracker.core.status import STATUS_COLOURS, Status, is_overdue
from tracker.core.time import local_date
from tracker.execution.history import DerivedStatus, PlanAsOf, plan_as_of
from tracker.execution.models import StatusUpdate
from tracker.extensions import db
from tracker.orgs.models import Organization, Unit
from tracker.plans.models import Measure, Plan, PlanKind, PlanState, PlanVersion, Responsible
from tracker.reports.headings import HEADINGS, HTML_LANG, SCRIPTS, STATUS_WORDS
from tracker.reports.models import ReportKind
from tracker.uzbek import format_doc_date, transliterate

logger = logging.getLogger(__name__)

#: Optional columns of the status report, in print order.
OPTIONAL_COLUMNS = ("basis", "responsible", "result")
#: The status filter also accepts "overdue" (deadline passed, not done, on the report date).
OVERDUE = "overdue"
#: The order statuses are counted and drawn in.
STATUS_ORDER = (Status.DONE, Status.DONE_CLAIMED, Status.IN_PROGRESS, Status.NOT_STARTED, Status.CANCELLED)


@dataclass(frozen=True)
class ReportOptions:
    """What the user chose; together with the data, these determine the PDF."""

    as_of: date
    script: str = "cyrl"
    unit_id: int | None = None
    #: A :class:`Status` value, "overdue", or None for all.
    status: str | None = None
    columns: tuple[str, ...] = field(default_factory=tuple)
    include_pending: bool = False

    def __post_init__(self) -> None:
        if self.script not in SCRIPTS:
            raise ValueError(f"unknown script {self.script!r}")
        if self.status is not None and self.status != OVERDUE and self.status not in set(Status):
            raise ValueError(f"unknown status {self.status!r}")
        unknown = set(self.columns) - set(OPTIONAL_COLUMNS)
        if unknown:
            raise ValueError(f"unknown columns {sorted(unknown)}")
        # a canonical order, so that equal choices give equal cache keys
        object.__setattr__(self, "columns", tuple(c for c in OPTIONAL_COLUMNS if c in self.columns))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        data["columns"] = list(self.columns)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportOptions:
        return cls(
            as_of=date.fromisoformat(data["as_of"]),
            script=data.get("script", "cyrl"),
            unit_id=data.get("unit_id"),
            status=data.get("status"),
            columns=tuple(data.get("columns") or ()),
            include_pending=bool(data.get("include_pending")),
        )


#: Addresses are written as they are in either script ("https://data.gov.uz" must stay usable).
_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _translit(text: str, script: str) -> str:
    """``text`` in ``script``; URLs and e-mail addresses are kept as written."""
    pieces, last = [], 0
    for match in _ADDRESS.finditer(text):
        pieces.append(transliterate(text[last : match.start()], script))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(transliterate(text[last:], script))
    return "".join(pieces)


class Writer:
    """Writes content and dates in one script."""

    def __init__(self, script: str) -> None:
        self.script = script
        self.h = HEADINGS[script]
        self.words = STATUS_WORDS[script]

    def text(self, value: str | None) -> str:
        return _translit(value, self.script) if value else ""

    def date(self, value: date | None, style: str = "long") -> str:
        return format_doc_date(value, self.script, style) if value else ""

    def status(self, status: Status | str) -> str:
        return self.words[Status(status)]


# -- loading --------------------------------------------------------------------------------------


def _load_measures(ids: list[int]) -> list[Measure]:
    if not ids:
        return []
    measures = db.session.scalars(
        select(Measure)
        .where(Measure.id.in_(ids))
        .options(selectinload(Measure.steps), selectinload(Measure.responsibles).joinedload(Responsible.unit))
    )
    by_id = {m.id: m for m in measures}
    return [by_id[i] for i in ids]


def _concerns_unit(measure: Measure, unit_id: int | None) -> bool:
    if unit_id is None:
        return True
    return any(r.unit_id == unit_id or r.is_all_units for r in measure.responsibles)


def _matches_status(state: DerivedStatus, overdue: bool, wanted: str | None) -> bool:
    if wanted is None:
        return True
    if wanted == OVERDUE:
        return overdue
    return state.status == wanted


@dataclass
class _Item:
    measure: Measure
    state: DerivedStatus
    overdue: bool


def _items(plan: Plan, options: ReportOptions) -> tuple[PlanAsOf, list[_Item]]:
    """The measures in force on the report date that pass the filters, with their status then."""
    snapshot = plan_as_of(plan.id, options.as_of, include_pending=options.include_pending)
    items = []
    for measure in _load_measures(snapshot.measure_ids):
        state = snapshot.measures[measure.id]
        overdue = is_overdue(measure.due_on, state.status, options.as_of)
        if _concerns_unit(measure, options.unit_id) and _matches_status(state, overdue, options.status):
            items.append(_Item(measure, state, overdue))
    return snapshot, items


def _responsible_names(measure: Measure, w: Writer) -> list[str]:
    names = []
    for r in measure.responsibles:
        names.append(w.h["all_units"] if r.is_all_units else w.text(r.display_name))
    return names


def _without_status_word(note: str, word: str) -> str:
    """The note after the status word the report prints anyway ("Бажарилди. …" is common)."""
    stripped = note.lstrip()
    if stripped.casefold().startswith(word.casefold()):
        return stripped[len(word) :].lstrip(" .:—-")
    return note


def _filters_line(options: ReportOptions, w: Writer) -> str:
    parts = []
    if options.unit_id:
        unit = db.session.get(Unit, options.unit_id)
        if unit is not None:
            parts.append(f"{w.h['unit_filter']}: {w.text(unit.name)}")
    if options.status:
        word = w.h["overdue"] if options.status == OVERDUE else w.status(options.status)
        parts.append(f"{w.h['status_filter']}: {word}")
    if options.include_pending:
        parts.append(w.h["pending_included"])
    return "; ".join(parts)


def _common(kind: ReportKind, options: ReportOptions, w: Writer, title: str) -> dict[str, Any]:
    return {
        "kind": str(kind),
        "script": w.script,
        "lang": HTML_LANG[w.script],
        "h": w.h,
        "title": title,
        "as_of": options.as_of.isoformat(),
        "as_of_line": w.date(options.as_of, "as_of"),
        "filters_line": _filters_line(options, w),
    }


# -- the status report (seed 004) -----------------------------------------------------------------


def status_report(plan: Plan, options: ReportOptions) -> dict[str, Any]:
    """№ / measure / mechanism (steps with deadlines) / deadline / status with its note."""
    w = Writer(options.script)
    snapshot, items = _items(plan, options)
    rows = []
    for item in items:
        m = item.measure
        steps = []
        for s in m.steps:
            step_state = snapshot.steps.get(s.id)
            step_status = step_state.status if step_state else Status.NOT_STARTED
            steps.append(
                {
                    "number": s.number,
                    "text": w.text(s.text),
                    "deadline": w.text(s.deadline_text),
                    "status": str(step_status),
                    "status_word": w.status(step_status),
                    "overdue": is_overdue(s.due_on, step_status, options.as_of),
                }
            )
        rows.append(
            {
                "number": m.number,
                "title": w.text(m.title),
                "content": w.text(m.content),
                "mechanism": "" if steps else w.text(m.mechanism),
                "steps": steps,
                "deadline": w.text(m.deadline_text),
                "status": str(item.state.status),
                "status_word": w.status(item.state.status),
                "note": w.text(item.state.note),
                "note_rest": _without_status_word(w.text(item.state.note), w.status(item.state.status)),
                "overdue": item.overdue,
                "basis": w.text(m.legal_basis),
                "responsible": _responsible_names(m, w),
                "result": w.text(m.expected_result),
            }
        )
    return {
        **_common(ReportKind.STATUS, options, w, w.text(plan.title)),
        "meeting_lines": _meeting_lines(plan, w),
        "columns": list(options.columns),
        "rows": rows,
    }


def _meeting_lines(plan: Plan, w: Writer) -> list[str]:
    """A plan of decisions prints its meeting's header (issue 15); other plans print none."""
    from tracker.meetings.services import meeting_of_plan, printed_header

    meeting = meeting_of_plan(plan) if plan.kind == "decisions" else None
    if meeting is None:
        return []
    return printed_header(meeting, w.text, w.date(meeting.held_on), w.script)


# -- the plan document (seed 003) -----------------------------------------------------------------


def _approval(plan: Plan) -> tuple[str | None, str | None, date | None]:
    if plan.approval_name and plan.approval_date:
        return plan.approval_position, plan.approval_name, plan.approval_date
    version = db.session.scalar(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.number.desc()).limit(1)
    )
    if version is not None:
        return version.approval_position, version.approval_name, version.approval_date
    return None, None, None


def plan_document(plan: Plan, options: ReportOptions) -> dict[str, Any]:
    """The approval block top right, the title, and the seven-column table of the plan."""
    w = Writer(options.script)
    _snapshot, items = _items(plan, options)
    position, name, approved_on = _approval(plan)
    rows = []
    for item in items:
        m = item.measure
        rows.append(
            {
                "number": m.number,
                "title": w.text(m.title),
                "content": w.text(m.content),
                "mechanism": "" if m.steps else w.text(m.mechanism),
                "steps": [
                    {"number": s.number, "text": w.text(s.text), "deadline": w.text(s.deadline_text)}
                    for s in m.steps
                ],
                "deadline": w.text(m.deadline_text),
                "basis": w.text(m.legal_basis),
                "result": w.text(m.expected_result),
                "responsible": _responsible_names(m, w),
            }
        )
    data = _common(ReportKind.PLAN, options, w, w.text(plan.title))
    data["as_of_line"] = ""  # the plan document is the plan, not a status: no "as of" line
    data["approval"] = (
        {
            "position": w.text(position),
            "name": w.text(name),
            "date": w.date(approved_on, "approval"),
        }
        if name and approved_on
        else None
    )
    data["rows"] = rows
    return data


# -- summaries -----------------------------------------------------------------------------------


def _done_on(updates: dict[int, StatusUpdate], state: DerivedStatus) -> date | None:
    """The day a measure became done: the accepting review, or the day a controller recorded it."""
    update = updates.get(state.update_id) if state.update_id else None
    if update is None:
        return None
    if update.reviewed_at is not None:
        return max(update.effective_on, local_date(update.reviewed_at))
    return update.effective_on


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def summary(plans: Iterable[Plan], options: ReportOptions, title: str) -> dict[str, Any]:
    """Counts by status and by unit, the on-time rate, the overdue list and charts, over ``plans``."""
    w = Writer(options.script)
    plans = list(plans)
    per_plan: list[tuple[Plan, list[_Item]]] = [(p, _items(p, options)[1]) for p in plans]
    everything = [item for _, items in per_plan for item in items]

    done_ids = [i.state.update_id for i in everything if i.state.status == Status.DONE and i.state.update_id]
    updates = (
        {u.id: u for u in db.session.scalars(select(StatusUpdate).where(StatusUpdate.id.in_(done_ids)))}
        if done_ids
        else {}
    )

    by_status = {s: 0 for s in STATUS_ORDER}
    for item in everything:
        by_status[item.state.status] += 1
    overdue_count = sum(1 for i in everything if i.overdue)

    due = [
        i
        for i in everything
        if i.measure.due_on is not None
        and i.measure.due_on <= options.as_of
        and i.state.status != Status.CANCELLED
    ]
    on_time = [
        i
        for i in due
        if i.state.status == Status.DONE
        and (done_on := _done_on(updates, i.state)) is not None
        and done_on <= (i.measure.due_on or done_on)
    ]

    units: dict[str, dict[str, Any]] = {}
    for item in everything:
        names = _responsible_names(item.measure, w) or [w.h["unassigned"]]
        for name in dict.fromkeys(names):
            row = units.setdefault(
                name, {"name": name, "total": 0, "overdue": 0, "counts": dict.fromkeys(STATUS_ORDER, 0)}
            )
            row["total"] += 1
            row["counts"][item.state.status] += 1
            row["overdue"] += item.overdue
    unit_rows = sorted(units.values(), key=lambda r: (-r["total"], r["name"]))
    for row in unit_rows:
        row["counts"] = [row["counts"][s] for s in STATUS_ORDER]

    overdue_rows = [
        {
            "plan": w.text(plan.title) if len(plans) > 1 else "",
            "number": item.measure.number,
            "title": w.text(item.measure.title),
            "deadline": w.text(item.measure.deadline_text),
            "status_word": w.status(item.state.status),
            "responsible": _responsible_names(item.measure, w),
        }
        for plan, items in per_plan
        for item in items
        if item.overdue
    ]
    plan_rows = [
        {
            "title": w.text(plan.title),
            "total": len(items),
            "done": sum(1 for i in items if i.state.status == Status.DONE),
            "overdue": sum(1 for i in items if i.overdue),
        }
        for plan, items in per_plan
    ]

    status_chart = stacked_bar(
        [BarSeries(w.status(s), by_status[s], STATUS_COLOURS[s]) for s in STATUS_ORDER],
        title=w.h["by_status"],
        width=900,
    )
    unit_chart = bar_chart(
        [BarSeries(r["name"], r["overdue"], "danger") for r in unit_rows if r["overdue"]][:15],
        title=f"{w.h['overdue_list']}: {w.h['by_unit'].lower()}",
        width=900,
        label_width=380,
    )
    data = _common(ReportKind.SUMMARY, options, w, title)
    data.update(
        {
            "total": len(everything),
            "status_rows": [
                {"word": w.status(s), "count": by_status[s], "share": _percent(by_status[s], len(everything))}
                for s in STATUS_ORDER
            ],
            "status_words": [w.status(s) for s in STATUS_ORDER],
            "overdue_count": overdue_count,
            "on_time_rate": _percent(len(on_time), len(due)),
            "on_time_detail": w.h["on_time_detail"].format(due=len(due), done=len(on_time)),
            "unit_rows": unit_rows,
            "overdue_rows": overdue_rows,
            "plan_rows": plan_rows if len(plans) > 1 else [],
            "status_chart": str(status_chart),
            "unit_chart": str(unit_chart) if overdue_count else "",
        }
    )
    return data


def plan_summary(plan: Plan, options: ReportOptions) -> dict[str, Any]:
    w = Writer(options.script)
    return summary([plan], options, f"{w.text(plan.title)}")


def plans_in_force(organization_id: int, as_of: date) -> list[Plan]:
    """The organization's plans that were approved (now or in an earlier version), oldest first."""
    candidates = db.session.scalars(
        select(Plan)
        # Standing obligations owe a report per period, not a status: their compliance view
        # and the rating count them (issue 15).
        .where(Plan.organization_id == organization_id, Plan.kind != PlanKind.OBLIGATIONS.value)
        .order_by(Plan.period_start, Plan.id)
    )
    return [
        p for p in candidates if p.state in (PlanState.APPROVED, PlanState.CLOSED) or p.has_approved_version
    ]


def organization_summary(organization: Organization, options: ReportOptions) -> dict[str, Any]:
    w = Writer(options.script)
    plans = plans_in_force(organization.id, options.as_of)
    title = f"{w.text(organization.name)}: {w.h['summary_title'].lower()}"
    return summary(plans, options, title)


def count_measures(plan_ids: list[int], as_of: date) -> int:
    """How many measures a report over these plans prints at most (to choose the background path)."""
    from sqlalchemy import func

    if not plan_ids:
        return 0
    return (
        db.session.scalar(
            select(func.count(Measure.id)).where(
                Measure.plan_id.in_(plan_ids), Measure.deleted_at.is_(None), Measure.added_on <= as_of
            )
        )
        or 0
    )
