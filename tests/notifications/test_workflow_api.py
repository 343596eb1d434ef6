"""The workflow API: same rules as the pages, typed and bounded bodies, and the OpenAPI document.

Every response below is also checked against /api/v1/openapi.json by the test client
(tests/api_contract.py); the last test makes sure every documented operation was exercised.
"""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from tests import api_contract
from tracker.auth.services import create_api_token
from tracker.core.status import Status
from tracker.execution import services as execution
from tracker.plans.models import PlanState


@pytest.fixture
def tokens(db, office):
    result = {}
    for role in ("executor", "head", "controller", "director"):
        user = getattr(office, role)
        result[role] = {"Authorization": "Bearer " + create_api_token(user, "bot", actor=user)[1]}
    db.session.commit()
    return result


def _claim(db, office):
    update = execution.submit_status_update(
        office.plan.measures[0], status=Status.DONE_CLAIMED, note="Тайёр", actor=office.executor
    )
    db.session.commit()
    return update


def test_the_document_is_openapi_3_1_and_describes_every_route(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    from tracker.api.openapi import undocumented

    assert undocumented(app) == []
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)  # each component is valid JSON Schema 2020-12
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation["responses"], f"{method} {path}"


def test_review_through_the_api(client, db, office, tokens):
    update = _claim(db, office)
    reviews = client.get("/api/v1/reviews", headers=tokens["controller"]).get_json()["reviews"]
    assert [(r["id"], r["measure_id"], r["status"], r["author"]) for r in reviews] == [
        (update.id, update.measure_id, "done_claimed", "Ижрочи Али")
    ]
    assert client.get("/api/v1/reviews", headers=tokens["executor"]).status_code == 403
    url = f"/api/v1/status-updates/{update.id}/review"
    refused = client.post(url, json={"decision": "return"}, headers=tokens["controller"])
    assert refused.status_code == 400 and refused.get_json()["error"]["message"]
    returned = client.post(
        url, json={"decision": "return", "comment": "Илова йўқ"}, headers=tokens["controller"]
    )
    assert returned.status_code == 200 and returned.get_json()["review_state"] == "returned"
    again = client.post(url, json={"decision": "accept"}, headers=tokens["controller"])
    assert again.status_code == 409

    listing = client.get("/api/v1/notifications?unread=1", headers=tokens["executor"]).get_json()
    [mine] = [n for n in listing["notifications"] if n["kind"] == "claim_returned"]
    assert "Илова йўқ" in mine["text"] and mine["measure_id"] == update.measure_id and mine["read"] is False
    read = client.post(f"/api/v1/notifications/{mine['id']}/read", headers=tokens["executor"])
    assert read.get_json()["notification"]["read"] is True
    assert client.post(f"/api/v1/notifications/{mine['id']}/read", headers=tokens["head"]).status_code == 403

    inbox = client.get("/api/v1/inbox", headers=tokens["executor"]).get_json()
    assert inbox["unit"]["returned"]["items"][0]["reason"] == "Илова йўқ"
    assert inbox["controller"] is None and inbox["director"] is None


def test_plan_decisions_through_the_api(client, db, office, tokens, make_plan):
    plan = make_plan(state=PlanState.DRAFT, title="API режа")
    db.session.commit()
    assert (
        client.post(
            f"/api/v1/plans/{plan.id}/approve",
            json={"name": "X", "date": "2025-01-05"},
            headers=tokens["director"],
        ).status_code
        == 409
    )
    assert (
        client.post(f"/api/v1/plans/{plan.id}/submit", headers=tokens["controller"]).get_json()["plan"][
            "state"
        ]
        == "in_review"
    )
    assert client.post(f"/api/v1/plans/{plan.id}/submit", headers=tokens["executor"]).status_code == 403
    inbox = client.get("/api/v1/inbox", headers=tokens["director"]).get_json()
    assert [p["id"] for p in inbox["director"]["plans_awaiting_approval"]["items"]] == [plan.id]
    back = client.post(
        f"/api/v1/plans/{plan.id}/return", json={"comment": "Аниқлаштиринг"}, headers=tokens["director"]
    )
    assert back.get_json()["plan"]["state"] == "draft"
    client.post(f"/api/v1/plans/{plan.id}/submit", headers=tokens["controller"])
    approved = client.post(
        f"/api/v1/plans/{plan.id}/approve",
        json={"position": "Директор", "name": "К. Каримов", "date": "2025-01-05"},
        headers=tokens["director"],
    )
    assert approved.status_code == 200 and approved.get_json()["plan"]["approval"]["date"] == "2025-01-05"
    kinds = [
        n["kind"]
        for n in client.get("/api/v1/notifications", headers=tokens["controller"]).get_json()["notifications"]
    ]
    assert "plan_returned" in kinds and "plan_approved" in kinds


