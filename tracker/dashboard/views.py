"""Dashboard pages, unit rating, plan calendar and timeline, iCalendar feeds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from tracker.core.forms import EmptyForm
from tracker.core.params import arg_date
from tracker.core.permissions import permission_required, public
from tracker.core.status import STATUS_COLOURS, STATUS_LABELS, Status
from tracker.core.time import today
from tracker.core.web import run_service
from tracker.core.xlsx import wants_xlsx, xlsx_download
from tracker.dashboard import charts, ics, queries, rating, services
from tracker.dashboard.blueprint import bp
from tracker.dashboard.models import CalendarFeed
from tracker.extensions import db
from tracker.orgs.access import get_unit_or_404
from tracker.orgs.models import Unit
from tracker.orgs.queries import unit_names
from tracker.plans.access import get_plan_or_404
from tracker.plans.models import Plan

# -- dashboards ---------------------------------------------------------------------------------


def _dashboard(scope: queries.Scope, *, plan: Plan | None = None, unit: Unit | None = None) -> str:
    now = today()
    summary = queries.summary(current_user, scope, now)
    late_units, late_plans = queries.late_units_and_plans(
        current_user, scope, now, units=unit is None, plans=plan is None
    )
    return render_template(
        "dashboard/index.html",
        plan=plan,
        unit=unit,
        scope=scope,
        summary=summary,
        late_units=late_units,
        late_plans=late_plans,
        status_chart=charts.status_chart(summary.by_status),
        trend_chart=charts.trend_chart(
            [m.month for m in summary.trend],
            [m.completed for m in summary.trend],
            [m.overdue for m in summary.trend],
        ),
        late_units_chart=charts.late_units_chart([(u.name, u.overdue) for u in late_units])
        if late_units
        else None,
        links=_links(scope, plan, now),
        STATUS_LABELS=STATUS_LABELS,
        STATUS_COLOURS=STATUS_COLOURS,
        statuses=list(Status),
        today=now,
    )


def _links(scope: queries.Scope, plan: Plan | None, now: date) -> dict[str, str]:
    """Where each number leads: the plan page's own filters for a plan, else the search list."""
    args = scope.link_args()

    def search(**extra: str) -> str:
        values: dict[str, Any] = {**args, **extra}
        return url_for("search.index", **values)

    links = {
        "total": search(status=""),
        "overdue": search(overdue="1"),
        "due_7": search(status="open", due_from=now.isoformat(), due_to=(now + timedelta(7)).isoformat()),
        "due_30": search(status="open", due_from=now.isoformat(), due_to=(now + timedelta(30)).isoformat()),
        "awaiting_review": search(status=Status.DONE_CLAIMED.value),
    }
    for status in Status:
        links[status.value] = search(status=status.value)
    if plan is not None and scope.unit_id is None:
        links["total"] = url_for("plans.show", plan_id=plan.id)
        links["overdue"] = url_for("plans.show", plan_id=plan.id, overdue="overdue")
        for status in Status:
            links[status.value] = url_for("plans.show", plan_id=plan.id, status=status.value)
    if current_user.has_permission("status.review"):
        links["awaiting_review"] = url_for("execution.reviews")
    return links


@bp.get("/dashboard")
@permission_required("plan.view")
def index() -> str:
    return _dashboard(queries.Scope())


@bp.get("/dashboard/plans/<int:plan_id>")
@permission_required("plan.view")
def plan_dashboard(plan_id: int) -> str:
    plan = get_plan_or_404(plan_id)
    return _dashboard(queries.Scope(plan_id=plan.id), plan=plan)


@bp.get("/dashboard/units/<int:unit_id>")
@permission_required("plan.view")
def unit_dashboard(unit_id: int) -> str:
    unit = get_unit_or_404(unit_id)
    return _dashboard(queries.Scope(unit_id=unit.id), unit=unit)


# -- unit rating --------------------------------------------------------------------------------


def _date_arg(name: str, default: date) -> date:
    return arg_date(name) or default  # 400 for a malformed date or one outside 1900–2200


