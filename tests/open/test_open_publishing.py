"""Publishing: who may, what it does, the command line, the audit trail, internal notes."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import flashes, login, post_form, reload, soup_of
from tracker.core.models import AuditEntry
from tracker.execution.models import StatusUpdate
from tracker.extensions import db
from tracker.open import services as publishing
from tracker.open.models import PlanPublication
from tracker.orgs.models import Organization
from tracker.plans.models import PlanState


def _audit(plan_id: int) -> list[tuple[str, int | None]]:
    rows = select(AuditEntry.action, AuditEntry.actor_id).where(
        AuditEntry.entity_type == "plan", AuditEntry.entity_id == plan_id
    )
    return [tuple(r) for r in db.session.execute(rows.order_by(AuditEntry.id))]


def test_publish_makes_the_plan_visible_and_unpublish_hides_it(client, make_plan, make_user):
    plan = make_plan()
    controller = make_user("controller", locale="en")
    assert client.get(f"/open/plans/{plan.id}").status_code == 404
    assert client.get("/open/catalog.json").get_json()["dataset"] == []

    login(client, controller)
    response = post_form(client, f"/plans/{plan.id}/publish", follow_redirects=True)
    assert flashes(response) == ["The plan is public: anyone can see it on the open data pages."]
    anonymous = client.application.test_client()
    page = anonymous.get(f"/open/plans/{plan.id}?script=cyrl")
    assert page.status_code == 200
    assert soup_of(page).select_one("h1").get_text(strip=True) == plan.title
    index = soup_of(anonymous.get("/open/?lang=en&script=cyrl"))
    assert [a["href"].split("?")[0] for a in index.select("article h3 a")] == [f"/open/plans/{plan.id}"]

    post_form(client, f"/plans/{plan.id}/unpublish")
    for url in (f"/open/plans/{plan.id}", f"/open/plans/{plan.id}.json", f"/open/plans/{plan.id}.pdf"):
        assert anonymous.get(url).status_code == 404
    assert [a for a, _ in _audit(plan.id) if a in ("publish", "unpublish")] == ["publish", "unpublish"]


def test_unknown_plans_and_drafts_are_404(client, make_plan):
    draft = make_plan(state=PlanState.DRAFT)
    assert client.get("/open/plans/999999").status_code == 404
    assert client.get(f"/open/plans/{draft.id}").status_code == 404


def test_only_approved_plans_can_be_published(client, db, make_plan, make_user):
    draft = make_plan(state=PlanState.DRAFT)
    login(client, make_user("director", locale="en"))
    response = post_form(client, f"/plans/{draft.id}/publish", follow_redirects=True)
    assert "Only an approved plan can be published." in flashes(response)
    assert publishing.publication_of(draft) is None


def test_who_may_publish(client, db, make_plan, make_user):
    plan = make_plan()
    for role in ("viewer", "executor", "unit_head", "admin"):
        login(client, make_user(role))
        assert client.get(f"/plans/{plan.id}/publication").status_code == 403
        assert post_form(client, f"/plans/{plan.id}/publish").status_code == 403
        client.delete_cookie("session")
    other = Organization(name="Бошқа агентлик")
    db.session.add(other)
    db.session.flush()
    login(client, make_user("controller", org=other))
    assert client.get(f"/plans/{plan.id}/publication").status_code == 403
    client.delete_cookie("session")
    login(client, make_user("director"))
    page = client.get(f"/plans/{plan.id}/publication")
    assert page.status_code == 200
    assert soup_of(page).select_one("#show_statuses").has_attr("checked")
    assert not soup_of(page).select_one("#show_evidence").has_attr("checked")


def test_choices_are_saved_and_audited(client, db, published):
    login(client, published.controller)
    post_form(
        client,
        f"/plans/{published.plan.id}/publication",
        {"show_statuses": "y", "files": [str(published.unpublished_file.id)]},
    )
    publication = reload(publishing.publication_of(published.plan))
    assert (publication.show_statuses, publication.show_steps, publication.show_evidence) == (
        True,
        False,
        False,
    )
    assert publication.public_attachment_ids == {published.unpublished_file.id}
    assert "publication_choices" in [a for a, _ in _audit(published.plan.id)]
    # evidence switched off: no file is public, even a chosen one
    url = f"/open/plans/{published.plan.id}/files/{published.unpublished_file.id}"
    assert client.get(url).status_code == 404


def test_command_line_publishes_and_withdraws_with_audit(app, db, make_plan):
    plan = make_plan()
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["plans", "publish", str(plan.id)])
    assert result.exit_code == 0, result.output
    assert f"/open/plans/{plan.id}" in result.output
    assert reload(publishing.publication_of(plan)).is_public
    result = runner.invoke(args=["plans", "unpublish", str(plan.id)])
    assert result.exit_code == 0, result.output
    assert not db.session.scalar(select(PlanPublication.is_public).where(PlanPublication.plan_id == plan.id))
    assert [a for a in _audit(plan.id) if a[0] in ("publish", "unpublish")] == [
        ("publish", None),
        ("unpublish", None),
    ]
    again = runner.invoke(args=["plans", "unpublish", str(plan.id)])
    with app.test_request_context():
        from flask_babel import gettext

        assert again.exit_code != 0 and gettext("This plan is not public.") in again.output
    missing = runner.invoke(args=["plans", "publish", "999999"])
    assert missing.exit_code != 0 and "No plan" in missing.output


def test_a_note_can_be_marked_internal_when_written(client, db, make_plan, make_user, make_unit):
    unit = make_unit("Бўлим")
    plan = make_plan(measures=[{"number": "1", "title": "Иш", "lead_unit_id": unit.id}])
    executor = make_user("executor", unit=unit)
    measure = plan.measures[0]
    login(client, executor)
    form = soup_of(client.get(f"/measures/{measure.id}/status"))
    assert form.select_one("input#is_internal[type=checkbox]") is not None
    post_form(
        client,
        f"/measures/{measure.id}/status",
        {
            "status": "in_progress",
            "note": "Ички иш",
            "is_internal": "y",
            "lock_version": measure.lock_version,
        },
    )
    post_form(
        client,
        f"/measures/{measure.id}/status",
        {"status": "in_progress", "note": "Очиқ иш", "lock_version": reload(measure).lock_version},
    )
    updates = db.session.scalars(select(StatusUpdate).where(StatusUpdate.measure_id == measure.id)).all()
    assert sorted((u.note, u.is_internal) for u in updates) == [("Ички иш", True), ("Очиқ иш", False)]
