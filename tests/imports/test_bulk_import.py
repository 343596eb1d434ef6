"""The batched import (tracker/imports/bulk.py): the rules add_measure checks row by row still hold,
and every measure gets its entries — audit and search — in the order the row-by-row import wrote them."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tracker.core.errors import InvalidInput
from tracker.core.models import AuditEntry
from tracker.imports import services
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
