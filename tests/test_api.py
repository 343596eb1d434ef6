"""JSON API v1: personal tokens, what each caller may list and read, and status reports with evidence."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import reload
from tracker.auth.models import ApiToken, User
from tracker.auth.services import create_api_token, revoke_api_token
from tracker.core.permissions import Role
from tracker.core.status import ReviewState, Status
from tracker.execution import services
from tracker.execution.models import Attachment, StatusUpdate
from tracker.orgs.models import Organization, Unit
from tracker.plans.models import Measure, Plan, PlanState

ALL_UNITS = "Барча таркибий тармоқлар"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Setup:
    unit_a: Unit
    unit_b: Unit
    plan: Plan
    measure: Measure
    b_measure: Measure
    in_review: Plan
    draft: Plan
    other_plan: Plan


@pytest.fixture
def setup(db: Any, make_unit: Callable[..., Unit], make_plan: Callable[..., Plan]) -> Setup:
    unit_a = make_unit("Стратегия бошқармаси")
    unit_b = make_unit("Молия бошқармаси")
    other_org = Organization(name="Another agency")
    db.session.add(other_org)
    db.session.flush()
    plan = make_plan(
        title="Approved plan",
        measures=[
            {
                "number": "1",
                "title": "Миллий маъруза тайёрлаш",
                "deadline_text": "2024 йил январь-март",
                "lead_unit_id": unit_a.id,
                "co_unit_ids": [unit_b.id],
                "other_responsible": [ALL_UNITS],
                "steps": [
                    {"number": "1", "text": "Лойиҳа тайёрлаш"},
                    {"number": "2", "text": "Келишиш"},
                ],
            },
            {"number": "2", "title": "Молиявий ҳисобот", "lead_unit_id": unit_b.id},
        ],
    )
    in_review = make_plan(title="Plan awaiting approval", state=PlanState.IN_REVIEW)
    draft = make_plan(title="Draft plan never approved", state=PlanState.DRAFT)
    other_plan = make_plan(title="Other agency's plan", org=other_org)
    db.session.commit()  # only releases a savepoint: an API rollback cannot undo the setup
    return Setup(
        unit_a=unit_a,
        unit_b=unit_b,
        plan=plan,
        measure=next(m for m in plan.measures if m.number == "1"),
        b_measure=next(m for m in plan.measures if m.number == "2"),
        in_review=in_review,
        draft=draft,
        other_plan=other_plan,
    )


def bearer(db: Any, user: User) -> dict[str, str]:
    _row, token = create_api_token(user, "test", actor=user)
    db.session.flush()
    return {"Authorization": f"Bearer {token}"}


def count(db: Any, model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def database_rows(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the tokens (whose last_used_at a request may touch)."""
    db.session.flush()
    return {
        table.name: sorted((tuple(row) for row in db.session.execute(table.select())), key=repr)
        for table in db.metadata.sorted_tables
        if table.name != "api_tokens"
    }


def assert_json_error(response: Any, code: int) -> str:
    assert response.status_code == code, response.get_data(as_text=True)[:500]
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] == code and isinstance(error["message"], str) and error["message"]
    return error["message"]


# -- listing plans ------------------------------------------------------------------------------


def test_executor_token_lists_approved_plans_of_its_own_organization(client, db, setup, make_user):
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a))

    response = client.get("/api/v1/plans", headers=headers)

    assert response.status_code == 200
    assert [p["id"] for p in response.get_json()["plans"]] == [setup.plan.id]


def test_controller_token_lists_drafts_too_but_not_other_organizations(client, db, setup, make_user):
    headers = bearer(db, make_user(Role.CONTROLLER))

    plans = client.get("/api/v1/plans", headers=headers).get_json()["plans"]

    assert {p["id"] for p in plans} == {setup.plan.id, setup.in_review.id, setup.draft.id}
    draft = next(p for p in plans if p["id"] == setup.draft.id)
    assert draft["state"] == "draft" and draft["approval"] is None


def test_plan_summary_json_shape(client, db, setup, make_user):
    headers = bearer(db, make_user(Role.VIEWER))

    (plan,) = client.get("/api/v1/plans", headers=headers).get_json()["plans"]

    assert plan == {
        "id": setup.plan.id,
        "title": "Approved plan",
        "kind": "work_plan",
        "state": "approved",
        "version": 1,
        "organization": "Test agency",
        "period": {"start": "2024-01-01", "end": "2024-06-30"},
        "approval": {"name": "А. Бурханов", "position": "Агентлик директори", "date": "2024-01-04"},
    }


# -- tokens -------------------------------------------------------------------------------------


