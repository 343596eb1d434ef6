"""A measure made of steps: the latest recorded report wins, even when made the same day."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import pytest
from freezegun import freeze_time

from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.core.time import TASHKENT, today
from tracker.execution import services as execution
from tracker.plans.snapshot import snapshot_of

# The measures are added today (make_plan), so the reports are made today too, at given hours of
# Tashkent's day. "Today" is read when asked: the UTC date, or a date read when the module was
# loaded, is yesterday's between 19:00 and 24:00 UTC, before the plan was approved.


@pytest.fixture
def measure(db: Any, make_plan, make_unit) -> Any:
    unit = make_unit("Стратегия бошқармаси")
    plan = make_plan(
        measures=[
            {
                "number": "1",
                "title": "Миллий маъруза",
                "lead_unit_id": unit.id,
                "steps": [
                    {"number": "1", "text": "Маълумот йиғиш", "deadline_text": "2024 йил март"},
                    {"number": "2", "text": "Маъруза ёзиш", "deadline_text": "2024 йил апрель"},
                ],
            }
        ]
    )
    return plan.measures[0]


def _report(target: Any, status: Status, note: str, actor: Any, hour: int) -> None:
    with freeze_time(datetime.combine(today(), time(hour), tzinfo=TASHKENT)):
        execution.submit_status_update(target, status=status, note=note, actor=actor)


def _in_force(measure: Any) -> Any:
    return snapshot_of(measure.plan, today(), include_pending=True).measures[0]


def test_own_report_recorded_after_the_steps_the_same_day_stands(db, measure, make_user):
    executor = make_user(Role.EXECUTOR, unit=measure.lead.unit)
    controller = make_user(Role.CONTROLLER)
    for step in measure.steps:
        _report(step, Status.IN_PROGRESS, "Бошланди", executor, 9)
    _report(measure, Status.CANCELLED, "Чора-тадбир бекор қилинди", controller, 15)
    db.session.commit()

    assert measure.status == Status.CANCELLED
    seen = _in_force(measure)
    assert seen.status == Status.CANCELLED and not seen.is_status_from_steps
    assert seen.note == "Чора-тадбир бекор қилинди"


def test_a_step_report_recorded_after_the_own_report_the_same_day_brings_the_steps_back(
    db, measure, make_user
):
    executor = make_user(Role.EXECUTOR, unit=measure.lead.unit)
    controller = make_user(Role.CONTROLLER)
    _report(measure, Status.CANCELLED, "Бекор қилинди", controller, 9)
    _report(measure.steps[0], Status.IN_PROGRESS, "Иш давом этмоқда", executor, 15)
    db.session.commit()

    assert measure.status == Status.IN_PROGRESS
    seen = _in_force(measure)
    assert seen.status == Status.IN_PROGRESS and seen.is_status_from_steps
