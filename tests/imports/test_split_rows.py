"""Rows broken across a page in tables converted from print: every column continues in the next
row (empty number, text split mid-phrase); they are joined before any cell is parsed."""

from __future__ import annotations

import io

from _import_docs import xlsx_bytes
from docx import Document
from docx.enum.text import WD_BREAK

from tests.conftest import csrf_token, login, post_form, soup_of
from tracker.imports.parser import join_continuation_rows, parse_document
from tracker.imports.readers import RawRow, read_document
from tracker.imports.services import preview_file

PREAMBLE = ["Агентликнинг 2024 йил I ярим йиллигига мўлжалланган иш режаси"]
HEADER = [
    "№",
    "Чора-тадбирлар номи",
    "Амалга ошириш механизми",
    "Ижро муддати",
    "Масъул ижрочилар",
    "Кутилаётган натижа",
]
WHOLE = [
    [
        "1",
        "Миллий маърузани тайёрлаш ва эълон қилиш",
        "1. Маълумотларни йиғиш. 2. Маъруза лойиҳасини тайёрлаш. 3. Маърузани эълон қилиш.",
        "2024 йил февраль 2024 йил март 2024 йил апрель",
        "Тизимли таҳлил ва прогнозлаштириш йиғма бўлими",
        "Маъруза эълон қилинган",
    ],
    ["2", "Ҳисобот тайёрлаш", "Ҳисоботни юбориш", "бир ой муддатда", "Матбуот хизмати", "Ҳисобот"],
]
# Measure 1 broken across a page: every column split, most of them mid-phrase.
SPLIT = [
    [
        "1",
        "Миллий маърузани тайёрлаш",
        "1. Маълумотларни йиғиш. 2. Маъруза",
        "2024 йил февраль 2024",
        "Тизимли таҳлил ва",
        "Маъруза",
    ],
    [
        "",
        "ва эълон қилиш",
        "лойиҳасини тайёрлаш. 3. Маърузани эълон қилиш.",
        "йил март 2024 йил апрель",
        "прогнозлаштириш йиғма бўлими",
        "эълон қилинган",
    ],
    WHOLE[1],
]


def docx_with_page_break(rows: list[list[str]]) -> bytes:
    """A Word table like the print conversions: no repeated header, and a page break at the top
    of the row that continues the one above."""
    document = Document()
    for line in PREAMBLE:
        document.add_paragraph(line)
    table = document.add_table(rows=0, cols=len(HEADER))
    for cells in [HEADER, *rows]:
        row = table.add_row()
        for index, text in enumerate(cells):
            row.cells[index].text = text
        if not cells[0]:
            row.cells[0].paragraphs[0].add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def shape(plan):
    return [
        (
            m.number,
            m.title,
            m.mechanism,
            m.deadline_text,
            m.responsible_text,
            m.expected_result,
            [(s.number, s.text, s.deadline_text) for s in m.steps],
        )
        for m in plan.measures
    ]


def test_docx_with_every_column_split_imports_as_the_unsplit_table():
    split = parse_document(read_document("split.docx", docx_with_page_break(SPLIT)))
    whole = parse_document(read_document("whole.docx", docx_with_page_break(WHOLE)))
    assert shape(split) == shape(whole)
    first = split.measures[0]
    assert first.title == "Миллий маърузани тайёрлаш ва эълон қилиш"
    # The joined deadline cell is then split over the three numbered steps.
    assert [s.deadline_text for s in first.steps] == ["2024 йил февраль", "2024 йил март", "2024 йил апрель"]
    assert not split.warnings


def test_xlsx_with_every_column_split_imports_as_the_unsplit_table():
    split = parse_document(read_document("split.xlsx", xlsx_bytes(PREAMBLE, [HEADER, *SPLIT])))
    whole = parse_document(read_document("whole.xlsx", xlsx_bytes(PREAMBLE, [HEADER, *WHOLE])))
    assert shape(split) == shape(whole)


def test_preview_shows_the_joined_text(organization):
    preview = preview_file("split.docx", docx_with_page_break(SPLIT), organization)
    assert preview.measures[0].measure.deadline_text == "2024 йил февраль 2024 йил март 2024 йил апрель"


def test_mechanism_sub_rows_are_not_continuations():
    """The roadmap layout: sub-rows have no name of their own (empty or merged), so they stay steps."""
    rows = [
        RawRow(cells=["1", "Очиқ маълумотлар", "Портал", "2021 йил январь"], number=2),
        RawRow(cells=["", "", "Рўйхат", "2021 йил июнь"], number=3),
        RawRow(
            cells=["", "Очиқ маълумотлар", "Ҳисобот", "2021 йил июль"],
            number=4,
            merged=[True, True, False, False],
        ),
    ]
    assert join_continuation_rows(rows, {"number": 0, "title": 1, "mechanism": 2, "deadline": 3}) == rows


def test_a_row_broken_over_three_pages_is_joined_once_per_break():
    rows = [
        RawRow(cells=["1", "Миллий", "2024 йил"], number=2),
        RawRow(cells=["", "маърузани", "февраль"], number=3),
        RawRow(cells=["", "тайёрлаш", ""], number=4),
    ]
    (joined,) = join_continuation_rows(rows, {"number": 0, "title": 1, "deadline": 2})
    assert joined.cells == ["1", "Миллий маърузани тайёрлаш", "2024 йил февраль"]
    assert joined.number == 2


def test_import_preview_flags_a_deadline_with_no_machine_reading(client, db, make_user):
    rows = [WHOLE[0], ["2", "Ҳисобот тайёрлаш", "Ҳисоботни юбориш", "Раҳбарият кўрсатмасига биноан", "", ""]]
    login(client, make_user("controller"))
    response = client.post(
        "/plans/import",
        data={
            "csrf_token": csrf_token(client),
            "file": (io.BytesIO(docx_with_page_break(rows)), "p.docx"),
            "kind": "",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = soup_of(client.get("/plans/import/preview"))
    flagged = {
        row["data-number"]: bool(row.select(".deadline .no-machine-deadline"))
        for row in page.select("tr.measure-row")
    }
    assert flagged == {"1": False, "2": True}
    post_form(client, "/plans/import/cancel")  # the upload kept for the preview is removed
