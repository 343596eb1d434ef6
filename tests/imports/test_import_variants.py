"""Tables as agencies really make them: columns in any order, Russian or Latin headers, merged
cells, repeated header rows, comma or semicolon CSV; and bad files refused with clear words."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from _import_docs import csv_bytes, docx_bytes, is_header, seed, xlsx_bytes
from docx import Document
from docx.oxml import OxmlElement
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tracker.core.errors import InvalidInput
from tracker.core.status import Status
from tracker.imports import services
from tracker.plans.models import Measure, Plan

RU_HEADERS = {
    "№": "№ п/п",
    "Т/р": "№ п/п",
    "Чора-тадбир номи": "Наименование мероприятий",
    "Чора-тадбирлар номи": "Наименование мероприятий",
    "Амалга ошириш механизми": "Механизм реализации",
    "Бажариш муддати": "Срок исполнения",
    "Ижро ҳолати": "Ход исполнения",
}


def _reorder(rows, order):
    return [[cells[i] for i in order] for cells in rows]


def test_columns_in_another_order_with_russian_headers(db, organization):
    preamble, rows = seed("004")
    order = [0, 3, 1, 4, 2]  # №, deadline, title, status, mechanism
    rows = [[RU_HEADERS.get(c, c) for c in cells] if is_header(cells) else cells for cells in rows]
    preview = services.preview_file("plan.xlsx", xlsx_bytes(preamble, _reorder(rows, order)), organization)
    plan = preview.plan
    assert plan.columns["deadline"] == "Срок исполнения"
    assert [m.number for m in plan.measures] == [str(n) for n in range(1, 9)]
    third = plan.measures[2]
    assert [s.number for s in third.steps] == ["1", "2", "3"]
    assert third.steps[1].deadline_text == "Ҳар йили 1 декабрга қадар"
    assert third.steps[0].status == Status.DONE


def test_latin_headers_and_comma_csv_without_bom(db, organization):
    from tracker.uzbek import to_latin

    preamble, rows = seed("004")
    rows = [[to_latin(c) for c in cells] if is_header(cells) else cells for cells in rows]
    rows = [["T/r", *cells[1:]] if cells[0] == to_latin("Т/р") else cells for cells in rows]
    data = csv_bytes(preamble, rows, delimiter=",", bom=False)
    preview = services.preview_file("plan.csv", data, organization)
    assert len(preview.plan.measures) == 8
    assert preview.plan.columns["status_note"] == "Ijro holati"


def _roadmap_table():
    header = ["Т/р", "Чора-тадбир номи", "Амалга ошириш механизми", "Бажариш муддати", "Ижро ҳолати"]
    numbers = ["1", "2", "3", "4", "5"]
    body = [
        [
            "1.",
            "Очиқ маълумотлар рўйхатини юритиш",
            "1. Рўйхатни шакллантириш.",
            "2021 йил январь",
            "Бажарилди. Рўйхат тузилди.",
        ],
        ["", "", "2. Рўйхатни янгилаш.", "Ҳар йили 1 декабрга қадар", "Бажарилмоқда. Янгиланмоқда."],
        ["", "", "3. Рўйхатни эълон қилиш.", "2021 йил март", "Бажарилди. Эълон қилинди."],
        ["2.", "Маълумотлар куни", "Очик маълумотлар кунини ўтказиш.", "2021 йил март", "Бажарилди."],
    ]
    return header, numbers, body


def test_vertically_merged_cells_and_a_header_row_marked_to_repeat(db, organization):
    header, numbers, body = _roadmap_table()
    document = Document()
    document.add_paragraph("2021 йилда амалга ошириш бўйича “ЙЎЛ ХАРИТАСИ”")
    document.add_paragraph("(2022 йил 4 октябрь ҳолатига)")
    table = document.add_table(rows=len(body) + 2, cols=5)
    for column, text in enumerate(header):
        table.rows[0].cells[column].text = text
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for column, text in enumerate(numbers):
        table.rows[1].cells[column].text = text  # a row of column numbers under the header
    for r, cells in enumerate(body, start=2):
        for column, text in enumerate(cells):
            if text:
                table.rows[r].cells[column].text = text
    # № and name of measure 1 span its three mechanism rows (w:vMerge), as Word does it
    table.cell(2, 0).merge(table.cell(4, 0))
    table.cell(2, 1).merge(table.cell(4, 1))
    buffer = io.BytesIO()
    document.save(buffer)
    assert b"w:vMerge" in zipfile.ZipFile(io.BytesIO(buffer.getvalue())).read("word/document.xml")

    plan = services.preview_file("roadmap.docx", buffer.getvalue(), organization).plan
    assert plan.as_of == date(2022, 10, 4)
    assert plan.period_start == date(2021, 1, 1)
    assert [m.number for m in plan.measures] == ["1", "2"]
    first = plan.measures[0]
    assert first.title == "Очиқ маълумотлар рўйхатини юритиш"
    assert [(s.number, s.text, s.deadline_text, s.status) for s in first.steps] == [
        ("1", "Рўйхатни шакллантириш.", "2021 йил январь", Status.DONE),
        ("2", "Рўйхатни янгилаш.", "Ҳар йили 1 декабрга қадар", Status.IN_PROGRESS),
        ("3", "Рўйхатни эълон қилиш.", "2021 йил март", Status.DONE),
    ]
    assert first.status == Status.IN_PROGRESS and first.deadline_text == "2021 йил январь"
    assert plan.measures[1].steps == []


def test_excel_merged_cells_mean_the_same(db, organization):
    header, _numbers, body = _roadmap_table()
    data = xlsx_bytes(["“ЙЎЛ ХАРИТАСИ”"], [header, *body], merges=["A3:A5", "B3:B5"])
    plan = services.preview_file("roadmap.xlsx", data, organization).plan
    assert [len(m.steps) for m in plan.measures] == [3, 0]


def test_a_repeated_header_and_a_page_break_continuation(db, organization):
    header = ["№", "Чора-тадбирлар номи", "Амалга ошириш механизми", "Ижро муддати"]
    rows = [
        header,
        ["1.", "Миллий маърузани", "Режа асосида ташкилий", "2024 йил январь-март"],
        header,
        ["", "тайёрлаш", "чора-тадбирларни амалга ошириш.", ""],
        [
            "3.",
            "Мониторинг қилиш",
            "<p>1. Маълумот йиғиш.</p> <p>2. Таҳлил қилиш.</p>",
            "2024 йил февраль 2024 йил апрель",
        ],
    ]
    plan = services.preview_file("p.docx", docx_bytes(["ИШ РЕЖАСИ"], rows), organization).plan
    assert [m.number for m in plan.measures] == ["1", "3"]
    assert plan.measures[0].title == "Миллий маърузани тайёрлаш"
    assert plan.measures[0].mechanism == "Режа асосида ташкилий чора-тадбирларни амалга ошириш."
    steps = plan.measures[1].steps
    assert [(s.number, s.text, s.deadline_text) for s in steps] == [
        ("1", "Маълумот йиғиш.", "2024 йил февраль"),
        ("2", "Таҳлил қилиш.", "2024 йил апрель"),
    ]


def test_formulas_are_not_calculated(db, organization):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["№", "Чора-тадбирлар номи", "Ижро муддати"])
    sheet.append([1, "Ҳисобот", "=TODAY()"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = services.preview_file("p.xlsx", buffer.getvalue(), organization)
    assert preview.plan.measures[0].deadline_text == "=TODAY()"
    assert any("formula" in w for w in preview.warnings)


# -- bad input ----------------------------------------------------------------------------------


def _count(db):
    return db.session.scalar(select(func.count(Plan.id))), db.session.scalar(select(func.count(Measure.id)))


@pytest.mark.parametrize(
    ("filename", "data", "words"),
    [
        ("plan.docx", b"%PDF-1.4 not a word file", "not really a DOCX"),
        ("plan.xlsx", None, "not really a XLSX"),  # a real DOCX named .xlsx
        ("plan.csv", b"PK\x03\x04zip", "not really a CSV"),
        ("plan.csv", "№;Номи\n1;x".encode("cp1251"), "UTF-8"),
        ("plan.pdf", b"%PDF-1.4", r"Word \(\.docx\)"),
        ("plan.docx", b"", "plan.docx"),
        ("plan.json", b"{not json", "not a valid JSON"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(db, organization, filename, data, words):
    if data is None:
        data = docx_bytes(["x"], [["№", "Чора-тадбирлар номи", "Ижро муддати"], ["1", "a", "b"]])
    with pytest.raises(InvalidInput, match=words):
        services.preview_file(filename, data, organization)


def test_files_over_the_size_limit_are_refused(app, db, organization):
    app.config["IMPORT_MAX_MB"] = 0.001
    try:
        with pytest.raises(InvalidInput, match="too large"):
            services.preview_file("p.csv", b"x" * 2000, organization)
    finally:
        app.config.pop("IMPORT_MAX_MB")


def test_a_zip_bomb_is_refused(db, organization):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<a/>")
        archive.writestr("word/media/bomb.bin", b"\0" * (30 * 1024 * 1024))
    with pytest.raises(InvalidInput, match="unpacks to far more"):
        services.preview_file("p.docx", buffer.getvalue(), organization)


def test_xml_with_entities_is_refused(db, organization):
    original = docx_bytes(["x"], [["№", "Чора-тадбирлар номи", "Ижро муддати"], ["1", "a", "b"]])
    source = zipfile.ZipFile(io.BytesIO(original))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "word/document.xml":
                content = content.replace(
                    b"?>", b'?><!DOCTYPE d [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>', 1
                )
            archive.writestr(item, content)
    with pytest.raises(InvalidInput, match="not allowed"):
        services.preview_file("p.docx", buffer.getvalue(), organization)


def test_malformed_xml_is_refused(db, organization):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document>")
    with pytest.raises(InvalidInput, match="not valid XML"):
        services.preview_file("p.docx", buffer.getvalue(), organization)


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([["Номи", "Муддати"], ["1", "x"]], "No table header"),
        (
            [["№", "Чора-тадбирлар номи", "Ижро муддати"], ["1.", "", "2024 йил март"]],
            "Row 3, column “Чора-тадбирлар номи”: measure 1 has no name",
        ),
        (
            [["№", "Чора-тадбирлар номи", "Ижро муддати"], ["1.", "a", ""], ["1.", "b", ""]],
            "Row 4, column “№”: measure number 1 is already used in row 3",
        ),
        ([["№", "Чора-тадбирлар номи", "Ижро муддати"], ["", "a", "b"]], "Row 3: this row has no number"),
    ],
)
def test_errors_name_the_row_and_column_and_nothing_is_created(db, organization, make_user, rows, words):
    before = _count(db)
    with pytest.raises(InvalidInput, match=words):
        services.preview_file("p.csv", csv_bytes(["ИШ РЕЖАСИ"], rows), organization)
    assert _count(db) == before


def test_a_failure_midway_leaves_nothing_behind(db, organization, make_user):
    controller = make_user("controller")
    preview = services.preview_file("p.xlsx", xlsx_bytes(*seed("004")), organization)
    preview.measures[-1].measure.steps[0].text = ""  # add_step refuses a step without text
    before = _count(db)
    savepoint = db.session.begin_nested()
    with pytest.raises(InvalidInput):
        services.import_plan(preview, organization, actor=controller)
    savepoint.rollback()
    assert _count(db) == before


def test_an_unmapped_unit_choice_from_another_organization_is_refused(db, organization, make_user):
    controller = make_user("controller")
    preview = services.preview_file("p.docx", docx_bytes(*seed("003")), organization)
    key = next(iter(preview.unmatched))
    with pytest.raises(InvalidInput, match="choose a unit"):
        services.import_plan(preview, organization, actor=controller, mapping={key: "999999"})


def test_a_viewer_may_not_import(db, organization, make_user):
    from tracker.core.errors import PermissionDenied

    preview = services.preview_file("p.docx", docx_bytes(*seed("003")), organization)
    with pytest.raises(PermissionDenied):
        services.import_plan(preview, organization, actor=make_user("viewer"))


def test_xlsx_reader_keeps_cells_as_text(db):
    workbook = load_workbook(io.BytesIO(xlsx_bytes(["a"], [["№", "x"]])))
    assert workbook.active["A1"].value == "a"


@pytest.mark.parametrize(
    ("cells", "header"),
    [
        (["№", "Чора-тадбирлар номи", "Ижро муддати"], True),
        (["<b>№</b>", "Чора-тадбирлар номи", "Ижро муддати"], True),
        (['<td width="5">№</td>', "Чора-тадбирлар номи", "Ижро муддати"], True),
        (["№ п/п", "Наименование мероприятий", "Срок исполнения"], True),
        (["17.", "Чора-тадбирлар номи", "Ижро муддати"], False),  # a row that repeats the header's words
        (["1", "2", "3"], False),
    ],
)
def test_a_header_is_told_by_its_number_cell_whatever_the_digits_around(cells, header):
    from tracker.imports.columns import is_header as is_header_row

    assert is_header_row(cells) is header