def test_revoked_token_is_refused(client, db, make_user):
    user = make_user(Role.VIEWER)
    row, token = create_api_token(user, "old laptop", actor=user)
    db.session.flush()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    revoke_api_token(row, actor=user)
    db.session.flush()

    assert_json_error(client.get("/api/v1/me", headers=headers), 401)
    assert_json_error(client.get("/api/v1/plans", headers=headers), 401)


def test_token_of_a_deactivated_user_is_refused(client, db, make_user):
    user = make_user(Role.VIEWER)
    headers = bearer(db, user)
    user.is_active = False
    db.session.flush()

    assert_json_error(client.get("/api/v1/me", headers=headers), 401)


@pytest.mark.parametrize(
    "make_header",
    [
        lambda valid: "Bearer trk_" + "x" * 43,
        lambda valid: "Bearer",
        lambda valid: "Bearer    ",
        lambda valid: "Basic dXNlcjpwYXNzd29yZA==",
        lambda valid: f"Token {valid}",
        lambda valid: f"Bearer {valid[:-1]}",
        lambda valid: f"Bearer {valid}extra",
        lambda valid: valid,
    ],
    ids=[
        "unknown",
        "scheme only",
        "blank token",
        "basic auth",
        "wrong scheme",
        "truncated",
        "extended",
        "no scheme",
    ],
)
def test_malformed_or_unknown_token_is_refused(client, db, make_user, make_header):
    _row, valid = create_api_token(make_user(Role.VIEWER), "test", actor=None)
    db.session.flush()

    response = client.get("/api/v1/plans", headers={"Authorization": make_header(valid)})

    assert_json_error(response, 401)


@pytest.mark.parametrize("url", ["/api/v1/plans", "/api/v1/me", "/api/v1/measures/{measure}"])
def test_no_authentication_gives_a_json_401(client, setup, url):
    response = client.get(url.format(measure=setup.measure.id))

    assert assert_json_error(response, 401)
    assert set(response.get_json()) == {"error"}


def test_token_is_stored_hashed_and_its_use_recorded(client, db, make_user):
    user = make_user(Role.VIEWER)
    row, token = create_api_token(user, "script", actor=user)
    db.session.flush()

    stored = db.session.execute(ApiToken.__table__.select().where(ApiToken.id == row.id)).one()
    assert all(token not in str(value) for value in stored)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.last_used_at is None

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200
    assert response.get_json()["authenticated_by_token"] is True
    assert response.get_json()["email"] == user.email
    assert reload(row).last_used_at is not None


def test_cli_prints_a_working_token(app, client, db, make_user):
    user = make_user(Role.EXECUTOR, email="cli.user@example.uz")
    user_id = user.id
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["users", "token", "CLI.User@example.uz", "--name", "cron"])

    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("trk_")
    rows = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)).all()
    assert [r.name for r in rows] == ["cron"]
    assert token not in rows[0].token_hash

    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})

    assert me.status_code == 200
    assert me.get_json()["id"] == user_id


def test_cli_refuses_an_unknown_email(app, db):
    result = app.test_cli_runner().invoke(args=["users", "token", "nobody@example.uz"])

    assert result.exit_code != 0
    assert "No user" in result.output
    assert count(db, ApiToken) == 0


# -- reading a measure --------------------------------------------------------------------------


def test_measure_json_shape(client, db, setup, make_user):
    headers = bearer(db, make_user(Role.VIEWER))
    measure = setup.measure

    body = client.get(f"/api/v1/measures/{measure.id}", headers=headers).get_json()

    assert body["id"] == measure.id and body["plan_id"] == setup.plan.id
    assert body["number"] == "1"
    assert body["title"] == "Миллий маъруза тайёрлаш"
    assert body["deadline"] == {
        "text": "2024 йил январь-март",
        "kind": measure.deadline_kind,
        "start": measure.start_on.isoformat() if measure.start_on else None,
        "due": measure.due_on.isoformat() if measure.due_on else None,
        "recurrence": measure.deadline_recurrence,
    }
    for value in (body["deadline"]["start"], body["deadline"]["due"]):
        assert value is None or date.fromisoformat(value)
    assert body["responsible"] == [
        {"name": "Стратегия бошқармаси", "unit_id": setup.unit_a.id, "lead": True, "all_units": False},
        {"name": "Молия бошқармаси", "unit_id": setup.unit_b.id, "lead": False, "all_units": False},
        {"name": ALL_UNITS, "unit_id": None, "lead": False, "all_units": True},
    ]
    assert [(s["number"], s["text"], s["status"]) for s in body["steps"]] == [
        ("1", "Лойиҳа тайёрлаш", "not_started"),
        ("2", "Келишиш", "not_started"),
    ]
    assert set(body["steps"][0]) >= {"id", "number", "text", "deadline", "status", "status_note", "overdue"}
    assert set(body["steps"][0]["deadline"]) == {"text", "kind", "start", "due", "recurrence"}
    assert body["status"] == "not_started"
    assert body["lock_version"] == measure.lock_version


