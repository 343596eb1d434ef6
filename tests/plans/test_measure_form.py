"""The measure form gives the plans services their data, each text of MEASURE_TEXTS by name."""

from __future__ import annotations

from flask import Flask

from tracker.plans.forms import MeasureForm
from tracker.plans.models import MEASURE_TEXTS


def test_the_measure_form_reads_every_text_it_has_by_name(app: Flask) -> None:
    typed = {
        "number": "2.1",
        "title": "Ҳисобот тайёрлаш",
        "mechanism": "Буйруқ",
        "legal_basis": "ПҚ-1",
        "expected_result": "",
        "deadline_text": "2025 йил 1 март",
        "lead_unit_id": "7",
        "co_unit_ids": ["8", "7"],
        "other_responsible": "Барча таркибий тармоқлар\nҲокимлик",
    }
    with app.test_request_context(method="POST", data=typed):
        form = MeasureForm(meta={"csrf": False})
        form.set_units([(7, "A"), (8, "B")])
        assert form.validate(), form.errors
        data = form.measure_data()
    assert (data.number, data.title, data.deadline_text) == ("2.1", "Ҳисобот тайёрлаш", "2025 йил 1 март")
    assert (data.mechanism, data.legal_basis) == ("Буйруқ", "ПҚ-1")
    assert data.expected_result is None  # an empty text clears the column
    assert data.content is None  # no field on this form: the stored content is kept
    assert (data.lead_unit_id, data.co_unit_ids) == (7, [8, 7])
    assert data.other_responsible == ["Барча таркибий тармоқлар", "Ҳокимлик"]
    assert set(MEASURE_TEXTS) - {"content"} <= set(form._fields)
