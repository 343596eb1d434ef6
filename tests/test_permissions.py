"""Who may do what: every route declares its rule, anonymous users are sent to sign in,
and each role reaches exactly its own actions, within its organization and unit scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token, login, post_form, reload, soup_of
from tracker.auth.models import User
from tracker.auth.services import create_api_token
from tracker.core.permissions import ACCESS_ATTR, PERMISSIONS, Role
from tracker.core.status import Status
from tracker.execution import files, services
from tracker.execution.models import Attachment, StatusUpdate
from tracker.orgs.models import Organization, Unit
from tracker.plans.models import Measure, Plan, PlanState

EXPECTED_PUBLIC = {"core.index", "core.set_language", "core.health", "auth.login"}
# Calendar apps cannot sign in: the .ics feed is authenticated by the private token in its URL.
EXPECTED_PUBLIC.add("dashboard.ics_feed")
# The transparency pages and open data of published plans, and robots.txt (tracker/open/).
EXPECTED_PUBLIC |= {
    "open.index",
    "open.plan_page",
    "open.plan_file",
    "open.evidence_file",
    "open.catalog",
    "open.schema",
    "site.robots",
}
# The API description holds no data: clients read it before they have a token.
EXPECTED_PUBLIC.add("api.openapi")
ALL_UNITS = "Барча таркибий тармоқлар"


# -- the world every case runs in ---------------------------------------------------------------


@dataclass
class World:
    unit_a: Unit
    unit_a_sub: Unit
    unit_b: Unit
    unit_c: Unit
    other_org: Organization
    other_unit: Unit
    plan: Plan
    led_by_a: Measure
    led_by_b: Measure
    co_executed_by_c: Measure
    for_all_units: Measure
    claimed: Measure
    claim: StatusUpdate
    attachment: Attachment
    in_review: Plan
    draft: Plan
    draft_measure: Measure
    other_plan: Plan

    def unit(self, key: str | None) -> Unit | None:
        return getattr(self, key) if key else None


def _by_number(plan: Plan, number: str) -> Measure:
    return next(m for m in plan.measures if m.number == number)


@pytest.fixture
def world(db: Any, make_unit: Callable[..., Unit], make_plan: Callable[..., Plan]) -> World:
    unit_a = make_unit("Стратегия бошқармаси")
    unit_a_sub = make_unit("Таҳлил бўлими", parent=unit_a)
    unit_b = make_unit("Молия бошқармаси")
    unit_c = make_unit("Ҳуқуқ бўлими")
    other_org = Organization(name="Another agency")
    db.session.add(other_org)
    db.session.flush()
    other_unit = make_unit("Бошқа бошқарма", org=other_org)

    plan = make_plan(
        title="Approved plan",
        measures=[
            {
                "number": "1",
                "title": "Led by A",
                "lead_unit_id": unit_a.id,
                "steps": [{"number": "1", "text": "s"}],
            },
            {"number": "2", "title": "Led by B", "lead_unit_id": unit_b.id},
            {
                "number": "3",
                "title": "Led by B with C",
                "lead_unit_id": unit_b.id,
                "co_unit_ids": [unit_c.id],
            },
            {"number": "4", "title": "Everyone", "other_responsible": [ALL_UNITS]},
            {"number": "5", "title": "Claimed by A", "lead_unit_id": unit_a.id},
        ],
    )
    claimed = _by_number(plan, "5")
    claim = services.submit_status_update(
        claimed,
        status=Status.DONE_CLAIMED,
        note="Бажарилди",
        actor=None,
        attachments=[files.IncomingFile("evidence.txt", "Ҳисобот".encode())],
    )
    in_review = make_plan(title="Plan awaiting approval", state=PlanState.IN_REVIEW)
    draft = make_plan(title="Draft plan never approved", state=PlanState.DRAFT)
    other_plan = make_plan(title="Other agency's plan", org=other_org)
    db.session.commit()  # only releases a savepoint: a rollback in a request cannot undo the setup
    return World(
        unit_a=unit_a,
        unit_a_sub=unit_a_sub,
        unit_b=unit_b,
        unit_c=unit_c,
        other_org=other_org,
        other_unit=other_unit,
        plan=plan,
        led_by_a=_by_number(plan, "1"),
        led_by_b=_by_number(plan, "2"),
        co_executed_by_c=_by_number(plan, "3"),
        for_all_units=_by_number(plan, "4"),
        claimed=claimed,
        claim=claim,
        attachment=claim.attachments[0],
        in_review=in_review,
        draft=draft,
        draft_measure=draft.measures[0],
        other_plan=other_plan,
    )


def database_rows(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove that a refused request changed nothing."""
    db.session.flush()
    return {
        table.name: sorted((tuple(row) for row in db.session.execute(table.select())), key=repr)
        for table in db.metadata.sorted_tables
    }


