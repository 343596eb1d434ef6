"""Each hand-over reaches the next person: in the app at once, by e-mail as they chose, exactly once,
in their language and script — through the pages, a real SMTP server and no scheduler process.
"""

from __future__ import annotations

from email.header import decode_header, make_header

from sqlalchemy import func, select

from tests.conftest import post_form
from tests.notifications.conftest import TITLE, inbox_of, mail_to, text_of
from tracker.core.status import Status
from tracker.core.time import utcnow
from tracker.execution.models import StatusUpdate
from tracker.notifications.models import NotificationKind as Kind
from tracker.plans.models import PlanState
from tracker.reminders import jobs
from tracker.reminders.models import OutboundEmail
from tracker.uzbek import to_latin

LATIN_TITLE = to_latin(TITLE)


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _report_done(client, measure, note):
    response = post_form(
        client,
        f"/measures/{measure.id}/status",
        {"status": "done_claimed", "note": note, "lock_version": str(measure.lock_version)},
    )
    assert response.status_code == 302


def _claim(db, measure) -> StatusUpdate:
    return db.session.scalar(
        select(StatusUpdate)
        .where(StatusUpdate.measure_id == measure.id)
        .order_by(StatusUpdate.id.desc())
        .limit(1)
    )


def _assert_exactly_once(db):
    """Every message has its own key, and a delivery run afterwards finds nothing left to send."""
    keys = db.session.scalars(select(OutboundEmail.key)).all()
    assert len(keys) == len(set(keys))
    again = jobs.deliver_outbox()
    assert (again.sent, again.failed) == (0, 0)


def test_claim_returned_then_claimed_again_then_accepted(db, office, client_of, smtp):
    measure = office.plan.measures[0]
    executor, controller = client_of(office.executor), client_of(office.controller)

    # 1. The executor reports "done": the controllers hear of it; the one who wants e-mail at once gets it.
    _report_done(executor, measure, "Маъруза тайёр, илова қилинди")
    assert len(inbox_of(db, office.controller, Kind.CLAIM_SUBMITTED)) == 1
    assert len(inbox_of(db, office.quiet_controller, Kind.CLAIM_SUBMITTED)) == 1
    assert inbox_of(db, office.executor, Kind.CLAIM_SUBMITTED) == []  # never the actor
    [to_controller] = mail_to(smtp, "controller@example.uz")
    body = text_of(to_controller)
    assert "Ижрочи Али bajarilganini maʼlum qildi: koʻrib chiqing" in body  # uz_Latn words…
    assert LATIN_TITLE in body and TITLE not in body  # …and the item in Latin script
    assert "Тизимли таҳлил бўлими" not in body and to_latin("Тизимли таҳлил бўлими") in body  # the unit
    assert to_controller["Date"] and to_controller["X-Tracker-Message"].startswith("notification:")
    assert mail_to(smtp, "quiet@example.uz") == []  # e-mail switched off: in the app only

    # 2. The controller returns it with a reason: the reporter and the head of the unit are told.
    claim = _claim(db, measure)
    assert post_form(controller, f"/updates/{claim.id}/return", {"reason": "Илова йўқ"}).status_code == 302
    [returned] = inbox_of(db, office.executor, Kind.CLAIM_RETURNED)
    assert inbox_of(db, office.head, Kind.CLAIM_RETURNED) != []
    [to_executor] = mail_to(smtp, "executor@example.uz")
    body = text_of(to_executor)
    assert "Nazoratchi Sobir ҳисоботни қайтарди: Илова йўқ" in body  # uz_Cyrl words, reason as written
    assert TITLE in body and LATIN_TITLE not in body  # the item in Cyrillic
    assert mail_to(smtp, "head@example.uz") == []  # the head chose the daily digest (the default)

    # 3. Reported again: the controller is told again, once more.
    _report_done(executor, measure, "Илова қўшилди")
    assert len(inbox_of(db, office.controller, Kind.CLAIM_SUBMITTED)) == 2
    assert len(mail_to(smtp, "controller@example.uz")) == 2

    # 4. Accepted: the executor hears it at once, the head in the digest.
    claim = _claim(db, measure)
    assert post_form(controller, f"/updates/{claim.id}/accept", {"comment": ""}).status_code == 302
    assert db.session.get(type(measure), measure.id).status == Status.DONE
    assert len(inbox_of(db, office.executor, Kind.CLAIM_ACCEPTED)) == 1
    accepted_mail = mail_to(smtp, "executor@example.uz")[-1]
    assert "ҳисоботни қабул қилди" in text_of(accepted_mail)
    assert len(mail_to(smtp, "executor@example.uz")) == 2
    assert inbox_of(db, office.director, Kind.CLAIM_SUBMITTED) == []  # not the director's business
    _assert_exactly_once(db)

    # The head's daily digest carries both events, in Russian, once.
    jobs.daily_digest(utcnow())
    jobs.daily_digest(utcnow())
    [digest] = mail_to(smtp, "head@example.uz")
    body = text_of(digest)
    assert "вернул(а) отчёт: Илова йўқ" in body and "принял(а) отчёт" in body
    assert TITLE in body  # Russian readers get the item in Cyrillic
    assert digest["Date"]


