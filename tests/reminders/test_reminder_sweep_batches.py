"""The sweep at scale: claims in batches, rules worked out once per due date and calendar, and a
steady sweep that claims nothing twice yet still finds what became due since the last one."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, text

from tests.reminders.conftest import at, claims
from tracker.core.permissions import Role
from tracker.core.sql import array_literal
from tracker.orgs.models import Organization
from tracker.reminders import jobs
from tracker.reminders import sweep as reminder_sweep
from tracker.reminders.models import Holiday, Reminder, ReminderPolicy


def _measure(people, number="1", deadline="15.03.2024", **extra):
    return {
        "number": number,
        "title": f"Тадбир {number}",
        "deadline_text": deadline,
        "lead_unit_id": people.lead.id,
        "co_unit_ids": [people.co.id],
        "added_on": date(2024, 1, 4),
        **extra,
    }


def _reminder_count(db) -> int:
    return db.session.scalar(select(func.count(Reminder.id)).where(Reminder.event_id.is_(None)))


def test_a_steady_sweep_claims_nothing_twice_and_still_finds_what_became_due(
    db, make_plan, make_user, people
):
    first_plan = make_plan(measures=[_measure(people)])
    db.session.commit()
    assert jobs.sweep(at("2024-03-15", 0, 5), deliver=False).claimed == 3  # executor, head, co

    # Between two sweeps of the same day: a new measure due today, and a new executor in the lead
    # unit, who is owed today's reminder of the measure the others were reminded of already.
    second_plan = make_plan(measures=[_measure(people, number="2")])
    newcomer = make_user(Role.EXECUTOR, unit=people.lead, email="newcomer@example.uz")
    db.session.commit()
    second = jobs.sweep(at("2024-03-15", 0, 20), deliver=False)
    third = jobs.sweep(at("2024-03-15", 0, 35), deliver=False)

    old_key, new_key = f"m{first_plan.measures[0].id}", f"m{second_plan.measures[0].id}"
    assert second.claimed == 5 and second.due == 5
    assert third.claimed == 0 and third.due == 0
    assert sorted((email, key) for email, key, kind, _o, _d in claims(db) if kind == "due") == sorted(
        [(email, old_key) for email in ("co@example.uz", "executor@example.uz", "head@example.uz")]
        + [(newcomer.email, old_key)]
        + [(e, new_key) for e in ("co@example.uz", "executor@example.uz", "head@example.uz", newcomer.email)]
    )
    assert _reminder_count(db) == 8


def test_organizations_with_the_same_due_date_keep_their_own_holidays_and_rules(
    db, make_plan, make_unit, make_user, people, organization
):
    other_org = Organization(name="Other agency")
    db.session.add(other_org)
    db.session.flush()
    other_unit = make_unit("Бошқарма", org=other_org)
    make_user(Role.EXECUTOR, unit=other_unit, email="elsewhere@example.uz", org=other_org)
    make_plan(measures=[_measure(people)])
    make_plan(
        measures=[
            {"number": "1", "title": "Тадбир", "deadline_text": "15.03.2024", "lead_unit_id": other_unit.id}
        ],
        org=other_org,
    )
    # Friday 15.03 is a holiday here only; the other organization is not reminded on the due day.
    db.session.add(Holiday(organization_id=organization.id, day=date(2024, 3, 15), name="Байрам"))
    db.session.add(ReminderPolicy(organization_id=other_org.id, remind_on_due_day=False))
    db.session.commit()
    for day in ("2024-03-14", "2024-03-15"):
        jobs.sweep(at(day, 0, 5), deliver=False)

    mine = [(kind, off, day) for e, _k, kind, off, day in claims(db) if e == "executor@example.uz"]
    theirs = [(kind, off, day) for e, _k, kind, off, day in claims(db) if e == "elsewhere@example.uz"]
    assert mine == [("due", 0, "2024-03-14")]  # the due day moved to Thursday, the later one wins
    assert theirs == [("before", -1, "2024-03-14")]


def test_claims_go_in_batches_with_measures_and_steps_side_by_side(db, make_plan, people, monkeypatch):
    monkeypatch.setattr(reminder_sweep, "CLAIM_BATCH", 2)
    plan = make_plan(
        measures=[
            _measure(people, steps=[{"number": "1", "text": "Лойиҳа", "deadline_text": "15.03.2024"}]),
            _measure(people, number="2"),
        ]
    )
    db.session.commit()
    result = jobs.sweep(at("2024-03-15", 0, 5), deliver=False)

    first, second = plan.measures
    keys = {f"m{first.id}", f"s{first.steps[0].id}", f"m{second.id}"}
    assert result.due == result.claimed == 9  # three items, three people each
    assert {key for _e, key, kind, _o, _d in claims(db) if kind == "due"} == keys
    step_claims = db.session.scalars(
        select(Reminder).where(Reminder.item_key == f"s{first.steps[0].id}")
    ).all()
    assert {(r.measure_id, r.step_id, r.occurrence_on) for r in step_claims} == {
        (first.id, first.steps[0].id, date(2024, 3, 15))
    }
    assert jobs.sweep(at("2024-03-15", 0, 20), deliver=False).claimed == 0


def test_array_literals_read_back_as_the_values_they_were_made_of(db):
    values = ["m7", 'a "quoted" \\ back-slashed, {braced} word', "NULL", "", None]
    literal = array_literal(values)
    assert literal == '{"m7","a \\"quoted\\" \\\\ back-slashed, {braced} word","NULL","",NULL}'
    if db.session.get_bind().dialect.name != "postgresql":
        return  # the literal is PostgreSQL's syntax; SQLite has no arrays
    assert db.session.scalar(text("SELECT CAST(:v AS text[])"), {"v": literal}) == values
    assert db.session.scalar(
        text("SELECT CAST(:v AS date[])"), {"v": array_literal([date(2024, 3, 15)])}
    ) == [date(2024, 3, 15)]