# -- 1a. every route declares its access rule ---------------------------------------------------


def test_every_route_declares_who_may_use_it(app):
    missing, unknown = [], []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        access = getattr(app.view_functions[rule.endpoint], ACCESS_ATTR, None)
        if access is None:
            missing.append(f"{rule.endpoint} ({rule.rule})")
        elif access not in ("public", "login") and access not in PERMISSIONS:
            unknown.append(f"{rule.endpoint}: {access!r}")
    assert missing == [], "routes without @permission_required/@login_only/@public"
    assert unknown == [], "routes with an unknown access rule"


def test_only_the_expected_routes_are_public(app):
    public = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and getattr(view, ACCESS_ATTR, None) == "public"
    }
    assert public == EXPECTED_PUBLIC, "a new public route must be added here on purpose"


# -- 1b. anonymous users are sent to sign in ----------------------------------------------------


def test_every_protected_page_sends_anonymous_users_to_sign_in(app, client, db, world, make_user):
    owner = make_user(Role.EXECUTOR, unit=world.unit_a)
    token_row, _token = create_api_token(owner, "cli", actor=owner)
    db.session.commit()
    values = {
        "plan_id": world.plan.id,
        "measure_id": world.led_by_a.id,
        "step_id": world.led_by_a.steps[0].id,
        "unit_id": world.unit_a.id,
        "user_id": owner.id,
        "update_id": world.claim.id,
        "attachment_id": world.attachment.id,
        "token_id": token_row.id,
        "number": 1,
        "direction": "up",
        "job_id": 1,
        "meeting_id": 1,
        "period_id": 1,
    }
    checked = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        if getattr(view, ACCESS_ATTR, None) == "public":
            continue
        _domain, url = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
            assert response.is_json and "error" in response.get_json(), url
        else:
            assert response.status_code == 302, url
            assert urlsplit(response.headers["Location"]).path == "/login", url
        checked.append(url)
    assert len(checked) >= 20, checked  # the walk really reached the pages


# -- 1c. the role × action matrix ---------------------------------------------------------------


def _status_form(_w: World) -> dict[str, str]:
    return {"status": "in_progress", "note": "Иш бошланди"}


def _approval_form(_w: World) -> dict[str, str]:
    return {"position": "Агентлик директори", "name": "А. Бурханов", "approval_date": "04.01.2024"}


def _new_user_form(w: World) -> dict[str, Any]:
    return {
        "email": "new.person@example.uz",
        "name": "New Person",
        "unit_id": str(w.unit_b.id),
        "roles": ["executor"],
        "locale": "",
        "is_active": "y",
        "password": "a-long-password",
    }


def _measure_form(w: World) -> dict[str, Any]:
    return {"number": "1", "title": "Changed", "lead_unit_id": str(w.unit_a.id)}


def _new_plan_form(_w: World) -> dict[str, str]:
    return {"kind": "work_plan", "title": "A plan nobody allowed"}


