"""The sweep claims the right reminders on the right days, for the right people, exactly once."""

from __future__ import annotations

from datetime import date, timedelta

from freezegun import freeze_time
from sqlalchemy import func, select

from tests.reminders.conftest import at, claims
from tracker.core.status import Status
from tracker.execution import services as execution
from tracker.reminders import jobs
from tracker.reminders.compliance import occurrences_of, period_compliance
from tracker.reminders.models import ContinuousPeriod, Holiday, Reminder, ReminderPolicy


def _sweep_days(first: str, last: str) -> None:
    day = date.fromisoformat(first)
    while day <= date.fromisoformat(last):
        jobs.sweep(at(day.isoformat(), 0, 5), deliver=False)
        day += timedelta(days=1)


def _one_measure(make_plan, people, deadline="15.03.2024", **extra):
    plan = make_plan(
        measures=[
            {
                "number": "1",
                "title": "Миллий маърузани тайёрлаш",
                "deadline_text": deadline,
                "lead_unit_id": people.lead.id,
                "co_unit_ids": [people.co.id],
                "added_on": date(2024, 1, 4),
                **extra,
            }
        ]
    )
    return plan, plan.measures[0]


def test_reminders_fall_on_the_right_days_around_a_deadline(db, make_plan, people):
    # 15.03.2024 is a Friday.
    _plan, measure = _one_measure(make_plan, people)
    db.session.commit()
    _sweep_days("2024-03-01", "2024-03-26")

    key = f"m{measure.id}"
    mine = [
        (kind, offset, day) for email, k, kind, offset, day in claims(db) if email == "executor@example.uz"
    ]
    assert mine == [
        ("before", -7, "2024-03-08"),
        ("before", -3, "2024-03-12"),
        ("before", -1, "2024-03-14"),
        ("due", 0, "2024-03-15"),
        ("overdue", 3, "2024-03-18"),
        ("overdue", 6, "2024-03-21"),
        # 24.03 is a Sunday: the reminder goes out on Friday 22.03.
        ("overdue", 9, "2024-03-22"),
    ]
    everyone = {email for email, k, *_ in claims(db) if k == key}
    # Lead and co-executor units' executors and heads; escalations to the head and the director.
    assert {"executor@example.uz", "head@example.uz", "co@example.uz", "director@example.uz"} <= everyone
    assert not everyone & {
        "other@example.uz",
        "viewer@example.uz",
        "controller@example.uz",
        "admin@example.uz",
    }


def test_escalation_to_the_unit_head_and_then_the_director(db, make_plan, people):
    _plan, measure = _one_measure(make_plan, people)
    db.session.commit()
    _sweep_days("2024-03-10", "2024-03-25")

    escalations = [
        (email, kind, offset, day)
        for email, _k, kind, offset, day in claims(db)
        if kind.startswith("escalation") and email in ("head@example.uz", "director@example.uz")
    ]
    assert escalations == [
        # One day overdue is Saturday 16.03; moving it back would be before the deadline, so Monday.
        ("head@example.uz", "escalation_head", 1, "2024-03-18"),
        ("director@example.uz", "escalation_director", 7, "2024-03-22"),
    ]
    # The co-executor unit has no head: its executor gets no escalation.
    assert not [c for c in claims(db) if c[0] == "co@example.uz" and c[2].startswith("escalation")]


def test_a_claim_waiting_for_review_reminds_the_controllers_and_done_stops_everything(db, make_plan, people):
    _plan, measure = _one_measure(make_plan, people)
    execution.submit_status_update(
        measure, status=Status.DONE_CLAIMED, note="Бажарилди", actor=people.executor
    )
    db.session.commit()
    jobs.sweep(at("2024-03-14", 0, 5), deliver=False)
    assert [(e, kind, off) for e, _k, kind, off, _d in claims(db)] == [
        ("controller@example.uz", "review", -1)
    ]

    claim = execution.pending_claim(measure)
    execution.accept_claim(claim, actor=people.controller)
    db.session.commit()
    _sweep_days("2024-03-15", "2024-03-30")
    assert len(claims(db)) == 1, "a done item is never reminded"


def test_cancelled_items_and_closed_plans_are_not_reminded(db, make_plan, people):
    _plan, measure = _one_measure(make_plan, people)
    execution.submit_status_update(
        measure, status=Status.CANCELLED, note="Бекор қилинди", actor=people.controller
    )
    db.session.commit()
    _sweep_days("2024-03-08", "2024-03-20")
    assert claims(db) == []


def test_two_sweeps_and_a_rerun_claim_each_reminder_once(db, make_plan, people):
    _one_measure(make_plan, people)
    db.session.commit()
    first = jobs.sweep(at("2024-03-15", 0, 5), deliver=False)
    second = jobs.sweep(at("2024-03-15", 0, 20), deliver=False)
    third = jobs.sweep(at("2024-03-15", 18, 0), deliver=False)
    assert first.claimed == 3 and second.claimed == 0 and third.claimed == 0
    assert db.session.scalar(select(func.count(Reminder.id)).where(Reminder.event_id.is_(None))) == 3


def test_a_missed_day_is_caught_up_once_with_the_latest_reminder_only(db, make_plan, people):
    _one_measure(make_plan, people)
    db.session.commit()
    # The scheduler was down from 07.03 to 14.03: only the latest of the missed reminders goes out.
    jobs.sweep(at("2024-03-14", 10), deliver=False)
    assert {(kind, off) for _e, _k, kind, off, _d in claims(db)} == {("before", -1)}


