"""The plan's current measures as the read model takes them (``live_measures_json``, and
``measures_in_force`` for measures of many plans): plain rows,
the same dictionaries as ``measure_json`` makes of the ORM objects, for every kind of deadline,
responsible and step, in table order; measures removed or added after the day are left out."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.plans.models import Measure, PlanState, Responsible
from tracker.plans.snapshot import snapshot_of
from tracker.plans.snapshot_lists import measures_in_force
from tracker.plans.snapshot_load import live_measures_json, measure_json

JANUARY = date(2024, 1, 2)  # when the measures entered the plan (else: the day the test runs)


def _through_objects(plan, as_of, only=None):
    """The reference: the measures as ORM objects with steps and responsibles, as before."""
    query = (
        select(Measure)
        .where(Measure.plan_id == plan.id, Measure.deleted_at.is_(None), Measure.added_on <= as_of)
        .options(
            selectinload(Measure.steps), selectinload(Measure.responsibles).selectinload(Responsible.unit)
        )
        .order_by(Measure.position)
    )
    if only is not None:
        query = query.where(Measure.id.in_(list(only)))
    return [measure_json(m) for m in db.session.scalars(query)]


def test_live_rows_are_the_objects_json(db, make_plan, make_unit):
    lead, co = make_unit("Tahlil boʻlimi"), make_unit("Moliya boʻlimi")
    plan = make_plan(
        state=PlanState.DRAFT,
        measures=[
            {"number": "1", "title": "Milliy strategiya", "added_on": JANUARY,
             "mechanism": "Loyiha\nishlab chiqish",
             "legal_basis": "ПФ-200-сон Фармони, 27.11.2023", "expected_result": "Strategiya",
             "deadline_text": "2024 йил январь-март", "lead_unit_id": lead.id, "co_unit_ids": [co.id],
             "other_responsible": ["Ахборот хизмати"],
             "steps": [{"number": "2", "text": "Ikkinchi bosqich", "deadline_text": "2024 йил 1 май"},
                       {"number": "1", "text": "Birinchi bosqich", "deadline_text": "Доимий равишда"}]},
            {"number": "2", "title": "Hisobot", "added_on": JANUARY, "deadline_text": "Ҳар чоракда",
             "other_responsible": ["Барча таркибий тармоқлар"]},
            {"number": "3", "title": "Kelgusi", "deadline_text": "бир ой муддатда",
             "added_on": date(2024, 5, 1)},
            {"number": "4", "title": "Olib tashlanadi", "added_on": JANUARY,
             "deadline_text": "2024 йил 15 март"},
            {"number": "5", "title": "Muddatsiz", "added_on": JANUARY, "deadline_text": None,
             "due_on": date(2024, 2, 29)},
        ],
    )  # fmt: skip
    removed = next(m for m in plan.measures if m.number == "4")
    removed.deleted_at = datetime(2024, 3, 20, tzinfo=UTC)  # removed from the plan
    db.session.flush()
    db.session.expire_all()

    for as_of in (date(2024, 3, 1), date(2024, 6, 1)):
        live = live_measures_json(plan, as_of, None)
        assert live == _through_objects(plan, as_of)
        numbers = [m["number"] for m in live]
        assert numbers == (["1", "2", "3", "5"] if as_of >= date(2024, 5, 1) else ["1", "2", "5"])
    first = live_measures_json(plan, date(2024, 6, 1), None)[0]
    assert [s["number"] for s in first["steps"]] == ["2", "1"]  # in the plan's order, as added
    assert [(r["name"], r["lead"]) for r in first["responsible"]][:2] == [
        ("Tahlil boʻlimi", True),
        ("Moliya boʻlimi", False),
    ]
    assert first["deadline"]["kind"] and first["deadline"]["due"]
    some = {first["id"]}
    assert live_measures_json(plan, date(2024, 6, 1), some) == _through_objects(plan, date(2024, 6, 1), some)
    assert live_measures_json(plan, date(2024, 6, 1), set()) == []


def test_measures_of_many_plans_are_read_as_each_plan_reads_them(db, make_plan, make_unit):
    """``measures_in_force`` (notifications, inboxes: measures of any plans) gives each measure as
    the plan's own read model does, in the reader's script; removed and later measures are left out."""
    lead, co = make_unit("Tahlil boʻlimi"), make_unit("Moliya boʻlimi")
    first = make_plan(
        title="Ish rejasi 2024",
        measures=[
            {"number": "1", "title": "Миллий стратегия", "added_on": JANUARY,
             "deadline_text": "2024 йил январь-март", "lead_unit_id": lead.id, "co_unit_ids": [co.id],
             "steps": [{"number": "1", "text": "Лойиҳа", "deadline_text": "2024 йил 1 май"}]},
            {"number": "2", "title": "Кейинги", "added_on": date(2024, 5, 1), "deadline_text": "Доимий"},
        ],
    )  # fmt: skip
    second = make_plan(
        title="Йўл харитаси",
        measures=[
            {"number": "7", "title": "Ҳисобот", "added_on": JANUARY, "deadline_text": "Ҳар чоракда",
             "other_responsible": ["Барча таркибий тармоқлар"]},
            {"number": "8", "title": "Олиб ташланади", "added_on": JANUARY, "deadline_text": "2024 йил март"},
        ],
    )  # fmt: skip
    removed = second.measures[1]
    removed.deleted_at = datetime(2024, 2, 1, tzinfo=UTC)
    db.session.flush()
    ids = [m.id for plan in (first, second) for m in plan.measures]
    db.session.expire_all()

    as_of = date(2024, 3, 1)
    found = measures_in_force(ids, as_of, script="latn")
    expected = {}
    for plan in (first, second):
        view = snapshot_of(plan, as_of, script="latn")
        expected.update({m.id: (view.title, m) for m in view.measures})
    assert found == expected
    assert sorted(m.number for _title, m in found.values()) == ["1", "7"]
    title, strategy = found[first.measures[0].id]
    assert (title, strategy.title) == ("Ish rejasi 2024", "Milliy strategiya")
    assert [s.number for s in strategy.steps] == ["1"]
