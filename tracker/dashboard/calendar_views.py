"""Month calendars (of a plan, of my items) and a plan's timeline, on the dashboard blueprint."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.core.params import arg_month
from tracker.core.permissions import permission_required
from tracker.core.status import STATUS_LABELS, Status
from tracker.core.time import today
from tracker.dashboard import charts, services
from tracker.dashboard.blueprint import bp
from tracker.dashboard.drawing import Axis, CalendarItem, GanttRow, month_calendar, scaled_ticks, timeline
from tracker.dashboard.services import DeadlineItem
from tracker.plans.access import get_plan_or_404
from tracker.plans.models import Plan

#: The timeline's zoom choices: everything dated (and today), the plan's period, the last twelve months.
ZOOMS = ("all", "plan", "year")
TIMELINE_WIDTH, TIMELINE_LABELS = 1100, 380


def _month_arg(default: date) -> date:
    chosen = arg_month()  # 400 for a malformed month or one outside 1900–2200
    return default if chosen is None else date(chosen[0], chosen[1], 1)


def _calendar_page(items: list[DeadlineItem], first: date, heading: str, link_args: dict[str, object]) -> str:
    """One month of ``items`` as a drawing and a list; ``link_args`` rebuild the page's URL."""
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    previous = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    now = today()
    by_day = services.deadlines_by_day(items, first, following - timedelta(1))
    cells = {
        day: [
            CalendarItem(
                label=f"№{d.number}",
                title=f"№{d.number} {d.title}" + (f" — {_('Overdue')}" if d.is_overdue_on(day, now) else ""),
                url=url_for("plans.measure", measure_id=d.measure_id),
                colour=services.status_colour(d.status, d.is_overdue_on(day, now)),
            )
            for d in entries
        ]
        for day, entries in by_day.items()
    }
    month_title = f"{charts.month_name(first)} {first.year}"
    drawing = month_calendar(
        first.year,
        first.month,
        cells,
        title=_("Deadlines in %(month)s", month=month_title),
        weekday_names=charts.weekday_names(),
        today=now,
        more=lambda n: _("and %(n)s more", n=n),
    )
    return render_template(
        "dashboard/calendar.html",
        heading=heading,
        link_args=link_args,
        drawing=drawing,
        month_title=month_title,
        by_day=list(by_day.items()),
        previous=previous,
        following=following,
        today=now,
    )


@bp.get("/plans/<int:plan_id>/calendar")
@permission_required("plan.view")
def plan_calendar(plan_id: int) -> str:
    """Opens on the month of the plan's next deadline, or the first month of a plan that is over."""
    plan = get_plan_or_404(plan_id)
    items = services.plan_deadlines(plan)
    first = _month_arg(services.opening_month(items, today(), (plan.period_start, plan.period_end)))
    args = {"endpoint": "dashboard.plan_calendar", "plan_id": plan.id}
    return _calendar_page(items, first, plan.title, args)


@bp.get("/calendar")
@permission_required("plan.view")
def my_calendar() -> str:
    """Deadlines of my unit (and the units above it) in the plans in force."""
    items = services.my_deadlines(current_user)
    first = _month_arg(services.opening_month(items, today(), (None, None)))
    return _calendar_page(items, first, _("My deadlines"), {"endpoint": "dashboard.my_calendar"})


def _gantt_rows(plan: Plan, items: Iterable[DeadlineItem], now: date) -> list[GanttRow]:
    rows: list[GanttRow] = []
    for item in items:
        if item.due_on is None:
            continue
        start = item.start_on
        if start is None and item.kind == "measure":
            start = plan.period_start if plan.period_start and plan.period_start <= item.due_on else None
        overdue = item.is_overdue_on(item.due_on, now)
        note = (
            _("Overdue")
            if overdue
            else (str(STATUS_LABELS[item.status]) if item.status != Status.NOT_STARTED else "")
        )
        rows.append(
            GanttRow(
                label=f"{item.number}. {item.title}",
                start=start,
                end=item.due_on,
                colour=services.status_colour(item.status, overdue),
                note=note,
                url=url_for("plans.measure", measure_id=item.measure_id),
                is_child=item.kind == "step",
            )
        )
    return rows


def _window(plan: Plan, rows: list[GanttRow], zoom: str, now: date) -> tuple[date, date]:
    """The dates the timeline shows for ``zoom``; "all" spans every row, the plan and today."""
    if zoom == "year":
        return date(now.year - 1, now.month, 1), now + timedelta(days=14)
    if zoom == "plan" and plan.period_start and plan.period_end:
        return plan.period_start, plan.period_end + timedelta(days=7)
    dates = [d for r in rows for d in (r.start, r.end) if d] + [now]
    dates += [d for d in (plan.period_start, plan.period_end) if d]
    lo, hi = min(dates), max(dates)
    return date(lo.year, lo.month, 1), hi + timedelta(days=7)


@bp.get("/plans/<int:plan_id>/timeline")
@permission_required("plan.view")
def plan_timeline(plan_id: int) -> str:
    plan = get_plan_or_404(plan_id)
    now = today()
    items = services.plan_deadlines(plan)
    undated = [i for i in items if i.due_on is None and i.kind == "measure"]
    has_period = bool(plan.period_start and plan.period_end)
    zoom = request.args.get("zoom", "all")  # by default today is always in view
    if zoom not in ZOOMS or (zoom == "plan" and not has_period):
        zoom = "all"
    all_rows = _gantt_rows(plan, items, now)
    drawing = None
    if all_rows:
        lo, hi = _window(plan, all_rows, zoom, now)
        rows = [r for r in all_rows if r.end >= lo and (r.start or r.end) <= hi]
        ticks = scaled_ticks(
            lo,
            hi,
            TIMELINE_WIDTH - TIMELINE_LABELS - 10,
            lambda d: f"{charts.month_name(d, short=True)} {d:%y}",
            lambda d: str(d.year),
        )
        drawing = timeline(
            rows,
            Axis(lo, hi, ticks),
            title=_("Timeline of %(plan)s", plan=plan.title),
            today=now,
            today_label=_("Today"),
            width=TIMELINE_WIDTH,
            label_width=TIMELINE_LABELS,
        )
    return render_template(
        "dashboard/timeline.html",
        plan=plan,
        drawing=drawing,
        undated=undated,
        rows=all_rows,
        zoom=zoom,
        zooms=ZOOMS,
        has_period=has_period,
    )
