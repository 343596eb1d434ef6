"""The summary's data: counts by status and by unit, the on-time rate, the overdue list, charts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select

from tracker.charts import BarSeries, bar_chart, stacked_bar
from tracker.core.status import STATUS_COLOURS, Status
from tracker.extensions import db
from tracker.orgs.models import Organization
from tracker.plans.models import Measure, Plan, PlanKind, PlanState
from tracker.plans.snapshot import MeasureSnapshot, PlanSnapshot
from tracker.reports.common import (
    STATUS_ORDER,
    ReportOptions,
    Writer,
    common_fields,
    report_items,
    responsible_names,
)
from tracker.reports.models import ReportKind


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def _unit_rows(everything: list[MeasureSnapshot], w: Writer) -> list[dict[str, Any]]:
    units: dict[str, dict[str, Any]] = {}
    for item in everything:
        names = responsible_names(item, w) or [w.h["unassigned"]]
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


PerPlan = list[tuple[PlanSnapshot, list[MeasureSnapshot]]]


def _due_and_on_time(
    everything: list[MeasureSnapshot], as_of: date
) -> tuple[list[MeasureSnapshot], list[MeasureSnapshot]]:
    """The measures due by the report date the rate counts, and those of them done on time."""
    due = [
        i
        for i in everything
        if i.deadline.due_on is not None
        and i.deadline.due_on <= as_of
        and i.status != Status.CANCELLED
        and not i.completion_unknown
    ]
    return due, [i for i in due if i.is_done_on_time]


def _overdue_rows(per_plan: PerPlan, w: Writer) -> list[dict[str, Any]]:
    """The overdue list; each row names its plan when the summary covers several."""
    many = len(per_plan) > 1
    return [
        {
            "plan": view.title if many else "",
            "number": item.number,
            "title": item.title,
            "deadline": w.deadline(item.deadline),
            "status_word": w.status(item.status),
            "responsible": responsible_names(item, w),
        }
        for view, items in per_plan
        for item in items
        if item.is_overdue
    ]


def _plan_rows(per_plan: PerPlan) -> list[dict[str, Any]]:
    return [
        {
            "title": view.title,
            "total": len(items),
            "done": sum(1 for i in items if i.status == Status.DONE),
            "overdue": sum(1 for i in items if i.is_overdue),
        }
        for view, items in per_plan
    ]


def _charts(by_status: dict[Status, int], unit_rows: list[dict[str, Any]], w: Writer) -> tuple[str, str]:
    """The status bar and the chart of overdue measures by unit (top 15), as SVG."""
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
    return str(status_chart), str(unit_chart)


def summary(plans: Iterable[Plan], options: ReportOptions, title: str) -> dict[str, Any]:
    """Counts by status and by unit, the on-time rate, the overdue list and charts, over ``plans``.

    The on-time rate counts measures due by the report date; a "done" whose finishing day is not
    known (an imported "(… ҳолатига)" status) is left out, as docs/rating.md says.
    """
    w = Writer(options.script)
    per_plan = [report_items(p, options) for p in plans]
    everything = [item for _view, items in per_plan for item in items]

    by_status = {s: 0 for s in STATUS_ORDER}
    for item in everything:
        by_status[item.status] += 1
    overdue_count = sum(1 for i in everything if i.is_overdue)
    due, on_time = _due_and_on_time(everything, options.as_of)
    unit_rows = _unit_rows(everything, w)
    status_chart, unit_chart = _charts(by_status, unit_rows, w)
    data = common_fields(ReportKind.SUMMARY, options, w, title)
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
            "overdue_rows": _overdue_rows(per_plan, w),
            "plan_rows": _plan_rows(per_plan) if len(per_plan) > 1 else [],
            "status_chart": status_chart,
            "unit_chart": unit_chart if overdue_count else "",
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
