"""Notifications page, the header counter, the measure panel, period reports and the admin pages."""

from __future__ import annotations

from datetime import date

from freezegun import freeze_time
from sqlalchemy import delete, event, select

from tests.conftest import flashes, login, post_form, reload, soup_of
from tests.reminders.conftest import at
from tracker.execution.models import StatusUpdate
from tracker.extensions import db as _db
from tracker.notifications.models import WorkflowEvent
from tracker.reminders import jobs
from tracker.reminders.models import EmailState, Holiday, OutboundEmail, Reminder, ReminderPolicy


def _plan(make_plan, people, deadline="15.03.2024"):
    """The plan, without the "measure assigned" notifications of its approval (these tests are
    about reminders)."""
    plan = _make(make_plan, people, deadline)
    _db.session.execute(delete(WorkflowEvent))
    return plan


def _make(make_plan, people, deadline):
    return make_plan(
        measures=[
            {
                "number": "1",
                "title": "Миллий маъруза",
                "deadline_text": deadline,
                "lead_unit_id": people.lead.id,
                "added_on": date(2024, 1, 4),
            }
        ]
    )


def test_bell_counts_unread_with_one_query_and_the_list_links_to_the_measure(client, db, make_plan, people):
    plan = _plan(make_plan, people)
    db.session.commit()
    jobs.sweep(at("2024-03-08", 0, 5), deliver=False)
    jobs.sweep(at("2024-03-12", 0, 5), deliver=False)
    login(client, people.executor)

    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        page = soup_of(client.get("/plans"))
    finally:
        event.remove(_db.engine, "before_cursor_execute", count)
    assert page.select_one("#notifications-bell [data-unread]")["data-unread"] == "2"
    assert len([s for s in statements if "FROM notifications" in s]) == 1

    listing = soup_of(client.get("/notifications"))
    items = listing.select("#notifications [data-notification]")
    assert len(items) == 2 and all(i["data-unread"] == "yes" for i in items)
    form = items[0].select_one("form")
    response = post_form(client, form["action"])
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/measures/{plan.measures[0].id}")
    assert soup_of(client.get("/plans")).select_one("#notifications-bell [data-unread]")["data-unread"] == "1"

    post_form(client, "/notifications/read-all")
    assert soup_of(client.get("/plans")).select_one("#notifications-bell [data-unread]") is None


def test_nobody_opens_someone_elses_notification(client, db, make_plan, people):
    _plan(make_plan, people)
    db.session.commit()
    jobs.sweep(at("2024-03-08", 0, 5), deliver=False)
    theirs = db.session.scalar(select(Reminder).where(Reminder.recipient_id == people.executor.id))
    login(client, people.co_executor)
    assert post_form(client, f"/notifications/{theirs.id}/open").status_code == 403
    assert reload(theirs).read_at is None


@freeze_time("2024-07-05 10:00:00")
def test_measure_panel_shows_compliance_period_by_period_and_reports_for_a_period(
    client, db, make_plan, people
):
    plan = _plan(make_plan, people, deadline="Ҳар чоракда")
    measure = plan.measures[0]
    db.session.commit()
    login(client, people.executor)
    page = soup_of(client.get(f"/measures/{measure.id}"))
    states = {row["data-period"]: row["data-state"] for row in page.select("#reminder-periods [data-period]")}
    assert states == {
        "2024-03-31": "missing",
        "2024-06-30": "missing",
        "2024-09-30": "upcoming",
        "2024-12-31": "upcoming",
    }
    link = page.select_one('#reminder-periods [data-period="2024-06-30"] a')["href"]
    form_page = soup_of(client.get(link))
    assert form_page.select_one("select[name=period_due_on] option[selected]")["value"] == "2024-06-30"

    response = post_form(
        client, link, {"status": "in_progress", "note": "II чорак ҳисоботи", "period_due_on": "2024-06-30"}
    )
    assert response.status_code == 302, flashes(response)
    update = db.session.scalar(select(StatusUpdate).where(StatusUpdate.measure_id == measure.id))
    assert update.period_due_on == date(2024, 6, 30)
    page = soup_of(client.get(f"/measures/{measure.id}"))
    assert page.select_one('#reminder-periods [data-period="2024-06-30"]')["data-state"] == "late"

    # A date that is not one of the measure's periods is refused.
    response = post_form(client, link, {"status": "in_progress", "note": "x", "period_due_on": "2024-05-01"})
    assert response.status_code == 200
    assert (
        db.session.scalar(select(StatusUpdate.id).where(StatusUpdate.period_due_on == date(2024, 5, 1)))
        is None
    )


