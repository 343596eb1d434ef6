"""Data fixes of issue 10: recurring deadlines inside the plan's period, heading phrases, demo roadmap."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tracker.demo.loader import load_demo
from tracker.plans import services as plan_services
from tracker.plans.models import Plan, PlanKind, PlanState
from tracker.plans.snapshot import snapshot_of
from tracker.reminders.policy import DEFAULT_RULES, occurrence_dates
from tracker.reports.data import ReportOptions, plan_document, summary
from tracker.uzbek import parse_deadlines


def test_a_quarterly_deadline_in_a_half_year_plan_owes_q1_and_q2_only():
    (quarterly,) = parse_deadlines("Ҳар чоракда", default_year=2024)
    dates = occurrence_dates(
        kind=quarterly.kind.value,
        start_on=quarterly.start,
        due_on=quarterly.due,
        recurrence=quarterly.recurrence,
        plan_start=date(2024, 1, 1),
        plan_end=date(2024, 6, 30),
        rules=DEFAULT_RULES,
        window_start=date(2024, 1, 1),
        window_end=date(2025, 1, 31),
    )
    assert dates == [date(2024, 3, 31), date(2024, 6, 30)]


def test_a_heading_phrase_is_not_a_responsible_unit(db, make_plan):
    plan = make_plan(
        measures=[
            {
                "number": "24",
                "title": "Мониторинг",
                "other_responsible": ["Масъул тармоқлар", "Халқаро ҳамкорлик бошқармаси"],
            }
        ]
    )
    assert [r.display_name for r in plan.measures[0].responsibles] == ["Халқаро ҳамкорлик бошқармаси"]
    assert plan_services.is_heading_phrase("Masʼul tarmoqlar:")


def test_the_demo_roadmap_has_no_approval_block_and_no_heading_units(db):
    load_demo()
    db.session.commit()
    plans = {p.kind: p for p in db.session.scalars(select(Plan))}
    roadmap, work_plan = plans[PlanKind.ROADMAP], plans[PlanKind.WORK_PLAN]
    assert roadmap.state == PlanState.APPROVED  # in force, as the resolution made it
    assert snapshot_of(roadmap, date(2022, 10, 4)).approval is None
    assert plan_document(roadmap, ReportOptions(as_of=date(2022, 10, 4)))["approval"] is None
    assert snapshot_of(work_plan, date(2024, 2, 1)).approval.name == "А. Бурханов"
    units = [
        row["name"] for row in summary([work_plan], ReportOptions(as_of=date(2024, 7, 1)), "x")["unit_rows"]
    ]
    assert "Масъул тармоқлар" not in units and units
    # the roadmap, done in 2021 and reported "as of 4 October 2022", is not counted late
    roadmap_summary = summary([roadmap], ReportOptions(as_of=date(2022, 10, 4)), "x")
    assert roadmap_summary["on_time_rate"] == "—" and "0 " in roadmap_summary["on_time_detail"]
