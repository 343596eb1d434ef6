"""The measure page: deadline history and extension forms, as a department and the secretariat use them."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import login, post_form, soup_of
from tracker.core.permissions import Role
from tracker.plans.records import DeadlineExtension, ExtensionState


def test_a_department_asks_and_the_secretariat_grants_on_the_measure_page(
    app, db, make_plan, make_user, make_unit
):
    unit = make_unit("Стратегия бошқармаси")
    plan = make_plan(
        measures=[
            {"number": "1", "title": "Маъруза", "deadline_text": "2024 йил март", "lead_unit_id": unit.id}
        ]
    )
    measure = plan.measures[0]
    head, controller = make_user(Role.UNIT_HEAD, unit=unit), make_user(Role.CONTROLLER)
    db.session.commit()

    client = app.test_client()
    login(client, head)
    page = soup_of(client.get(f"/measures/{measure.id}"))
    link = page.select_one("#deadline-history a[href$='/deadline']")
    assert link is not None and link["href"] == f"/measures/{measure.id}/deadline"
    response = post_form(
        client,
        link["href"],
        {"deadline_text": "2024 йил апрель", "reason": "Маълумот кечикди", "basis": "01-12/345-сон хат"},
    )
    assert response.status_code == 302
    extension = db.session.scalars(select(DeadlineExtension)).one()
    assert extension.state == ExtensionState.REQUESTED
    # the department sees its request waiting, without buttons to decide it
    page = soup_of(client.get(f"/measures/{measure.id}"))
    assert "2024 йил апрель" in page.select_one("#deadline-history").get_text()
    assert page.select_one(f"form[action='/extensions/{extension.id}/grant']") is None
    assert post_form(client, f"/extensions/{extension.id}/grant", {}).status_code == 403

    client = app.test_client()
    login(client, controller)
    page = soup_of(client.get(f"/measures/{measure.id}"))
    assert page.select_one(f"form[action='/extensions/{extension.id}/grant']") is not None
    assert post_form(client, f"/extensions/{extension.id}/grant", {"comment": ""}).status_code == 302
    db.session.expire_all()
    assert extension.state == ExtensionState.GRANTED and measure.deadline_text == "2024 йил апрель"
    history = soup_of(client.get(f"/measures/{measure.id}")).select_one("#deadline-history").get_text(" ")
    assert "2024 йил март → 2024 йил апрель" in " ".join(history.split())
    assert "01-12/345-сон хат" in history


def test_refusing_needs_a_reason(app, db, make_plan, make_user, make_unit):
    unit = make_unit("Молия бошқармаси")
    plan = make_plan(measures=[{"number": "1", "title": "Ҳисобот", "lead_unit_id": unit.id}])
    head, controller = make_user(Role.UNIT_HEAD, unit=unit), make_user(Role.CONTROLLER)
    db.session.commit()
    client = app.test_client()
    login(client, head)
    post_form(
        client,
        f"/measures/{plan.measures[0].id}/deadline",
        {"deadline_text": "2024 йил май", "reason": "Сабаб", "basis": "Хат"},
    )
    extension = db.session.scalars(select(DeadlineExtension)).one()
    client = app.test_client()
    login(client, controller)
    post_form(client, f"/extensions/{extension.id}/refuse", {"comment": ""})
    db.session.expire_all()
    assert extension.state == ExtensionState.REQUESTED
    post_form(client, f"/extensions/{extension.id}/refuse", {"comment": "Асос етарли эмас"})
    db.session.expire_all()
    assert extension.state == ExtensionState.REFUSED and extension.decision_comment == "Асос етарли эмас"
