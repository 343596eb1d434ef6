"""The dashboard's figures at the edges of their periods, the same on every database (issue 17).

On PostgreSQL the month numbers come from ``width_bucket`` (one call and one parameter a key);
elsewhere from CASEs over the bounds. Deadlines, additions and closings placed on and around
each bound must fall in the same months both ways, and where the definitions put them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.core.time import TASHKENT
from tracker.dashboard import queries
from tracker.dashboard.queries import Scope, summary

TODAY = date(2024, 5, 15)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), TASHKENT)


@pytest.fixture
def edges(db, make_plan):
    """Measures whose deadline, addition or closing sits on a bound, a day (or a second) from it."""
    due_days = [
        TODAY - timedelta(1), TODAY, TODAY + timedelta(7), TODAY + timedelta(8), TODAY + timedelta(30),
        TODAY + timedelta(31), date(2024, 4, 30), date(2024, 5, 1), date(2024, 3, 31), date(2023, 5, 31),
        date(2023, 6, 1), None,
    ]  # fmt: skip
    measures = [
        {"number": str(i + 1), "title": f"Tadbir {i + 1}", "deadline_text": None, "due_on": due}
        for i, due in enumerate(due_days)
    ]
    plan = make_plan(title="Chegaralar", measures=measures)
    by_number = {m.number: m for m in plan.measures}
    added = [date(2024, 3, 31), date(2024, 4, 1), TODAY, date(2023, 5, 31), date(2023, 6, 1)]
    for measure in plan.measures:
        number = int(measure.number)
        measure.added_on = added[number - 1] if number <= len(added) else date(2023, 1, 1)
    closings = {
        "6": (Status.DONE, _midnight(date(2024, 5, 1))),  # the first instant of May
        "7": (Status.DONE, _midnight(date(2024, 5, 1)) - timedelta(seconds=1)),  # the last of April
        "8": (Status.CANCELLED, _midnight(date(2024, 4, 1))),
        "9": (Status.DONE, _midnight(date(2024, 5, 1))),
        "10": (Status.DONE, _midnight(date(2023, 6, 1))),  # the trend's first instant
        "11": (Status.DONE, _midnight(date(2023, 6, 1)) - timedelta(seconds=1)),  # before it
    }
    for number, (status, at) in closings.items():
        by_number[number].status, by_number[number].status_changed_at = status, at
    db.session.commit()
    return plan


def test_figures_on_the_bounds(db, edges, make_user):
    figures = summary(make_user(Role.DIRECTOR), Scope(), TODAY)
    assert figures.total == 12
    assert figures.by_status[Status.DONE] == 5 and figures.by_status[Status.CANCELLED] == 1
    assert figures.overdue == 1  # due yesterday; due today is not overdue
    assert figures.due_7 == 2  # today and today + 7; today + 8 is not within 7 days
    assert figures.due_30 == 4  # … and today + 8, today + 30; today + 31 is done anyway
    months = [m.month for m in figures.trend]
    assert months[0] == date(2023, 6, 1) and months[-1] == date(2024, 5, 1)
    completed = {m.month: m.completed for m in figures.trend if m.completed}
    # Done at the first instant of May counts in May, a second earlier in April; done before
    # the trend's first month is not counted; a cancellation is no completion.
    assert completed == {date(2024, 5, 1): 2, date(2024, 4, 1): 1, date(2023, 6, 1): 1}
    overdue = {m.month: m.overdue for m in figures.trend if m.overdue}
    # Due 31 March and done at the first instant of May: overdue at the end of April only (not
    # at the end of March, its own deadline day). Due yesterday: overdue today, the current
    # month's end. Due 30 April and done a second before May: never overdue at a month's end.
    assert overdue == {date(2024, 5, 1): 1, date(2024, 4, 1): 1}


def test_postgresql_buckets_agree_with_the_portable_cases(db, edges, make_user, monkeypatch):
    director = make_user(Role.DIRECTOR)
    for day in (TODAY, TODAY - timedelta(40), date(2024, 4, 30), date(2024, 5, 31), date(2024, 6, 1)):
        native = summary(director, Scope(), day)
        with monkeypatch.context() as patch:
            patch.setattr(queries, "has_width_bucket", lambda: False)
            portable = summary(director, Scope(), day)
        assert native == portable, day


def test_who_is_late_and_which_plans(db, make_plan, make_unit, make_user):
    from tracker.core.time import today

    now = today()
    first, second, third = make_unit("Birinchi"), make_unit("Uchinchi"), make_unit("Ikkinchi")

    def measures(*leads):
        return [
            {"number": str(i + 1), "title": f"T{i}", "deadline_text": None, "lead_unit_id": unit.id,
             "due_on": now - timedelta(5) if late else now + timedelta(5)}
            for i, (unit, late) in enumerate(leads)
        ]  # fmt: skip

    one = make_plan(
        title="Bir", measures=measures((first, True), (first, True), (second, True), (third, True))
    )
    two = make_plan(title="Ikki", measures=measures((first, True), (second, False)))
    db.session.commit()
    director = make_user(Role.DIRECTOR)
    units, plans = queries.late_units_and_plans(director, Scope(), now, units=True, plans=True)
    # Ties by name: "Ikkinchi" before "Uchinchi"; plans by their overdue count.
    assert [(u.unit_id, u.name, u.overdue) for u in units] == [
        (first.id, "Birinchi", 3), (third.id, "Ikkinchi", 1), (second.id, "Uchinchi", 1),
    ]  # fmt: skip
    assert [(p.plan_id, p.title, p.overdue) for p in plans] == [(one.id, "Bir", 4), (two.id, "Ikki", 1)]
    assert queries.late_units_and_plans(director, Scope(), now, units=False, plans=True) == ([], plans)
    assert queries.late_units_and_plans(director, Scope(plan_id=two.id), now, units=True, plans=False) == (
        [queries.LateUnit(first.id, "Birinchi", 1)],
        [],
    )
    top = queries.late_units_and_plans(director, Scope(), now, units=True, plans=True, limit=1)
    assert top == (units[:1], plans[:1])
