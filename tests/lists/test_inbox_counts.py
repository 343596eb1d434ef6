"""A unit's inbox ("due soon", "overdue"): the first rows of measures and of steps, earliest first,
with the count of all of them, each read with its count in one statement (issue 17)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.query_count import counting_statements
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.inbox import queries

TODAY = date(2024, 5, 20)


def test_due_soon_and_overdue_count_everything_and_list_the_earliest(
    db, make_plan, make_unit, make_user, monkeypatch
):
    monkeypatch.setattr(queries, "LIST_LIMIT", 3)
    unit, other = make_unit("Tahlil boʻlimi"), make_unit("Moliya boʻlimi")

    def day(offset: int) -> str:
        return (TODAY + timedelta(days=offset)).strftime("%d.%m.%Y")

    measures = [
        # overdue: five measures of the unit (one done: not listed), one of another unit
        *({"number": str(n), "title": f"Kechikkan {n}", "deadline_text": day(-n), "lead_unit_id": unit.id}
          for n in range(1, 7)),
        {"number": "7", "title": "Boshqa boʻlim", "deadline_text": day(-3), "lead_unit_id": other.id},
        # due within the week: two measures and, under a later measure, four steps
        {"number": "8", "title": "Yaqin 1", "deadline_text": day(3), "lead_unit_id": unit.id},
        {"number": "9", "title": "Yaqin 2", "deadline_text": day(5), "lead_unit_id": unit.id},
        {"number": "10", "title": "Bosqichli", "deadline_text": day(60), "lead_unit_id": unit.id,
         "steps": [{"number": str(s), "text": f"Bosqich {s}", "deadline_text": day(d)}
                   for s, d in ((1, 1), (2, 2), (3, 4), (4, 6))]},
    ]  # fmt: skip
    plan = make_plan(measures=measures)
    done = next(m for m in plan.measures if m.number == "6")
    done.status = Status.DONE.value
    db.session.flush()
    executor = make_user(Role.EXECUTOR, unit=unit)

    with counting_statements(db.engine) as statements:
        soon = queries.due_soon(executor, TODAY)
        overdue = queries.overdue_for_unit(executor, TODAY)
    assert len(statements) == 4  # measures and steps, each with its count, for each list

    assert soon.count == 2 + 4
    assert [(getattr(i, "title", None) or i.text) for i in soon.rows] == ["Bosqich 1", "Bosqich 2", "Yaqin 1"]
    assert overdue.count == 5
    assert [i.title for i in overdue.rows] == ["Kechikkan 5", "Kechikkan 4", "Kechikkan 3"]
