"""Standing obligations (seed 000): periods over a rolling horizon, period reports, reminders across a
year boundary and a missed quarter, the compliance view and the unit rating."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from tests.conftest import login, soup_of
from tracker.auth.models import User
from tracker.core.errors import InvalidInput
from tracker.core.permissions import Role
from tracker.core.time import TASHKENT
from tracker.dashboard.rating import unit_ratings
from tracker.obligations import services
from tracker.obligations.compliance import compliance_view
from tracker.obligations.jobs import extend_periods
from tracker.obligations.models import Compliance, ObligationPeriod
from tracker.plans import services as plans
from tracker.reminders import jobs
from tracker.reminders.models import Reminder


def at(day: str, hour: int = 0, minute: int = 5) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute), tzinfo=TASHKENT)


@pytest.fixture
def decree(db, organization, make_unit, make_user):
    """The openness duties of ПФ-6247 (16.06.2021) for one unit, approved."""
    unit = make_unit("Ахборот хизмати")
    executor = make_user(Role.EXECUTOR, unit=unit, email="executor@example.uz")
    controller = make_user(Role.CONTROLLER, email="controller@example.uz")
    plan = services.create_obligations_plan(
        organization, "Очиқлик бўйича доимий мажбуриятлар", basis="ПФ-6247-сон, 16.06.2021", actor=controller
    )
    quarterly = services.add_duty(
        plan,
        services.DutyData(
            number="1",
            title="Ижтимоий аҳамиятга молик очиқ маълумотларни янгилаш",
            deadline_text="2021 йил 1 июлдан ҳар чоракда",
            frequency=services.Frequency.QUARTERLY,
            starts_on=date(2021, 7, 1),
            lead_unit_id=unit.id,
            checklist=["Давлат харидлари", "Хизмат сафарлари", "Харажатлар сметаси"],
        ),
        actor=controller,
    )
    yearly = services.add_duty(
        plan,
        services.DutyData(
            number="2",
            title="Йиллик ҳисоботни веб-сайтга жойлаштириш",
            deadline_text="Ҳар йили 1 мартгача",
            frequency=services.Frequency.YEARLY,
            month=3,
            day=1,
            starts_on=date(2021, 6, 16),
            lead_unit_id=unit.id,
        ),
        actor=controller,
    )
    plans.record_document_approval(
        plan, actor=controller, position="Директор", name="А. Каримов", approval_date=date(2021, 6, 20)
    )
    db.session.commit()
    return plan, quarterly, yearly, unit, executor


def _period(measure, due: str) -> ObligationPeriod:
    return next(p for p in services.periods_of(measure) if p.due_on == date.fromisoformat(due))


def _report(period, executor, on: str, **evidence):
    evidence.setdefault("evidence_url", "https://example.uz/open-data")
    return services.report_period(
        period,
        services.PeriodReport(reported_on=date.fromisoformat(on), note="Жойлаштирилди", **evidence),
        actor=executor,
        today=date.fromisoformat(on),
    )


def _reminders(db, measure):
    return [
        (kind, offset, occurrence.isoformat())
        for kind, offset, occurrence in db.session.execute(
            select(Reminder.kind, Reminder.offset_days, Reminder.occurrence_on)
            .join(User, User.id == Reminder.recipient_id)
            .where(Reminder.measure_id == measure.id, User.email == "executor@example.uz")
            .order_by(Reminder.send_on, Reminder.offset_days)
        )
    ]


def test_periods_cover_this_year_and_next_and_roll_on(db, decree):
    plan, quarterly, yearly, _unit, _executor = decree
    assert services.ensure_periods(date(2024, 12, 20)) == 18 + 4  # Q3 2021 … Q4 2025; 2022 … 2025
    assert services.ensure_periods(date(2024, 12, 20)) == 0  # safe to run again
    dues = [p.due_on for p in services.periods_of(quarterly)]
    assert dues[0] == date(2021, 9, 30) and dues[-1] == date(2025, 12, 31)
    assert _period(quarterly, "2021-12-31").starts_on == date(2021, 10, 1)
    assert [p.due_on.isoformat() for p in services.periods_of(yearly)][:2] == ["2022-03-01", "2023-03-01"]
    # The new year moves the horizon: the job creates 2026's periods.
    assert extend_periods(at("2025-01-01", 0, 30)) == 4 + 1
    assert services.periods_of(yearly)[-1].due_on == date(2026, 3, 1)


def test_reminders_cross_the_year_and_follow_a_missed_quarter(db, decree):
    _plan, quarterly, yearly, unit, executor = decree
    services.ensure_periods(date(2024, 12, 1))
    _report(_period(quarterly, "2024-09-30"), executor, "2024-09-27")
    _report(_period(yearly, "2024-03-01"), executor, "2024-02-28")
    db.session.commit()

    jobs.sweep(at("2024-12-24"), deliver=False)  # 7 days before the quarter ends
    jobs.sweep(at("2024-12-31"), deliver=False)  # due day (Tuesday)
    jobs.sweep(at("2025-01-03"), deliver=False)  # the quarter was missed: overdue, across the year
    # (Older unreported quarters are reminded as overdue too; this test follows the last one.)
    assert [r for r in _reminders(db, quarterly) if r[2] == "2024-12-31"] == [
        ("before", -7, "2024-12-31"),
        ("due", 0, "2024-12-31"),
        ("overdue", 3, "2024-12-31"),
    ]
    # Reporting the missed quarter late settles it: no more overdue reminders for it.
    _report(_period(quarterly, "2024-12-31"), executor, "2025-01-06", letter_number="01-12/5")
    db.session.commit()
    jobs.sweep(at("2025-01-09"), deliver=False)
    jobs.sweep(at("2025-02-22"), deliver=False)
    last_quarter = [r for r in _reminders(db, quarterly) if r[2] == "2024-12-31"]
    assert last_quarter[-1] == ("overdue", 3, "2024-12-31")
    # The next year's yearly report (1 March 2025) is reminded a week before; the 2024 one was reported.
    assert ("before", -7, "2025-03-01") in _reminders(db, yearly)
    assert not [r for r in _reminders(db, yearly) if r[2] == "2024-03-01"]


def test_compliance_view_and_rating_count_each_period(app, client, db, decree, make_user):
    plan, quarterly, yearly, unit, executor = decree
    services.ensure_periods(date(2025, 1, 10))
    items = services.checklist_of(quarterly)
    _report(_period(quarterly, "2024-03-31"), executor, "2024-03-29", checked_item_ids=[i.id for i in items])
    _report(_period(quarterly, "2024-06-30"), executor, "2024-07-10", checked_item_ids=[items[0].id])
    # Q3 2024 missing, Q4 2024 missing; the yearly report of 2024 on time.
    _report(_period(yearly, "2024-03-01"), executor, "2024-02-20")
    db.session.commit()

    view = compliance_view(plan, date(2025, 1, 10))
    assert view.years == [2021, 2022, 2023, 2024, 2025]
    row = next(r for r in view.rows if r.measure.id == quarterly.id)
    assert [(c.period.due_on.isoformat(), c.state) for c in row.years[2024]] == [
        ("2024-03-31", Compliance.ON_TIME),
        ("2024-06-30", Compliance.LATE),
        ("2024-09-30", Compliance.MISSING),
        ("2024-12-31", Compliance.MISSING),
    ]
    assert [c.state for c in row.years[2025]] == [Compliance.OPEN] * 4
    assert _period(quarterly, "2024-06-30").checked_item_ids == [items[0].id]

    controller = make_user(Role.CONTROLLER)
    rating = next(
        r
        for r in unit_ratings(controller, date(2024, 1, 1), date(2024, 12, 31), date(2025, 1, 10))
        if r.unit_id == unit.id
    )
    # 4 quarters + 1 year assessed: 2 on time, 2 overdue (10 + 102 days), 1 late by 10 days.
    assert (rating.assessed, rating.on_time, rating.overdue, rating.active) == (5, 2, 2, 2)
    assert rating.delay_days == 10 + (date(2025, 1, 10) - date(2024, 9, 30)).days + 10

    login(client, controller)
    page = soup_of(client.get(f"/plans/{plan.id}/compliance"))
    cells = page.select(f"tr#d{quarterly.id} .period-cell")
    states = {c["data-due"]: c["data-state"] for c in cells}
    assert states["2024-06-30"] == "late" and states["2024-09-30"] == "missing"
    report_page = soup_of(client.get(f"/obligations/periods/{_period(quarterly, '2024-03-31').id}/report"))
    assert report_page.select_one(".checked-count").get_text() == "3"


def test_a_report_needs_evidence_and_an_unreported_period(db, decree):
    _plan, quarterly, _yearly, _unit, executor = decree
    services.ensure_periods(date(2024, 12, 1))
    period = _period(quarterly, "2024-03-31")
    with pytest.raises(InvalidInput, match="evidence"):
        _report(period, executor, "2024-03-20", evidence_url=None)
    _report(period, executor, "2024-03-20")
    with pytest.raises(InvalidInput, match="already"):
        _report(period, executor, "2024-03-21")


def test_demo_holds_the_decree_duties_with_years_of_reports(app, db, client, make_user):
    from tracker.demo.loader import load_demo
    from tracker.obligations.demo import TITLE
    from tracker.plans.models import Plan, PlanKind, PlanState

    load_demo()
    db.session.commit()
    plan = db.session.scalar(select(Plan).where(Plan.kind == PlanKind.OBLIGATIONS))
    assert plan.title == TITLE and plan.state == PlanState.APPROVED and "ПФ-6247" in plan.basis
    assert [m.deadline_text for m in plan.measures][:3] == [
        "Ҳар йили 1 мартгача",
        "Ҳар йили 10 мартгача",
        "Ҳар йили 1 апрелгача",
    ]
    assert len(services.checklist_of(plan.measures[4])) == 33
    view = compliance_view(plan, date.today())
    assert view.years[0] == 2021
    assert view.total(Compliance.ON_TIME) > 20 and view.total(Compliance.LATE) > 0
    assert view.total(Compliance.MISSING) > 0
    assert load_demo()["plans"] == 0  # idempotent
    controller = db.session.scalar(select(User).where(User.email == "controller@demo.uz"))
    login(client, controller, "demo-controller")
    page = soup_of(client.get(f"/plans/{plan.id}/compliance"))
    assert len(page.select("tr.duty-row")) == 5
    assert page.select('.period-cell[data-state="late"]')


def test_a_period_reported_on_the_measure_page_counts_too(db, decree):
    from tracker.core.status import Status
    from tracker.execution import services as execution

    plan, quarterly, _yearly, _unit, executor = decree
    services.ensure_periods(date(2024, 12, 1))
    with freeze_time("2024-07-03 09:00:00"):  # the unit reports on the day it reports
        execution.submit_status_update(
            quarterly,
            status=Status.IN_PROGRESS,
            note="II чорак",
            actor=executor,
            effective_on=date(2024, 7, 3),
            period_due_on=date(2024, 6, 30),
        )
    row = compliance_view(plan, date(2024, 12, 1)).rows[0]
    cell = next(c for c in row.years[2024] if c.period.due_on == date(2024, 6, 30))
    assert (cell.state, cell.reported_on) == (Compliance.LATE, date(2024, 7, 3))


@pytest.mark.parametrize(
    ("frequency", "month", "day", "rule"),
    [
        (services.Frequency.YEARLY, 3, 1, "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"),
        (services.Frequency.QUARTERLY, None, None, "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"),
        (services.Frequency.MONTHLY, None, 5, "FREQ=MONTHLY;BYMONTHDAY=5"),
    ],
)
def test_recurrence_rules(frequency, month, day, rule):
    assert services.recurrence_rule(frequency, month=month, day=day) == rule


def test_a_monthly_duty_owes_a_report_each_month(db, decree):
    plan, _q, _y, unit, _executor = decree
    plan.state = "draft"  # a revision adds the duty
    monthly = services.add_duty(
        plan,
        services.DutyData(
            number="3",
            title="Мурожаатлар статистикасини эълон қилиш",
            deadline_text="Ҳар ойнинг 5-санасигача",
            frequency=services.Frequency.MONTHLY,
            day=5,
            starts_on=date(2024, 11, 1),
            lead_unit_id=unit.id,
        ),
        actor=None,
    )
    services.ensure_periods(date(2024, 11, 20))
    dues = [p.due_on for p in services.periods_of(monthly)]
    assert dues[:3] == [date(2024, 11, 5), date(2024, 12, 5), date(2025, 1, 5)] and len(dues) == 14
    with pytest.raises(InvalidInput, match="day of the month"):
        services.recurrence_rule(services.Frequency.MONTHLY)


def test_a_controller_adds_a_duty_from_the_plan_page(client, db, organization, make_unit, make_user):
    unit = make_unit("Матбуот хизмати")
    controller = make_user(Role.CONTROLLER)
    plan = services.create_obligations_plan(organization, "Доимий мажбуриятлар", basis=None, actor=controller)
    db.session.commit()
    login(client, controller)
    page = soup_of(client.get(f"/plans/{plan.id}"))
    assert page.select_one(f'a[href="/plans/{plan.id}/duties/new"]') is not None
    from tests.conftest import post_form

    response = post_form(
        client,
        f"/plans/{plan.id}/duties/new",
        {
            "number": "1",
            "title": "Матбуот анжуманини ўтказиш",
            "deadline_text": "Ҳар йили 1 апрелгача",
            "frequency": "yearly",
            "month": "4",
            "day": "1",
            "starts_on": "16.06.2021",
            "lead_unit": str(unit.id),
            "checklist": "Эълон\nВидеоёзув\n",
        },
    )
    assert response.status_code == 302
    duty = plan.measures[0]
    assert (duty.deadline_recurrence, duty.lead.unit_id) == ("FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=1", unit.id)
    assert [i.label for i in services.checklist_of(duty)] == ["Эълон", "Видеоёзув"]
    assert services.periods_of(duty)[0].due_on == date(2022, 4, 1)
    refused = post_form(
        client,
        f"/plans/{plan.id}/duties/new",
        {
            "number": "2",
            "title": "X",
            "deadline_text": "Ҳар йили",
            "frequency": "yearly",
            "starts_on": "01.01.2024",
        },
    )
    assert refused.status_code == 400 and len(plan.measures) == 1  # the form again, refused (the edge)
