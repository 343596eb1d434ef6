"""The status report's data (seed 004 for roadmaps, seed 003 plus a status column otherwise)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tracker.extensions import db
from tracker.plans.models import Plan, PlanKind
from tracker.plans.snapshot import Deadline, MeasureSnapshot, PlanSnapshot, StepSnapshot
from tracker.reports.common import ReportOptions, Writer, common_fields, report_items, responsible_names
from tracker.reports.models import ReportKind


def _without_status_word(note: str, word: str) -> str:
    """The note after the status word the report prints anyway ("Бажарилди. …" is common)."""
    stripped = note.lstrip()
    if stripped.casefold().startswith(word.casefold()):
        return stripped[len(word) :].lstrip(" .:—-\n")
    return note


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
    view, items = report_items(plan, options)
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
                "responsible": responsible_names(m, w),
                "result": m.expected_result,
            }
        )
    is_roadmap = view.kind == PlanKind.ROADMAP
    return {
        **common_fields(ReportKind.STATUS, options, w, view.title),
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
