"""What the plan page (and the director's inbox) reads from the database (issue 17): not the
approved versions' snapshots, and not every measure of a draft to decide whether to show the
proposal grid."""

from __future__ import annotations

from tests.conftest import login, soup_of
from tests.query_count import counting_statements
from tracker.core.permissions import Role
from tracker.extensions import db as _db
from tracker.plans.models import PlanState
from tracker.plans.queries import PLAN_PAGE_SIZE


def _page_statements(client, url: str) -> list[str]:
    client.get(url)  # warm: first-use caches are not what we count
    _db.session.expunge_all()  # as in a request of its own: nothing loaded yet
    with counting_statements(_db.engine) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return statements


def test_the_versions_are_listed_without_their_snapshots(client, db, make_user, make_plan):
    plan = make_plan(measures=[{"number": "1", "title": "Tadbir"}])
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    url = f"/plans/{plan.id}"
    statements = _page_statements(client, url)
    version_links = soup_of(client.get(url)).select('a[href$="/versions/1"]')
    assert [a.get_text() for a in version_links] == ["v1 (04.01.2024)"]
    assert not [s for s in statements if "snapshot" in s]


def _proposal_draft(make_plan, count: int):
    plan = make_plan(
        state=PlanState.DRAFT,
        measures=[
            {"number": str(n), "title": f"Taklif {n}", "deadline_text": None} for n in range(1, count + 1)
        ],
    )
    for measure in plan.measures:
        measure.content = f"Mazmuni {measure.number}"  # as a proposal's measures arrive
    return plan


def test_a_draft_from_a_proposal_reads_its_grid_in_as_many_statements_for_many_measures(
    client, db, make_user, make_plan
):
    login(client, make_user(Role.ADMIN))
    few = _proposal_draft(make_plan, 2)
    many = _proposal_draft(make_plan, PLAN_PAGE_SIZE + 5)  # the grid shows rows beyond the page
    db.session.commit()
    few_url, many_url = f"/plans/{few.id}", f"/plans/{many.id}"
    assert len(soup_of(client.get(many_url)).select("#grid tr.grid-row")) == PLAN_PAGE_SIZE + 5
    assert len(_page_statements(client, many_url)) == len(_page_statements(client, few_url))


def test_a_draft_without_proposal_measures_has_no_grid(client, db, make_user, make_plan):
    plan = make_plan(state=PlanState.DRAFT, measures=[{"number": "1", "title": "Tadbir"}])
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    assert soup_of(client.get(f"/plans/{plan.id}")).select("#grid") == []


def test_the_directors_inbox_lists_a_revision_without_reading_snapshots(client, db, make_user, make_plan):
    from tracker.plans import services as plan_services

    controller, director = make_user(Role.CONTROLLER), make_user(Role.DIRECTOR)
    plan = make_plan(measures=[{"number": "1", "title": "Tadbir"}])
    plan_services.revise_plan(plan, actor=controller)
    plan_services.submit_plan(plan, actor=controller)
    db.session.commit()
    plan_id = plan.id
    login(client, director)
    statements = _page_statements(client, "/inbox")
    changes = soup_of(client.get("/inbox")).select(f'a[href="/plans/{plan_id}/changes"]')
    assert len(changes) == 1  # "What changed": the plan changes an approved version
    assert not [s for s in statements if "snapshot" in s]
