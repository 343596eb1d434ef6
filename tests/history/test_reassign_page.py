"""The measure page's reassignment of responsible units: dated, audited, the new unit notified."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import login, post_form, soup_of
from tracker.core.models import AuditEntry
from tracker.core.permissions import Role
from tracker.notifications.models import Notification, NotificationKind
from tracker.orgs.models import Organization
from tracker.plans.models import PlanState
from tracker.plans.records import ChangeKind, ItemChange
from tracker.plans.snapshot import snapshot_of


@pytest.fixture
def world(db: Any, make_plan, make_unit, make_user) -> dict[str, Any]:
    old_unit, new_unit = make_unit("Стратегия бошқармаси"), make_unit("Молия бошқармаси")
    plan = make_plan(measures=[{"number": "1", "title": "Миллий маъруза", "lead_unit_id": old_unit.id}])
    world = {
        "plan": plan,
        "measure": plan.measures[0],
        "old_unit": old_unit,
        "new_unit": new_unit,
        "controller": make_user(Role.CONTROLLER),
        "admin": make_user(Role.ADMIN),
        "director": make_user(Role.DIRECTOR),
        "old_head": make_user(Role.UNIT_HEAD, unit=old_unit),
        "new_head": make_user(Role.UNIT_HEAD, unit=new_unit, locale="ru"),
        "new_executor": make_user(Role.EXECUTOR, unit=new_unit, locale="uz_Cyrl"),
    }
    db.session.commit()
    return world


def _client(app: Any, user: Any) -> Any:
    client = app.test_client()
    login(client, user)
    return client


def _assigned_to(db: Any, user: Any) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(
                Notification.recipient_id == user.id, Notification.kind == NotificationKind.MEASURE_ASSIGNED
            )
        )
    )


def test_the_secretariat_reassigns_from_the_measure_page(app, db, world):
    measure, new_unit = world["measure"], world["new_unit"]
    before = _assigned_to(db, world["new_head"])
    client = _client(app, world["controller"])
    page = soup_of(client.get(f"/measures/{measure.id}"))
    link = page.select_one("#deadline-history a#reassign-link")
    assert link is not None and link["href"] == f"/measures/{measure.id}/responsibles"
    form = soup_of(client.get(link["href"]))
    assert form.select_one("select[name=lead_unit_id] option[selected]").get_text() == "Стратегия бошқармаси"

    response = post_form(
        client,
        link["href"],
        {"lead_unit_id": new_unit.id, "reason": "Вазифалар қайта тақсимланди", "basis": "12-сон буйруқ"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [r.unit_id for r in measure.responsibles] == [new_unit.id]
    assert world["plan"].state == PlanState.APPROVED
    change = db.session.scalars(select(ItemChange).where(ItemChange.measure_id == measure.id)).one()
    assert change.kind == ChangeKind.REASSIGNMENT and change.reason == "Вазифалар қайта тақсимланди"
    assert change.basis == "12-сон буйруқ" and change.effective_on is not None
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_id == measure.id, AuditEntry.action == "reassign")
    ).one()
    assert entry.actor_id == world["controller"].id
    # dated: in force from today (the page's default); the record keeps what stood before
    assert [r["name"] for r in change.old_value] == ["Стратегия бошқармаси"]
    today = snapshot_of(world["plan"], change.effective_on).measures[0]
    assert [r.name for r in today.responsibles] == ["Молия бошқармаси"]
    # the new unit's head and executor hear of it, once each; the old unit's head does not
    assert len(_assigned_to(db, world["new_head"])) == len(before) + 1
    assert len(_assigned_to(db, world["new_executor"])) == 1
    assert _assigned_to(db, world["old_head"]) == []
    history = soup_of(client.get(f"/measures/{measure.id}")).select_one("#deadline-history").get_text(" ")
    assert "Стратегия бошқармаси → Молия бошқармаси" in " ".join(history.split())


def test_an_admin_may_reassign_and_others_may_not(app, db, world):
    url = f"/measures/{world['measure'].id}/responsibles"
    for who in ("director", "old_head", "new_executor"):
        client = _client(app, world[who])
        assert client.get(url).status_code == 403
        assert soup_of(client.get(f"/measures/{world['measure'].id}")).select_one("#reassign-link") is None
    client = _client(app, world["admin"])
    response = post_form(client, url, {"lead_unit_id": world["new_unit"].id, "reason": "Янги тузилма"})
    assert response.status_code == 302


def test_forged_and_incomplete_forms_are_refused_and_change_nothing(app, db, world, make_unit):
    other_org = Organization(name="Other agency")
    db.session.add(other_org)
    db.session.flush()
    foreign = make_unit("Бегона бўлим", org=other_org)
    db.session.commit()
    measure = world["measure"]
    url = f"/measures/{measure.id}/responsibles"
    client = _client(app, world["controller"])
    no_csrf = client.post(url, data={"lead_unit_id": world["new_unit"].id, "reason": "Сабаб"})
    assert no_csrf.status_code == 400
    assert post_form(client, url, {"lead_unit_id": foreign.id, "reason": "Сабаб"}).status_code == 400
    assert post_form(client, url, {"lead_unit_id": "один", "reason": "Сабаб"}).status_code == 400
    assert post_form(client, url, {"lead_unit_id": world["new_unit"].id, "reason": ""}).status_code == 400
    assert (
        post_form(
            client, url, {"lead_unit_id": world["new_unit"].id, "reason": "x", "effective_on": "2099-01-01"}
        ).status_code
        == 400
    )
    db.session.expire_all()
    assert [r.unit_id for r in measure.responsibles] == [world["old_unit"].id]
    assert db.session.scalars(select(ItemChange)).all() == []


def test_a_draft_has_no_reassignment(app, db, world, make_plan):
    draft = make_plan(state=PlanState.DRAFT, measures=[{"number": "1", "title": "Лойиҳа"}])
    db.session.commit()
    client = _client(app, world["controller"])
    assert client.get(f"/measures/{draft.measures[0].id}/responsibles").status_code == 409
