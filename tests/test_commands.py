"""The command line: users, tokens and the demo data (the two seed plans)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tracker.auth.models import ApiToken, User, hash_token
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.execution.models import StatusUpdate
from tracker.plans.models import Measure, Plan, PlanKind, PlanState


@pytest.fixture
def cli(app, db):
    return app.test_cli_runner()


@pytest.fixture
def demo(cli):
    result = cli.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return result


def test_users_create_with_roles_unit_and_prompted_password(db, cli, organization, make_unit):
    make_unit("Матбуот хизмати")
    result = cli.invoke(
        args=[
            "users",
            "create",
            "Press@Example.uz",
            "--name",
            "Матбуот котиби",
            "--role",
            "executor",
            "--role",
            "unit_head",
            "--unit",
            "Матбуот хизмати",
        ],
        input="long-password\nlong-password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "press@example.uz"))
    assert user.roles == {Role.EXECUTOR, Role.UNIT_HEAD} and user.unit.name == "Матбуот хизмати"
    assert user.check_password("long-password")


def test_users_create_refuses_bad_input_and_creates_nothing(db, cli, organization):
    for args in (
        ["--role", "emperor"],
        ["--role", "viewer", "--unit", "Йўқ бўлим"],
        ["--role", "viewer", "--password", "short"],
    ):
        result = cli.invoke(args=["users", "create", "x@example.uz", "--name", "X", *args])
        assert result.exit_code != 0
    assert db.session.scalar(select(User).where(User.email == "x@example.uz")) is None


def test_users_token_prints_a_working_token_stored_hashed(db, cli, client, make_user):
    user = make_user(Role.VIEWER, email="api@example.uz")
    result = cli.invoke(args=["users", "token", "api@example.uz"])
    assert result.exit_code == 0
    token = result.output.strip()
    stored = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json["email"] == "api@example.uz"


def test_demo_load_is_idempotent(db, cli, demo):
    counts = [db.session.scalar(select(func.count()).select_from(model)) for model in (User, Plan, Measure)]
    again = cli.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and "0 plans created" in again.output
    assert [
        db.session.scalar(select(func.count()).select_from(model)) for model in (User, Plan, Measure)
    ] == counts
    for role in Role:
        assert f"{role.value}@demo.uz" in demo.output or role.value in demo.output


def test_demo_work_plan_is_seed_003(db, demo):
    plan = db.session.scalar(select(Plan).where(Plan.kind == PlanKind.WORK_PLAN))
    numbers = [m.number for m in plan.measures]
    assert numbers[:3] == ["1", "3", "4"] and "2" not in numbers and len(numbers) == 30
    assert (plan.state, plan.approval_name, plan.approval_date) == (
        PlanState.APPROVED,
        "А. Бурханов",
        date(2024, 1, 4),
    )
    assert plan.approval_position == "Коррупцияга қарши курашиш агентлиги директори"
    first = plan.measures[0]
    assert first.deadline_text == "2024 йил январь-март" and first.due_on == date(2024, 3, 31)
    assert [r.display_name for r in first.responsibles] == [
        "Тизимли таҳлил ва прогнозлаштириш йиғма бўлими",
        "Барча таркибий тармоқлар",
    ]
    assert first.responsibles[1].is_all_units
    assert len(first.steps) == 2
    assert "ПФ-200-сон" in first.legal_basis


def test_demo_roadmap_is_seed_004_with_its_statuses_as_of_4_october_2022(db, demo):
    plan = db.session.scalar(select(Plan).where(Plan.kind == PlanKind.ROADMAP))
    assert [m.number for m in plan.measures] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    statuses = {m.number: m.status for m in plan.measures}
    assert statuses["1"] == Status.DONE and statuses["3"] == Status.IN_PROGRESS
    assert plan.measures[0].status_note.startswith("Бажарилди")
    effective = set(
        db.session.scalars(select(StatusUpdate.effective_on).join(Measure).where(Measure.plan_id == plan.id))
    )
    assert effective == {date(2022, 10, 4)}
    third = plan.measures[2]
    assert [s.deadline_text for s in third.steps] == [
        "2021 йил январь",
        "Ҳар йили 1 декабрга қадар",
        "Доимий равишда",
    ]


def test_translate_check_reports_code_strings_missing_from_a_catalog():
    from tracker.core.translate_cli import catalog_problems, code_message_ids

    ids = code_message_ids()
    assert "Report progress" in ids and "Plan tracker" in ids
    problems = catalog_problems("ru", ids | {"A sentence added to the code but never translated"})
    assert any("missing" in p and "never translated" in p for p in problems)


def test_demo_shows_work_in_motion(db, demo):
    plan = db.session.scalar(select(Plan).where(Plan.kind == PlanKind.WORK_PLAN))
    statuses = {m.number: m.status for m in plan.measures}
    assert statuses["1"] == Status.NOT_STARTED  # left for trying the forms
    assert statuses["3"] == Status.IN_PROGRESS and statuses["4"] == Status.DONE_CLAIMED


def test_reports_pdf_cuts_a_long_table_as_a_warm_web_worker_does(app, db, make_plan, monkeypatch, tmp_path):
    """A fresh `flask reports pdf` starts its layout helpers with the command and waits for them
    (briefly) before the layout: a table of REPORTS_PARALLEL_MIN_ROWS rows or more is laid out in
    pieces, as a web worker with warm helpers lays it out, not by this process alone."""
    from tracker.reports import cli as reports_cli
    from tracker.reports import layout_pool

    layout_pool.stop_workers()
    plan = make_plan(measures=[{"number": str(n), "title": f"Тадбир {n}"} for n in range(1, 5)])
    db.session.commit()
    monkeypatch.setitem(app.config, "REPORTS_LAYOUT_PROCESSES", 2)
    monkeypatch.setitem(app.config, "REPORTS_PARALLEL_MIN_ROWS", 3)
    monkeypatch.setattr(reports_cli, "HELPER_GRACE_SECONDS", 120.0)  # a loaded test machine
    pieces: list[str] = []
    send = layout_pool.Worker.pdf

    def spy(worker: layout_pool.Worker, html: str) -> bytes:
        pieces.append(html)
        return send(worker, html)

    monkeypatch.setattr(layout_pool.Worker, "pdf", spy)
    output = tmp_path / "status.pdf"
    try:
        result = app.test_cli_runner().invoke(args=["reports", "pdf", str(plan.id), "-o", str(output)])
    finally:
        layout_pool.stop_workers()
    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith(b"%PDF") and len(pieces) == 1  # one piece went to the helper
