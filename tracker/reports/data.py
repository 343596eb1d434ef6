"""The plain data each report template prints: dicts, strings and numbers, no ORM objects.

Everything comes from the one read model of a plan (:mod:`tracker.plans.snapshot`), already
written in the report's script; headings come from :mod:`tracker.reports.headings`, dates in the
official formats. "In force" and "overdue" are the snapshot's (:mod:`tracker.plans.inforce`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from tracker.charts import BarSeries, bar_chart, stacked_bar
from tracker.core.status import STATUS_COLOURS, Status
from tracker.extensions import db
from tracker.orgs.models import Organization, Unit
from tracker.plans.models import Measure, Plan, PlanKind, PlanState
from tracker.plans.snapshot import Deadline, MeasureSnapshot, PlanSnapshot, StepSnapshot, snapshot_of
from tracker.plans.snapshot_load import in_script
from tracker.reports.headings import HEADINGS, HTML_LANG, SCRIPTS, STATUS_WORDS
from tracker.reports.models import ReportKind
from tracker.uzbek import format_doc_date

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


class Writer:
    """Writes headings, status words and dates in one script (content comes written already)."""

    def __init__(self, script: str) -> None:
        self.script = script
        self.h = HEADINGS[script]
        self.words = STATUS_WORDS[script]

    def text(self, value: str | None) -> str:
        return in_script(value, self.script) if value else ""

    def date(self, value: date | None, style: str = "long") -> str:
        return format_doc_date(value, self.script, style) if value else ""

    def status(self, status: Status | str) -> str:
        return self.words[Status(status)]

    def deadline(self, deadline: Deadline) -> str:
        """ "2024 йил март → 2024 йил апрель (… хати асосида)" when an extension is in force."""
        if not deadline.extended_from:
            return deadline.text
        shown = f"{deadline.extended_from} → {deadline.text}"
        if deadline.extension_basis:
            shown += f" ({deadline.extension_basis} {self.h['on_basis']})"
        return shown


# -- loading --------------------------------------------------------------------------------------


def _matches_status(item: MeasureSnapshot, wanted: str | None) -> bool:
    if wanted is None:
        return True
    if wanted == OVERDUE:
        return item.is_overdue or any(s.is_overdue for s in item.steps)
    return item.status == wanted


def _items(plan: Plan, options: ReportOptions, **read: Any) -> tuple[PlanSnapshot, list[MeasureSnapshot]]:
    """The plan in force on the report date and its measures that pass the filters."""
    view = snapshot_of(
        plan, options.as_of, script=options.script, include_pending=options.include_pending, **read
    )
    items = [
        m for m in view.measures if m.concerns_unit(options.unit_id) and _matches_status(m, options.status)
    ]
    return view, items


def _responsible_names(measure: MeasureSnapshot, w: Writer) -> list[str]:
    return [w.h["all_units"] if r.is_all_units else r.name for r in measure.responsibles]


def _without_status_word(note: str, word: str) -> str:
    """The note after the status word the report prints anyway ("Бажарилди. …" is common)."""
    stripped = note.lstrip()
    if stripped.casefold().startswith(word.casefold()):
        return stripped[len(word) :].lstrip(" .:—-\n")
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


# -- the status report (seed 004 for roadmaps, seed 003 plus a status column otherwise) ----------


def _line(
    item: MeasureSnapshot | StepSnapshot,
    mechanism: str,
    w: Writer,
    number: str = "",
    measure_deadline: Deadline | None = None,
) -> dict[str, Any]:
    """One printed sub-row: its own mechanism, deadline and status with its own note. A step
    without a deadline of its own is due by its measure's, printed in its row."""
    word = w.status(item.status)
    deadline = item.deadline if item.deadline.text or measure_deadline is None else measure_deadline
    return {
        "number": number,
        "mechanism": mechanism,
        "deadline": w.deadline(deadline),
        "status": str(item.status),
        "status_word": word,
        "note_rest": _without_status_word(item.note, word),
        "overdue": item.is_overdue,
    }


def status_report(plan: Plan, options: ReportOptions) -> dict[str, Any]:
    """Т/р | measure | mechanism | deadline | status: each step its own row, number and title spanning."""
    view, items = _items(plan, options)
    return snapshot_status_report(view, options, items)


def snapshot_status_report(
    view: PlanSnapshot, options: ReportOptions, items: Iterable[MeasureSnapshot] | None = None
) -> dict[str, Any]:
    """The status report of a snapshot already read (the public PDF passes one with its notes
    taken out); ``items`` are the measures to print, all of the snapshot's when None.
    ``view.script`` must be ``options.script``."""
    w = Writer(options.script)
    rows = []
    for m in view.measures if items is None else items:
        # Steps without deadlines of their own share the measure's, printed once across their
        # rows as the document writes it (seed 003, measures 1 and 4).
        shared_deadline = bool(m.steps) and not any(s.deadline.text for s in m.steps)
        if m.steps:
            lines = [_line(s, s.title, w, s.number, m.deadline) for s in m.steps]
        else:
            lines = [_line(m, m.mechanism, w)]
        rows.append(
            {
                "number": m.number,
                "title": m.title,
                "content": m.content,
                "lines": lines,
                "shared_deadline": shared_deadline,
                "deadline": w.deadline(m.deadline),
                "status": str(m.status),
                "status_word": w.status(m.status),
                "note": m.note,
                "overdue": m.is_overdue,
                "basis": m.legal_basis,
                "responsible": _responsible_names(m, w),
                "result": m.expected_result,
            }
        )
    is_roadmap = view.kind == PlanKind.ROADMAP
    return {
        **_common(ReportKind.STATUS, options, w, view.title),
        "meeting_lines": _meeting_lines(view, w),
        "layout": "roadmap" if is_roadmap else "work_plan",
        "no_heading": w.h["roadmap_no"] if is_roadmap else w.h["no"],
        "measure_heading": w.h["measure"] if is_roadmap else w.h["measures"],
        "deadline_heading": w.h["deadline"] if is_roadmap else w.h["plan_deadline"],
        "columns": list(options.columns),
        "rows": rows,
    }