def test_comments_through_the_api(client, db, office, tokens):
    measure = office.plan.measures[0]
    url = f"/api/v1/measures/{measure.id}/comments"
    created = client.post(
        url, json={"body": "@head кўриб чиқинг", "mention_unit_ids": []}, headers=tokens["controller"]
    )
    assert created.status_code == 201
    assert created.get_json()["comment"]["mentions"] == [{"user_id": office.head.id, "name": "Бошлиқ Вали"}]
    assert [c["body"] for c in client.get(url, headers=tokens["executor"]).get_json()["comments"]] == [
        "@head кўриб чиқинг"
    ]
    assert any(
        n["kind"] == "mention"
        for n in client.get("/api/v1/notifications", headers=tokens["head"]).get_json()["notifications"]
    )
    wrong_step = client.post(url, json={"body": "x", "step_id": 999999}, headers=tokens["controller"])
    assert wrong_step.status_code == 400


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("status", [1, 2], None),  # not an object
        ("status", "just text", None),
        ("status", {"status": "in_progress", "note": ["a", "list"]}, "note"),  # a list where text belongs
        ("status", {"status": "in_progress", "note": "x", "lock_version": "²"}, "lock_version"),
        ("status", {"status": "in_progress", "note": "x", "lock_version": 10**12}, "lock_version"),
        ("status", {"status": "in_progress", "note": "x" * 20_001}, "note"),
        ("status", {"status": "in_progress", "note": "x", "extra": 1}, "extra"),
        ("comments", {"body": {"nested": "object"}}, "body"),
        ("comments", {"body": "x", "mention_user_ids": ["a"]}, "mention_user_ids.0"),
    ],
)
def test_bad_bodies_are_a_translated_400_never_a_500(client, db, office, tokens, path, body, field):
    measure = office.plan.measures[0]
    response = client.post(f"/api/v1/measures/{measure.id}/{path}", json=body, headers=tokens["executor"])
    assert response.status_code == 400
    error = response.get_json()["error"]
    # The executor reads Uzbek Cyrillic: the message is in Cyrillic, and names the field.
    assert any("\u0400" <= ch <= "\u04ff" for ch in error["message"])
    if field:
        assert field in {p["field"] for p in error["errors"]}


def test_invalid_json_is_a_400(client, db, office, tokens):
    measure = office.plan.measures[0]
    response = client.post(
        f"/api/v1/measures/{measure.id}/status",
        data=b"{not json",
        headers={**tokens["executor"], "Content-Type": "application/json"},
    )
    assert response.status_code == 400