def _status_changed(measure: Callable[[World], Measure]) -> Callable[[World, Any], None]:
    def check(w: World, db: Any) -> None:
        target = reload(measure(w))
        assert target.status == Status.IN_PROGRESS
        assert db.session.scalar(select(StatusUpdate).where(StatusUpdate.measure_id == target.id)) is not None

    return check


def _plan_approved(w: World, _db: Any) -> None:
    plan = reload(w.in_review)
    assert plan.state == PlanState.APPROVED
    assert plan.approval_name == "А. Бурханов" and plan.approval_date == date(2024, 1, 4)


def _user_created(w: World, db: Any) -> None:
    user = db.session.scalar(select(User).where(User.email == "new.person@example.uz"))
    assert user is not None and user.roles == {Role.EXECUTOR} and user.unit_id == w.unit_b.id


@dataclass(frozen=True)
class Case:
    roles: tuple[Role, ...]
    unit: str | None
    method: str
    url: Callable[[World], str]
    expected: int
    form: Callable[[World], dict[str, Any]] | None = None
    #: For success cases: what the request must have changed.
    effect: Callable[[World, Any], None] | None = None
    other_org: bool = False


def _status_url(measure: Callable[[World], Measure]) -> Callable[[World], str]:
    return lambda w: f"/measures/{measure(w).id}/status"