def test_measure_of_a_draft_plan_is_hidden_from_executors(client, db, setup, make_user):
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a))

    assert_json_error(client.get(f"/api/v1/measures/{setup.draft.measures[0].id}", headers=headers), 403)


def test_unknown_measure_is_a_json_404(client, db, make_user):
    headers = bearer(db, make_user(Role.VIEWER))

    assert_json_error(client.get("/api/v1/measures/999999", headers=headers), 404)


# -- reporting ----------------------------------------------------------------------------------


def test_reporting_progress_changes_the_measure(client, db, setup, make_user):
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a))

    response = client.post(
        f"/api/v1/measures/{setup.measure.id}/status",
        json={"status": "in_progress", "note": "Лойиҳа тайёрланмоқда"},
        headers=headers,
    )

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    measure = reload(setup.measure)
    assert measure.status == Status.IN_PROGRESS
    assert measure.status_note == "Лойиҳа тайёрланмоқда"
    assert body["status"] == "in_progress" and body["lock_version"] == measure.lock_version
    assert body["update"]["status"] == "in_progress" and body["update"]["review_state"] is None
    assert body["update"]["note"] == "Лойиҳа тайёрланмоқда"
    assert count(db, StatusUpdate) == 1


def test_reporting_done_sends_a_claim_for_review(client, db, setup, make_user):
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a))

    response = client.post(
        f"/api/v1/measures/{setup.measure.id}/status",
        json={"status": "done_claimed", "note": "Маъруза тақдим этилди"},
        headers=headers,
    )

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["update"]["review_state"] == "submitted"
    assert reload(setup.measure).status == Status.DONE_CLAIMED
    update = db.session.scalar(select(StatusUpdate).where(StatusUpdate.measure_id == setup.measure.id))
    assert update.review_state == ReviewState.SUBMITTED


def test_reporting_on_a_step_changes_the_step(client, db, setup, make_user):
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a))
    step = setup.measure.steps[0]

    response = client.post(
        f"/api/v1/steps/{step.id}/status", json={"status": "in_progress", "note": "Бошланди"}, headers=headers
    )

    assert response.status_code == 201, response.get_json()
    assert reload(step).status == Status.IN_PROGRESS
    assert response.get_json()["update"]["step_id"] == step.id


@pytest.mark.parametrize(("sent", "stored"), [(True, True), (False, False), (None, False)])
def test_a_note_can_be_reported_as_internal(client, db, setup, make_user, sent, stored):
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a))
    body = {"status": "in_progress", "note": "Ички"} | ({} if sent is None else {"is_internal": sent})

    response = client.post(f"/api/v1/measures/{setup.measure.id}/status", json=body, headers=headers)

    assert response.status_code == 201, response.get_json()
    update = db.session.get(StatusUpdate, response.get_json()["update"]["id"])
    assert update.is_internal is stored


def test_internal_must_be_true_or_false(client, db, setup, make_user):
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a, locale="en"))
    before = database_rows(db)
    body = {"status": "in_progress", "note": "x", "is_internal": "perhaps"}

    response = client.post(f"/api/v1/measures/{setup.measure.id}/status", json=body, headers=headers)

    assert "is_internal is not valid" in assert_json_error(response, 400)
    assert database_rows(db) == before


def test_executor_cannot_report_on_another_units_measure(client, db, setup, make_user):
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a))
    before = database_rows(db)

    response = client.post(
        f"/api/v1/measures/{setup.b_measure.id}/status",
        json={"status": "in_progress", "note": "Бошланди"},
        headers=headers,
    )

    assert_json_error(response, 403)
    assert database_rows(db) == before
    assert reload(setup.b_measure).status == Status.NOT_STARTED


def test_unit_cannot_set_done_directly(client, db, setup, make_user):
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a))
    before = database_rows(db)

    response = client.post(
        f"/api/v1/measures/{setup.measure.id}/status", json={"status": "done", "note": "x"}, headers=headers
    )

    assert_json_error(response, 403)
    assert database_rows(db) == before


@pytest.mark.parametrize("status", ["finished", "", None, "DONE_CLAIMED"])
def test_invalid_status_is_refused(client, db, setup, make_user, status):
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a, locale="en"))
    before = database_rows(db)

    response = client.post(
        f"/api/v1/measures/{setup.measure.id}/status", json={"status": status, "note": "x"}, headers=headers
    )

    assert "status must be one of" in assert_json_error(response, 400)
    assert database_rows(db) == before