def _walk_every_operation(client, db, office, tokens, make_plan) -> dict[tuple[str, str], int]:
    """One successful call per documented operation, made here (not borrowed from other files)."""
    measure = office.plan.measures[0]
    stepped = make_plan(
        title="Йўл харитаси",
        measures=[
            {
                "number": "1",
                "title": "Очиқ маълумотлар",
                "lead_unit_id": office.department.id,
                "steps": [{"number": "1", "text": "Рўйхатни тузиш", "deadline_text": "2024 йил март"}],
            }
        ],
    )
    step = stepped.measures[0].steps[0]
    draft = make_plan(state=PlanState.DRAFT, title="2025 йил иш режаси")
    db.session.commit()
    ex, head, ctl, director = tokens["executor"], tokens["head"], tokens["controller"], tokens["director"]
    answered: dict[tuple[str, str], int] = {}

    def call(method: str, template: str, url: str, headers=None, body=None) -> dict:
        response = client.open(url, method=method, json=body, headers=headers or {})
        answered[(method, template)] = response.status_code
        return response.get_json()

    m, p, s = measure.id, draft.id, step.id
    call("GET", "/api/v1/openapi.json", "/api/v1/openapi.json")
    call("GET", "/api/v1/me", "/api/v1/me", ex)
    call("GET", "/api/v1/plans", "/api/v1/plans", ex)
    call("GET", "/api/v1/plans/{plan_id}", f"/api/v1/plans/{office.plan.id}", ex)
    call("GET", "/api/v1/measures/{measure_id}", f"/api/v1/measures/{m}", ex)
    call("GET", "/api/v1/search", "/api/v1/search?q=маъруза", ex)
    call("GET", "/api/v1/inbox", "/api/v1/inbox", ex)
    working = {"status": "in_progress", "note": "Бошланди"}
    call("POST", "/api/v1/steps/{step_id}/status", f"/api/v1/steps/{s}/status", ex, working)
    call(
        "POST",
        "/api/v1/measures/{measure_id}/comments",
        f"/api/v1/measures/{m}/comments",
        ex,
        {"body": "Тайёр"},
    )
    call("GET", "/api/v1/measures/{measure_id}/comments", f"/api/v1/measures/{m}/comments", ex)
    claim = {"status": "done_claimed", "note": "Тайёр"}
    call("POST", "/api/v1/measures/{measure_id}/status", f"/api/v1/measures/{m}/status", ex, claim)
    [review] = call("GET", "/api/v1/reviews", "/api/v1/reviews", ctl)["reviews"]
    verdict = {"decision": "return", "comment": "Далил илова қилинг"}
    url = f"/api/v1/status-updates/{review['id']}/review"
    call("POST", "/api/v1/status-updates/{update_id}/review", url, ctl, verdict)
    [first, *_rest] = call("GET", "/api/v1/notifications", "/api/v1/notifications", ex)["notifications"]
    url = f"/api/v1/notifications/{first['id']}/read"
    call("POST", "/api/v1/notifications/{notification_id}/read", url, ex)
    extension = {
        "deadline_text": "2024 йил апрель",
        "reason": "Маълумотлар кечикди",
        "basis": "01-12/345-сон хат",
    }
    call("POST", "/api/v1/measures/{measure_id}/deadline", f"/api/v1/measures/{m}/deadline", head, extension)
    call("POST", "/api/v1/steps/{step_id}/deadline", f"/api/v1/steps/{s}/deadline", ctl, extension)
    call("POST", "/api/v1/plans/{plan_id}/submit", f"/api/v1/plans/{p}/submit", ctl)
    call(
        "POST",
        "/api/v1/plans/{plan_id}/return",
        f"/api/v1/plans/{p}/return",
        director,
        {"comment": "Аниқланг"},
    )
    client.post(f"/api/v1/plans/{p}/submit", headers=ctl)
    approval = {"position": "Агентлик директори", "name": "Б. Каримов", "date": "2025-01-05"}
    call("POST", "/api/v1/plans/{plan_id}/approve", f"/api/v1/plans/{p}/approve", director, approval)
    return answered


def test_zz_every_documented_operation_was_exercised(client, app, db, office, tokens, make_plan):
    """Each operation in the document answers a successful call made in this test, and the test
    client checks each answer against the document (tests/api_contract.py): so this file alone
    proves the whole document true, whatever else runs before it."""
    spec = api_contract.spec_of(app)
    documented = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    answered = _walk_every_operation(client, db, office, tokens, make_plan)
    assert documented - set(answered) == set(), "add a call for each new operation to the walk above"
    failed = {op: status for op, status in answered.items() if not 200 <= status < 300}
    assert failed == {}
    seen = {(m, p) for m, p, status in api_contract.SEEN if status.startswith("2")}
    assert documented <= seen