def _meeting_lines(view: PlanSnapshot, w: Writer) -> list[str]:
    """A plan of decisions prints its meeting's header (issue 15); other plans print none."""
    from tracker.meetings.services import meeting_of_plan, printed_header

    plan = db.session.get(Plan, view.id) if view.kind == "decisions" else None
    meeting = meeting_of_plan(plan) if plan is not None else None
    if meeting is None:
        return []
    return printed_header(meeting, w.text, w.date(meeting.held_on), w.script)


# -- the plan document (seed 003) -----------------------------------------------------------------


def _signing(view: PlanSnapshot, w: Writer, organization: Organization | None) -> dict[str, Any]:
    """The approval block as printed; a blank one for a draft; the optional signature lines."""
    if view.approval is not None:
        block: dict[str, Any] | None = {
            "position": view.approval.position,
            "name": view.approval.name,
            "date": w.date(view.approval.approved_on, "approval"),
        }
    elif view.state in (PlanState.DRAFT, PlanState.IN_REVIEW):
        block = {"position": "", "name": "", "date": "", "blank": True}
    else:
        block = None
    return {
        "approval": block,
        "signature_lines": bool(organization and organization.print_signature_lines),
    }


def plan_document(plan: Plan, options: ReportOptions) -> dict[str, Any]:
    """The approval block top right, the title, and the seven-column table of the plan.

    A draft or a plan awaiting approval prints the version being written, with a blank block to
    sign; an approved plan prints the version in force on the report date.
    """
    w = Writer(options.script)
    is_draft = plan.state in (PlanState.DRAFT, PlanState.IN_REVIEW)
    view, items = _items(plan, options, working_copy=is_draft)
    rows = [
        {
            "number": m.number,
            "title": m.title,
            "content": m.content,
            "mechanism": "" if m.steps else m.mechanism,
            "steps": [
                {"number": s.number, "text": s.title, "deadline": w.deadline(s.deadline)} for s in m.steps
            ],
            "deadline": w.deadline(m.deadline),
            "basis": m.legal_basis,
            "result": m.expected_result,
            "responsible": _responsible_names(m, w),
        }
        for m in items
    ]
    data = _common(ReportKind.PLAN, options, w, view.title)
    data["as_of_line"] = ""  # the plan document is the plan, not a status: no "as of" line
    data.update(_signing(view, w, plan.organization))
    data["rows"] = rows
    return data


# -- summaries -----------------------------------------------------------------------------------


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def _unit_rows(everything: list[MeasureSnapshot], w: Writer) -> list[dict[str, Any]]:
    units: dict[str, dict[str, Any]] = {}
    for item in everything:
        names = _responsible_names(item, w) or [w.h["unassigned"]]
        for name in dict.fromkeys(names):
            row = units.setdefault(
                name, {"name": name, "total": 0, "overdue": 0, "counts": dict.fromkeys(STATUS_ORDER, 0)}
            )
            row["total"] += 1
            row["counts"][item.status] += 1
            row["overdue"] += item.is_overdue
    unit_rows = sorted(units.values(), key=lambda r: (-r["total"], r["name"]))
    for row in unit_rows:
        row["counts"] = [row["counts"][s] for s in STATUS_ORDER]
    return unit_rows


def summary(plans: Iterable[Plan], options: ReportOptions, title: str) -> dict[str, Any]:
    """Counts by status and by unit, the on-time rate, the overdue list and charts, over ``plans``.

    The on-time rate counts measures due by the report date; a "done" whose finishing day is not
    known (an imported "(… ҳолатига)" status) is left out, as docs/rating.md says.
    """
    w = Writer(options.script)
    per_plan = [(p, _items(p, options)) for p in plans]
    everything = [item for _, (_view, items) in per_plan for item in items]

    by_status = {s: 0 for s in STATUS_ORDER}
    for item in everything:
        by_status[item.status] += 1
    overdue_count = sum(1 for i in everything if i.is_overdue)
    due = [
        i
        for i in everything
        if i.deadline.due_on is not None
        and i.deadline.due_on <= options.as_of
        and i.status != Status.CANCELLED
        and not i.completion_unknown
    ]
    on_time = [i for i in due if i.is_done_on_time]

    unit_rows = _unit_rows(everything, w)
    many = len(per_plan) > 1
    overdue_rows = [
        {
            "plan": view.title if many else "",
            "number": item.number,
            "title": item.title,
            "deadline": w.deadline(item.deadline),
            "status_word": w.status(item.status),
            "responsible": _responsible_names(item, w),
        }
        for _plan, (view, items) in per_plan
        for item in items
        if item.is_overdue
    ]
    plan_rows = [
        {
            "title": view.title,
            "total": len(items),
            "done": sum(1 for i in items if i.status == Status.DONE),
            "overdue": sum(1 for i in items if i.is_overdue),
        }
        for _plan, (view, items) in per_plan
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
            "plan_rows": plan_rows if many else [],
            "status_chart": str(status_chart),
            "unit_chart": str(unit_chart) if overdue_count else "",
        }
    )
    return data


def plan_summary(plan: Plan, options: ReportOptions) -> dict[str, Any]:
    w = Writer(options.script)
    return summary([plan], options, w.text(plan.title))


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
