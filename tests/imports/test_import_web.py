"""The import pages and GET /api/v1/plans/<id> (the export buttons: tests/exports/test_export_web.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from _import_docs import docx_bytes, fixture, seed, xlsx_bytes
from sqlalchemy import func, select

from tests.conftest import csrf_token, flashes, login, post_form, soup_of
from tracker.auth.services import create_api_token
from tracker.imports import services
from tracker.plans.models import Plan, PlanState


def _upload(client, name, data, kind=""):
    return client.post(
        "/plans/import",
        data={"csrf_token": csrf_token(client), "file": (io.BytesIO(data), name), "kind": kind},
        content_type="multipart/form-data",
    )


def _plans(db):
    return db.session.scalar(select(func.count(Plan.id)))


def test_controller_uploads_previews_maps_units_and_confirms(
    app, client, db, organization, make_user, make_unit
):
    unit = make_unit("Матбуот хизмати")
    controller = make_user("controller")
    db.session.commit()
    login(client, controller)
    assert soup_of(client.get("/plans")).select_one('nav a[href="/plans/import"]') is not None
    assert client.get("/plans/import").status_code == 200

    response = _upload(client, "work-plan.docx", docx_bytes(*seed("003")))
    assert response.status_code == 302 and response.headers["Location"].endswith("/plans/import/preview")
    kept = list(Path(app.config["IMPORTS_DIR"]).glob("*.docx"))
    assert kept

    page = soup_of(client.get("/plans/import/preview"))
    assert len(page.select("tr.measure-row")) == 30
    assert page.select_one(".step-count").get_text() == "44"
    assert "А. Бурханов" in page.select_one(".plan-approval").get_text()
    first = page.select_one('tr.measure-row[data-number="1"]')
    assert len(first.select("li.step")) == 2
    labels = {label.get_text(strip=True): label["for"] for label in page.select(".unmatched-name label")}
    assert "Матбуот хизмати" not in labels  # matched to the existing unit
    assert len(labels) == 7
    field = labels["Кадрлар тармоғи"]
    other = labels["Юрисконсулт"]

    before = _plans(db)
    response = post_form(client, "/plans/import/confirm", {field: "new", other: str(unit.id)})
    assert response.status_code == 302
    plan = db.session.scalar(select(Plan).order_by(Plan.id.desc()))
    assert _plans(db) == before + 1 and plan.state == PlanState.APPROVED
    last = next(m for m in plan.measures if m.number == "31")
    assert [r.display_name for r in last.responsibles] == ["Кадрлар тармоғи", "Матбуот хизмати"]
    assert not list(Path(app.config["IMPORTS_DIR"]).glob(kept[0].name))
    shown = client.get(response.headers["Location"])
    assert any("30" in f for f in flashes(shown))


def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_kept(client, db, organization, make_user):
    login(client, make_user("controller", locale="en"))
    before = _plans(db)
    response = _upload(client, "plan.xlsx", b"%PDF-1.4 nothing")
    assert response.status_code == 400
    assert any("not really a XLSX" in f for f in flashes(response))
    assert _plans(db) == before
    assert client.get("/plans/import/preview").status_code == 302


def test_cancel_forgets_the_upload(client, db, organization, make_user):
    login(client, make_user("controller"))
    _upload(client, "roadmap.xlsx", xlsx_bytes(*seed("004")), kind="roadmap")
    page = soup_of(client.get("/plans/import/preview"))
    assert page.select_one(".plan-kind")["data-kind"] == "roadmap"
    assert len(page.select("li.step")) == 12
    post_form(client, "/plans/import/cancel")
    assert client.get("/plans/import/preview").status_code == 302


@pytest.mark.parametrize("role", ["viewer", "executor", "director"])
def test_only_plan_editors_may_import(client, db, organization, make_user, role):
    login(client, make_user(role))
    assert client.get("/plans/import").status_code == 403
    assert _upload(client, "p.docx", docx_bytes(*seed("003"))).status_code == 403
    assert soup_of(client.get("/plans")).select_one('nav a[href="/plans/import"]') is None


def _imported(db, organization, make_user):
    controller = make_user("controller")
    preview = services.preview_file("roadmap.xlsx", xlsx_bytes(*seed("004")), organization)
    plan = services.import_plan(preview, organization, actor=controller)
    db.session.commit()
    return plan


def test_api_serves_the_open_data_format(client, db, organization, make_user):
    plan = _imported(db, organization, make_user)
    controller = make_user("controller")
    _row, token = create_api_token(controller, "cli", actor=controller)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    data = client.get(f"/api/v1/plans/{plan.id}?as_of=2022-10-04&script=latn", headers=headers).get_json()
    assert data["id"] == plan.id and data["kind"] == "roadmap" and data["script"] == "latn"
    assert data["measures"][0]["status"] == "done"
    assert data["title"].startswith("Oʻzbekiston")
    assert client.get(f"/api/v1/plans/{plan.id}?as_of=yesterday", headers=headers).status_code == 400
    assert client.get(f"/api/v1/plans/{plan.id}?script=arab", headers=headers).status_code == 400
    assert client.get("/api/v1/plans/999999", headers=headers).status_code == 404
    assert fixture("004")["title"].startswith("Ўзбекистон")
    assert json.dumps(data, ensure_ascii=False)


def test_the_refusal_speaks_the_users_language(client, db, organization, make_user):
    login(client, make_user("controller", locale="uz_Cyrl"))
    response = _upload(client, "plan.xlsx", b"%PDF-1.4 nothing")
    assert response.status_code == 400
    (message,) = [f for f in flashes(response) if "XLSX" in f]
    assert "not really" not in message and any("\u0400" <= ch <= "\u04ff" for ch in message)


def test_the_controller_chooses_the_status_of_rows_without_a_status_word(client, db, make_user):
    """Seed 004 row 8.3 says "2021 йилнинг 26 ноябридан …": no status word. The controller decides."""
    controller = make_user("controller")
    db.session.commit()
    login(client, controller)
    assert _upload(client, "roadmap.docx", docx_bytes(*seed("004"))).status_code == 302
    page = soup_of(client.get("/plans/import/preview"))
    choices = {
        row.select_one("strong").get_text(): row.select_one("select")["name"]
        for row in page.select(".guessed-status")
    }
    assert "№8.3" in choices
    response = post_form(client, "/plans/import/confirm", {choices["№8.3"]: "done"})
    assert response.status_code == 302
    plan = db.session.scalar(select(Plan).order_by(Plan.id.desc()))
    step = next(m for m in plan.measures if m.number == "8").steps[2]
    assert step.status == "done"
    # an "(… ҳолатига)" report: done by then, the finishing day is not known
    from tracker.execution.models import StatusUpdate

    update = db.session.scalar(select(StatusUpdate).where(StatusUpdate.step_id == step.id))
    assert update.completion_unknown is True


def test_an_act_cited_with_two_dates_is_flagged(db, organization):
    from tracker.imports.parser import ParsedMeasure, ParsedPlan
    from tracker.plans.models import PlanKind

    parsed = ParsedPlan(format="docx", filename="x.docx", title="Режа", kind=PlanKind.WORK_PLAN)
    parsed.measures = [
        ParsedMeasure(number="1", title="А", legal_basis="Президентнинг 27.11.2023 й. ПФ-200-сон Фармони"),
        ParsedMeasure(number="2", title="Б", legal_basis="Президентнинг 27.11.2024 й. ПФ-200-сон Фармони"),
        ParsedMeasure(number="3", title="В", legal_basis="Президентнинг 20.06.2020 й. ПФ-6013-сон Фармони"),
    ]
    preview = services.build_preview(parsed, organization)
    assert preview.date_conflicts == {"ПФ-200": ["27.11.2023", "27.11.2024"]}


def test_reimporting_the_same_plan_is_recognised_and_copied_only_on_request(
    client, db, organization, make_user
):
    login(client, make_user("controller"))
    preamble = ["Агентликнинг 2025 йил I ярим йиллигига мўлжалланган", "ИШ РЕЖАСИ"]
    header = ["№", "Чора-тадбирлар номи", "Амалга ошириш механизми", "Ижро муддати"]
    header += ["Норматив-ҳуқуқий асоси", "Мақсад (кутилаётган натижа)", "Масъул ижрочилар"]
    row = ["1.", "Миллий маъруза тайёрлаш.", "Маъруза лойиҳаси.", "2025 йил март", "", "Маъруза.", ""]
    data = docx_bytes(preamble, [header, row])
    _upload(client, "work-plan.docx", data)
    assert post_form(client, "/plans/import/confirm").status_code == 302
    first = db.session.scalar(select(Plan).order_by(Plan.id.desc()))
    assert "ИШ РЕЖАСИ" in first.title

    _upload(client, "work-plan.docx", data)
    page = soup_of(client.get("/plans/import/preview"))
    card = page.select_one("#imported-before-card")
    assert card.select_one(f'a[href="/plans/{first.id}"]') is not None
    before = _plans(db)
    response = post_form(client, "/plans/import/confirm")  # not asked for a copy: nothing happens
    assert response.headers["Location"].endswith("/plans/import/preview") and _plans(db) == before
    response = post_form(client, "/plans/import/confirm", {"duplicate": "copy"})
    assert response.status_code == 302 and _plans(db) == before + 1
    copy = db.session.scalar(select(Plan).order_by(Plan.id.desc()))
    assert copy.title == f"{first.title} (2)"
