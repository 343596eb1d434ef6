"""Reminders name the item as the plan's read model has it in force: an approved revision's title,
an extension's deadline (with the one it replaced), the units, in each reader's script."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from tests.conftest import login, soup_of
from tests.reminders.conftest import at
from tracker.auth.services import create_api_token
from tracker.notifications.models import Notification, NotificationKind
from tracker.plans import extensions
from tracker.plans import services as plan_services
from tracker.reminders import jobs
from tracker.uzbek import transliterate

OLD_TITLE = "Миллий маъруза лойиҳасини тайёрлаш"
NEW_TITLE = "Миллий маърузани тайёрлаш ва эълон қилиш"
#: A later revision being drafted: not in force, so no reminder may show it.
DRAFT_TITLE = "Маърузани таҳрир қилиш (лойиҳа)"
LETTER = "01-12/345-сон хат"


def _parts(message):
    plain = html = None
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            plain = part.get_payload(decode=True).decode()
        elif part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode()
    return " ".join(plain.split()), html


def _revise_and_extend(db, make_plan, people, *, draft_revision: bool = True):
    """Approved in January; a revision retitles the measure (approved 10 March); on 1 April the
    secretariat extends its deadline from 15 March to April; on 10 April another revision, still
    a draft, retitles it again (the stored row now holds the draft's title)."""
    with freeze_time(datetime(2024, 1, 4, 9)):
        plan = make_plan(
            measures=[
                {
                    "number": "1",
                    "title": OLD_TITLE,
                    "deadline_text": "15.03.2024",
                    "lead_unit_id": people.lead.id,
                    "co_unit_ids": [people.co.id],
                    "added_on": date(2024, 1, 4),
                }
            ]
        )
    measure = plan.measures[0]
    with freeze_time(datetime(2024, 3, 1, 9)):
        plan_services.revise_plan(plan, actor=people.controller)
        plan_services.update_measure(
            measure,
            plan_services.MeasureData(
                number="1",
                title=NEW_TITLE,
                deadline_text="15.03.2024",
                lead_unit_id=people.lead.id,
                co_unit_ids=[people.co.id],
            ),
            actor=people.controller,
            expected_version=None,
        )
        plan_services.submit_plan(plan, actor=people.controller)
    with freeze_time(datetime(2024, 3, 10, 9)):
        plan_services.approve_plan(
            plan,
            actor=people.director,
            position="Директор",
            name="Б. Каримов",
            approval_date=date(2024, 3, 10),
        )
    with freeze_time(datetime(2024, 4, 1, 9)):
        extensions.record_extension(
            measure,
            extensions.ExtensionData(
                deadline_text="2024 йил апрель", reason="Маълумот кечикди", basis=LETTER
            ),
            actor=people.controller,
        )
    if not draft_revision:
        db.session.commit()
        return plan, measure
    with freeze_time(datetime(2024, 4, 10, 9)):
        plan_services.revise_plan(plan, actor=people.controller)
        plan_services.update_measure(
            measure,
            plan_services.MeasureData(
                number="1",
                title=DRAFT_TITLE,
                deadline_text="2024 йил апрель",
                lead_unit_id=people.lead.id,
                co_unit_ids=[people.co.id],
            ),
            actor=people.controller,
            expected_version=None,
        )
    db.session.commit()
    assert measure.title == DRAFT_TITLE
    return plan, measure


@pytest.mark.parametrize("draft_revision", [False, True], ids=["approved", "revision-drafted"])
def test_the_reminder_email_shows_the_title_and_deadline_in_force(
    app, db, make_plan, people, smtp, draft_revision
):
    _plan, measure = _revise_and_extend(db, make_plan, people, draft_revision=draft_revision)
    assert measure.due_on == date(2024, 4, 30)
    # 23 April: seven days before the extended deadline (the stored one says nothing of March)
    with freeze_time(datetime(2024, 4, 23, 4)):
        jobs.daily_digest(at("2024-04-23", 9))

    cyrillic, html = _parts(smtp.inbox.to("executor@example.uz")[0])
    assert NEW_TITLE in cyrillic and OLD_TITLE not in cyrillic and DRAFT_TITLE not in cyrillic
    assert f"15.03.2024 → 2024 йил апрель ({LETTER} асосида)" in cyrillic
    assert "Тизимли таҳлил бўлими, Молия бошқармаси" in cyrillic
    assert NEW_TITLE in html and "2024 йил апрель" in html

    latin, _html = _parts(smtp.inbox.to("co@example.uz")[0])  # English interface: Latin script
    assert transliterate(NEW_TITLE, "latn") in latin
    assert transliterate("2024 йил апрель", "latn") in latin
    assert NEW_TITLE not in latin


@pytest.mark.parametrize("draft_revision", [False, True], ids=["approved", "revision-drafted"])
def test_the_in_app_reminder_text_shows_the_title_and_deadline_in_force(
    app, db, make_plan, people, draft_revision
):
    _plan, measure = _revise_and_extend(db, make_plan, people, draft_revision=draft_revision)
    with freeze_time(datetime(2024, 4, 23, 4)):
        jobs.sweep(at("2024-04-23", 0, 5), deliver=False)
        reminder = db.session.scalars(
            select(Notification).where(
                Notification.recipient_id == people.executor.id, Notification.kind == NotificationKind.BEFORE
            )
        ).one()
        client = app.test_client()
        login(client, people.executor)
        entry = soup_of(client.get("/notifications")).select_one(f"[data-notification='{reminder.id}']")
        text = " ".join(entry.get_text(" ").split())
        assert NEW_TITLE in text and OLD_TITLE not in text and DRAFT_TITLE not in text
        assert f"15.03.2024 → 2024 йил апрель ({LETTER} асосида)" in text
        token = create_api_token(people.executor, "bot", actor=people.executor)[1]
        db.session.commit()
        listing = client.get("/api/v1/notifications", headers={"Authorization": f"Bearer {token}"})
        [said] = [n for n in listing.get_json()["notifications"] if n["id"] == reminder.id]
        assert NEW_TITLE in said["text"] and "2024 йил апрель" in said["text"]
        assert DRAFT_TITLE not in said["text"]
