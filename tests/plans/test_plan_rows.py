"""The plan page keeps each row's HTML per content and reader (tracker/plans/rows.py, issue 17).

A kept row must never show what was true before a change: after each kind of change, the rows
drawn with the memo are the rows drawn afresh, and the change shows in them.
"""

from __future__ import annotations

from freezegun import freeze_time

from tests.conftest import soup_of
from tracker.core.drawn_rows import forget_rows, kept_rows
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.execution import services as execution
from tracker.plans.models import PlanState
from tracker.plans.responsibles import set_responsibles


def _rows(client, plan_id: int) -> str:
    response = client.get(f"/plans/{plan_id}")
    assert response.status_code == 200
    return str(soup_of(response).find("table", id="measures").tbody)


def _rows_after_change(client, plan_id: int, db) -> str:
    """The rows as the memo gives them, checked against rows drawn with an empty memo."""
    db.session.commit()
    with_memo = _rows(client, plan_id)
    forget_rows()
    assert _rows(client, plan_id) == with_memo
    return with_memo


def _plan(make_plan, make_unit):
    unit = make_unit("Стратегия бошқармаси")
    return make_plan(
        measures=[
            {
                "number": "1",
                "title": "Миллий маъруза",
                "deadline_text": "2024 йил июнь",
                "lead_unit_id": unit.id,
                "steps": [{"number": "1", "text": "Маълумот йиғиш", "deadline_text": "2024 йил май"}],
            },
            {"number": "2", "title": "Мониторинг", "deadline_text": "2024 йил март"},
        ]
    )


def test_rows_are_kept_and_every_change_a_row_shows_draws_it_again(
    client, db, make_plan, make_unit, make_user, login_as
):
    with freeze_time("2024-03-20 09:00:00") as clock:
        plan = _plan(make_plan, make_unit)
        measure, other = plan.measures
        reader = make_user(Role.VIEWER)
        db.session.commit()
        login_as(reader)
        forget_rows()
        first = _rows(client, plan.id)
        assert kept_rows() == 2
        assert _rows(client, plan.id) == first

        execution.submit_status_update(
            measure, status=Status.IN_PROGRESS, note="Маълумот йиғилмоқда", actor=None
        )
        assert "Маълумот йиғилмоқда" in _rows_after_change(client, plan.id, db)

        execution.submit_status_update(measure.steps[0], status=Status.DONE, note="Йиғилди", actor=None)
        rows = _rows_after_change(client, plan.id, db)
        assert rows.count("status-badge") > first.count("status-badge")

        set_responsibles(measure, lead_unit_id=None, co_unit_ids=[], other_responsible=["Ахборот хизмати"])
        assert "Ахборот хизмати" in _rows_after_change(client, plan.id, db)

        # No change in the data, only the days passing: measure 2's March deadline is now past.
        assert "text-bg-danger" not in _rows(client, plan.id)
        clock.move_to("2024-04-02 09:00:00")
        overdue = _rows_after_change(client, plan.id, db)
        assert overdue.count("text-bg-danger") == 1  # measure 2; measure 1 is done

        reader.reading_script = "latn"
        assert "Milliy maʼruza" in _rows_after_change(client, plan.id, db)
        reader.locale = "ru"
        assert "Просрочено" in _rows_after_change(client, plan.id, db)
        assert kept_rows() >= 2


def test_an_editors_rows_with_their_buttons_are_never_kept(client, db, make_plan, make_user, login_as):
    plan = make_plan(state=PlanState.DRAFT, measures=[{"number": "1", "title": "Тадбир"}])
    editor = make_user(Role.CONTROLLER)
    db.session.commit()
    login_as(editor)
    forget_rows()
    rows = _rows(client, plan.id)
    assert f"/measures/{plan.measures[0].id}/edit" in rows and "csrf_token" in rows
    assert kept_rows() == 0
