"""Shape and key facts of the demo fixtures in tracker/demo/fixtures (see the README there)."""

import json
import re
from pathlib import Path

import pytest

# Computed from this file, not from `tracker.__file__`, so the test does not depend on the package importing.
FIXTURES = Path(__file__).resolve().parents[2] / "tracker" / "demo" / "fixtures"

WORK_PLAN = "work_plan_2024_h1"
ROADMAP = "open_data_roadmap_2021"

TOP_KEYS = {"key", "kind", "title", "basis", "period", "approval", "as_of", "units", "measures"}
MEASURE_KEYS = {
    "number",
    "title",
    "mechanism",
    "deadline",
    "legal_basis",
    "expected_result",
    "responsible",
    "status",
    "status_note",
    "steps",
}
STEP_KEYS = {"number", "text", "deadline", "status", "status_note"}
STATUSES = {None, "done", "in_progress", "not_started"}
# Responsible entries that name a group of units rather than one unit; they are not in "units".
GROUP_NAMES = {"Барча таркибий тармоқлар", "Масъул тармоқлар"}


def load(key: str) -> dict:
    return json.loads((FIXTURES / f"{key}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=[WORK_PLAN, ROADMAP])
def fixture(request) -> dict:
    return load(request.param)


def all_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from all_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_strings(item)


def test_top_level_shape(fixture):
    assert set(fixture) == TOP_KEYS
    assert fixture["title"] and "\n" not in fixture["title"]
    assert set(fixture["period"]) == {"start", "end"}
    assert isinstance(fixture["units"], list)
    assert len(set(fixture["units"])) == len(fixture["units"])
    assert fixture["measures"]


def test_measure_and_step_shape(fixture):
    numbers = [m["number"] for m in fixture["measures"]]
    assert len(set(numbers)) == len(numbers)
    for m in fixture["measures"]:
        assert set(m) == MEASURE_KEYS, m["number"]
        assert re.fullmatch(r"\d+", m["number"])
        assert m["title"].strip() and m["deadline"].strip() and m["mechanism"].strip()
        assert isinstance(m["responsible"], list)
        assert m["status"] in STATUSES
        for k, step in enumerate(m["steps"], 1):
            assert set(step) == STEP_KEYS
            assert step["number"] == str(k), (m["number"], step["number"])
            assert step["text"].strip()
            assert step["status"] in STATUSES


def test_no_html_and_clean_whitespace(fixture):
    for text in all_strings(fixture):
        assert "<p>" not in text and "</p>" not in text
        assert not re.search(r"</?(p|ul|li|ol|br)\b[^>]*>", text), text[:80]
        assert text == text.strip()
        assert "  " not in text and "\t" not in text


def test_work_plan_header():
    plan = load(WORK_PLAN)
    assert plan["key"] == WORK_PLAN and plan["kind"] == "work_plan"
    assert plan["title"].startswith("Ўзбекистон Республикаси Коррупцияга қарши курашиш агентлигининг")
    assert "2024 йил I ярим йиллигига" in plan["title"]
    assert plan["period"] == {"start": "2024-01-01", "end": "2024-06-30"}
    assert plan["approval"] == {
        "position": "Коррупцияга қарши курашиш агентлиги директори",
        "name": "А. Бурханов",
        "date": "2024-01-04",
    }
    assert plan["as_of"] is None


def test_work_plan_numbers_keep_the_gap():
    numbers = [m["number"] for m in load(WORK_PLAN)["measures"]]
    assert numbers == ["1"] + [str(n) for n in range(3, 32)]
    assert "2" not in numbers
    assert len(numbers) == 30


def test_work_plan_responsible_units():
    plan = load(WORK_PLAN)
    units = set(plan["units"])
    assert len(units) == 8
    assert not units & GROUP_NAMES
    for m in plan["measures"]:
        assert m["responsible"], m["number"]
        for name in m["responsible"]:
            assert name in units or name in GROUP_NAMES, (m["number"], name)
    by_number = {m["number"]: m for m in plan["measures"]}
    # A cell listing two names is split in two; the first one is the lead.
    assert by_number["1"]["responsible"] == [
        "Тизимли таҳлил ва прогнозлаштириш йиғма бўлими",
        "Барча таркибий тармоқлар",
    ]
    assert by_number["10"]["responsible"] == [
        "Коррупциянинг олдини олиш ва “комплаенс-назорат” тизимини жорий этиш бошқармаси",
        "Коррупцияга қарши курашиш тизимини таҳлил ва мониторинг қилиш бошқармаси",
    ]
    assert by_number["31"]["responsible"] == ["Кадрлар тармоғи", "Юрисконсулт"]


def test_work_plan_measures_and_steps():
    plan = load(WORK_PLAN)
    by_number = {m["number"]: m for m in plan["measures"]}
    for m in plan["measures"]:
        assert m["status"] is None and m["status_note"] is None
        for step in m["steps"]:
            assert step["status"] is None and step["status_note"] is None
    # Page-continuation rows are joined into the row above them.
    assert by_number["3"]["title"] == (
        "Ўзбекистон Республикасида коррупцияга қарши курашиш тўғрисида миллий маърузани тайёрлаш"
    )
    assert by_number["8"]["deadline"] == "2024 йил февраль 2024 йил март"
    assert by_number["4"]["deadline"] == "2024 йил январ-июнь"  # OCR spelling kept
    # As many deadlines as steps: each step gets its own, in order.
    assert [s["deadline"] for s in by_number["5"]["steps"]] == [
        "2024 йил февраль",
        "2024 йил март",
        "2024 йил апрель",
    ]
    assert [s["deadline"] for s in by_number["9"]["steps"]] == ["Доимий равишда", "Ҳар чоракда"]
    # Otherwise step deadlines stay empty.
    assert [s["deadline"] for s in by_number["8"]["steps"]] == [None, None, None]
    assert len(by_number["23"]["steps"]) == 5
    assert by_number["15"]["steps"] == []
    assert sum(len(m["steps"]) for m in plan["measures"]) == 44
    assert by_number["15"]["mechanism"].count("\n") == 3


def test_roadmap_header_and_measures():
    roadmap = load(ROADMAP)
    assert roadmap["key"] == ROADMAP and roadmap["kind"] == "roadmap"
    assert roadmap["title"].endswith("“ЙЎЛ ХАРИТАСИ”")
    assert "808-сонли қарори" in roadmap["basis"]
    assert roadmap["period"] == {"start": "2021-01-01", "end": "2021-12-31"}
    assert roadmap["approval"] is None
    assert roadmap["as_of"] == "2022-10-04"
    assert roadmap["units"] == []
    numbers = [m["number"] for m in roadmap["measures"]]
    assert numbers == [str(n) for n in range(1, 9)]
    for m in roadmap["measures"]:
        assert m["responsible"] == []
        assert m["legal_basis"] is None and m["expected_result"] is None
        assert m["status"] in {"done", "in_progress", "not_started"}
        assert m["status_note"]
        if m["steps"]:
            assert m["deadline"] == m["steps"][0]["deadline"]
            assert m["status_note"] == m["steps"][0]["status_note"]
            every_done = all(s["status"] == "done" for s in m["steps"])
            assert m["status"] == ("done" if every_done else "in_progress")


def test_roadmap_steps():
    roadmap = load(ROADMAP)
    steps = {
        m["number"]: [(s["number"], s["deadline"], s["status"]) for s in m["steps"]]
        for m in roadmap["measures"]
    }
    assert {k for k, v in steps.items() if v} == {"3", "4", "6", "8"}
    assert sum(len(v) for v in steps.values()) == 12
    assert steps["3"] == [
        ("1", "2021 йил январь", "done"),
        ("2", "Ҳар йили 1 декабрга қадар", "done"),
        ("3", "Доимий равишда", "in_progress"),
    ]
    assert steps["6"][1] == ("2", "2021 йил сентябрь", "done")
    by_number = {m["number"]: m for m in roadmap["measures"]}
    assert by_number["3"]["status"] == "in_progress"
    assert by_number["4"]["status"] == "done"
    assert by_number["8"]["status"] == "in_progress"
    # The status paragraph that finishes step 2's sentence on the next page stays with step 2.
    step2_note = by_number["3"]["steps"][1]["status_note"]
    assert "“Рақамли Ўзбекистон – 2030” стратегиясини" in step2_note
    assert by_number["3"]["steps"][2]["status_note"].startswith("Бажарилмоқда.")