def test_the_ordinary_status_form_is_unchanged_for_one_off_measures(client, db, make_plan, people):
    plan = _plan(make_plan, people)
    db.session.commit()
    login(client, people.executor)
    page = soup_of(client.get(f"/measures/{plan.measures[0].id}/status"))
    assert page.select_one("select[name=period_due_on]") is None
    assert client.get(f"/measures/{plan.measures[0].id}/period-report").status_code == 404


def test_admin_edits_the_policy_and_holidays(client, db, people, organization):
    login(client, people.admin)
    page = soup_of(client.get("/admin/reminders/policy"))
    assert page.select_one("input[name=days_before]")["value"] == "7, 3, 1"
    response = post_form(
        client,
        "/admin/reminders/policy",
        {
            "days_before": "10, 5,1",
            "remind_on_due_day": "y",
            "overdue_every_days": "2",
            "escalate_head_after_days": "2",
            "escalate_director_after_days": "10",
            "continuous_period": "monthly",
        },
    )
    assert response.status_code == 302
    policy = db.session.scalar(
        select(ReminderPolicy).where(ReminderPolicy.organization_id == organization.id)
    )
    assert (policy.days_before, policy.overdue_every_days, policy.continuous_period) == (
        "10,5,1",
        2,
        "monthly",
    )

    bad = post_form(
        client,
        "/admin/reminders/policy",
        {
            "days_before": "soon",
            "overdue_every_days": "2",
            "escalate_head_after_days": "0",
            "escalate_director_after_days": "0",
            "continuous_period": "monthly",
        },
    )
    assert bad.status_code == 400 and flashes(bad)

    response = post_form(client, "/admin/reminders/holidays", {"day": "21.03.2024", "name": "Наврўз"})
    assert response.status_code == 302
    holiday = db.session.scalar(select(Holiday))
    assert holiday.day == date(2024, 3, 21)
    assert (
        post_form(client, "/admin/reminders/holidays", {"day": "2024-03-21", "name": "Again"}).status_code
        == 400  # the same day twice is refused
    )
    post_form(client, f"/admin/reminders/holidays/{holiday.id}/delete")
    assert db.session.scalar(select(Holiday)) is None


def test_admin_sees_each_message_and_its_attempts_and_can_send_again(
    client, db, app, make_plan, people, smtp_port
):
    _plan(make_plan, people)
    db.session.commit()
    jobs.daily_digest(at("2024-03-15", 9))  # SMTP is down: retrying
    login(client, people.admin)
    page = soup_of(client.get("/admin/reminders/deliveries"))
    rows = page.select("#emails [data-email]")
    assert len(rows) == 2 and {r["data-state"] for r in rows} == {"retrying"}
    assert "ConnectionRefusedError" in rows[0].get_text()
    assert len(page.select("#reminders [data-reminder]")) == 2
    filtered = soup_of(client.get("/admin/reminders/deliveries?state=sent"))
    assert filtered.select("#emails [data-email]") == []

    email = db.session.scalar(select(OutboundEmail))
    post_form(client, f"/admin/reminders/emails/{email.id}/retry")
    assert reload(email).state == EmailState.QUEUED


def test_only_admins_reach_the_admin_pages(client, db, people):
    login(client, people.controller)
    for url in ("/admin/reminders/policy", "/admin/reminders/holidays", "/admin/reminders/deliveries"):
        assert client.get(url).status_code == 403
    assert client.get("/notifications").status_code == 200
