"""Seed 001 (meeting minutes) and minutes with a full header: the meeting record and its decisions."""

from __future__ import annotations

from datetime import date

import pytest
from _text_docs import FULL_MINUTES, docx_of_text, seed_text
from sqlalchemy import func, select

from tracker.core.errors import InvalidInput
from tracker.execution.files import storage_path
from tracker.imports import services
from tracker.meetings.models import Meeting
from tracker.meetings.services import meeting_of_plan
from tracker.plans.models import Plan, PlanKind, PlanState

SEED_DECISIONS = [
    "Jamoatchilik kengashi aʼzolari tomonidan yigʻilishda vazirlik faoliyati ochiqligini taʼminlash "
    "boʻyicha bildirilgan fikr-mulohazalar taklif sifatida tayyorlanib tagdim etilsin.",
    "Jamoatchilik kengashining oʻtkazilgan yigʻilishi vazirlikning rasmiy veb-saytida yoritilishi "
    "taʼminlansin.",
]


def _import(name, data, organization, make_user, **kwargs):
    preview = services.preview_file(name, data, organization, **kwargs)
    return preview, services.import_plan(preview, organization, actor=make_user("controller"))


@pytest.mark.parametrize("name", ["minutes.txt", "minutes.docx"])
def test_seed_001_gives_the_meeting_and_its_two_decisions(app, db, organization, make_user, name):
    text = seed_text("001")
    data = text.encode() if name.endswith(".txt") else docx_of_text(text)
    preview, plan = _import(name, data, organization, make_user, meeting_date=date(2024, 3, 15))
    assert preview.shape == "minutes"
    assert plan.kind == PlanKind.DECISIONS and plan.state == PlanState.DRAFT
    assert plan.title == "Jamoatchilik Kengashi yigʻilishi qarorlari (2024-yil 15-mart)"
    assert [(m.number, m.title) for m in plan.measures] == [
        ("1", SEED_DECISIONS[0]),
        ("2", SEED_DECISIONS[1]),
    ]
    assert all(m.deadline_text is None and m.due_on is None and not m.responsibles for m in plan.measures)
    meeting = meeting_of_plan(plan)
    assert meeting.held_on == date(2024, 3, 15)
    assert meeting.header_json() == {
        "date": "2024-03-15",
        "number": None,
        "body": "Jamoatchilik Kengashi",
        "chair": "B.Umurzakov",
        "secretary": "J.Qalandarov",
        "attendees": [
            "Umurzakov",
            "Hayitov",
            "Qadirov",
            "Toʻrabekov",
            "Abdukarimov",
            "Umarova",
            "Qalandarov",
        ],
        "agenda": [
            "Kambagʻallikni gisqartirish va bandlik vazirligi faoliyatini ochiqligini taʼminlash borasida "
            "olib borilayotgan ishlar"
        ],
    }
    assert meeting.source_name == name
    assert storage_path(meeting.source_sha256).read_bytes() == data


def test_pasted_minutes_give_what_the_file_gives(db, organization, make_user):
    text = seed_text("001")
    _p, from_file = _import(
        "minutes.txt", text.encode(), organization, make_user, meeting_date=date(2024, 3, 15)
    )
    _p, pasted = _import(
        "pasted.txt",
        text.replace("\n", "\r\n").encode(),
        organization,
        make_user,
        meeting_date=date(2024, 3, 15),
    )
    assert [m.title for m in pasted.measures] == [m.title for m in from_file.measures]
    assert meeting_of_plan(pasted).header_json() == meeting_of_plan(from_file).header_json()


def test_full_header_units_and_deadlines_from_the_meeting_date(db, organization, make_user, make_unit):
    info = make_unit("Ахборот хизмати")
    public = make_unit("Жамоатчилик билан алоқалар бошқармаси")
    preview, plan = _import("minutes.txt", FULL_MINUTES.encode(), organization, make_user)
    meeting = meeting_of_plan(plan)
    assert (meeting.held_on, meeting.number, meeting.place) == (date(2024, 3, 15), "3", "Тошкент ш.")
    assert meeting.chair == "Б.Умурзаков" and meeting.secretary == "Ж.Қаландаров"
    assert meeting.attendees == ["Ҳайитов", "Қодиров", "Умарова"]
    assert meeting.agenda == ["Вазирлик фаолияти очиқлигини таъминлаш борасидаги ишлар"]
    assert meeting.body.endswith("бандлик вазирлиги Жамоатчилик кенгаши")
    assert plan.title.endswith("Жамоатчилик кенгаши йиғилиши қарорлари (2024 йил 15 март)")
    first, second, third = plan.measures
    assert [r.unit_id for r in first.responsibles] == [info.id]
    assert [r.unit_id for r in second.responsibles] == [public.id]
    assert [r.unit_id for r in third.responsibles] == [info.id]
    assert (second.deadline_text, second.due_on) == ("2024 йил 1 апрелгача", date(2024, 4, 1))
    assert (third.deadline_text, third.deadline_kind) == ("доимий равишда", "continuous")
    assert first.deadline_text == "бир ой муддатда"


def test_a_relative_deadline_counts_from_the_meeting(db, organization, make_user):
    """ "бир ой муддатда" at a meeting of 15 March 2024 is due on 15 April 2024 (issue 14's engine)."""
    _preview, plan = _import("minutes.txt", FULL_MINUTES.encode(), organization, make_user)
    assert plan.measures[0].due_on == date(2024, 4, 15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("KUN TARTIBI:\nOchiqlik\n\nMuhokama.\n", "Line 5: the minutes end without"),
        (
            "KUN TARTIBI:\nOchiqlik\n\nQAROR QILADI:\n\nBayonlashtiruvchi J.Q.\n",
            "Line 4: no numbered decision",
        ),
    ],
    ids=["no decisions line", "no decisions"],
)
def test_minutes_without_decisions_name_the_line(db, organization, text, message):
    before = db.session.scalar(select(func.count(Plan.id)))
    with pytest.raises(InvalidInput, match=message):
        services.preview_file("minutes.txt", text.encode(), organization, kind=PlanKind.DECISIONS)
    assert db.session.scalar(select(func.count(Plan.id))) == before
    assert db.session.scalar(select(func.count(Meeting.id))) == 0


def test_minutes_without_a_date_ask_for_it(db, organization):
    with pytest.raises(InvalidInput, match="give no meeting date"):
        services.preview_file("minutes.txt", seed_text("001").encode(), organization)
