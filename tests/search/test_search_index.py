"""Search: the index follows the data, matches whatever the script, and respects who may see what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import login, soup_of
from tests.query_count import counting_statements
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.core.time import today
from tracker.execution import services as execution
from tracker.plans import services as plan_services
from tracker.plans.models import PlanState
from tracker.search.index import padded_key
from tracker.search.models import SearchEntry
from tracker.search.queries import SearchFilters, search

DECREE = "Президентнинг 27.11.2023 йилдаги ПФ-200-сон Фармони"
OTHER_DECREE = "Президентнинг ПФ-2000-сон Фармони"


@pytest.fixture
def plan(make_plan, make_unit):
    unit = make_unit("Очиқлик бўлими")
    return make_plan(
        title="Очиқлик бўйича йўл харитаси",
        measures=[
            {
                "number": "1",
                "title": "Очиқ маълумотлар базасини кенгайтириш ва янгилаш",
                "legal_basis": DECREE,
                "lead_unit_id": unit.id,
                "steps": [{"number": "1", "text": "Расмий веб-сайтда бўлимни янгилаш"}],
            },
            {"number": "2", "title": "Jamoatchilik bilan ochiq muloqot", "legal_basis": OTHER_DECREE},
            {"number": "3", "title": "Мурожаатлар статистикаси", "legal_basis": DECREE},
        ],
    )


def _measure_ids(result):
    return {h.measure.id for h in result.hits if h.kind == "measure"}


def _by_number(plan, number):
    return next(m for m in plan.measures if m.number == number)


def test_the_listener_indexes_new_and_changed_items_and_cascades(db, plan):
    keys = dict(
        db.session.execute(
            select(SearchEntry.kind + ":" + SearchEntry.search_key, SearchEntry.id).where(
                SearchEntry.plan_id == plan.id
            )
        ).all()
    )
    assert any(k.startswith("plan:") and " yol xaritasi " in k for k in keys)
    first = _by_number(plan, "1")
    entry = db.session.scalar(
        select(SearchEntry).where(SearchEntry.kind == "measure", SearchEntry.measure_id == first.id)
    )
    assert " ochik malumotlar " in entry.search_key and " pf-200 " in entry.search_key

    first.title = "Янги ном"
    db.session.flush()
    keys = db.session.scalars(
        select(SearchEntry.search_key).where(
            SearchEntry.kind == "measure", SearchEntry.measure_id == first.id
        )
    ).all()
    assert len(keys) == 1 and " yangi nom " in keys[0]

    execution.submit_status_update(first, status=Status.IN_PROGRESS, note="Ҳисобот тайёрланмоқда", actor=None)
    db.session.flush()
    note = db.session.scalar(select(SearchEntry).where(SearchEntry.kind == "note"))
    assert note.measure_id == first.id and "xisobot" in note.search_key

    db.session.delete(plan)
    db.session.flush()
    assert db.session.scalar(select(SearchEntry).where(SearchEntry.plan_id == plan.id)) is None


@pytest.mark.parametrize(
    "query", ["ochiq malumotlar", "очиқ маълумотлар", "ОЧИК МАЪЛУМОТЛАР", "ochiq ma'lumotlar"]
)
def test_search_is_script_insensitive(db, plan, make_user, query):
    user = make_user(Role.VIEWER)
    result = search(user, query, SearchFilters(), today())
    assert _measure_ids(result) == {_by_number(plan, "1").id}


def test_a_decree_number_finds_its_measures_and_not_a_longer_number(db, plan, make_user):
    user = make_user(Role.VIEWER)
    for query in ("ПФ-200", "pf-200", "ПФ-200-сон"):
        result = search(user, query, SearchFilters(), today())
        assert _measure_ids(result) == {_by_number(plan, "1").id, _by_number(plan, "3").id}, query
    assert _measure_ids(search(user, "ПФ-2000", SearchFilters(), today())) == {_by_number(plan, "2").id}


def test_words_match_as_prefixes_and_all_words_are_needed(db, plan, make_user):
    user = make_user(Role.VIEWER)
    assert _measure_ids(search(user, "маълумот", SearchFilters(), today())) == {_by_number(plan, "1").id}
    assert _measure_ids(search(user, "ochiq statistika", SearchFilters(), today())) == set()


def test_steps_notes_and_plans_are_found_measures_first(db, plan, make_user):
    first = _by_number(plan, "1")
    execution.submit_status_update(first, status=Status.IN_PROGRESS, note="Веб-сайт янгиланди", actor=None)
    db.session.flush()
    result = search(make_user(Role.VIEWER), "янгила", SearchFilters(), today())
    kinds = [h.kind for h in result.hits]
    assert kinds[0] == "measure" and "step" in kinds and "note" in kinds
    assert kinds.index("step") < kinds.index("note")
    plans = search(make_user(Role.VIEWER), "yo'l xaritasi", SearchFilters(), today())
    assert [h.kind for h in plans.hits] == ["plan"]


def test_filters_by_plan_unit_status_deadline_and_overdue(db, plan, make_user, make_plan):
    user = make_user(Role.VIEWER)
    first, second, third = (_by_number(plan, n) for n in "123")
    now = today()
    first.due_on, second.due_on, third.due_on = now - timedelta(3), now + timedelta(5), now + timedelta(40)
    other = make_plan(
        title="Бошқа режа", measures=[{"number": "1", "title": "Очиқ маълумотлар", "legal_basis": DECREE}]
    )
    db.session.flush()
    lead = first.lead.unit_id

    assert _measure_ids(search(user, "pf-200", SearchFilters(plan_id=plan.id), now)) == {first.id, third.id}
    assert _measure_ids(search(user, "pf-200", SearchFilters(), now)) == {
        first.id,
        third.id,
        other.measures[0].id,
    }
    assert _measure_ids(search(user, "pf-200", SearchFilters(unit_id=lead), now)) == {first.id}
    assert _measure_ids(search(user, "pf-200", SearchFilters(plan_id=plan.id, overdue=True), now)) == {
        first.id
    }
    assert other.measures[0].id in _measure_ids(search(user, "pf-200", SearchFilters(overdue=True), now))
    window = SearchFilters(due_from=now, due_to=now + timedelta(30))
    assert _measure_ids(search(user, "pf-200 ochiq", window, now)) == set()
    assert _measure_ids(search(user, "ochiq", window, now)) == {second.id}
    execution.submit_status_update(third, status=Status.DONE, note="Бажарилди", actor=None)
    db.session.flush()
    assert _measure_ids(search(user, "pf-200", SearchFilters(status="done"), now)) == {third.id}
    assert third.id not in _measure_ids(search(user, "pf-200", SearchFilters(status="open"), now))
    # no words: the filtered list behind the dashboard numbers
    assert _measure_ids(search(user, "", SearchFilters(plan_id=plan.id, overdue=True), now)) == {first.id}


def test_search_sees_only_what_the_user_may_see(db, plan, make_user, make_plan, make_unit):
    from tracker.orgs.models import Organization

    other_org = Organization(name="Бошқа агентлик")
    db.session.add(other_org)
    db.session.flush()
    make_plan(title="Other", org=other_org, measures=[{"number": "1", "title": "Очиқ маълумотлар сири"}])
    draft = make_plan(
        title="Draft", state=PlanState.DRAFT, measures=[{"number": "1", "title": "Очиқ маълумотлар лойиҳа"}]
    )
    executor = make_user(Role.EXECUTOR)
    controller = make_user(Role.CONTROLLER)
    seen = {h.plan.id for h in search(executor, "ochiq malumotlar", SearchFilters(), today()).hits}
    assert seen == {plan.id}
    seen = {h.plan.id for h in search(controller, "ochiq malumotlar", SearchFilters(), today()).hits}
    assert seen == {plan.id, draft.id}
    # removed measures are not found
    plan_services.revise_plan(plan, actor=controller)
    plan_services.delete_measure(_by_number(plan, "1"), actor=controller)
    db.session.flush()
    assert _by_number(plan, "3").id in _measure_ids(search(controller, "pf-200", SearchFilters(), today()))
    assert len(_measure_ids(search(controller, "pf-200", SearchFilters(), today()))) == 1


def test_search_page_and_api(client, db, plan, make_user):
    user = make_user(Role.EXECUTOR)
    db.session.commit()
    login(client, user)
    page = soup_of(client.get("/search", query_string={"q": "ОЧИК МАЪЛУМОТЛАР"}))
    items = page.select("#results li[data-kind]")
    assert [li["data-measure"] for li in items if li["data-kind"] == "measure"] == [
        str(_by_number(plan, "1").id)
    ]
    assert page.select_one("form[role=search] input[name=q]") is not None  # the navbar box

    data = client.get("/api/v1/search", query_string={"q": "ПФ-200"}).get_json()
    assert data["total"] == 2 and data["tokens"] == ["pf-200"]
    assert {(r["kind"], r["plan_id"], r["number"], r["status"]) for r in data["results"]} == {
        ("measure", plan.id, "1", "not_started"),
        ("measure", plan.id, "3", "not_started"),
    }
    steps = client.get("/api/v1/search", query_string={"q": "veb-sayt", "plan": plan.id}).get_json()
    assert [(r["kind"], r["number"], r["measure_id"]) for r in steps["results"]] == [
        ("step", "1.1", _by_number(plan, "1").id)
    ]


def test_padded_key_is_empty_for_empty_text():
    assert padded_key(None, "") == ""
    assert padded_key("ПФ-200") == " pf-200 "


def test_best_matches_first_phrase_then_whole_words_then_prefixes(db, make_plan, make_user):
    plan = make_plan(
        title="Режа",
        measures=[
            {"number": "1", "title": "Маълумотларни тўплаш ва маълумот алмашиш тартиби"},
            {"number": "2", "title": "Ахборот ва маълумотлар"},
            {"number": "3", "title": "Маълумот"},
            {"number": "4", "title": "Маълумотнома тайёрлаш"},
        ],
    )
    result = search(make_user(Role.VIEWER), "маълумот", SearchFilters(), today())
    numbers = [h.measure.number for h in result.hits if h.kind == "measure"]
    # the exact title, then the other whole-word match, then the prefix matches (shorter first)
    assert numbers == ["3", "1", "2", "4"]
    assert result.total == result.ranked == 4
    assert {h.plan.id for h in result.hits} == {plan.id}


def test_rebuild_is_idempotent_and_leaves_removed_measures_out(db, cli_runner, plan, make_user):
    from tracker.search.index import rebuild_index

    user = make_user(Role.CONTROLLER)
    before = search(user, "pf-200", SearchFilters(), today()).total
    count = db.session.scalar(select(func.count(SearchEntry.id)))
    for _ in range(2):
        result = cli_runner.invoke(args=["search", "rebuild"])
        assert result.exit_code == 0, result.output
        assert f"{count} entries" in result.output
    assert search(user, "pf-200", SearchFilters(), today()).total == before == 2
    assert _measure_ids(search(user, "очиқ маълумотлар", SearchFilters(), today())) == {
        _by_number(plan, "1").id
    }
    removed = _by_number(plan, "1").id
    plan_services.revise_plan(plan, actor=user)
    plan_services.delete_measure(_by_number(plan, "1"), actor=user)
    db.session.flush()
    # the measure and its step left the index with it
    assert not db.session.scalars(select(SearchEntry).where(SearchEntry.measure_id == removed)).all()
    rebuild_index(db.session.connection())
    assert _measure_ids(search(user, "pf-200", SearchFilters(), today())) == {_by_number(plan, "3").id}
    assert search(user, "veb-sayt", SearchFilters(), today()).total == 0


@pytest.fixture
def cli_runner(app, db):
    return app.test_cli_runner()


def test_hits_load_only_the_kinds_they_name(db, plan, make_user):
    """A page of hits reads the plans, measures, steps and notes it names, one statement per kind
    present; a note shows its author."""
    first = _by_number(plan, "1")
    author = make_user(Role.EXECUTOR, unit=first.responsibles[0].unit, name="Н. Турсунов")
    execution.submit_status_update(first, status=Status.IN_PROGRESS, note="Веб-сайт янгиланди", actor=author)
    db.session.flush()
    viewer = make_user(Role.VIEWER)
    db.session.expire_all()
    with counting_statements(db.engine) as mixed:
        result = search(viewer, "янгила", SearchFilters(), today())
    note = next(h.note for h in result.hits if h.kind == "note")
    assert note.author.name == "Н. Турсунов"
    assert any("FROM steps" in s for s in mixed) and any("FROM status_updates" in s for s in mixed)

    with counting_statements(db.engine) as plans_only:
        result = search(viewer, "yo'l xaritasi", SearchFilters(), today())
    assert [h.kind for h in result.hits] == ["plan"]
    items = ("FROM measures", "FROM steps", "FROM status_updates")
    assert not any(table in s for s in plans_only for table in items)
    assert len(plans_only) < len(mixed)
