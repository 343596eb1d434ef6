"""Re-importing a plan that exists: the preview says what changes, the plan gets a new version."""

from __future__ import annotations

import io

from _import_docs import docx_bytes, seed
from sqlalchemy import func, select

from tests.conftest import csrf_token, flashes, login, post_form, reload, soup_of
from tracker.core.models import AuditEntry
from tracker.core.status import Status
from tracker.execution import services as execution
from tracker.execution.models import StatusUpdate
from tracker.imports.reimport import difference
from tracker.plans.models import Plan, PlanState
from tracker.plans.records import ItemChange

NEW_ROW = ["32.", "Янги чора-тадбир.", "Янги механизм.", "2024 йил июнь", "", "Натижа.", "Кадрлар тармоғи"]


def _upload(client, data):
    response = client.post(
        "/plans/import",
        data={"csrf_token": csrf_token(client), "file": (io.BytesIO(data), "work-plan.docx"), "kind": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _edited_seed() -> tuple[bytes, str]:
    """Seed 003 with measure 4's title edited and a measure 32 added."""
    preamble, rows = seed("003")
    rows = [list(r) for r in rows]
    row = next(r for r in rows if r[0].strip() == "4.")
    row[1] = row[1].rstrip() + " (таҳрир)"
    return docx_bytes(preamble, [*rows, NEW_ROW]), row[1]


def test_seed_003_imported_twice_updates_the_plan_as_a_new_version(client, db, make_user):
    controller = make_user("controller")
    db.session.commit()
    login(client, controller)
    preamble, rows = seed("003")
    _upload(client, docx_bytes(preamble, rows))
    assert post_form(client, "/plans/import/confirm").status_code == 302
    plan = db.session.scalar(select(Plan).order_by(Plan.id.desc()))
    assert plan.state == PlanState.APPROVED and plan.version == 1
    first = next(m for m in plan.measures if m.number == "1")
    old_title = next(m for m in plan.measures if m.number == "4").title
    execution.submit_status_update(first, status=Status.IN_PROGRESS, note="Иш бошланди", actor=controller)
    db.session.commit()
    plans_before = db.session.scalar(select(func.count(Plan.id)))

    data, new_title = _edited_seed()
    _upload(client, data)
    page = soup_of(client.get("/plans/import/preview"))
    choice = page.select_one("#duplicate-update")
    assert choice is not None and choice.has_attr("checked") and choice["value"] == "update"
    assert "2" in page.select_one('label[for="duplicate-update"]').get_text()  # version 2
    changes = page.select_one("#reimport-changes")
    assert [li["data-number"] for li in changes.select(".reimport-added")] == ["32"]
    assert [li["data-number"] for li in changes.select(".reimport-changed")] == ["4"]
    assert [f["data-field"] for f in changes.select(".reimport-changed .reimport-field")] == ["title"]
    assert changes.select(".reimport-removed") == []
    assert "(таҳрир)" in changes.select_one(".reimport-changed ins").get_text()

    response = post_form(client, "/plans/import/confirm", {"duplicate": "update"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/plans/{plan.id}")
    assert any("32" not in f and "1" in f for f in flashes(client.get(response.headers["Location"])))
    plan = reload(plan)
    assert db.session.scalar(select(func.count(Plan.id))) == plans_before  # no second plan
    assert plan.state == PlanState.DRAFT and plan.version == 2
    numbers = [m.number for m in plan.measures]
    assert len(numbers) == 31 and numbers[-1] == "32"
    edited = next(m for m in plan.measures if m.number == "4")
    assert edited.title == new_title
    # The edit is the draft's change, dated when the director approves version 2.
    change = db.session.scalar(select(ItemChange).where(ItemChange.measure_id == edited.id))
    assert change is not None and change.kind == "revision" and change.effective_on is None
    # The matched measure kept its history; the approved version 1 is still readable as it was.
    kept = select(StatusUpdate.measure_id).where(StatusUpdate.note == "Иш бошланди")
    assert db.session.scalar(kept) == first.id
    assert plan.versions[0].number == 1
    version_page = client.get(f"/plans/{plan.id}/versions/1")
    shown = " ".join(soup_of(version_page).get_text(" ").split())
    assert version_page.status_code == 200 and " ".join(old_title.split())[:40] in shown
    assert "(таҳрир)" not in shown
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.entity_type == "plan", AuditEntry.action == "reimport")
    )
    assert entry is not None and entry.after["added"] == ["32"] and list(entry.after["changed"]) == ["4"]


def test_an_unchanged_file_offers_only_the_copy(client, db, make_user):
    login(client, make_user("controller"))
    preamble, rows = seed("003")
    data = docx_bytes(preamble, rows)
    _upload(client, data)
    post_form(client, "/plans/import/confirm")
    _upload(client, data)
    page = soup_of(client.get("/plans/import/preview"))
    assert page.select_one("#duplicate-update").has_attr("disabled")
    assert page.select_one(".reimport-nothing") is not None
    response = post_form(client, "/plans/import/confirm", {"duplicate": "update"})
    assert response.headers["Location"].endswith("/plans/import/preview")
    post_form(client, "/plans/import/cancel")  # the kept upload is deleted


def test_the_preview_shows_the_wording_from_where_it_differs():
    old = "Давлат органлари " * 20 + "ишларининг самарадорлигини ошириш."
    new = "Давлат органлари " * 20 + "ишларининг натижадорлигини ошириш."
    shown_old, shown_new = difference(old, new)
    assert shown_old.startswith("…Давлат") and "самарадорлигини" in shown_old
    assert "натижадорлигини" in shown_new and "самарадорлигини" not in shown_new
    assert difference("2024 йил март", "2024 йил апрель") == ("2024 йил март", "2024 йил апрель")
