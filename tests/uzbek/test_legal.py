"""Legal-basis parsing: every legal-basis cell of seed 003, the other seed references."""

from __future__ import annotations

from datetime import date

import pytest
from _uzbek_seeds import seed_path, table_rows
from hypothesis import given
from hypothesis import strategies as st

from tracker.uzbek import ActKind, LegalAct, parse_legal_basis

PRES = "Ўзбекистон Республикаси Президентининг "


def pf(number: str, d: date | None) -> LegalAct:
    return LegalAct(ActKind.PF, number, d, "president")


def pq(number: str, d: date | None) -> LegalAct:
    return LegalAct(ActKind.PQ, number, d, "president")


PF200 = pf("200", date(2023, 11, 27))
PF6013 = pf("6013", date(2020, 6, 29))
PF6013_TYPO = pf("6013", date(2020, 6, 20))  # the plan itself writes 20.06.2020 in several rows
PF154 = pf("154", date(2022, 6, 14))
PQ81 = pq("81", date(2022, 1, 12))
PQ240 = pq("240", date(2022, 5, 11))

# Every legal-basis cell of seed 003 in table order, continuation rows joined.
SEED_003: list[tuple[str, list[LegalAct]]] = [
    (PRES + "27.11.2023 й. ПФ-200-сон Фармони,", [PF200]),
    (PRES + "29.06.2020 й. ПФ-6013-сон Фармони", [PF6013]),
    (PRES + "27.11.2023 й. ПФ-200-сон Фармони,", [PF200]),
    (PRES + "12.01.2022 й. ПҚ-81-сон Қарори", [PQ81]),
    (
        PRES
        + "29.06.2020 й. ПФ-6013-сон Фармони, 12.01.2022 й. ПҚ-81-сон ва 11.05.2022 й ПҚ-240-сон қарорлари",
        [PF6013, PQ81, PQ240],
    ),
    (PRES + "11.05.2022 й. ПҚ-240-сон қарори", [PQ240]),
    (PRES + "11.05.2022 й. ПҚ-240-сон қарори", [PQ240]),
    (PRES + "29.06.2020 й. ПФ-6013-сон, 27.11.2023 й. ПФ-200-сон Фармонлари", [PF6013, PF200]),
    (PRES + "29.06.2020 й. ПФ-6013-сон Фармони,", [PF6013]),
    (PRES + "20.06.2020 й. ПФ-6013-сон Фармони", [PF6013_TYPO]),
    (PRES + "27.11.2023 й. ПФ-200-сон Фармони", [PF200]),
    (PRES + "27.11.2023 й. ПФ-200-сон Фармони", [PF200]),
    (PRES + "27.11.2023 й. ПФ-200-сон Фармони", [PF200]),
    (PRES + "27.11.2023 й. ПФ-200-сон Фармони", [PF200]),
    ("<p>" + PRES + "27.11.2023 й. ПФ-200-сон Фармони</p>", [PF200]),
    (PRES + "29.06.2020 й. ПФ-6013-сон Фармони,", [PF6013]),
    (PRES + "27.11.2023 й. ПФ-200-сон Фармони", [PF200]),
    (PRES + "27.11.2023 й. ПФ-200-сон Фармони", [PF200]),
    (PRES + "27.11.2023 й. ПФ-200-сон Фармони", [PF200]),
    (PRES + "14.06.2022 й. ПФ-154-сон, 27.11.2023 й. ПФ-200-сон Фармони", [PF154, PF200]),
    (PRES + "27.11.2023 й. ПФ-200-сон Фармони", [PF200]),
    (PRES + "14.06.2022 й. ПФ-154-сон Фармони", [PF154]),
    (PRES + "20.06.2020 й. ПФ-6013-сон Фармони", [PF6013_TYPO]),
    (PRES + "20.06.2020 й. ПФ-6013-сон Фармони", [PF6013_TYPO]),
    (PRES + "20.06.2020 й. ПФ-6013-сон Фармони", [PF6013_TYPO]),
    (PRES + "20.06.2020 й. ПФ-6013-сон Фармони", [PF6013_TYPO]),
    (PRES + "11.09.2023 й. ПҚ-300-сон Қарори", [pq("300", date(2023, 9, 11))]),
    (PRES + "27.11.2023 й. ПФ-200-сон Фармони", [PF200]),
    (PRES + "16.06.2021 й. ПФ-6247-сон Фармони", [pf("6247", date(2021, 6, 16))]),
    (PRES + "20.06.2020 й. ПФ-6013-сон Фармони", [PF6013_TYPO]),
]


