"""The unit rating: the four criteria from the status history, the score and the ranking."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import login, soup_of
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.dashboard.rating import unit_ratings
from tracker.execution import services as execution


def test_ratings_from_the_history(db, make_plan, make_unit, make_user):
    prompt, late = make_unit("Тезкор бўлим"), make_unit("Кечикувчи бўлим")
    make_unit("Бўш бўлим")  # nothing to assess
    controller = make_user(Role.CONTROLLER)
    due = date(2024, 3, 31)
    plan = make_plan(
        measures=[
            {"number": "1", "title": "A", "deadline_text": None, "due_on": due, "lead_unit_id": prompt.id},
            {"number": "2", "title": "B", "deadline_text": None, "due_on": due, "lead_unit_id": prompt.id},
            {"number": "3", "title": "C", "deadline_text": None, "due_on": due, "lead_unit_id": late.id},
            {"number": "4", "title": "D", "deadline_text": None, "due_on": due, "lead_unit_id": late.id},
            # outside the period, and a far deadline: not assessed
            {
                "number": "5",
                "title": "E",
                "deadline_text": None,
                "due_on": date(2023, 1, 1),
                "lead_unit_id": late.id,
            },
            {
                "number": "6",
                "title": "F",
                "deadline_text": None,
                "due_on": date(2024, 12, 31),
                "lead_unit_id": late.id,
            },
        ]
    )
    m = {x.number: x for x in plan.measures}
    # prompt: 1 claimed before the deadline and accepted later (counts as on time), 2 done on time
    claim = execution.submit_status_update(
        m["1"], status=Status.DONE_CLAIMED, note="ok", actor=None, effective_on=date(2024, 3, 20)
    )
    execution.accept_claim(claim, actor=controller)
    execution.submit_status_update(
        m["2"], status=Status.DONE, note="ok", actor=None, effective_on=date(2024, 3, 31)
    )
    # late: 3 done 10 days late, 4 still open (in progress, reported after the deadline)
    execution.submit_status_update(
        m["3"], status=Status.DONE, note="ok", actor=None, effective_on=date(2024, 4, 10)
    )
    execution.submit_status_update(
        m["4"], status=Status.IN_PROGRESS, note="…", actor=None, effective_on=date(2024, 4, 2)
    )
    db.session.flush()

    today = date(2024, 4, 30)
    ratings = {r.name: r for r in unit_ratings(controller, date(2024, 1, 1), date(2024, 6, 30), today)}
    good, bad, none = ratings["Тезкор бўлим"], ratings["Кечикувчи бўлим"], ratings["Бўш бўлим"]
    assert (good.assessed, good.on_time, good.overdue, good.active, good.delay_days) == (2, 2, 0, 2, 0)
    assert good.score == 100.0 and good.rank == 1
    # 3: 10 days late; 4: open, 30 days past the deadline on 30 April
    assert (bad.assessed, bad.on_time, bad.overdue, bad.active, bad.delay_days) == (2, 0, 1, 0, 40)
    assert bad.average_delay == 20
    expected = round(40 * 0 + 30 * (1 - 0.5) + 20 * 0 + 10 * (1 - 20 / 30), 1)
    assert bad.score == expected and bad.rank == 2
    assert none.assessed == 0 and none.score is None and none.rank is None
    assert [r.name for r in unit_ratings(controller, date(2024, 1, 1), date(2024, 6, 30), today)][
        -1
    ] == "Бўш бўлим"


def test_rating_page_shows_the_table_chart_and_formula(client, db, make_plan, make_unit, make_user):
    unit = make_unit("Бўлим")
    make_plan(
        measures=[
            {
                "number": "1",
                "title": "A",
                "deadline_text": None,
                "due_on": date.today() - timedelta(5),
                "lead_unit_id": unit.id,
            }
        ]
    )
    db.session.commit()
    login(client, make_user(Role.VIEWER))
    page = soup_of(client.get("/rating", query_string={"from": "2000-01-01"}))
    row = page.select_one(f'#rating tr[data-unit="{unit.id}"]')
    assert row["data-rank"] == "1"
    assert page.select_one(".chart svg") is not None
    assert page.select_one("#formula") is not None and "40" in page.get_text()
