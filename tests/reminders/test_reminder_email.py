"""Digests over a real SMTP server on loopback: grouped, translated, never empty, delivered once."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from tests.conftest import reload
from tests.reminders.conftest import at
from tracker.reminders import jobs
from tracker.reminders.models import DeliveryAttempt, EmailState, OutboundEmail, Reminder


def _plan(make_plan, people):
    return make_plan(
        measures=[
            {
                "number": "1",
                "title": "Миллий маъруза",
                "deadline_text": "15.03.2024",
                "lead_unit_id": people.lead.id,
            },
            {
                "number": "3",
                "title": "Очиқ маълумотлар",
                "deadline_text": "18.03.2024",
                "lead_unit_id": people.lead.id,
                "co_unit_ids": [people.co.id],
            },
        ]
    )


def _parts(message):
    text = message.get_body(("plain",)) if hasattr(message, "get_body") else None
    plain = html = None
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            plain = part.get_payload(decode=True).decode()
        elif part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode()
    return plain or text, html


def test_digest_groups_items_per_recipient_in_their_language(app, db, make_plan, people, smtp):
    plan = _plan(make_plan, people)
    db.session.commit()
    # 15.03: measure 1 is due today, measure 3 is three days ahead.
    jobs.sweep(at("2024-03-15", 0, 5))
    result = jobs.daily_digest(at("2024-03-15", 9))
    assert result.queued == 3 and result.sent == 3

    executor_mail = smtp.inbox.to("executor@example.uz")
    assert len(executor_mail) == 1, "one e-mail with both items, not one per item"
    plain, html = _parts(executor_mail[0])
    assert "№1." in plain and "№3." in plain
    assert f"http://127.0.0.1:5000/measures/{plan.measures[0].id}" in plain
    assert f'href="http://127.0.0.1:5000/measures/{plan.measures[1].id}"' in html
    assert executor_mail[0].get_content_type() == "multipart/alternative"

    # The co-executor unit's executor is only responsible for measure 3.
    plain_co, _html = _parts(smtp.inbox.to("co@example.uz")[0])
    assert "№3." in plain_co and "№1." not in plain_co
    # Every reminder is now carried by exactly one e-mail.
    assert (
        db.session.scalar(
            select(func.count(Reminder.id)).where(Reminder.email_id.is_(None), Reminder.event_id.is_(None))
        )
        == 0
    )


def test_each_message_is_rendered_in_its_recipients_language_and_script(app, db, make_plan, people, smtp):
    people.controller.locale = "uz_Latn"
    _plan(make_plan, people)
    db.session.commit()
    jobs.sweep(at("2024-03-15", 0, 5))
    jobs.daily_digest(at("2024-03-15", 9))
    # Dates follow the recipient's language: official Uzbek forms in either script, Babel's otherwise.
    assert "2024 йил 15 март" in _parts(smtp.inbox.to("executor@example.uz")[0])[0]  # uz_Cyrl
    assert "15 марта 2024" in _parts(smtp.inbox.to("head@example.uz")[0])[0]  # ru
    assert "March 18, 2024" in _parts(smtp.inbox.to("co@example.uz")[0])[0]  # en
    assert '<html lang="uz-Cyrl">' in _parts(smtp.inbox.to("executor@example.uz")[0])[1]


def test_digest_is_never_sent_empty_nor_twice_the_same_day(app, db, make_plan, people, smtp):
    _plan(make_plan, people)
    db.session.commit()
    # Nothing is due on 01.03: no e-mail at all.
    assert jobs.daily_digest(at("2024-03-01", 9)).queued == 0
    assert smtp.inbox.messages == []
    jobs.daily_digest(at("2024-03-15", 9))
    count = len(smtp.inbox.messages)
    again = jobs.daily_digest(at("2024-03-15", 9, 30))
    assert again.queued == 0 and len(smtp.inbox.messages) == count


def test_users_who_switched_email_off_still_get_in_app_notifications(app, db, make_plan, people, smtp):
    people.executor.wants_email = False
    _plan(make_plan, people)
    db.session.commit()
    jobs.daily_digest(at("2024-03-15", 9))
    assert smtp.inbox.to("executor@example.uz") == []
    assert (
        db.session.scalar(
            select(func.count(Reminder.id)).where(
                Reminder.recipient_id == people.executor.id, Reminder.event_id.is_(None)
            )
        )
        == 2
    )


def test_smtp_down_then_up_delivers_every_message_once(app, db, make_plan, people, smtp_port):
    from tests.reminders.conftest import SmtpServer

    _plan(make_plan, people)
    db.session.commit()
    now = at("2024-03-15", 9)
    result = jobs.daily_digest(now)  # nothing listens on the port
    assert result.queued == 3 and result.sent == 0 and result.failed == 3
    emails = db.session.scalars(select(OutboundEmail)).all()
    assert {e.state for e in emails} == {EmailState.RETRYING}
    assert all(e.next_attempt_at == now + timedelta(minutes=1) for e in emails)

    # Still down a minute later: the second failure waits twice as long.
    assert jobs.deliver_outbox(now + timedelta(minutes=1)).failed == 3
    assert all(reload(e).next_attempt_at == now + timedelta(minutes=3) for e in emails)

    server = SmtpServer(smtp_port)
    server.start()
    try:
        # Up again, but the backoff has not run out: nothing is sent early.
        assert jobs.deliver_outbox(now + timedelta(minutes=2)).sent == 0
        assert jobs.deliver_outbox(now + timedelta(minutes=3)).sent == 3
        assert jobs.deliver_outbox(now + timedelta(minutes=30)).sent == 0
        jobs.sweep(now + timedelta(hours=1))
    finally:
        server.stop()
    assert sorted(m["To"].split("<")[-1].rstrip(">") for m in server.inbox.messages) == [
        "co@example.uz",
        "executor@example.uz",
        "head@example.uz",
    ]
    assert {reload(e).state for e in emails} == {EmailState.SENT}
    attempts = db.session.execute(
        select(DeliveryAttempt.is_success, func.count()).group_by(DeliveryAttempt.is_success)
    ).all()
    assert dict(attempts) == {False: 6, True: 3}


def test_a_crashed_delivery_run_is_taken_over_when_its_lease_expires(app, db, make_plan, people, smtp):
    from tracker.reminders import digests, outbox

    _plan(make_plan, people)
    db.session.commit()
    now = at("2024-03-15", 9)
    jobs.sweep(now, deliver=False)
    for user_id, ids in digests.pending_digests(now).items():
        digests.queue_digest(db.session.get(type(people.executor), user_id), ids, now)
    db.session.commit()
    leased = outbox.claim_deliveries(now)  # a run claims the messages and dies before sending
    db.session.commit()
    assert len(leased) == 3
    assert jobs.deliver_outbox(now + timedelta(minutes=1)).sent == 0, "the lease still holds"
    assert jobs.deliver_outbox(now + outbox.LEASE + timedelta(seconds=1)).sent == 3
    assert len(smtp.inbox.messages) == 3


def test_weekly_summary_for_directors(app, db, make_plan, people, smtp):
    _plan(make_plan, people)
    db.session.commit()
    monday = at("2024-03-25", 9)
    assert monday.date() == date(2024, 3, 25) and monday.weekday() == 0
    result = jobs.weekly_summary(monday)
    director_mail = smtp.inbox.to("director@example.uz")
    assert len(director_mail) == 1
    plain, _html = _parts(director_mail[0])
    assert "№1." in plain and "№3." in plain and people.lead.name in plain
    assert result.queued >= 1
    assert jobs.weekly_summary(monday + timedelta(hours=2)).queued == 0, "one summary per week"
    # A week with nothing overdue sends nothing.
    assert jobs.weekly_summary(at("2024-03-04", 9)).queued == 0
