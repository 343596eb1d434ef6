"""Relative deadlines in a plan count from its approval date (or its basis document's date) and
are recomputed when that date is set."""

from __future__ import annotations

from datetime import date

from tests.conftest import measure_by_number, soup_of
from tracker.core.permissions import Role
from tracker.plans import services
from tracker.plans.models import PlanState
from tracker.plans.relative_deadlines import deadline_reference, resolve_relative_deadlines

MEASURES = [
    {
        "number": "1",
        "title": "Ҳисобот",
        "deadline_text": "бир ой муддатда",
        "steps": [{"number": "1", "text": "Лойиҳа", "deadline_text": "15 кун ичида"}],
    },
    {"number": "2", "title": "Маъруза", "deadline_text": "2024 йил март"},
]


def test_approval_date_sets_relative_due_dates_and_the_snapshot_has_them(make_plan):
    plan = make_plan(measures=MEASURES)  # approved on 4 January 2024
    first, second = measure_by_number(plan, "1"), measure_by_number(plan, "2")
    assert (first.deadline_kind, first.start_on, first.due_on) == (
        "relative",
        date(2024, 1, 4),
        date(2024, 2, 4),
    )
    assert first.steps[0].due_on == date(2024, 1, 19)
    assert second.due_on == date(2024, 3, 31)  # a dated deadline is left alone
    snapshot = plan.versions[0].snapshot["measures"][0]
    assert snapshot["deadline"]["due"] == "2024-02-04"
    assert snapshot["steps"][0]["deadline"]["due"] == "2024-01-19"


def test_draft_counts_from_the_basis_document_until_it_is_approved(db, make_plan, make_user):
    plan = make_plan(measures=MEASURES, state=PlanState.DRAFT)
    first = measure_by_number(plan, "1")
    assert first.due_on is None  # no date to count from yet
    plan.basis = "Ўзбекистон Республикаси Президентининг 2023 йил 31 декабрдаги ПФ-60-сон Фармони"
    assert deadline_reference(plan) == date(2023, 12, 31)
    assert resolve_relative_deadlines(plan) == 2
    assert first.due_on == date(2024, 1, 31)
    assert resolve_relative_deadlines(plan) == 0  # nothing left to change

    plan.state = PlanState.IN_REVIEW
    services.approve_plan(
        plan,
        actor=make_user(Role.DIRECTOR),
        position=None,
        name="А. Бурханов",
        approval_date=date(2024, 1, 31),
    )
    assert deadline_reference(plan) == date(2024, 1, 31)
    assert first.due_on == date(2024, 2, 29)  # month arithmetic clamps
    assert first.steps[0].due_on == date(2024, 2, 15)


def test_document_approval_recomputes(db, make_plan):
    plan = make_plan(measures=MEASURES, state=PlanState.DRAFT)
    services.record_document_approval(
        plan, actor=None, position="Директор", name="А. Бурханов", approval_date=date(2024, 3, 15)
    )
    assert measure_by_number(plan, "1").due_on == date(2024, 4, 15)


# -- deadlines the parser cannot read are flagged, never silently dropped ---------------------

UNREADABLE = [
    {
        "number": "1",
        "title": "Ҳисобот",
        "deadline_text": "Раҳбарият кўрсатмасига биноан",
        "steps": [{"number": "1", "text": "Лойиҳа", "deadline_text": "2024 йил март"}],
    },
    {
        "number": "2",
        "title": "Маъруза",
        "deadline_text": "2024 йил март",
        "steps": [{"number": "1", "text": "Тақдимот", "deadline_text": "тез орада"}],
    },
    {"number": "3", "title": "Семинар", "deadline_text": "2024 йил апрель"},
]


def test_plan_page_flags_measures_and_steps_with_no_machine_deadline(
    db, client, make_plan, make_user, login_as
):
    plan = make_plan(measures=UNREADABLE)
    login_as(make_user(Role.CONTROLLER))
    page = soup_of(client.get(f"/plans/{plan.id}"))
    flagged = {
        row["data-number"]: len(row.select(".no-machine-deadline")) for row in page.select("tr[data-number]")
    }
    assert flagged == {"1": 1, "2": 1, "3": 0}


def test_controllers_list_of_items_with_no_machine_deadline(db, client, make_plan, make_user, login_as):
    plan = make_plan(measures=UNREADABLE)
    login_as(make_user(Role.CONTROLLER))
    page = soup_of(client.get("/search?unreadable=1"))
    assert page.select_one("#f-unreadable").has_attr("checked")
    titles = [li.get_text(" ", strip=True) for li in page.select("#results li[data-kind]")]
    assert len(titles) == 2
    assert any("Ҳисобот" in t for t in titles) and any("Маъруза" in t for t in titles)
    # With words too: the filter narrows a text search.
    assert not soup_of(client.get("/search?q=Семинар&unreadable=1")).select("#results li[data-kind]")
    assert soup_of(client.get("/search?q=Семинар")).select("#results li[data-kind]")
    assert soup_of(client.get("/search?q=Тақдимот&unreadable=1")).select("#results li[data-kind]")
    assert plan.id