@pytest.mark.parametrize("note", ["", "   \n ", None])
def test_empty_note_is_refused_with_a_message(client, db, setup, make_user, note):
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a, locale="en"))
    before = database_rows(db)

    response = client.post(
        f"/api/v1/measures/{setup.measure.id}/status",
        json={"status": "in_progress", "note": note},
        headers=headers,
    )

    assert "Write a note" in assert_json_error(response, 400)
    assert database_rows(db) == before


def test_non_numeric_lock_version_is_refused(client, db, setup, make_user):
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a, locale="en"))

    response = client.post(
        f"/api/v1/measures/{setup.measure.id}/status",
        json={"status": "in_progress", "note": "x", "lock_version": "one"},
        headers=headers,
    )

    assert "lock_version" in assert_json_error(response, 400)
    assert count(db, StatusUpdate) == 0


def test_stale_lock_version_is_a_conflict_naming_who_changed_it(client, db, setup, make_user):
    colleague = make_user(Role.EXECUTOR, unit=setup.unit_a, name="Дилноза Каримова")
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a, locale="en"))
    opened_at_version = setup.measure.lock_version
    services.submit_status_update(setup.measure, status=Status.IN_PROGRESS, note="Бошладик", actor=colleague)
    db.session.commit()
    before = database_rows(db)

    response = client.post(
        f"/api/v1/measures/{setup.measure.id}/status",
        json={"status": "done_claimed", "note": "Тугади", "lock_version": opened_at_version},
        headers=headers,
    )

    assert "Дилноза Каримова" in assert_json_error(response, 409)
    assert database_rows(db) == before
    assert reload(setup.measure).status == Status.IN_PROGRESS


def test_current_lock_version_is_accepted(client, db, setup, make_user):
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a))

    response = client.post(
        f"/api/v1/measures/{setup.measure.id}/status",
        json={"status": "in_progress", "note": "x", "lock_version": setup.measure.lock_version},
        headers=headers,
    )

    assert response.status_code == 201, response.get_json()


def test_multipart_report_stores_the_evidence_file(app, client, db, setup, make_user):
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a))

    response = client.post(
        f"/api/v1/measures/{setup.measure.id}/status",
        data={
            "status": "in_progress",
            "note": "Далолатнома илова қилинди",
            "files": (io.BytesIO(PDF), "акт.pdf"),
        },
        content_type="multipart/form-data",
        headers=headers,
    )

    assert response.status_code == 201, response.get_json()
    (attachment,) = db.session.scalars(select(Attachment)).all()
    digest = hashlib.sha256(PDF).hexdigest()
    assert attachment.sha256 == digest
    assert attachment.size == len(PDF)
    assert attachment.original_name == "акт.pdf"
    assert attachment.mime_type == "application/pdf"
    assert attachment.status_update.measure_id == setup.measure.id
    stored = Path(app.config["ATTACHMENTS_DIR"]) / digest[:2] / digest
    assert stored.read_bytes() == PDF
    assert response.get_json()["update"]["attachments"] == [
        {"id": attachment.id, "name": "акт.pdf", "size": len(PDF), "sha256": digest}
    ]
    assert reload(setup.measure).status == Status.IN_PROGRESS


@pytest.mark.parametrize("with_a_good_file", [False, True], ids=["alone", "after a good file"])
def test_fake_pdf_is_refused_and_nothing_is_stored(app, client, db, setup, make_user, with_a_good_file):
    headers = bearer(db, make_user(Role.EXECUTOR, unit=setup.unit_a, locale="en"))
    uploads = [(io.BytesIO(PDF), "good.pdf")] if with_a_good_file else []
    uploads.append((io.BytesIO(b"hello"), "x.pdf"))
    before = database_rows(db)

    response = client.post(
        f"/api/v1/measures/{setup.measure.id}/status",
        data={"status": "in_progress", "note": "Файл илова қилинди", "files": uploads},
        content_type="multipart/form-data",
        headers=headers,
    )

    assert "x.pdf" in assert_json_error(response, 400)
    assert count(db, StatusUpdate) == 0
    assert count(db, Attachment) == 0
    assert database_rows(db) == before
    assert reload(setup.measure).status == Status.NOT_STARTED
    fake = hashlib.sha256(b"hello").hexdigest()
    assert not (Path(app.config["ATTACHMENTS_DIR"]) / fake[:2] / fake).exists()


def test_a_post_without_any_credentials_is_401_not_a_csrf_error(db, client, app):
    response = client.post("/api/v1/measures/1/status", json={"status": "in_progress", "note": "x"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == 401
