"""Deadline extension on an approved plan: the past keeps the old deadline, the plan stays approved."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from tests.reports.conftest import pdf_text
from tracker.auth.services import create_api_token
from tracker.core.errors import InvalidInput, PermissionDenied
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.execution import services as execution
from tracker.plans import extensions
from tracker.plans.models import PlanState
from tracker.plans.records import DeadlineExtension, ExtensionState, ItemChange
from tracker.plans.snapshot import snapshot_of
from tracker.reports import services as report_services
from tracker.reports.data import ReportOptions
from tracker.reports.models import ReportKind

LETTER = "Вазирлар Маҳкамасининг 2024 йил 5 апрелдаги 01-12/345-сон хати"
#: The day the extension is granted, after the old deadline (31 March) has passed.
D = date(2024, 4, 10)


@pytest.fixture
def world(db: Any, make_plan, make_user, make_unit) -> dict[str, Any]:
    unit = make_unit("Стратегия бошқармаси")
    other = make_unit("Молия бошқармаси")
    plan = make_plan(
        measures=[
            {
                "number": "1",
                "title": "Миллий маъруза",
                "deadline_text": "2024 йил март",
                "lead_unit_id": unit.id,
                "added_on": date(2024, 1, 4),
            }
        ]
    )
    return {
        "plan": plan,
        "measure": plan.measures[0],
        "head": make_user(Role.UNIT_HEAD, unit=unit),
        "outsider": make_user(Role.EXECUTOR, unit=other),
        "controller": make_user(Role.CONTROLLER),
        "director": make_user(Role.DIRECTOR),
        "viewer": make_user(Role.VIEWER),
    }


def _ask(world: dict[str, Any]) -> DeadlineExtension:
    with freeze_time(datetime(2024, 4, 8, 9)):
        return extensions.request_extension(
            world["measure"],
            extensions.ExtensionData("2024 йил апрель", "Маълумотлар кечикди", LETTER),
            actor=world["head"],
        )


def test_extension_granted_on_d_keeps_the_old_deadline_before_d(db, world, tmp_path):
    plan, measure = world["plan"], world["measure"]
    request = _ask(world)
    assert request.state == ExtensionState.REQUESTED and measure.deadline_text == "2024 йил март"
    with freeze_time(datetime(2024, 4, 10, 9)):
        extensions.grant_extension(request, actor=world["controller"])
    db.session.commit()

    before = snapshot_of(plan, date(2024, 4, 9)).measures[0]
    assert before.deadline.text == "2024 йил март" and before.deadline.due_on == date(2024, 3, 31)
    assert before.is_overdue and before.days_late == 9 and before.deadline.extended_from is None
    after = snapshot_of(plan, date(2024, 4, 11)).measures[0]
    assert after.deadline.text == "2024 йил апрель" and after.deadline.due_on == date(2024, 4, 30)
    assert not after.is_overdue and after.days_late == 0
    assert after.deadline.extended_from == "2024 йил март" and after.deadline.extension_basis == LETTER
    # the plan stays approved, in the same version; the change is one dated record
    assert plan.state == PlanState.APPROVED and plan.version == 1 and len(plan.versions) == 1
    change = db.session.scalars(select(ItemChange)).one()
    assert (change.effective_on, change.basis, change.author_id) == (D, LETTER, world["controller"].id)
    # reminders read the stored deadline, which is the one in force now
    assert measure.due_on == date(2024, 4, 30)

    for as_of, expected in (
        (date(2024, 4, 9), "Муддати ўтган"),
        (date(2024, 4, 11), "→ 2024 йил апрель"),
    ):
        job = report_services.ReportRequest(
            ReportKind.STATUS, plan.organization_id, plan.id, ReportOptions(as_of=as_of, script="cyrl")
        )
        text = " ".join(pdf_text(report_services.build_report(job).path.read_bytes(), tmp_path).split())
        assert expected in text
    assert "асосида" in text and "Муддати ўтган" not in text


def test_the_rating_counts_against_the_deadline_in_force(db, world):
    """Done on 20 April: late against March, on time against the April deadline granted on D."""
    from tracker.dashboard.rating import unit_ratings

    request = _ask(world)
    with freeze_time(datetime(2024, 4, 10, 9)):
        extensions.grant_extension(request, actor=world["controller"])
    with freeze_time(datetime(2024, 4, 20, 9)):
        execution.submit_status_update(
            world["measure"], status=Status.DONE, note="Тайёр", actor=world["controller"]
        )
    db.session.commit()
    rating = next(
        r
        for r in unit_ratings(world["controller"], date(2024, 1, 1), date(2024, 6, 30), date(2024, 5, 1))
        if r.assessed
    )
    assert (rating.assessed, rating.on_time, rating.delay_days) == (1, 1, 0)
    view = snapshot_of(world["plan"], date(2024, 5, 1)).measures[0]
    assert view.is_done_on_time is True and view.days_late == 0


def test_who_may_ask_decide_and_backdate(db, world):
    measure = world["measure"]
    data = extensions.ExtensionData("2024 йил апрель", "Сабаб", LETTER)
    with pytest.raises(PermissionDenied):
        extensions.request_extension(measure, data, actor=world["outsider"])
    with pytest.raises(PermissionDenied):
        extensions.record_extension(measure, data, actor=world["head"])
    request = _ask(world)
    with pytest.raises(PermissionDenied):
        extensions.grant_extension(request, actor=world["head"])
    with pytest.raises(InvalidInput):
        extensions.refuse_extension(request, actor=world["controller"], comment=" ")
    extensions.refuse_extension(request, actor=world["controller"], comment="Асос етарли эмас")
    assert request.state == ExtensionState.REFUSED and measure.deadline_text == "2024 йил март"
    # only the secretariat may date an extension earlier than today
    with freeze_time(datetime(2024, 4, 12, 9)):
        early = extensions.ExtensionData("2024 йил апрель", "Сабаб", LETTER, date(2024, 4, 1))
        with pytest.raises(PermissionDenied):
            extensions.request_extension(measure, early, actor=world["head"])
        recorded = extensions.record_extension(measure, early, actor=world["controller"])
    assert recorded.state == ExtensionState.RECORDED and recorded.effective_on == date(2024, 4, 1)
    assert snapshot_of(world["plan"], date(2024, 4, 2)).measures[0].deadline.text == "2024 йил апрель"


def test_the_organization_may_give_the_decision_to_the_director(db, world):
    world["plan"].organization.extension_decider = "director"
    request = _ask(world)
    with pytest.raises(PermissionDenied):
        extensions.grant_extension(request, actor=world["controller"])
    extensions.grant_extension(request, actor=world["director"])
    assert request.state == ExtensionState.GRANTED


def _bearer(db: Any, user: Any) -> dict[str, str]:
    _row, token = create_api_token(user, "test", actor=user)
    db.session.flush()
    return {"Authorization": f"Bearer {token}"}


def test_api_answers_201_in_force_202_awaiting_403_outside_rights(client, db, world):
    measure = world["measure"]
    body = {"deadline_text": "2024 йил апрель", "reason": "Маълумотлар кечикди", "basis": LETTER}
    url = f"/api/v1/measures/{measure.id}/deadline"
    for who in ("outsider", "viewer"):
        assert client.post(url, json=body, headers=_bearer(db, world[who])).status_code == 403
    asked = client.post(url, json=body, headers=_bearer(db, world["head"]))
    assert asked.status_code == 202 and asked.get_json()["extension"]["state"] == "requested"
    assert measure.deadline_text == "2024 йил март"
    backdated = {**body, "effective_on": "2020-01-01"}
    assert client.post(url, json=backdated, headers=_bearer(db, world["head"])).status_code == 403
    assert (
        client.post(
            url, json={**body, "effective_on": "1 April"}, headers=_bearer(db, world["head"])
        ).status_code
        == 400
    )
    assert (
        client.post(url, json={**body, "reason": ""}, headers=_bearer(db, world["head"])).status_code == 400
    )
    done = client.post(url, json=backdated, headers=_bearer(db, world["controller"]))
    assert done.status_code == 201 and done.get_json()["deadline"]["text"] == "2024 йил апрель"
    step_url = "/api/v1/steps/999999/deadline"
    assert client.post(step_url, json=body, headers=_bearer(db, world["controller"])).status_code == 404
