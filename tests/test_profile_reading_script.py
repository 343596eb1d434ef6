"""The reading script is a setting on the profile page, the same one the page toggle changes."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import login, post_form, reload, soup_of
from tracker.core.models import AuditEntry
from tracker.core.permissions import Role

PROFILE = {"name": "Н. Турсунов", "position": "", "locale": ""}


def _chosen(client) -> str:
    select_ = soup_of(client.get("/profile")).select_one("select#content_script")
    selected = select_.select_one("option[selected]")
    return selected["value"] if selected else select_.select("option")[0]["value"]


def test_the_profile_sets_the_reading_script_and_the_toggle_follows_it(client, db, make_user, make_plan):
    plan = make_plan(measures=[{"number": "1", "title": "Миллий стратегия лойиҳаси"}])
    user = make_user(Role.EXECUTOR, name="Н. Турсунов")
    db.session.commit()
    login(client, user)
    options = soup_of(client.get("/profile")).select("select#content_script option")
    assert [o["value"] for o in options] == ["", "latn", "cyrl"] and _chosen(client) == ""

    assert post_form(client, "/profile", {**PROFILE, "content_script": "latn"}).status_code == 302
    assert reload(user).reading_script == "latn" and _chosen(client) == "latn"
    page = soup_of(client.get(f"/plans/{plan.id}"))
    assert "Milliy strategiya loyihasi" in page.select_one("#measures").get_text(" ")
    pressed = page.select_one('.script-toggle button[aria-pressed="true"]')
    assert pressed.get_text(strip=True) == "Lotin"
    assert reload(plan.measures[0]).title == "Миллий стратегия лойиҳаси"  # stored text unchanged

    # The toggle on a page changes the same setting, and the profile shows it.
    post_form(client, "/reading-script/cyrl", {"next": f"/plans/{plan.id}"})
    assert _chosen(client) == "cyrl"
    assert post_form(client, "/profile", {**PROFILE, "content_script": ""}).status_code == 302
    assert reload(user).reading_script is None
    page = soup_of(client.get(f"/plans/{plan.id}"))
    assert "Миллий стратегия лойиҳаси" in page.select_one("#measures").get_text(" ")
    # A display preference of one's own: not in the audit trail.
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "user")).all()
    assert not any("reading_script" in (e.after or {}) or "locale" in (e.after or {}) for e in entries)


def test_an_unknown_script_is_refused_and_nothing_changes(client, db, make_user):
    user = make_user(Role.VIEWER, name="Н. Турсунов")
    db.session.commit()
    login(client, user)
    response = post_form(client, "/profile", {**PROFILE, "content_script": "arab"})
    assert response.status_code == 200
    assert soup_of(response).select_one("select#content_script.is-invalid") is not None
    assert reload(user).reading_script is None
