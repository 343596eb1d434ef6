"""The review list and the inbox's claims read plain rows (issue 17): each row still shows its
plan, number, text, author, date, files and links, for claims on measures and on steps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun import freeze_time

from tests.conftest import login, soup_of
from tracker.core.drawn_rows import forget_rows, kept_rows
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.execution import services
from tracker.execution.files import IncomingFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def claims(db, make_unit, make_user, make_plan):
    unit = make_unit("Tahlil boʻlimi")
    plan = make_plan(
        title="Ish rejasi",
        measures=[
            {"number": "4", "title": "Milliy strategiya", "lead_unit_id": unit.id,
             "steps": [{"number": "2", "text": "Loyiha tayyorlash"}]},
        ],
    )  # fmt: skip
    measure = plan.measures[0]
    step = measure.steps[0]
    author = make_user(Role.EXECUTOR, unit=unit, name="N. Tursunov")
    on_measure = services.submit_status_update(
        measure,
        status=Status.DONE_CLAIMED,
        note="Strategiya kiritildi",
        actor=author,
        attachments=[IncomingFile("Xat.pdf", PDF), IncomingFile("Ilova.pdf", PDF)],
    )
    on_step = services.submit_status_update(
        step, status=Status.DONE_CLAIMED, note="Loyiha tayyor", actor=None
    )
    db.session.commit()
    return {"measure": measure, "step": step, "on_measure": on_measure, "on_step": on_step}


def test_the_review_list_rows(client, db, claims, make_user):
    login(client, make_user(Role.CONTROLLER))
    rows = soup_of(client.get("/reviews")).select("table tbody tr")
    measure, step = claims["measure"], claims["step"]
    cells = [[td.get_text(" ", strip=True) for td in row.select("td")] for row in rows]
    assert [c[:3] for c in cells] == [
        ["Ish rejasi", "4", "Milliy strategiya"],
        ["Ish rejasi", "4.2", "Loyiha tayyorlash"],
    ]
    assert cells[0][3].startswith("Strategiya kiritildi") and "2" in cells[0][3]  # the note, 2 files
    assert cells[1][3] == "Loyiha tayyor"  # no files
    assert cells[0][4].startswith("N. Tursunov") and not cells[1][4].startswith("N.")
    assert [row.select_one("a")["href"] for row in rows] == [f"/measures/{measure.id}"] * 2
    assert step.measure_id == measure.id


def test_the_inbox_review_rows(client, db, claims, make_user):
    login(client, make_user(Role.CONTROLLER))
    page = soup_of(client.get("/inbox"))
    measure, step = claims["measure"], claims["step"]
    rows = page.select("#reviews li[data-update]")
    assert [int(row["data-update"]) for row in rows] == [claims["on_measure"].id, claims["on_step"].id]
    first, second = rows
    assert first.select_one("a")["href"] == f"/measures/{measure.id}"
    assert second.select_one("a")["href"] == f"/measures/{measure.id}#s{step.id}"
    assert "N. Tursunov" in first.get_text() and "N. Tursunov" not in second.get_text()
    files = first.select('a[href^="/attachments/"]')
    assert [a.get_text() for a in files] == ["Xat.pdf", "Ilova.pdf"]
    assert [a["href"] for a in files] == [f"/attachments/{f.id}" for f in claims["on_measure"].attachments]
    assert page.select_one('a[href="#reviews"]')["data-count"] == "2"
    boxes = page.select('#reviews input[name="update_ids"]')
    assert [b["aria-label"].split("№")[1] for b in boxes] == ["4", "4"]


def test_row_links_are_what_url_for_builds(app):
    from flask import url_for

    from tracker.core.links import id_url

    with app.test_request_context("/"):
        measure = id_url("plans.measure", "measure_id")
        overdue = id_url("inbox.overdue", "unit")
        for ident in (0, 7, 918273645, 10**9):
            assert measure(ident) == url_for("plans.measure", measure_id=ident)
            anchored = url_for("plans.measure", measure_id=ident, _anchor=f"s{ident}")
            assert measure(ident, f"s{ident}") == anchored
            assert overdue(ident) == url_for("inbox.overdue", unit=ident)


def _review_rows(client) -> list[str]:
    return [str(row) for row in soup_of(client.get("/reviews")).select("table tbody tr")]


def test_review_rows_are_drawn_once_and_again_when_what_they_show_changes(client, db, claims, make_user):
    """The review list keeps each row's HTML (tracker/core/drawn_rows.py): a kept row is the row
    drawn afresh, and a change to what it shows, or another reader's language, draws it again."""
    controller = make_user(Role.CONTROLLER)
    login(client, controller)
    forget_rows()
    fresh = _review_rows(client)
    assert kept_rows() == 2
    assert _review_rows(client) == fresh  # copied from the memo

    author = claims["on_measure"].author
    author.name = "N. Tursunova"
    claims["on_step"].note = "Loyiha tayyor, imzolandi"
    db.session.commit()
    changed = _review_rows(client)
    assert "N. Tursunova" in changed[0] and "imzolandi" in changed[1]
    forget_rows()
    assert _review_rows(client) == changed

    controller.locale = "uz_Cyrl"
    db.session.commit()
    cyrillic = _review_rows(client)
    assert cyrillic != changed and "Кўриб чиқиш" in cyrillic[0], cyrillic[0]
    forget_rows()
    assert _review_rows(client) == cyrillic


def _inbox_claims(client) -> list[str]:
    return [str(row) for row in soup_of(client.get("/inbox")).select("#reviews li[data-update]")]


def test_inbox_claims_are_drawn_again_as_the_days_pass(client, db, claims, make_user):
    """The inbox's claims say how many days each waits: a kept row is redrawn the next day, and
    when what it shows changes (its author's name); otherwise it is copied."""
    login(client, make_user(Role.CONTROLLER))
    forget_rows()
    created = claims["on_measure"].created_at
    with freeze_time(created + timedelta(days=3)):
        before = _inbox_claims(client)
        assert kept_rows() == 2
        assert _inbox_claims(client) == before
    with freeze_time(created + timedelta(days=4)):
        next_day = _inbox_claims(client)
        assert next_day != before
        forget_rows()
        assert _inbox_claims(client) == next_day
        claims["on_measure"].author.name = "N. Tursunova"
        db.session.commit()
        renamed = _inbox_claims(client)
        assert "N. Tursunova" in renamed[0] and renamed[1] == next_day[1]
        forget_rows()
        assert _inbox_claims(client) == renamed
