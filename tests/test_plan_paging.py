"""The plan page shows its table a page at a time, with a jump to a measure by its number."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from flask import url_for

from tests.conftest import flashes, login, measure_by_number, post_form, soup_of
from tracker.core.permissions import Role
from tracker.plans.models import PlanState
from tracker.plans.queries import PLAN_PAGE_SIZE

TOTAL = PLAN_PAGE_SIZE + 5


def _big_plan(make_plan, unit):
    return make_plan(
        state=PlanState.DRAFT,
        measures=[
            {"number": str(n), "title": f"Tadbir {n}", "lead_unit_id": unit.id if n % 2 else None}
            for n in range(1, TOTAL + 1)
        ],
    )


def _numbers(response) -> list[str]:
    return [row["data-number"] for row in soup_of(response).select("#measures tbody tr[data-number]")]


def test_the_table_is_shown_a_page_at_a_time(client, db, make_unit, make_user, make_plan):
    plan = _big_plan(make_plan, make_unit("Birinchi boshqarma"))
    login(client, make_user(Role.ADMIN))
    first = client.get(f"/plans/{plan.id}")
    assert _numbers(first) == [str(n) for n in range(1, PLAN_PAGE_SIZE + 1)]
    pager = soup_of(first).select_one("nav .pagination").select("a.page-link")
    assert [a.get_text() for a in pager] == ["1", "2"]
    assert soup_of(first).select_one('a[aria-current="page"]').get_text() == "1"
    whole_table = [a["href"] for a in soup_of(first).select("p.no-print a")]
    with client.application.test_request_context():
        assert url_for("reports.form", plan_id=plan.id) in whole_table  # the PDF prints it all
    second = client.get(f"/plans/{plan.id}?page=2")
    assert _numbers(second) == [str(n) for n in range(PLAN_PAGE_SIZE + 1, TOTAL + 1)]
    beyond = client.get(f"/plans/{plan.id}?page=99")
    assert _numbers(beyond) == _numbers(second)
    assert client.get(f"/plans/{plan.id}?page=x").status_code == 400


def test_filters_and_pages_go_together(client, db, make_unit, make_user, make_plan):
    unit = make_unit("Birinchi boshqarma")
    plan = _big_plan(make_plan, unit)
    login(client, make_user(Role.ADMIN))
    filtered = client.get(f"/plans/{plan.id}?unit={unit.id}")
    assert _numbers(filtered) == [str(n) for n in range(1, TOTAL + 1, 2)]
    assert soup_of(filtered).select("nav .pagination") == []


def test_jump_to_a_measure_opens_its_page_at_its_row(client, db, make_unit, make_user, make_plan):
    unit = make_unit("Birinchi boshqarma")
    plan = _big_plan(make_plan, unit)
    login(client, make_user(Role.ADMIN))
    target = measure_by_number(plan, "103")
    response = client.get(f"/plans/{plan.id}?jump=103")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert parse_qs(location.query) == {"page": ["2"]} and location.fragment == f"m{target.id}"
    assert f"m{target.id}" in [
        row["id"]
        for row in soup_of(client.get(location.path + "?" + location.query)).select("#measures tbody tr")
    ]
    within_filter = urlsplit(client.get(f"/plans/{plan.id}?unit={unit.id}&jump=103").headers["Location"])
    assert parse_qs(within_filter.query) == {"unit": [str(unit.id)]}  # 52nd of 53 odd rows: page 1
    missing = client.get(f"/plans/{plan.id}?unit={unit.id}&jump=104", follow_redirects=True)
    assert any("104" in message for message in flashes(missing))
    form = soup_of(client.get(f"/plans/{plan.id}")).find("input", attrs={"name": "jump"}).find_parent("form")
    assert form["method"] == "get"


def test_after_editing_a_measure_the_plan_page_opens_where_it_is(client, db, make_unit, make_user, make_plan):
    plan = _big_plan(make_plan, make_unit("Birinchi boshqarma"))
    login(client, make_user(Role.ADMIN))
    target = measure_by_number(plan, "104")
    response = post_form(client, f"/measures/{target.id}/move/up")
    location = urlsplit(response.headers["Location"])
    assert parse_qs(location.query) == {"page": ["2"]} and location.fragment == f"m{target.id}"
