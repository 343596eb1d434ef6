"""Nothing is shared between organizations: a second agency's people, in every role, walk every
page and API list and see nothing of the first, the audit trail included."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.conftest import login
from tests.hardening_world import build_org
from tracker.auth import services as user_services
from tracker.core.models import AuditEntry
from tracker.core.permissions import Role
from tracker.orgs import services as org_services
from tracker.orgs.models import Organization

#: Everything written for the first agency carries this tag (titles, names, notes, e-mails).
SECRET = "Qzxv"


@pytest.fixture
def two_agencies(db, organization, make_unit, make_user, make_plan):
    first = build_org(
        db,
        organization=organization,
        make_unit=make_unit,
        make_user=make_user,
        make_plan=make_plan,
        tag=SECRET,
    )
    # What the CLI, the demo loader and imports write: no actor.
    org_services.create_unit(organization, f"{SECRET} CLI unit", actor=None)
    user_services.create_user(
        email=f"{SECRET.lower()}@first.uz",
        name=f"{SECRET} CLI person",
        password="long-enough-1",
        organization=organization,
        roles={Role.VIEWER},
        actor=None,
    )
    other = Organization(name="Second agency")
    db.session.add(other)
    db.session.flush()
    second = build_org(
        db, organization=other, make_unit=make_unit, make_user=make_user, make_plan=make_plan, tag="Other"
    )
    db.session.commit()  # releases a savepoint only
    return first, second


def test_every_audit_entry_belongs_to_an_organization(db, two_agencies):
    first, second = two_agencies
    assert db.session.scalar(select(func.count()).where(AuditEntry.organization_id.is_(None))) == 0
    owners = set(db.session.scalars(select(AuditEntry.organization_id).distinct()))
    assert owners == {first.organization.id, second.organization.id}


def _pages(app, world):
    """Every GET page and API list the second agency can open: no arguments, or its own ids."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in (rule.methods or ()):
            continue
        if any(name not in world.ids for name in rule.arguments):
            continue
        built = rule.build({name: str(world.ids[name]) for name in rule.arguments}, append_unknown=False)
        assert built is not None
        yield rule, built[1]


def _text_of(response) -> str:
    """The response as text; PDFs are read back (their text streams are compressed)."""
    if response.mimetype == "application/pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)
    return response.get_data().decode("utf-8", errors="replace")


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_a_second_agency_sees_nothing_of_the_first(app, two_agencies, role):
    _first, second = two_agencies
    client = app.test_client()
    login(client, second.users[role])
    api = {"Authorization": f"Bearer {second.tokens[role]}"}
    seen, leaks = 0, []
    for rule, url in _pages(app, second):
        for query in ("", "?q=measure", "?entity=user"):
            response = client.get(url + query, headers=api if url.startswith("/api/") else {})
            body = _text_of(response)
            response.close()
            if response.status_code == 200:
                seen += 1
            if SECRET in body or SECRET.lower() in body:
                leaks.append(f"{rule.endpoint} {url}{query} ({response.status_code})")
    assert leaks == []
    assert seen > 20  # the walk really opened pages
