"""Proposals and minutes through the import page, the plan page's grid, /meetings, the API and the CLI."""

from __future__ import annotations

import io
from datetime import date

from _text_docs import FULL_MINUTES, docx_of_text, seed_text
from sqlalchemy import func, select

from tests.conftest import csrf_token, flashes, login, post_form, soup_of
from tests.exports._open_data_schema import SCHEMA, validate
from tracker.auth.services import create_api_token
from tracker.meetings.models import Meeting
from tracker.plans.models import Plan, PlanState


def _latest_plan(db):
    return db.session.scalar(select(Plan).order_by(Plan.id.desc()).limit(1))


def _paste(client, text, **fields):
    data = {"csrf_token": csrf_token(client), "text": text, "kind": "", "meeting_date": "", **fields}
    return client.post("/plans/import", data=data, content_type="multipart/form-data")


def test_pasted_proposal_previews_then_the_grid_fills_it(client, db, make_user, make_unit):
    unit = make_unit("Ахборот хизмати")
    controller = make_user("controller")
    db.session.commit()
    login(client, controller)
    response = _paste(client, seed_text("002"))
    assert response.status_code == 302, flashes(response)
    page = soup_of(client.get("/plans/import/preview"))
    assert page.select_one(".proposal-note") is not None
    assert len(page.select("tr.measure-row")) == 5
    assert (
        "Баҳолаш мезонлари:" in page.select_one('tr.measure-row[data-number="4"] .measure-content').get_text()
    )
    assert post_form(client, "/plans/import/confirm").status_code == 302
    plan = _latest_plan(db)

    show = soup_of(client.get(f"/plans/{plan.id}"))
    assert len(show.select(".proposal-grid tr.grid-row.table-warning")) == 5
    refused = post_form(client, f"/plans/{plan.id}/submit", follow_redirects=True)
    assert "1, 2, 3, 4, 5" in " ".join(flashes(refused)) or "1, 2, 3, 4, 5" in refused.get_data(as_text=True)
    form = {f"deadline-{m.id}": "2025 йил 1 март" for m in plan.measures}
    form.update({f"unit-{m.id}": str(unit.id) for m in plan.measures})
    assert post_form(client, f"/plans/{plan.id}/grid", form).status_code == 302
    db.session.expire_all()
    assert all(m.due_on == date(2025, 3, 1) and m.lead.unit_id == unit.id for m in plan.measures)
    post_form(client, f"/plans/{plan.id}/submit")
    db.session.expire_all()
    assert plan.state == PlanState.IN_REVIEW


def test_minutes_docx_upload_meeting_pages_and_api(client, db, make_user, make_unit):
    make_unit("Ахборот хизмати")
    controller = make_user("controller")
    _row, token = create_api_token(controller, "cli", actor=controller)
    db.session.commit()
    login(client, controller)
    response = client.post(
        "/plans/import",
        data={
            "csrf_token": csrf_token(client),
            "file": (io.BytesIO(docx_of_text(FULL_MINUTES)), "bayon.docx"),
            "kind": "",
            "meeting_date": "",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, flashes(response)
    preview = soup_of(client.get("/plans/import/preview"))
    assert preview.select_one(".meeting-chair").get_text(strip=True) == "Б.Умурзаков"
    assert preview.select_one('.decision-deadlines li[data-number="2"] strong') is not None
    post_form(client, "/plans/import/confirm")
    meeting = db.session.scalar(select(Meeting).order_by(Meeting.id.desc()).limit(1))

    listing = soup_of(client.get("/meetings"))
    row = listing.select_one(f'tr.meeting-row[data-id="{meeting.id}"]')
    assert row.select_one(".decision-count").get_text() == "3"
    page = soup_of(client.get(f"/meetings/{meeting.id}"))
    assert len(page.select("tr.decision-row")) == 3
    assert page.select_one(".meeting-secretary").get_text(strip=True) == "Ж.Қаландаров"
    source = client.get(f"/meetings/{meeting.id}/minutes")
    assert source.status_code == 200 and source.data.startswith(b"PK")
    assert source.headers["Content-Disposition"].startswith("attachment")
    source.close()
    assert soup_of(client.get(f"/plans/{meeting.plan_id}")).select_one(".plan-meeting") is not None

    data = client.get(
        f"/api/v1/plans/{meeting.plan_id}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert data["meeting"]["chair"] == "Б.Умурзаков" and data["meeting"]["number"] == "3"
    assert data["meeting"]["date"] == "2024-03-15"
    assert validate(data, SCHEMA) == []
    latin = client.get(
        f"/api/v1/plans/{meeting.plan_id}?script=latn", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert latin["meeting"]["chair"] == "B.Umurzakov"


def test_bad_pasted_text_is_refused_with_the_line_and_nothing_is_kept(client, db, make_user):
    controller = make_user("controller")
    db.session.commit()
    login(client, controller)
    before = db.session.scalar(select(func.count(Plan.id)))
    response = _paste(client, "Таклифлар\n1.\nМазмуни:\nМатн\n")
    assert response.status_code == 400
    page = soup_of(response)
    assert "2" in " ".join(flashes(response)) or page.select_one(".alert-danger") is not None
    assert db.session.scalar(select(func.count(Plan.id))) == before
    empty = client.post(
        "/plans/import",
        data={"csrf_token": csrf_token(client), "text": "", "kind": ""},
        content_type="multipart/form-data",
    )
    assert empty.status_code == 400


def test_cli_imports_minutes_with_the_meeting_date(app, db, organization, tmp_path):
    path = tmp_path / "bayon.txt"
    path.write_text(seed_text("001"), encoding="utf-8")
    db.session.commit()  # the refused import below rolls back; the organization must stay
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["plans", "import", str(path), "--kind", "decisions", "--dry-run"])
    assert dry.exit_code != 0 and "meeting date" in dry.output
    result = runner.invoke(
        args=["plans", "import", str(path), "--kind", "decisions", "--meeting-date", "2024-03-15"]
    )
    assert result.exit_code == 0, result.output
    plan = db.session.get(Plan, int(result.stdout.strip().splitlines()[-1]))
    assert len(plan.measures) == 2
    meeting = db.session.scalar(select(Meeting).where(Meeting.plan_id == plan.id))
    assert meeting.held_on == date(2024, 3, 15) and meeting.secretary == "J.Qalandarov"