def test_a_reminder_on_a_holiday_goes_out_the_working_day_before(db, make_plan, people, organization):
    _one_measure(make_plan, people, deadline="21.03.2024")
    # Navruz: 21 March (Thursday) is a holiday; so is 18 March in this test.
    db.session.add_all(
        [
            Holiday(organization_id=organization.id, day=date(2024, 3, 21), name="Наврўз"),
            Holiday(organization_id=organization.id, day=date(2024, 3, 18), name="Test"),
        ]
    )
    db.session.commit()
    _sweep_days("2024-03-10", "2024-03-22")
    mine = [(kind, off, day) for e, _k, kind, off, day in claims(db) if e == "executor@example.uz"]
    assert mine == [
        ("before", -7, "2024-03-14"),
        ("before", -3, "2024-03-15"),  # Monday 18.03 is a holiday: Friday before it
        # The due day is a holiday: Wednesday 20.03, which the day-before reminder also falls on;
        # the person gets one reminder that day, the later one.
        ("due", 0, "2024-03-20"),
        ("overdue", 3, "2024-03-22"),  # Sunday 24.03 → Friday 22.03, still after the deadline
    ]


def test_recurring_deadlines_give_one_occurrence_per_period_each_with_its_own_report(db, make_plan, people):
    _plan, measure = _one_measure(make_plan, people, deadline="Ҳар чоракда")
    assert measure.deadline_kind == "recurring"
    db.session.commit()
    jobs.sweep(at("2024-03-29", 0, 5), deliver=False)  # Friday before the quarter ends (Sunday 31.03)
    occurrences = {(k, d) for _e, k, kind, _o, d in claims(db) if kind == "due"}
    assert occurrences == {(f"m{measure.id}", "2024-03-29")}

    # The unit reports for the first quarter, on 29 March: that period is settled, the next one
    # is not. (Only the secretariat may date a report earlier than the day it is made.)
    with freeze_time("2024-03-29 10:00:00"):
        execution.submit_status_update(
            measure,
            status=Status.IN_PROGRESS,
            note="I чорак ҳисоботи",
            actor=people.executor,
            period_due_on=date(2024, 3, 31),
            effective_on=date(2024, 3, 29),
        )
    db.session.commit()
    _sweep_days("2024-04-01", "2024-04-10")
    assert not [c for c in claims(db) if c[4] > "2024-03-29"], "a reported period is not reminded"
    _sweep_days("2024-06-23", "2024-07-05")
    june = {
        (kind, off) for e, _k, kind, off, d in claims(db) if e == "executor@example.uz" and d > "2024-06-01"
    }
    assert ("due", 0) in june and ("overdue", 3) in june

    compliance = period_compliance(measure, date(2024, 7, 5))
    assert [(p.occurrence.isoformat(), p.state) for p in compliance] == [
        ("2024-03-31", "on_time"),
        ("2024-06-30", "missing"),
    ]  # the plan ends on 30 June: no Q3 or Q4 is owed (issue 10)


def test_yearly_by_a_date_and_continuous_measures(db, make_plan, people, organization):
    plan = make_plan(
        measures=[
            {
                "number": "1",
                "title": "Йиллик",
                "deadline_text": "Ҳар йили 1 декабрга қадар",
                "lead_unit_id": people.lead.id,
                "added_on": date(2024, 1, 4),
            },
            {
                "number": "2",
                "title": "Доимий",
                "deadline_text": "Доимий равишда",
                "lead_unit_id": people.lead.id,
                "added_on": date(2024, 1, 4),
            },
        ]
    )
    yearly, continuous = plan.measures
    assert yearly.deadline_kind == "recurring" and continuous.deadline_kind == "continuous"
    db.session.add(
        ReminderPolicy(organization_id=organization.id, continuous_period=ContinuousPeriod.MONTHLY)
    )
    db.session.commit()
    # Continuous: a report is owed at the end of each month of the plan's period (January–June 2024).
    assert [d.isoformat() for d in occurrences_of(continuous, date(2024, 1, 1))] == [
        "2024-01-31",
        "2024-02-29",
        "2024-03-31",
        "2024-04-30",
        "2024-05-31",
        "2024-06-30",
    ]
    jobs.sweep(at("2024-02-29", 0, 5), deliver=False)
    # February's report is due today; January's was never made, so it is still reminded.
    assert {(k, kind) for e, k, kind, _o, _d in claims(db) if e == "executor@example.uz"} == {
        (f"m{continuous.id}", "due"),
        (f"m{continuous.id}", "overdue"),
    }
    # "Every year by 1 December" in a January–June plan owes nothing inside the plan (issue 10).
    assert [d.isoformat() for d in occurrences_of(yearly, date(2024, 1, 1))] == []


def test_steps_are_reminded_with_their_own_deadlines(db, make_plan, people):
    _plan, measure = _one_measure(
        make_plan,
        people,
        deadline="30.06.2024",
        steps=[{"number": "1", "text": "Лойиҳа", "deadline_text": "15.03.2024"}],
    )
    db.session.commit()
    jobs.sweep(at("2024-03-15", 0, 5), deliver=False)
    assert {k for _e, k, *_ in claims(db)} == {f"s{measure.steps[0].id}"}


def test_policy_changes_the_days(db, make_plan, people, organization):
    _one_measure(make_plan, people)
    db.session.add(
        ReminderPolicy(
            organization_id=organization.id,
            days_before="2",
            remind_on_due_day=False,
            overdue_every_days=5,
            escalate_head_after_days=0,
            escalate_director_after_days=0,
        )
    )
    db.session.commit()
    _sweep_days("2024-03-01", "2024-03-25")
    mine = [(kind, off, day) for e, _k, kind, off, day in claims(db) if e == "executor@example.uz"]
    assert mine == [("before", -2, "2024-03-13"), ("overdue", 5, "2024-03-20"), ("overdue", 10, "2024-03-25")]
    assert not [c for c in claims(db) if c[2].startswith("escalation")]