@pytest.mark.parametrize(("text", "expected"), SEED_003)
def test_seed_003_cell(text: str, expected: list[LegalAct]) -> None:
    assert parse_legal_basis(text) == expected


def test_seed_003_cells_parse_as_listed() -> None:
    """The seed's own cells (page breaks joined) give the acts listed above, row by row."""
    rows = table_rows(seed_path("003").read_text(encoding="utf-8"))
    cells = [row[4] for row in rows]
    assert len(cells) == len(SEED_003)
    for cell, (_, expected) in zip(cells, SEED_003, strict=True):
        assert parse_legal_basis(cell) == expected, cell


def test_cabinet_resolution_in_the_roadmap_title() -> None:
    title = (
        "Ўзбекистон Республикаси Вазирлар Маҳкамасининг 2020 йил 23 декабрдаги “Ўзбекистон "
        "Республикасида очик маълумотлар соҳасини янада ривожлантириш чора-тадбирлари тўғрисида”ги "
        "808-сонли қарорини 2021 йилда амалга ошириш бўйича “ЙЎЛ ХАРИТАСИ”"
    )
    assert parse_legal_basis(title) == [LegalAct(ActKind.VMQ, "808", date(2020, 12, 23), "cabinet")]


def test_latin_decree_with_textual_date() -> None:
    text = (
        "O‘zbekiston Respublikasi Prezidentining 2022-yil 14-iyundagi “Davlat organlari va tashkilotlari "
        "faoliyatining ochiqlik darajasini oshirish va baholash tizimini joriy etish to‘g‘risida”gi "
        "PF-154-son Farmonida"
    )
    assert parse_legal_basis(text) == [PF154]


def test_date_after_the_number_with_en_dash() -> None:
    assert parse_legal_basis("Асос:\n(ПФ–6247-сон,\n16.06.2021 й.") == [pf("6247", date(2021, 6, 16))]


def test_internal_orders() -> None:
    text = (
        "Qaror ijrosini to‘liq ta’minlash maqsadida 182, 251-sonli vazirlikning ichki buyruglari "
        "gabul gilingan."
    )
    assert parse_legal_basis(text) == [
        LegalAct(ActKind.ORDER, "182", None, "organization"),
        LegalAct(ActKind.ORDER, "251", None, "organization"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ЎРҚ-612-сон Қонуни", [LegalAct(ActKind.LAW, "612", None, "parliament")]),
        (
            "Vazirlar Mahkamasining 2021-yil 5-martdagi 115-son qarori",
            [LegalAct(ActKind.VMQ, "115", date(2021, 3, 5), "cabinet")],
        ),
        ("Указ Президента УП-6013 от 29.06.2020", [pf("6013", date(2020, 6, 29))]),
        ("01/5-24-12-1-сонли хат", []),
        ("Бажарилди", []),
        ("", []),
        ("PQ-81, PQ-81", [pq("81", None)]),
    ],
)
def test_other_references(text: str, expected: list[LegalAct]) -> None:
    assert parse_legal_basis(text) == expected


def test_to_json_and_label() -> None:
    act = parse_legal_basis("27.11.2023 й. ПФ-200-сон")[0]
    assert act.to_json() == {"kind": "PF", "number": "200", "date": "2023-11-27", "issuer": "president"}
    assert act.label() == "ПФ-200"
    assert act.label("latn") == "PF-200"
    assert PQ81.label() == "ПҚ-81"
    assert LegalAct(ActKind.VMQ, "808", None, "cabinet").label("latn") == "VMQ-808"
    assert LegalAct(ActKind.ORDER, "33", None, "organization").label() == "33-сон буйруқ"
    with pytest.raises(ValueError, match="unknown script"):
        act.label("arab")


@given(st.text(max_size=80))
def test_never_raises(text: str) -> None:
    assert isinstance(parse_legal_basis(text), list)
