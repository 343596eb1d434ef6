"""The batched import (tracker/imports/bulk.py): the rules add_measure checks row by row still hold,
and every measure gets its entries — audit and search — in the order the row-by-row import wrote them."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import inspect, select, text

from tracker.core.errors import InvalidInput
from tracker.core.models import AuditEntry
from tracker.imports import bulk, services
from tracker.plans import services as plan_services
from tracker.plans.models import PlanKind
from tracker.search.index import rebuild_index
from tracker.search.models import SearchEntry


def _open_data(measures):
    plan = {"title": "2024 йил иш режаси", "kind": "work_plan", "measures": measures}
    return json.dumps(plan, ensure_ascii=False).encode()


def _import(organization, data, **options):
    preview = services.preview_file("plan.json", data, organization)
    return services.import_plan(preview, organization, actor=None, **options)


def test_a_number_used_twice_is_refused(db, organization):
    data = _open_data([{"number": "1", "title": "Биринчи"}, {"number": "1", "title": "Иккинчи"}])
    with pytest.raises(InvalidInput, match="Measure number 1 is already used in this plan"):
        _import(organization, data)


def test_entries_come_per_measure_in_order(db, organization, make_unit):
    unit = make_unit("Ахборот хизмати")
    data = _open_data(
        [
            {
                "number": "1",
                "title": "Очиқ маълумотларни янгилаш",
                "deadline": "2024 йил март",
                "responsible": ["Ахборот хизмати", "Барча таркибий тармоқлар"],
                "steps": [
                    {"text": "Рўйхатни тузиш"},
                    {"text": "Порталга жойлаштириш", "deadline": "2024 йил май"},
                ],
            },
            {"number": "2", "title": "Ҳисобот тайёрлаш", "deadline": "Ҳар чоракда"},
        ]
    )
    plan = _import(organization, data)
    first, second = plan.measures
    assert [r.display_name for r in first.responsibles] == ["Ахборот хизмати", "Барча таркибий тармоқлар"]
    assert first.responsibles[0].unit_id == unit.id and first.responsibles[0].is_lead
    assert [s.position for s in first.steps] == [1, 2] and first.steps[1].due_on is not None
    assert second.deadline_kind == "recurring" and not second.steps
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type.in_(["measure", "step"])).order_by(AuditEntry.id)
    ).all()
    assert [(e.entity_type, e.entity_id, e.action) for e in entries] == [
        ("measure", first.id, "create"),
        ("step", first.steps[0].id, "create"),
        ("step", first.steps[1].id, "create"),
        ("measure", first.id, "import"),
        ("measure", second.id, "create"),
        ("measure", second.id, "import"),
    ]
    assert all(e.organization_id == organization.id for e in entries)
    assert entries[0].after["responsible"] == ["* Ахборот хизмати", "Барча таркибий тармоқлар"]
    indexed = db.session.execute(select(SearchEntry.kind, SearchEntry.measure_id, SearchEntry.step_id)).all()
    assert {(k, m, s) for k, m, s in indexed if k != "plan"} == {
        ("measure", first.id, None),
        ("step", first.id, first.steps[0].id),
        ("step", first.id, first.steps[1].id),
        ("measure", second.id, None),
    }


# -- the batched path writes what the row-by-row services write ----------------------------------

MEASURES = [
    {
        "number": "1",
        "title": "Очиқ маълумотларни янгилаш",
        "mechanism": "Порталда эълон қилиш",
        "legal_basis": "Президентнинг 2022 йил 28 январдаги ПФ-60-сон Фармони",
        "expected_result": "Маълумотлар очиқ",
        "deadline_text": "2024 йил март",
        "steps": [
            {"number": "1", "text": "Рўйхатни тузиш", "deadline_text": "бир ой муддатда"},
            {"number": "2", "text": "Порталга жойлаштириш", "deadline_text": "2024 йил май"},
        ],
    },
    {"number": "2", "title": "Ҳисобот тайёрлаш", "deadline_text": "Ҳар чоракда", "content": ""},
    {"number": "3", "title": "Ҳисобот тайёрлаш", "deadline_text": "Ҳар чоракда", "due_on": date(2024, 5, 2)},
    {
        "number": "4",
        "title": "Ochiq muloqot",
        "deadline_text": "15 кун ичида",
        "steps": [{"number": "", "text": "Bir"}],
    },
]
NAMES = ["Барча таркибий тармоқлар", "Вазирлик", "  ", "Вазирлик"]


def _items(units):
    items = []
    for index, measure in enumerate(MEASURES):
        fields = {k: v for k, v in measure.items() if k != "steps"}
        lead, co = (units[0].id, [units[1].id, units[0].id]) if index % 2 == 0 else (None, [units[1].id])
        data = plan_services.MeasureData(
            **fields,
            lead_unit_id=lead,
            co_unit_ids=co,
            other_responsible=NAMES[: index + 1],
            added_on=date(2024, 1, 9),
        )
        steps = [plan_services.StepData(**step) for step in measure.get("steps", [])]
        items.append(bulk.NewMeasure(data=data, steps=steps, imported={"rows": [index]}))
    return items


def _draft(organization, title):
    data = plan_services.PlanData(
        kind=PlanKind.WORK_PLAN,
        title=title,
        period_start=date(2024, 1, 1),
        period_end=date(2024, 6, 30),
        basis="Президентнинг 2022 йил 28 январдаги ПФ-60-сон Фармони",
    )
    return plan_services.create_plan(organization, data, actor=None)


def _columns(obj, leave_out):
    return {c.key: getattr(obj, c.key) for c in inspect(type(obj)).column_attrs if c.key not in leave_out}


def _written(db, plan):
    """Everything the measures of ``plan`` wrote, keyed by position rather than by id."""
    db.session.expire_all()
    measures = {m.id: m for m in plan.measures}
    where = {m.id: m.position for m in measures.values()}
    steps = {s.id: (where[m.id], s.position) for m in measures.values() for s in m.steps}
    rows = {
        "measures": [_columns(m, {"id", "plan_id", "created_at", "updated_at"}) for m in measures.values()],
        "steps": [
            _columns(s, {"id", "measure_id", "updated_at"}) for m in measures.values() for s in m.steps
        ],
        "responsibles": [
            (where[m.id], _columns(r, {"id", "measure_id"}))
            for m in measures.values()
            for r in m.responsibles
        ],
    }
    search = db.session.execute(
        select(SearchEntry.kind, SearchEntry.measure_id, SearchEntry.step_id, SearchEntry.search_key).where(
            SearchEntry.plan_id == plan.id
        )
    ).all()
    rows["search"] = sorted(
        (kind, where.get(measure_id), steps.get(step_id), key) for kind, measure_id, step_id, key in search
    )
    audit_rows = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type.in_(["measure", "step"]), AuditEntry.action == "create"
        )
    ).all()
    ours = [e for e in audit_rows if e.entity_id in (measures if e.entity_type == "measure" else steps)]
    stored_null = set(db.session.scalars(select(AuditEntry.id).where(text("audit_entries.before IS NULL"))))
    rows["audit"] = [
        (
            e.entity_type,
            e.organization_id,
            e.actor_id,
            e.id in stored_null,
            {k: v for k, v in e.after.items() if k not in ("plan_id", "measure_id")},
        )
        for e in sorted(ours, key=lambda e: e.id)
    ]
    return rows


def test_the_batch_writes_the_rows_the_row_by_row_services_write(db, organization, make_unit):
    units = [make_unit("Ахборот хизмати"), make_unit("Кадрлар бўлими")]
    one_by_one = _draft(organization, "Режа")
    for item in _items(units):
        measure = plan_services.add_measure(one_by_one, item.data, actor=None)
        for step in item.steps:
            plan_services.add_step(measure, step, actor=None)
    batched = _draft(organization, "Режа")
    measures = bulk.add_measures(batched, _items(units), actor=None)
    db.session.flush()

    assert [m.number for m in measures] == ["1", "2", "3", "4"] and batched.measures == measures
    expected, got = _written(db, one_by_one), _written(db, batched)
    assert len(got["search"]) == 1 + 4 + 3  # the plan, four measures, three steps
    for part in ("measures", "steps", "responsibles", "search", "audit"):
        assert got[part] == expected[part], part


def test_the_index_of_an_imported_plan_is_what_a_rebuild_writes(db, organization, make_unit):
    units = [make_unit("Ахборот хизмати"), make_unit("Кадрлар бўлими")]
    plan = _draft(organization, "Режа")
    bulk.add_measures(plan, _items(units), actor=None)
    db.session.flush()
    columns = (
        SearchEntry.kind,
        SearchEntry.plan_id,
        SearchEntry.measure_id,
        SearchEntry.step_id,
        SearchEntry.status_update_id,
        SearchEntry.search_key,
    )
    before = sorted(db.session.execute(select(*columns)).all())
    rebuild_index(db.session.connection())
    assert sorted(db.session.execute(select(*columns)).all()) == before
