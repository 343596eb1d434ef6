"""Exports: the official XLSX table, CSV for Excel, open-data JSON valid against its schema,
in either script and as of a date; and export → import gives the same plan."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from _import_docs import docx_bytes, seed, xlsx_bytes
from openpyxl import load_workbook

from tests.exports._open_data_schema import SCHEMA, validate
from tracker.exports.data import plan_open_data
from tracker.exports.writers import render
from tracker.imports import services


def test_the_validator_catches_mistakes():
    assert validate({"format": "tracker-plan"}, SCHEMA)  # required keys missing
    bad = {"text": "x", "kind": "weekly", "start": "04.10.2022", "due": None, "recurrence": None}
    assert len(validate(bad, {"$ref": "#/$defs/deadline"})) == 2


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def controller(make_user):
    return make_user("controller")


@pytest.fixture
def work_plan(db, organization, controller, make_unit):
    from _import_docs import fixture

    for name in fixture("003")["units"][:4]:
        make_unit(name)  # the other names stay as written
    preview = services.preview_file("plan.docx", docx_bytes(*seed("003")), organization)
    return services.import_plan(preview, organization, actor=controller)


@pytest.fixture
def roadmap(db, organization, controller):
    preview = services.preview_file("roadmap.xlsx", xlsx_bytes(*seed("004")), organization)
    return services.import_plan(preview, organization, actor=controller)


def _comparable(data):
    """The export without database ids (a re-imported plan has ids of its own)."""
    data = json.loads(json.dumps(data))
    data.pop("id")
    for measure in data["measures"]:
        measure.pop("id")
        for step in measure["steps"]:
            step.pop("id")
    return data


# -- open data ----------------------------------------------------------------------------------


def test_open_data_is_valid_against_the_schema(work_plan, roadmap):
    for plan in (work_plan, roadmap):
        for script in (None, "cyrl", "latn"):
            data = json.loads(render(plan_open_data(plan, script=script), "json"))
            assert validate(data, SCHEMA) == []
    data = plan_open_data(work_plan)
    assert data["approval"] == {
        "name": "А. Бурханов",
        "position": "Коррупцияга қарши курашиш агентлиги директори",
        "date": "2024-01-04",
    }
    assert data["period"] == {"start": "2024-01-01", "end": "2024-06-30"}
    first = data["measures"][0]
    assert first["deadline"]["due"] == "2024-03-31" and first["deadline"]["kind"] == "range"
    assert first["legal_basis"]["acts"][0] == {
        "kind": "PF",
        "number": "200",
        "date": "2023-11-27",
        "issuer": "president",
    }
    assert first["responsible"][0]["lead"] is True and first["responsible"][0]["unit_id"] is not None


def test_the_script_is_chosen_for_the_content(work_plan):
    latin = plan_open_data(work_plan, script="latn")
    assert latin["title"].startswith("Oʻzbekiston Respublikasi")
    assert latin["approval"]["name"] == "A. Burxanov"
    assert latin["measures"][0]["deadline"]["text"] == "2024-yil yanvar-mart"  # the official hyphen
    assert latin["measures"][0]["deadline"]["due"] == "2024-03-31"


def test_as_of_leaves_out_later_statuses(roadmap):
    assert {m["status"] for m in plan_open_data(roadmap, as_of=date(2022, 1, 1))["measures"]} == {
        "not_started"
    }
    now = plan_open_data(roadmap, as_of=date(2022, 10, 4))
    assert now["as_of"] == "2022-10-04"
    assert now["measures"][0]["status"] == "done"
    assert now["measures"][0]["status_note"].startswith("Бажарилди. 2021 йилнинг 8 январь")


# -- files --------------------------------------------------------------------------------------


def test_xlsx_is_laid_out_like_the_official_table(work_plan):
    workbook = load_workbook(io.BytesIO(render(plan_open_data(work_plan), "xlsx")))
    sheet = workbook.active
    header_row = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "№")
    assert sheet.cell(header_row, 2).value == "Чора-тадбирлар номи"
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.column_dimensions["C"].width >= 50
    assert sheet.cell(header_row + 1, 3).alignment.wrap_text
    assert sheet.cell(1, 1).value == "ТАСДИҚЛАЙМАН"
    assert sheet.cell(header_row + 1, 1).value == "1" and sheet.cell(header_row + 2, 1).value == "1.1"


def test_csv_opens_in_excel_with_cyrillic(work_plan):
    content = render(plan_open_data(work_plan, script="latn"), "csv")
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    header = next(r for r in rows if r and r[0] == "№")
    assert header[1] == "Chora-tadbirlar nomi"


def test_text_that_looks_like_a_formula_stays_text(db, organization, controller):
    from _import_docs import csv_bytes

    rows = [["№", "Чора-тадбирлар номи", "Ижро муддати"], ["1", '=HYPERLINK("http://x")', "2024 йил март"]]
    plan = services.import_plan(
        services.preview_file("p.csv", csv_bytes(["ИШ РЕЖАСИ"], rows), organization),
        organization,
        actor=controller,
    )
    data = plan_open_data(plan)
    assert "\n1;\"'=HYPERLINK(" in render(data, "csv").decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(render(data, "xlsx"))).active
    assert any(
        c.value == '=HYPERLINK("http://x")' and c.data_type == "s" for row in sheet.iter_rows() for c in row
    )
    again = services.preview_file("p.csv", render(data, "csv"), organization)
    assert again.plan.measures[0].title == '=HYPERLINK("http://x")'


# -- round trip ---------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["json", "csv", "xlsx"])
@pytest.mark.parametrize("which", ["work_plan", "roadmap"])
def test_export_then_import_gives_the_same_plan(request, organization, controller, which, file_format):
    plan = request.getfixturevalue(which)
    as_of = date(2022, 10, 4) if which == "roadmap" else None
    exported = plan_open_data(plan, as_of=as_of)
    content = render(exported, file_format)
    preview = services.preview_file(f"export.{file_format}", content, organization)
    assert preview.unmatched == {
        key: name for key, name in preview.unmatched.items()
    }  # names kept as written
    again = services.import_plan(preview, organization, actor=controller)
    assert again.id != plan.id
    assert _comparable(plan_open_data(again, as_of=as_of)) == _comparable(exported)


def test_latin_export_imports_as_a_latin_plan(work_plan, organization, controller):
    content = render(plan_open_data(work_plan, script="latn"), "xlsx")
    preview = services.preview_file("export.xlsx", content, organization)
    assert preview.plan.title.startswith("Oʻzbekiston")
    assert preview.plan.approval.name == "A. Burxanov"
    assert preview.unmatched.keys() <= {
        k for k in services.preview_file("x.docx", docx_bytes(*seed("003")), organization).unmatched
    }
