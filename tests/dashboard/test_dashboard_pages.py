"""Dashboards: the numbers, where they lead, who may see them, and a constant number of queries."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import event

from tests.conftest import login, soup_of
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.core.time import today
from tracker.dashboard.queries import Scope, summary
from tracker.execution import services as execution
from tracker.extensions import db as _db


def _measures(now, unit_a, unit_b, count=6):
    """A mix: overdue, due within 7 and 30 days, later; led by A or B; some with steps."""
    offsets = [-10, -1, 3, 20, 60, 5]
    out = []
    for i in range(count):
        item = {
            "number": str(i + 1),
            "title": f"Чора-тадбир {i + 1}",
            "deadline_text": None,
            "due_on": now + timedelta(offsets[i % len(offsets)]),
            "lead_unit_id": (unit_a if i % 2 == 0 else unit_b).id,
        }
        if i % 3 == 0:
            item["steps"] = [{"number": "1", "text": f"Қадам {i}", "due_on": now + timedelta(offsets[i % 6])}]
        out.append(item)
    return out


@pytest.fixture
def setup(db, make_plan, make_unit, make_user):
    now = today()
    unit_a, unit_b = make_unit("Стратегия бошқармаси"), make_unit("Молия бошқармаси")
    plan = make_plan(title="Иш режаси", measures=_measures(now, unit_a, unit_b))
    by_number = {m.number: m for m in plan.measures}
    execution.submit_status_update(by_number["3"], status=Status.DONE_CLAIMED, note="Бажарилди", actor=None)
    execution.submit_status_update(by_number["4"], status=Status.DONE, note="Бажарилди", actor=None)
    execution.submit_status_update(by_number["5"], status=Status.IN_PROGRESS, note="Бошланди", actor=None)
    db.session.commit()
    return plan, unit_a, unit_b, now


def test_summary_counts(db, setup, make_user):
    plan, unit_a, _unit_b, now = setup
    user = make_user(Role.DIRECTOR)
    figures = summary(user, Scope(), now)
    assert figures.total == 6
    assert figures.overdue == 2  # measures 1 and 2
    assert figures.due_7 == 2  # 3 is claimed (still owed) and 6; 4 is done
    assert figures.due_30 == 2
    assert figures.awaiting_review == 1
    assert figures.by_status[Status.DONE] == 1 and figures.by_status[Status.DONE_CLAIMED] == 1
    assert figures.trend[-1].completed == 1 and figures.trend[-1].overdue == 2
    assert len(figures.trend) == 12
    unit_figures = summary(user, Scope(unit_id=unit_a.id), now)
    assert unit_figures.total == 3 and unit_figures.overdue == 1


def test_dashboard_page_numbers_link_to_their_lists(client, db, setup, make_user):
    plan, unit_a, _unit_b, now = setup
    login(client, make_user(Role.DIRECTOR))
    page = soup_of(client.get("/dashboard"))
    overdue = page.select_one('a[data-figure="overdue"]')
    assert overdue.select_one(".fs-3").get_text(strip=True) == "2"
    listed = soup_of(client.get(overdue["href"]))
    assert len(listed.select("#results li[data-kind=measure]")) == 2
    due_7 = page.select_one('a[data-figure="due_7"]')
    query = parse_qs(urlsplit(due_7["href"]).query)
    assert query["status"] == ["open"] and query["due_from"] == [now.isoformat()]
    assert len(soup_of(client.get(due_7["href"])).select("#results li[data-kind=measure]")) == 2
    # charts are SVG with accessible titles
    for svg in page.select(".chart svg"):
        ET.fromstring(str(svg).replace("<svg ", '<svg xmlns:x="x" ', 1))  # noqa: S314 (our own output)
    assert page.select_one("#late-units") is not None

    plan_page = soup_of(client.get(f"/dashboard/plans/{plan.id}"))
    link = plan_page.select_one('a[data-figure="overdue"]')["href"]
    assert urlsplit(link).path == f"/plans/{plan.id}" and "overdue=overdue" in link
    shown = soup_of(client.get(link))
    assert len(shown.select("#measures tbody tr[data-number]")) == 2

    unit_page = soup_of(client.get(f"/dashboard/units/{unit_a.id}"))
    assert unit_page.select_one('a[data-figure="total"] .fs-3').get_text(strip=True) == "3"


@pytest.mark.parametrize("locale", ["uz_Latn", "uz_Cyrl", "ru", "en"])
def test_dashboard_speaks_every_language(client, db, setup, make_user, locale):
    login(client, make_user(Role.VIEWER, locale=locale))
    response = client.get("/dashboard")
    assert response.status_code == 200
    assert soup_of(response).select_one("svg title") is not None


def test_dashboards_respect_organizations_and_drafts(client, db, setup, make_user, make_plan):
    from tracker.orgs.models import Organization, Unit
    from tracker.plans.models import PlanState

    plan, *_ = setup
    draft = make_plan(title="Draft", state=PlanState.DRAFT)
    other_org = Organization(name="Other agency")
    db.session.add(other_org)
    db.session.flush()
    other_unit = Unit(name="Other unit", organization=other_org)
    db.session.add(other_unit)
    db.session.commit()
    login(client, make_user(Role.EXECUTOR))
    assert client.get(f"/dashboard/plans/{draft.id}").status_code == 403
    assert client.get(f"/dashboard/units/{other_unit.id}").status_code == 403
    assert client.get(f"/plans/{draft.id}/calendar").status_code == 403
    assert client.get(f"/plans/{draft.id}/timeline").status_code == 403
    total = soup_of(client.get("/dashboard")).select_one('a[data-figure="total"] .fs-3').get_text(strip=True)
    assert total == "6"  # the draft's measure is not counted


@contextmanager
def count_queries():
    statements: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = _db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def test_queries_per_page_do_not_grow_with_the_number_of_measures(
    client, db, make_plan, make_unit, make_user
):
    now = today()
    unit_a, unit_b = make_unit("A бўлим"), make_unit("B бўлим")
    small = make_plan(title="Кичик режа", measures=_measures(now, unit_a, unit_b, count=3))
    large = make_plan(title="Катта режа", measures=_measures(now, unit_a, unit_b, count=30))
    for plan in (small, large):
        for m in plan.measures[:3]:
            execution.submit_status_update(m, status=Status.IN_PROGRESS, note="Очиқ маълумотлар", actor=None)
    db.session.commit()
    login(client, make_user(Role.DIRECTOR))
    pages = [
        "/plans/{id}",
        "/dashboard/plans/{id}",
        "/plans/{id}/calendar",
        "/plans/{id}/timeline",
        "/search?q=chora&plan={id}",
        "/search?overdue=1&plan={id}",
        f"/dashboard/units/{unit_a.id}",
        "/dashboard",
        "/rating",
        "/api/v1/search?q=chora&plan={id}",
    ]
    for template in pages:
        counts = []
        for plan in (small, large):
            url = template.format(id=plan.id)
            client.get(url)  # warm-up (session, caches)
            with count_queries() as statements:
                assert client.get(url).status_code == 200, url
            counts.append(len(statements))
        assert counts[0] == counts[1], (template, counts)