CASES: dict[str, Case] = {
    # viewers read, nothing more
    "viewer cannot post a status update": Case(
        (Role.VIEWER,), "unit_a", "POST", _status_url(lambda w: w.led_by_a), 403, _status_form
    ),
    "viewer cannot open the new-plan form": Case(
        (Role.VIEWER,), "unit_a", "GET", lambda w: "/plans/new", 403
    ),
    "viewer cannot create a plan": Case(
        (Role.VIEWER,), "unit_a", "POST", lambda w: "/plans/new", 403, _new_plan_form
    ),
    # executors and unit heads: their unit's measures only
    "executor of the lead unit updates the measure": Case(
        (Role.EXECUTOR,),
        "unit_a",
        "POST",
        _status_url(lambda w: w.led_by_a),
        302,
        _status_form,
        _status_changed(lambda w: w.led_by_a),
    ),
    "executor cannot update another unit's measure": Case(
        (Role.EXECUTOR,), "unit_a", "POST", _status_url(lambda w: w.led_by_b), 403, _status_form
    ),
    "executor cannot open another unit's status form": Case(
        (Role.EXECUTOR,), "unit_a", "GET", _status_url(lambda w: w.led_by_b), 403
    ),
    "executor of a co-executor unit updates the measure": Case(
        (Role.EXECUTOR,),
        "unit_c",
        "POST",
        _status_url(lambda w: w.co_executed_by_c),
        302,
        _status_form,
        _status_changed(lambda w: w.co_executed_by_c),
    ),
    "executor of a sub-unit of the lead unit updates the measure": Case(
        (Role.EXECUTOR,),
        "unit_a_sub",
        "POST",
        _status_url(lambda w: w.led_by_a),
        302,
        _status_form,
        _status_changed(lambda w: w.led_by_a),
    ),
    "executor of a sub-unit cannot update a measure of an unrelated unit": Case(
        (Role.EXECUTOR,), "unit_a_sub", "POST", _status_url(lambda w: w.led_by_b), 403, _status_form
    ),
    "executor of any unit updates an all-units measure": Case(
        (Role.EXECUTOR,),
        "unit_b",
        "POST",
        _status_url(lambda w: w.for_all_units),
        302,
        _status_form,
        _status_changed(lambda w: w.for_all_units),
    ),
    "executor of a sub-unit updates an all-units measure": Case(
        (Role.EXECUTOR,),
        "unit_a_sub",
        "POST",
        _status_url(lambda w: w.for_all_units),
        302,
        _status_form,
        _status_changed(lambda w: w.for_all_units),
    ),
    "executor without a unit cannot update an all-units measure": Case(
        (Role.EXECUTOR,), None, "POST", _status_url(lambda w: w.for_all_units), 403, _status_form
    ),
    "executor cannot accept a claim": Case(
        (Role.EXECUTOR,), "unit_a", "POST", lambda w: f"/updates/{w.claim.id}/accept", 403
    ),
    "executor cannot return a claim": Case(
        (Role.EXECUTOR,),
        "unit_a",
        "POST",
        lambda w: f"/updates/{w.claim.id}/return",
        403,
        lambda w: {"reason": "no"},
    ),
    "executor cannot approve a plan": Case(
        (Role.EXECUTOR,), "unit_a", "POST", lambda w: f"/plans/{w.in_review.id}/approve", 403, _approval_form
    ),
    "executor cannot open the user list": Case(
        (Role.EXECUTOR,), "unit_a", "GET", lambda w: "/admin/users", 403
    ),
    "executor cannot see a draft plan never approved": Case(
        (Role.EXECUTOR,), "unit_a", "GET", lambda w: f"/plans/{w.draft.id}", 403
    ),
    "executor cannot see a measure of a draft plan never approved": Case(
        (Role.EXECUTOR,), "unit_a", "GET", lambda w: f"/measures/{w.draft_measure.id}", 403
    ),
    "executor cannot read a draft plan's measure through the API": Case(
        (Role.EXECUTOR,), "unit_a", "GET", lambda w: f"/api/v1/measures/{w.draft_measure.id}", 403
    ),
    "unit head of the lead unit updates the measure": Case(
        (Role.UNIT_HEAD,),
        "unit_a",
        "POST",
        _status_url(lambda w: w.led_by_a),
        302,
        _status_form,
        _status_changed(lambda w: w.led_by_a),
    ),
    "unit head cannot update another unit's measure": Case(
        (Role.UNIT_HEAD,), "unit_a", "POST", _status_url(lambda w: w.led_by_b), 403, _status_form
    ),
    "unit head cannot approve a plan": Case(
        (Role.UNIT_HEAD,), "unit_a", "POST", lambda w: f"/plans/{w.in_review.id}/approve", 403, _approval_form
    ),
    # director: approves, does not edit or report
    "director approves a plan in review": Case(
        (Role.DIRECTOR,),
        None,
        "POST",
        lambda w: f"/plans/{w.in_review.id}/approve",
        302,
        _approval_form,
        _plan_approved,
    ),
    "director cannot open the measure editor": Case(
        (Role.DIRECTOR,), None, "GET", lambda w: f"/measures/{w.draft_measure.id}/edit", 403
    ),
    "director cannot edit a measure": Case(
        (Role.DIRECTOR,), None, "POST", lambda w: f"/measures/{w.draft_measure.id}/edit", 403, _measure_form
    ),
    "director cannot report progress": Case(
        (Role.DIRECTOR,), "unit_a", "POST", _status_url(lambda w: w.led_by_a), 403, _status_form
    ),
    # controller: edits and reviews, does not approve
    "controller cannot approve a plan": Case(
        (Role.CONTROLLER,), None, "POST", lambda w: f"/plans/{w.in_review.id}/approve", 403, _approval_form
    ),
    "controller reports on any unit's measure": Case(
        (Role.CONTROLLER,),
        None,
        "POST",
        _status_url(lambda w: w.led_by_b),
        302,
        _status_form,
        _status_changed(lambda w: w.led_by_b),
    ),
    # admin: manages users, does not approve
    "admin opens the user list": Case((Role.ADMIN,), None, "GET", lambda w: "/admin/users", 200),
    "admin creates a user": Case(
        (Role.ADMIN,), None, "POST", lambda w: "/admin/users/new", 302, _new_user_form, _user_created
    ),
    "admin cannot approve a plan": Case(
        (Role.ADMIN,), None, "POST", lambda w: f"/plans/{w.in_review.id}/approve", 403, _approval_form
    ),
    # another organization sees nothing of ours, whatever its roles
    "another organization's user cannot open the plan": Case(
        (Role.CONTROLLER, Role.EXECUTOR),
        "other_unit",
        "GET",
        lambda w: f"/plans/{w.plan.id}",
        403,
        other_org=True,
    ),
    "another organization's user cannot open a measure": Case(
        (Role.CONTROLLER, Role.EXECUTOR),
        "other_unit",
        "GET",
        lambda w: f"/measures/{w.led_by_a.id}",
        403,
        other_org=True,
    ),
    "another organization's user cannot open the status form": Case(
        (Role.CONTROLLER, Role.EXECUTOR),
        "other_unit",
        "GET",
        _status_url(lambda w: w.led_by_a),
        403,
        other_org=True,
    ),
    "another organization's user cannot post a status update": Case(
        (Role.CONTROLLER, Role.EXECUTOR),
        "other_unit",
        "POST",
        _status_url(lambda w: w.led_by_a),
        403,
        _status_form,
        other_org=True,
    ),
    "another organization's user cannot read a measure through the API": Case(
        (Role.CONTROLLER, Role.EXECUTOR),
        "other_unit",
        "GET",
        lambda w: f"/api/v1/measures/{w.led_by_a.id}",
        403,
        other_org=True,
    ),
    "another organization's user cannot report through the API": Case(
        (Role.CONTROLLER, Role.EXECUTOR),
        "other_unit",
        "POST",
        lambda w: f"/api/v1/measures/{w.led_by_a.id}/status",
        403,
        _status_form,
        other_org=True,
    ),
    "another organization's controller cannot accept our claim": Case(
        (Role.CONTROLLER,), None, "POST", lambda w: f"/updates/{w.claim.id}/accept", 403, other_org=True
    ),
    "another organization's director cannot approve our plan": Case(
        (Role.DIRECTOR,),
        None,
        "POST",
        lambda w: f"/plans/{w.in_review.id}/approve",
        403,
        _approval_form,
        other_org=True,
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_role_action_matrix(case: Case, client, db, world, make_user):
    user = make_user(*case.roles, unit=world.unit(case.unit), org=world.other_org if case.other_org else None)
    db.session.commit()
    login(client, user)
    url = case.url(world)
    before = database_rows(db)

    if case.method == "GET":
        response = client.get(url)
    elif url.startswith("/api/"):
        response = client.post(
            url, json=case.form(world) if case.form else {}, headers={"X-CSRFToken": csrf_token(client)}
        )
    else:
        response = post_form(client, url, case.form(world) if case.form else {})

    assert response.status_code == case.expected, response.get_data(as_text=True)[:500]
    if case.expected in (401, 403, 404):
        assert database_rows(db) == before, "a refused request changed the database"
    if case.effect is not None:
        case.effect(world, db)


# -- drafts stay out of executors' lists --------------------------------------------------------


def _listed_titles(response: Any) -> str:
    return soup_of(response).get_text(" ")


def test_executor_lists_omit_plans_never_approved(client, world, make_user):
    login(client, make_user(Role.EXECUTOR, unit=world.unit_a))

    page = _listed_titles(client.get("/plans"))
    assert "Approved plan" in page
    assert "Draft plan never approved" not in page
    assert "Plan awaiting approval" not in page
    assert "Other agency's plan" not in page

    listed = {p["id"] for p in client.get("/api/v1/plans").get_json()["plans"]}
    assert listed == {world.plan.id}


def test_controller_lists_include_drafts_of_its_own_organization_only(client, world, make_user):
    login(client, make_user(Role.CONTROLLER))

    page = _listed_titles(client.get("/plans"))
    assert "Draft plan never approved" in page and "Plan awaiting approval" in page
    assert "Other agency's plan" not in page

    listed = {p["id"] for p in client.get("/api/v1/plans").get_json()["plans"]}
    assert listed == {world.plan.id, world.in_review.id, world.draft.id}