def test_plan_submitted_returned_resubmitted_approved(db, office, make_plan, client_of, smtp):
    plan = make_plan(
        state=PlanState.DRAFT,
        title="2025 йил иш режаси",
        measures=[{"number": "1", "title": TITLE, "lead_unit_id": office.department.id}],
    )
    db.session.commit()
    controller, director = client_of(office.controller), client_of(office.director)

    assert post_form(controller, f"/plans/{plan.id}/submit").status_code == 302
    assert [n.plan_id for n in inbox_of(db, office.director, Kind.PLAN_SUBMITTED)] == [plan.id]
    [to_director] = mail_to(smtp, "director@example.uz")
    assert "Nazoratchi Sobir sent the plan for your approval" in text_of(to_director)  # English
    assert to_latin("2025 йил иш режаси") in text_of(to_director)  # the plan in Latin for an English reader
    assert "Plan sent for approval" in subject(to_director)

    comment = "3-бандни аниқлаштиринг"
    assert post_form(director, f"/plans/{plan.id}/return", {"comment": comment}).status_code == 302
    [returned] = inbox_of(db, office.controller, Kind.PLAN_RETURNED)
    assert inbox_of(db, office.quiet_controller, Kind.PLAN_RETURNED) == []  # only the one who sent it
    assert f"Director Karimov rejani qaytardi: {comment}" in text_of(
        mail_to(smtp, "controller@example.uz")[-1]
    )

    assert post_form(controller, f"/plans/{plan.id}/submit").status_code == 302
    assert len(inbox_of(db, office.director, Kind.PLAN_SUBMITTED)) == 2
    response = post_form(
        director,
        f"/plans/{plan.id}/approve",
        {"position": "Директор", "name": "К. Каримов", "approval_date": "05.01.2025"},
    )
    assert response.status_code == 302
    assert [n.plan_id for n in inbox_of(db, office.controller, Kind.PLAN_APPROVED)][-1:] == [plan.id]
    assert len([n for n in inbox_of(db, office.controller, Kind.PLAN_APPROVED) if n.plan_id == plan.id]) == 1
    assert "Director Karimov rejani tasdiqladi" in text_of(mail_to(smtp, "controller@example.uz")[-1])
    # The approval hands the measure to its unit: the executor and the head are told.
    assert len(inbox_of(db, office.executor, Kind.MEASURE_ASSIGNED)) == 2  # this plan and the fixture's
    assert len(mail_to(smtp, "director@example.uz")) == 2
    _assert_exactly_once(db)


def test_a_rolled_back_change_sends_nothing(db, office, client_of, smtp):
    measure = office.plan.measures[0]
    executor = client_of(office.executor)
    # A stale form: the service refuses it, the transaction rolls back, nobody hears anything.
    response = post_form(
        executor,
        f"/measures/{measure.id}/status",
        {"status": "done_claimed", "note": "x", "lock_version": str(measure.lock_version + 5)},
    )
    assert response.status_code == 409  # the form shown again, answered as a conflict (the edge)
    assert inbox_of(db, office.controller, Kind.CLAIM_SUBMITTED) == []
    assert db.session.scalar(select(func.count(OutboundEmail.id))) == 0
    assert mail_to(smtp, "controller@example.uz") == []
