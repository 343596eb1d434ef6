"""The read model of a measure's history reads what was recorded and when, never who recorded it.

Status updates and dated changes name their author (and a review its reviewer), and by default
the ORM joins each of them with their organization and unit, then reads their roles in a
statement of its own. Every status report, plan page, inbox and API read of the history paid for
that and used none of it.
"""

from __future__ import annotations

from typing import Any

from tests.query_count import counting_statements
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.core.time import today
from tracker.execution import services as execution
from tracker.plans import extensions
from tracker.plans.snapshot import snapshot_of
from tracker.plans.snapshot_lists import measures_in_force


def _people_tables(statements: list[str]) -> list[str]:
    return [s for s in statements if " users" in s or "user_roles" in s]


def test_the_history_is_read_without_its_authors(db: Any, make_plan, make_unit, make_user) -> None:
    unit = make_unit("Стратегия бошқармаси")
    report = {"number": "1", "title": "Миллий маъруза", "deadline_text": "2030 йил март"}
    plan = make_plan(measures=[{**report, "lead_unit_id": unit.id}])
    measure = plan.measures[0]
    executor = make_user(Role.EXECUTOR, unit=unit)
    controller = make_user(Role.CONTROLLER)
    extensions.record_extension(
        measure,
        extensions.ExtensionData(deadline_text="2030 йил апрель", reason="Маълумот кечикди"),
        actor=controller,
    )
    claim = execution.submit_status_update(
        measure, status=Status.DONE_CLAIMED, note="Маъруза топширилди", actor=executor
    )
    execution.accept_claim(claim, actor=controller)
    db.session.commit()
    db.session.expire_all()  # nothing from the writes above is at hand: everything is read afresh

    with counting_statements(db.engine) as statements:
        seen = snapshot_of(plan, today()).measures[0]
    assert (seen.status, seen.note) == (Status.DONE, "Маъруза топширилди")
    assert seen.deadline.text == "2030 йил апрель"
    assert statements and not _people_tables(statements)

    db.session.expire_all()
    with counting_statements(db.engine) as statements:
        _title, listed = measures_in_force([measure.id], today())[measure.id]
    assert (listed.status, listed.deadline.text) == (Status.DONE, "2030 йил апрель")
    assert statements and not _people_tables(statements)
