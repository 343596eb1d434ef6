"""Administration: units (a tree), users and the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import flashes, post_form, reload, soup_of
from tracker.auth.models import User
from tracker.core.errors import InvalidInput
from tracker.core.models import AuditEntry
from tracker.core.permissions import Role
from tracker.orgs import services
from tracker.orgs.models import Unit


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="Администратор")


def test_units_form_a_tree_without_cycles(db, organization, admin):
    top = services.create_unit(organization, "Бошқарма", actor=admin)
    child = services.create_unit(organization, "Бўлим", parent=top, actor=admin)
    grandchild = services.create_unit(organization, "Сектор", parent=child, actor=admin)
    assert grandchild.path_name() == "Бошқарма / Бўлим / Сектор"
    with pytest.raises(InvalidInput):
        services.update_unit(top, name="Бошқарма", parent=grandchild, is_active=True, actor=admin)
    with pytest.raises(InvalidInput):
        services.create_unit(organization, "Бўлим", actor=admin)  # names are unique per organization
    assert reload(top).parent_id is None


def test_admin_creates_and_edits_a_user_through_the_form(db, client, login_as, admin, make_unit):
    unit = make_unit("Матбуот хизмати")
    login_as(admin)
    response = post_form(
        client,
        "/admin/users/new",
        {
            "email": "Press@Example.uz",
            "name": "Матбуот котиби",
            "unit_id": str(unit.id),
            "roles": ["executor", "unit_head"],
            "locale": "uz_Cyrl",
            "is_active": "y",
            "password": "long-password",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "press@example.uz"))
    assert (
        user.roles == {Role.EXECUTOR, Role.UNIT_HEAD} and user.unit_id == unit.id and user.locale == "uz_Cyrl"
    )
    response = post_form(
        client,
        f"/admin/users/{user.id}/edit",
        {
            "email": "press@example.uz",
            "name": "Матбуот котиби",
            "unit_id": "0",
            "roles": ["viewer"],
            "locale": "",
        },
    )
    assert response.status_code == 302
    user = reload(user)
    assert user.roles == {Role.VIEWER} and user.unit_id is None and not user.is_active
    assert user.check_password("long-password")  # an empty password field keeps the password
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_type == "user", AuditEntry.entity_id == user.id)
    ).all()
    assert actions == ["create", "update"]


def test_a_new_user_needs_a_password_and_nothing_is_created_without(db, client, login_as, admin):
    login_as(admin)
    response = post_form(
        client,
        "/admin/users/new",
        {"email": "x@example.uz", "name": "X", "unit_id": "0", "roles": ["viewer"], "locale": ""},
    )
    assert response.status_code == 200 and flashes(response)
    assert db.session.scalar(select(User).where(User.email == "x@example.uz")) is None


def test_admins_cannot_lock_themselves_out(db, client, login_as, admin):
    login_as(admin)
    response = post_form(
        client,
        f"/admin/users/{admin.id}/edit",
        {
            "email": admin.email,
            "name": admin.name,
            "unit_id": "0",
            "roles": ["viewer"],
            "locale": "",
            "is_active": "y",
        },
    )
    assert response.status_code == 400 and flashes(response)  # refused: shown again with 400
    assert reload(admin).roles == {Role.ADMIN}


def test_admin_pages_list_only_their_own_organization(db, client, login_as, admin, make_unit, make_user):
    from tracker.orgs.models import Organization

    other = Organization(name="Бошқа идора")
    db.session.add(other)
    make_unit("Бегона бўлим", org=other)
    make_user(Role.VIEWER, org=other, name="Бегона одам")
    make_unit("Ўз бўлимимиз")
    login_as(admin)
    units = client.get("/admin/units").get_data(as_text=True)
    users = client.get("/admin/users").get_data(as_text=True)
    assert "Ўз бўлимимиз" in units and "Бегона бўлим" not in units
    assert "Бегона одам" not in users
    foreign = db.session.scalar(select(Unit).where(Unit.name == "Бегона бўлим"))
    assert client.get(f"/admin/units/{foreign.id}/edit").status_code == 403


def test_the_audit_trail_shows_changes_readably_and_filters_by_entity(
    db, client, login_as, admin, organization
):
    services.create_unit(organization, "Кадрлар тармоғи", actor=admin)
    login_as(admin)
    page = soup_of(client.get("/admin/audit?entity=unit"))
    rows = page.select("tbody tr")
    assert rows and all("entity=unit" in r.select_one("a")["href"] for r in rows)
    assert "unit" not in [
        r.select_one("a").get_text(strip=True) for r in rows
    ]  # a translated label, not the code
    assert "Кадрлар тармоғи" in page.get_text()  # Cyrillic kept readable, not \\u-escaped


def test_the_audit_trail_strikes_out_only_what_changed(db, client, login_as, admin, organization):
    from tracker.core import audit

    unit = services.create_unit(organization, "Матбуот хизмати", actor=admin)
    audit.record(
        admin,
        "unit",
        unit.id,
        "update",
        before={"name": "Эски ном", "is_active": True},
        after={"name": "Матбуот хизмати", "is_active": True},
    )
    db.session.commit()
    login_as(admin)
    page = soup_of(client.get("/admin/audit?entity=unit&action=update"))
    struck = [d.get_text(strip=True) for d in page.select("dl.audit-changes del")]
    assert struck == ["Эски ном"]  # the name changed; "active" stayed and is shown plainly
    assert "Матбуот хизмати" in page.select_one("dl.audit-changes").get_text()