@bp.get("/rating")
@permission_required("plan.view")
def unit_rating() -> str | Response:
    now = today()
    if "from" in request.args or "to" in request.args:
        period_end = _date_arg("to", now)
        period_start = _date_arg("from", date(period_end.year, 1, 1))
    else:  # opens on the last complete quarter with deadlines to assess
        period_start, period_end = rating.default_period(current_user, now)
    if period_start > period_end:
        period_start, period_end = period_end, period_start
    ratings = rating.unit_ratings(current_user, period_start, period_end, now)
    ranked = [r for r in ratings if r.score is not None]
    if wants_xlsx(request.args):
        return _rating_xlsx(ratings, period_start, period_end)
    return render_template(
        "dashboard/rating.html",
        ratings=ratings,
        chart=charts.rating_chart([(r.name, r.score or 0) for r in ranked[:30]]) if ranked else None,
        period_start=period_start,
        period_end=period_end,
        weights=rating,
    )


def _rating_xlsx(ratings: list[rating.UnitRating], start: date, end: date) -> Response:
    headers = [_("Rank"), _("Unit"), _("Score"), _("Measures assessed"), _("Completed on time")]
    headers += [_("Average delay, days"), _("Overdue"), _("Reported before the deadline")]
    rows = [
        [r.rank or "", r.name, r.score if r.score is not None else "", r.assessed, r.on_time]
        + [round(r.average_delay, 1), r.overdue, r.active]
        for r in ratings
    ]
    return xlsx_download(
        _("Unit rating"), headers, rows, f"rating-{start.isoformat()}-{end.isoformat()}.xlsx"
    )


# -- iCalendar feeds ----------------------------------------------------------------------------


@bp.get("/calendar/feeds")
@permission_required("plan.view")
def feeds() -> str:
    mine = db.session.scalars(
        db.select(CalendarFeed)
        .where(CalendarFeed.user_id == current_user.id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.created_at)
    ).all()
    return render_template(
        "dashboard/feeds.html",
        feeds=mine,
        units=unit_names(current_user.organization_id),
        form=EmptyForm(formdata=None),
    )


@bp.post("/calendar/feeds")
@permission_required("plan.view")
def create_feed() -> Response | str:
    if not EmptyForm().validate_on_submit():
        abort(400)
    unit_id = request.form.get("unit_id", type=int)
    unit = get_unit_or_404(unit_id) if unit_id else None
    created: list[tuple[CalendarFeed, str]] = []
    if not run_service(lambda: created.append(services.create_feed(current_user, unit, actor=current_user))):
        return redirect(url_for("dashboard.feeds"))
    feed, token = created[0]
    return render_template(
        "dashboard/feed_created.html",
        feed=feed,
        url=url_for("dashboard.ics_feed", token=token, _external=True),
    )


@bp.post("/calendar/feeds/<int:feed_id>/revoke")
@permission_required("plan.view")
def revoke_feed(feed_id: int) -> Response:
    feed = db.get_or_404(CalendarFeed, feed_id)
    if feed.user_id != current_user.id:
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    run_service(lambda: services.revoke_feed(feed, actor=current_user), _("The calendar link is revoked."))
    return redirect(url_for("dashboard.feeds"))


@bp.get("/calendar/<token>.ics")
@public  # calendar apps cannot sign in: the private token in the URL is the credential, checked here
def ics_feed(token: str) -> Response:
    feed = CalendarFeed.find_active(token)
    user = services.feed_user(feed)
    if feed is None or user is None:
        abort(404)
    items = services.feed_deadlines(feed, user)
    now = today()
    with force_locale(user.locale or "uz_Latn"):
        name = _("Deadlines: %(unit)s", unit=feed.unit.name) if feed.unit else _("My deadlines")
        events = []
        for item in items:
            url = url_for("plans.measure", measure_id=item.measure_id, _external=True)
            status_word = str(STATUS_LABELS[item.status])
            description = "\n".join(
                filter(None, [item.title, item.deadline_text, f"{_('Status')}: {status_word}", url])
            )
            day, rrule = item.due_on, None
            if item.recurrence:
                rrule = item.recurrence
                day = services.first_occurrence(item, item.due_on - timedelta(366) if item.due_on else now)
            if day is None:
                continue
            events.append(
                ics.Event(
                    uid=f"tracker-{item.kind}-{item.id}@tracker",  # stable: never the host or the token
                    day=day,
                    summary=f"№{item.number} {item.title}",
                    description=description,
                    url=url,
                    rrule=rrule,
                    until=item.due_on if rrule else None,
                    cancelled=item.status == Status.CANCELLED,
                    categories=(status_word,),
                )
            )
    body = ics.calendar(name, events)
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


# The calendar and timeline pages register their routes on this blueprint.
from tracker.dashboard import calendar_views as _calendar_views  # noqa: E402, F401
