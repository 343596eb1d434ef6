"""Deadline extensions hand over like the rest: a department asks, whoever decides hears of it; the
decision reaches the one who asked and the unit's head — in the app at once, by e-mail as each
chose (a real SMTP server, no scheduler process), exactly once, in their language and script.
"""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import post_form
from tests.notifications.conftest import TITLE, inbox_of, mail_to, text_of
from tests.notifications.test_handovers import _assert_exactly_once, subject
from tracker.core.time import utcnow
from tracker.notifications.models import NotificationKind as Kind
from tracker.plans.records import DeadlineExtension, ExtensionState
from tracker.reminders import jobs
from tracker.uzbek import to_latin

OLD = "2024 йил январь-март"
NEW = "2024 йил июнь"
REASON = "Вазирлик маълумоти кечикди"
LETTER = "01-12/345-сон хат"


def _ask(client, measure) -> DeadlineExtension:
    response = post_form(
        client, f"/measures/{measure.id}/deadline", {"deadline_text": NEW, "reason": REASON, "basis": LETTER}
    )
    assert response.status_code == 302
    return select(DeadlineExtension).where(DeadlineExtension.measure_id == measure.id)


def _everyone(office):
    return [office.executor, office.head, office.controller, office.quiet_controller, office.director]


def _kinds(db, office, kind):
    """Who got a notification of ``kind``, and how many each."""
    return {u.email: len(inbox_of(db, u, kind)) for u in _everyone(office) if inbox_of(db, u, kind)}


def test_extension_requested_then_granted_by_the_secretariat(db, office, client_of, smtp):
    measure = office.plan.measures[0]
    extension = db.session.scalars(_ask(client_of(office.executor), measure)).one()
    assert extension.state == ExtensionState.REQUESTED

    # 1. The request reaches the secretariat (both controllers in the app), never the one who asked.
    assert _kinds(db, office, Kind.EXTENSION_REQUESTED) == {"controller@example.uz": 1, "quiet@example.uz": 1}
    [to_controller] = mail_to(smtp, "controller@example.uz")
    body = text_of(to_controller)
    assert f"Ижрочи Али muddatni uzaytirishni soʻramoqda: {NEW} — {REASON}" in body  # uz_Latn words
    assert to_latin(TITLE) in body and TITLE not in body  # the item in Latin script
    assert f"Ijro muddati: {to_latin(OLD)}" in body  # the deadline in force until it is granted
    assert to_controller["Date"] and "Muddatni uzaytirish soʻraldi" in subject(to_controller)
    assert mail_to(smtp, "quiet@example.uz") == [] and mail_to(smtp, "director@example.uz") == []

    # 2. Granted: the one who asked hears at once (Cyrillic), the head in the digest (Russian).
    controller = client_of(office.controller)
    assert post_form(controller, f"/extensions/{extension.id}/grant", {"comment": ""}).status_code == 302
    db.session.expire_all()
    assert extension.state == ExtensionState.GRANTED and measure.deadline_text == NEW
    assert _kinds(db, office, Kind.EXTENSION_GRANTED) == {"executor@example.uz": 1, "head@example.uz": 1}
    [to_executor] = mail_to(smtp, "executor@example.uz")
    body = text_of(to_executor)
    assert f"Nazoratchi Sobir муддатни узайтирди: {NEW}" in body
    assert f"Ижро муддати: {OLD} → {NEW} ({LETTER} асосида)" in body
    assert TITLE in body and to_latin(TITLE) not in body
    assert mail_to(smtp, "head@example.uz") == []  # the head chose the daily digest (the default)
    assert len(mail_to(smtp, "controller@example.uz")) == 1  # the decider is not told of their own act
    _assert_exactly_once(db)

    jobs.daily_digest(utcnow())
    jobs.daily_digest(utcnow())
    [digest] = mail_to(smtp, "head@example.uz")
    body = " ".join(text_of(digest).split())
    assert f"Nazoratchi Sobir продлил(а) срок: {NEW}" in body and TITLE in body
    assert digest["Date"]
    _assert_exactly_once(db)


def test_extension_requested_then_refused_by_the_director_under_the_organizations_policy(
    db, office, client_of, smtp
):
    office.plan.organization.extension_decider = "director"
    db.session.commit()
    measure = office.plan.measures[0]
    extension = db.session.scalars(_ask(client_of(office.head), measure)).one()

    # 1. The director decides here: only the director hears of the request, in English, Latin item.
    assert _kinds(db, office, Kind.EXTENSION_REQUESTED) == {"director@example.uz": 1}
    [to_director] = mail_to(smtp, "director@example.uz")
    body = text_of(to_director)
    assert f"Бошлиқ Вали asks to extend the deadline: {NEW} — {REASON}" in body
    assert to_latin(TITLE) in body and f"Deadline: {to_latin(OLD)}" in body
    assert mail_to(smtp, "controller@example.uz") == []

    # 2. Refused with a reason: the head who asked is told (once, though also the unit's head);
    #    the deadline stays as it was.
    director = client_of(office.director)
    why = "Асос етарли эмас"
    assert post_form(director, f"/extensions/{extension.id}/refuse", {"comment": why}).status_code == 302
    db.session.expire_all()
    assert extension.state == ExtensionState.REFUSED and measure.deadline_text == OLD
    assert _kinds(db, office, Kind.EXTENSION_REFUSED) == {"head@example.uz": 1}
    assert mail_to(smtp, "head@example.uz") == []  # digest
    assert mail_to(smtp, "executor@example.uz") == []  # the executor did not ask
    _assert_exactly_once(db)

    jobs.daily_digest(utcnow())
    [digest] = mail_to(smtp, "head@example.uz")
    body = " ".join(text_of(digest).split())
    assert f"Director Karimov отказал(а) в продлении срока: {why}" in body
    assert TITLE in body and to_latin(TITLE) not in body
    _assert_exactly_once(db)
