"""Plans: the list and the official table, editing drafts, approval, versions and locking."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import flashes, measure_by_number, post_form, reload, soup_of
from tracker.core.errors import InvalidInput, InvalidTransition, PermissionDenied, StaleEdit
from tracker.core.models import AuditEntry
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.execution import services as execution
from tracker.plans import services
from tracker.plans.models import Measure, PlanKind, PlanState, PlanVersion


@pytest.fixture
def people(make_user, make_unit):
    unit = make_unit("Тизимли таҳлил бўлими")
    return {
        "unit": unit,
        "controller": make_user(Role.CONTROLLER, name="Д. Каримова"),
        "director": make_user(Role.DIRECTOR, name="А. Бурханов", position="Агентлик директори"),
        "executor": make_user(Role.EXECUTOR, unit=unit),
        "viewer": make_user(Role.VIEWER),
    }


def audit_actions(db, entity_type: str, entity_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        )
    )


# -- the workflow in services -------------------------------------------------------------------


def test_draft_to_review_to_approved_records_the_approval_block(db, organization, people):
    plan = services.create_plan(
        organization,
        services.PlanData(
            kind=PlanKind.WORK_PLAN,
            title="Иш режаси",
            period_start=date(2024, 1, 1),
            period_end=date(2024, 6, 30),
        ),
        actor=people["controller"],
    )
    with pytest.raises(InvalidTransition):  # nothing to approve yet
        services.submit_plan(plan, actor=people["controller"])
    services.add_measure(
        plan,
        services.MeasureData(number="1", title="Стратегия", deadline_text="2024 йил январь-март"),
        actor=people["controller"],
    )
    services.submit_plan(plan, actor=people["controller"])
    assert plan.state == PlanState.IN_REVIEW
    with pytest.raises(PermissionDenied):
        services.approve_plan(
            plan, actor=people["controller"], position=None, name="x", approval_date=date.today()
        )
    services.approve_plan(
        plan,
        actor=people["director"],
        position="Коррупцияга қарши курашиш агентлиги директори",
        name="А. Бурханов",
        approval_date=date(2024, 1, 4),
    )
    assert (plan.state, plan.approval_name, plan.approval_date, plan.approver_id) == (
        PlanState.APPROVED,
        "А. Бурханов",
        date(2024, 1, 4),
        people["director"].id,
    )
    (version,) = plan.versions
    assert version.number == 1 and version.snapshot["measures"][0]["title"] == "Стратегия"
    assert audit_actions(db, "plan", plan.id) == ["create", "submit", "approve"]


def test_director_returns_a_plan_with_a_comment(db, make_plan, people):
    plan = make_plan(state=PlanState.IN_REVIEW)
    with pytest.raises(InvalidInput):
        services.return_plan(plan, actor=people["director"], comment="  ")
    services.return_plan(plan, actor=people["director"], comment="3-бандни аниқлаштиринг")
    assert plan.state == PlanState.DRAFT and plan.review_comment == "3-бандни аниқлаштиринг"


def test_an_approved_plan_is_locked(db, make_plan, people):
    plan = make_plan()
    measure = plan.measures[0]
    for change in (
        lambda: services.update_measure(
            measure,
            services.MeasureData(number="1", title="Янги"),
            actor=people["controller"],
            expected_version=None,
        ),
        lambda: services.add_measure(
            plan, services.MeasureData(number="9", title="x"), actor=people["controller"]
        ),
        lambda: services.delete_measure(measure, actor=people["controller"]),
        lambda: services.add_step(
            measure, services.StepData(number="1", text="x"), actor=people["controller"]
        ),
    ):
        with pytest.raises(InvalidTransition):
            change()
    assert reload(measure).title != "Янги"


def test_revising_opens_a_new_version_and_keeps_the_approved_one_readable(
    db, client, make_plan, people, login_as
):
    plan = make_plan(measures=[{"number": "1", "title": "Эски ном"}])
    services.revise_plan(plan, actor=people["controller"])
    assert (plan.state, plan.version, plan.approval_name) == (PlanState.DRAFT, 2, None)
    services.update_measure(
        plan.measures[0],
        services.MeasureData(number="1", title="Янги ном"),
        actor=people["controller"],
        expected_version=None,
    )
    db.session.commit()
    login_as(people["executor"])  # the plan was approved once, so units still see it
    old = client.get(f"/plans/{plan.id}/versions/1").get_data(as_text=True)
    assert "Эски ном" in old and "Янги ном" not in old
    assert "Янги ном" in client.get(f"/plans/{plan.id}").get_data(as_text=True)
    services.submit_plan(plan, actor=people["controller"])
    services.approve_plan(
        plan, actor=people["director"], position=None, name="А. Бурханов", approval_date=date(2024, 3, 1)
    )
    assert [v.number for v in plan.versions] == [1, 2]


def test_status_reports_continue_while_a_revision_is_drafted(db, make_plan, people):
    plan = make_plan(measures=[{"number": "1", "title": "x", "lead_unit_id": people["unit"].id}])
    services.revise_plan(plan, actor=people["controller"])
    execution.submit_status_update(
        plan.measures[0], status=Status.IN_PROGRESS, note="Давом этмоқда", actor=people["executor"]
    )
    assert plan.measures[0].status == Status.IN_PROGRESS


def test_a_measure_with_history_is_hidden_not_destroyed(db, make_plan, people):
    plan = make_plan(
        measures=[
            {"number": "1", "title": "a", "lead_unit_id": people["unit"].id},
            {"number": "3", "title": "b"},
        ]
    )
    first = plan.measures[0]
    execution.submit_status_update(first, status=Status.IN_PROGRESS, note="x", actor=people["executor"])
    services.revise_plan(plan, actor=people["controller"])
    services.delete_measure(first, actor=people["controller"])
    assert [m.number for m in plan.measures] == ["3"]
    assert reload(first).deleted_at is not None
    assert plan.versions[0].snapshot["measures"][0]["title"] == "a"


def test_a_draft_measure_without_history_is_deleted(db, make_plan, people):
    plan = make_plan(
        state=PlanState.DRAFT, measures=[{"number": "1", "title": "a"}, {"number": "2", "title": "b"}]
    )
    gone = plan.measures[0].id
    services.delete_measure(plan.measures[0], actor=people["controller"])
    assert db.session.get(Measure, gone) is None
    assert audit_actions(db, "measure", gone)[-1] == "delete"


def test_numbers_are_kept_as_written_with_gaps_and_must_be_unique(db, make_plan, people):
    plan = make_plan(
        state=PlanState.DRAFT,
        measures=[
            {"number": "1", "title": "a"},
            {"number": "3", "title": "b"},
            {"number": "5.2", "title": "c"},
        ],
    )
    assert [m.number for m in plan.measures] == ["1", "3", "5.2"]
    with pytest.raises(InvalidInput):
        services.add_measure(plan, services.MeasureData(number="3", title="d"), actor=people["controller"])


def test_reordering_moves_measures_and_steps(db, make_plan, people):
    plan = make_plan(
        state=PlanState.DRAFT,
        measures=[
            {
                "number": "1",
                "title": "a",
                "steps": [{"number": "1", "text": "s1"}, {"number": "2", "text": "s2"}],
            },
            {"number": "3", "title": "b"},
            {"number": "4", "title": "c"},
        ],
    )
    services.move_measure(measure_by_number(plan, "4"), actor=people["controller"], offset=-1)
    assert [m.number for m in reload(plan).measures] == ["1", "4", "3"]
    services.move_measure(
        measure_by_number(plan, "1"), actor=people["controller"], offset=-1
    )  # already first
    assert [m.number for m in reload(plan).measures] == ["1", "4", "3"]
    measure = measure_by_number(plan, "1")
    services.move_step(measure.steps[1], actor=people["controller"], offset=-1)
    assert [s.text for s in reload(measure).steps] == ["s2", "s1"]


def test_responsibles_lead_co_executors_and_free_text(db, make_plan, make_unit, people):
    press = make_unit("Матбуот хизмати")
    plan = make_plan(
        state=PlanState.DRAFT,
        measures=[
            {
                "number": "30",
                "title": "Ҳисобдорлик",
                "lead_unit_id": press.id,
                "co_unit_ids": [people["unit"].id],
                "other_responsible": ["Барча таркибий тармоқлар", "Ташқи ташкилот"],
            }
        ],
    )
    rows = plan.measures[0].responsibles
    assert [(r.display_name, r.is_lead, r.is_all_units) for r in rows] == [
        ("Матбуот хизмати", True, False),
        ("Тизимли таҳлил бўлими", False, False),
        ("Барча таркибий тармоқлар", False, True),
        ("Ташқи ташкилот", False, False),
    ]


def test_a_unit_of_another_organization_cannot_be_responsible(db, make_plan, make_unit, people):
    from tracker.orgs.models import Organization

    other = Organization(name="Бошқа идора")
    db.session.add(other)
    foreign = make_unit("Бегона бўлим", org=other)
    plan = make_plan(state=PlanState.DRAFT)
    with pytest.raises(InvalidInput):
        services.add_measure(
            plan,
            services.MeasureData(number="2", title="x", lead_unit_id=foreign.id),
            actor=people["controller"],
        )


def test_deadline_text_is_parsed_into_dates_with_the_plan_year(db, make_plan, people):
    plan = make_plan(
        state=PlanState.DRAFT,
        measures=[
            {"number": "1", "title": "a", "deadline_text": "2024 йил январь-март"},
            {"number": "3", "title": "b", "deadline_text": "Ҳар чоракда"},
            {"number": "4", "title": "c", "deadline_text": "Алоҳида графикка мувофиқ"},
            {"number": "5", "title": "d", "deadline_text": "нимадир", "due_on": date(2024, 5, 1)},
        ],
    )
    a, b, c, d = plan.measures
    assert (a.deadline_kind, a.start_on, a.due_on) == ("range", date(2024, 1, 1), date(2024, 3, 31))
    assert b.deadline_kind == "recurring" and b.deadline_recurrence
    assert (c.deadline_kind, c.due_on) == ("schedule", None)
    assert d.due_on == date(2024, 5, 1) and d.deadline_text == "нимадир"


def test_stale_measure_edit_is_refused_naming_who_saved(db, make_plan, make_user, people):
    plan = make_plan(state=PlanState.DRAFT)
    measure = plan.measures[0]
    opened = measure.lock_version
    other = make_user(Role.CONTROLLER, name="Б. Юсупов")
    services.update_measure(
        measure,
        services.MeasureData(number="1", title="Биринчи таҳрир"),
        actor=other,
        expected_version=opened,
    )
    with pytest.raises(StaleEdit) as error:
        services.update_measure(
            measure,
            services.MeasureData(number="1", title="Иккинчи"),
            actor=people["controller"],
            expected_version=opened,
        )
    assert "Б. Юсупов" in error.value.message


def test_every_change_is_audited_with_before_and_after(db, make_plan, people):
    plan = make_plan(state=PlanState.DRAFT, measures=[{"number": "1", "title": "Эски"}])
    measure = plan.measures[0]
    services.update_measure(
        measure,
        services.MeasureData(number="1", title="Янги"),
        actor=people["controller"],
        expected_version=None,
    )
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "measure", AuditEntry.action == "update")
    ).one()
    assert entry.before["title"] == "Эски" and entry.after["title"] == "Янги"
    assert entry.actor_id == people["controller"].id


# -- pages ------------------------------------------------------------------------------------


def test_plan_list_filters_by_kind_state_and_year(db, client, make_plan, people, login_as):
    make_plan(title="Иш режаси 2024")
    make_plan(title="Йўл харитаси", kind=PlanKind.ROADMAP)
    make_plan(title="Лойиҳа режа", state=PlanState.DRAFT)
    login_as(people["controller"])

    def titles(query: str) -> set[str]:
        page = soup_of(client.get("/plans" + query))
        return {a.get_text(strip=True) for a in page.select("table a")}

    assert titles("") == {"Иш режаси 2024", "Йўл харитаси", "Лойиҳа режа"}
    assert titles("?kind=roadmap") == {"Йўл харитаси"}
    assert titles("?state=draft") == {"Лойиҳа режа"}
    assert titles("?year=2024") == {"Иш режаси 2024", "Йўл харитаси", "Лойиҳа режа"}
    assert titles("?year=2021") == set()


def test_plan_page_is_the_official_table_with_filters(db, client, make_plan, make_unit, people, login_as):
    press = make_unit("Матбуот хизмати")
    plan = make_plan(
        measures=[
            {
                "number": "1",
                "title": "Стратегия",
                "lead_unit_id": people["unit"].id,
                "legal_basis": "27.11.2023 й. ПФ-200-сон Фармони",
                "expected_result": "Кўрсаткичлар белгиланади",
            },
            {"number": "3", "title": "Маъруза", "lead_unit_id": press.id, "deadline_text": "Доимий равишда"},
        ]
    )
    execution.submit_status_update(
        plan.measures[0], status=Status.IN_PROGRESS, note="x", actor=people["executor"]
    )
    login_as(people["viewer"])
    page = soup_of(client.get(f"/plans/{plan.id}"))
    headers = [th.get_text(strip=True) for th in page.select("#measures thead th")]
    assert len(headers) == 8 and headers[0] == "№"
    first = page.find("tr", {"data-number": "1"})
    assert "ПФ-200-сон" in first.get_text() and "Кўрсаткичлар" in first.get_text()

    def numbers(query: str) -> list[str]:
        return [
            tr["data-number"]
            for tr in soup_of(client.get(f"/plans/{plan.id}{query}")).select("tr[data-number]")
        ]

    assert numbers(f"?unit={press.id}") == ["3"]
    assert numbers("?status=in_progress") == ["1"]
    assert numbers("?overdue=overdue") == ["1"]  # "Доимий равишда" has no due date
    assert numbers("?overdue=on_time") == ["3"]
    assert client.get(f"/plans/{plan.id}?status=bogus").status_code == 400  # unknown choice


def test_controller_creates_and_edits_through_the_forms(db, client, people, login_as):
    login_as(people["controller"])
    response = post_form(
        client,
        "/plans/new",
        {
            "kind": "work_plan",
            "title": "Янги иш режаси",
            "period_start": "01.07.2024",
            "period_end": "2024-12-31",
        },
    )
    assert response.status_code == 302
    plan_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    response = post_form(
        client,
        f"/plans/{plan_id}/measures/new",
        {
            "number": "1",
            "title": "Семинар",
            "deadline_text": "2024 йил сентябрь",
            "lead_unit_id": str(people["unit"].id),
            "other_responsible": "Барча таркибий тармоқлар",
        },
    )
    assert response.status_code == 302
    measure = db.session.scalars(select(Measure).where(Measure.plan_id == plan_id)).one()
    assert measure.due_on == date(2024, 9, 30) and measure.lead.unit_id == people["unit"].id
    response = post_form(client, f"/measures/{measure.id}/steps/new", {"number": "1", "text": "Режа тузиш"})
    assert response.status_code == 302 and reload(measure).steps[0].text == "Режа тузиш"


def test_a_malformed_date_gets_a_clear_error_and_changes_nothing(db, client, people, login_as):
    login_as(people["controller"])
    response = post_form(
        client, "/plans/new", {"kind": "work_plan", "title": "Режа", "period_start": "31.02.2024"}
    )
    assert response.status_code == 200
    error = soup_of(response).select_one("#period_start ~ .invalid-feedback")
    assert error is not None and "31.02.2024" in error.get_text()
    from tracker.plans.models import Plan

    assert db.session.scalars(select(Plan)).all() == []


def test_approval_through_the_pages(db, client, make_plan, people, login_as):
    plan = make_plan(state=PlanState.DRAFT)
    login_as(people["controller"])
    assert post_form(client, f"/plans/{plan.id}/submit").status_code == 302
    assert reload(plan).state == PlanState.IN_REVIEW
    director = client.application.test_client()
    from tests.conftest import login

    login(director, people["director"])
    response = post_form(
        director,
        f"/plans/{plan.id}/approve",
        {"position": "Агентлик директори", "name": "А. Бурханов", "approval_date": "04.01.2024"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    plan = reload(plan)
    assert (plan.state, plan.approval_date, plan.approval_position) == (
        PlanState.APPROVED,
        date(2024, 1, 4),
        "Агентлик директори",
    )
    block = soup_of(response).select_one(".approval-block").get_text(" ", strip=True)
    assert "А. Бурханов" in block and "Агентлик директори" in block


def test_edit_forms_of_a_locked_plan_say_so_at_once(db, client, make_plan, people, login_as):
    plan = make_plan()
    login_as(people["controller"])
    response = client.get(f"/measures/{plan.measures[0].id}/edit", follow_redirects=True)
    assert any("locked" in f.lower() or "new version" in f.lower() for f in flashes(response)) or flashes(
        response
    )
    assert response.request.path == f"/plans/{plan.id}"


def test_version_pages_exist_only_for_approved_versions(db, client, make_plan, people, login_as):
    plan = make_plan()
    login_as(people["viewer"])
    assert client.get(f"/plans/{plan.id}/versions/1").status_code == 200
    assert client.get(f"/plans/{plan.id}/versions/2").status_code == 404
    assert db.session.scalars(select(PlanVersion)).one().approval_name == "А. Бурханов"
