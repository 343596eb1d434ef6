"""As of a date: statuses change over several dates; each report shows what was in effect then."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from freezegun import freeze_time

from tests.reports.conftest import row_numbers
from tracker.auth.models import User
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.execution import services as execution
from tracker.plans import services as plan_services
from tracker.reports import services
from tracker.reports.data import ReportOptions, status_report
from tracker.reports.models import ReportKind

#: The day the test plans came into force.
IN_FORCE = date(2024, 1, 4)


def _status_at(plan: Any, as_of: date, **options: Any) -> dict[str, tuple[str, str]]:
    data = status_report(plan, ReportOptions(as_of=as_of, **options))
    return {row["number"]: (row["status_word"], row["note"]) for row in data["rows"]}


def test_each_date_shows_the_status_then(db, make_plan, make_user, read_pdf):
    plan = make_plan(
        measures=[
            {
                "number": "1",
                "title": "Миллий маъруза",
                "deadline_text": "2024 йил март",
                "added_on": IN_FORCE,
            },
            {"number": "2", "title": "Мониторинг", "deadline_text": "2024 йил июнь", "added_on": IN_FORCE},
        ]
    )
    first, second = plan.measures
    controller: User = make_user(Role.CONTROLLER)
    with freeze_time(datetime(2024, 2, 1, 9)):
        execution.submit_status_update(first, status=Status.IN_PROGRESS, note="Иш бошланди", actor=controller)
    with freeze_time(datetime(2024, 3, 10, 9)):
        claim = execution.submit_status_update(
            first, status=Status.DONE_CLAIMED, note="Маъруза тайёр", actor=controller
        )
    with freeze_time(datetime(2024, 3, 15, 9)):
        execution.accept_claim(claim, actor=controller)
    with freeze_time(datetime(2024, 4, 2, 9)):
        execution.submit_status_update(
            second, status=Status.IN_PROGRESS, note="Маълумот йиғилмоқда", actor=controller
        )
    with freeze_time(datetime(2024, 5, 20, 9)):
        # a later addition to the plan: a revision, approved on 20 May
        director = make_user(Role.DIRECTOR)
        plan_services.revise_plan(plan, actor=controller)
        plan_services.add_measure(
            plan,
            plan_services.MeasureData(number="3", title="Қўшимча тадбир", deadline_text="2024 йил июнь"),
            actor=None,
        )
        plan_services.submit_plan(plan, actor=controller)
        plan_services.approve_plan(
            plan,
            actor=director,
            position="Агентлик директори",
            name="А. Бурханов",
            approval_date=date(2024, 5, 20),
        )
    db.session.commit()

    assert _status_at(plan, date(2024, 1, 31)) == {"1": ("Бошланмаган", ""), "2": ("Бошланмаган", "")}
    assert _status_at(plan, date(2024, 2, 1))["1"] == ("Бажарилмоқда", "Иш бошланди")
    # claimed on 10 March: not done until accepted, unless pending claims are asked for
    assert _status_at(plan, date(2024, 3, 12))["1"] == ("Бажарилмоқда", "Иш бошланди")
    assert _status_at(plan, date(2024, 3, 12), include_pending=True)["1"] == ("Текширувда", "Маъруза тайёр")
    assert _status_at(plan, date(2024, 3, 15))["1"] == ("Бажарилди", "Маъруза тайёр")
    assert _status_at(plan, date(2024, 4, 2)) == {
        "1": ("Бажарилди", "Маъруза тайёр"),
        "2": ("Бажарилмоқда", "Маълумот йиғилмоқда"),
    }
    assert list(_status_at(plan, date(2024, 5, 19))) == ["1", "2"]
    assert list(_status_at(plan, date(2024, 5, 20))) == ["1", "2", "3"]

    # and the PDF says so, with the date in its heading
    for as_of, expected_word, heading in (
        (date(2024, 2, 1), "Бажарилмоқда", "(2024 йил 1 февраль ҳолатига)"),
        (date(2024, 3, 15), "Бажарилди", "(2024 йил 15 март ҳолатига)"),
    ):
        request = services.ReportRequest(
            ReportKind.STATUS, plan.organization_id, plan.id, ReportOptions(as_of=as_of)
        )
        text = read_pdf(services.build_report(request).path.read_bytes(), layout=True)
        assert heading in " ".join(text.split())
        assert expected_word in text
        assert row_numbers(text) == ["1", "2"]


def test_overdue_is_judged_on_the_report_date(db, make_plan):
    plan = make_plan(
        measures=[{"number": "1", "title": "Маъруза", "deadline_text": "2024 йил март", "added_on": IN_FORCE}]
    )
    before = status_report(plan, ReportOptions(as_of=date(2024, 3, 31)))["rows"][0]
    after = status_report(plan, ReportOptions(as_of=date(2024, 4, 1)))["rows"][0]
    assert before["overdue"] is False and after["overdue"] is True
