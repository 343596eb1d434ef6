"""format_doc_date and the month constants."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.uzbek import MONTHS_CYRL, MONTHS_LATN, format_doc_date


@pytest.mark.parametrize(
    ("d", "script", "style", "expected"),
    [
        (date(2022, 10, 4), "cyrl", "long", "2022 йил 4 октябрь"),
        (date(2022, 10, 4), "latn", "long", "2022-yil 4-oktabr"),
        (date(2022, 10, 4), "cyrl", "numeric", "04.10.2022"),
        (date(2022, 10, 4), "latn", "numeric", "04.10.2022"),
        (date(2022, 10, 4), "cyrl", "as_of", "(2022 йил 4 октябрь ҳолатига)"),
        (date(2022, 10, 4), "latn", "as_of", "(2022-yil 4-oktabr holatiga)"),
        (date(2024, 1, 4), "cyrl", "approval", "2024 йил 04 январь"),
        (date(2024, 1, 4), "latn", "approval", "2024-yil 04-yanvar"),
        (date(2020, 12, 23), "cyrl", "genitive", "2020 йил 23 декабрдаги"),
        (date(2020, 12, 23), "latn", "genitive", "2020-yil 23-dekabrdagi"),
        (date(2021, 1, 8), "cyrl", "genitive", "2021 йил 8 январдаги"),
        (date(2022, 6, 14), "cyrl", "genitive", "2022 йил 14 июндаги"),
        (date(2022, 6, 14), "latn", "genitive", "2022-yil 14-iyundagi"),
        (date(2020, 8, 3), "cyrl", "genitive", "2020 йил 3 августдаги"),
        (date(2021, 5, 1), "cyrl", "long", "2021 йил 1 май"),
        (date(2021, 9, 1), "latn", "long", "2021-yil 1-sentabr"),
    ],
)
def test_format(d: date, script: str, style: str, expected: str) -> None:
    assert format_doc_date(d, script, style) == expected


def test_defaults_are_cyrillic_long() -> None:
    assert format_doc_date(date(2022, 10, 4)) == "2022 йил 4 октябрь"


def test_months_keep_the_soft_sign() -> None:
    assert [m for m in MONTHS_CYRL if m.endswith("ь")] == [
        "январь",
        "февраль",
        "апрель",
        "июнь",
        "июль",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ]
    assert len(MONTHS_LATN) == 12 and MONTHS_LATN[8] == "sentabr"


@pytest.mark.parametrize(("script", "style"), [("arab", "long"), ("cyrl", "short"), ("", "")])
def test_unknown_script_or_style(script: str, style: str) -> None:
    with pytest.raises(ValueError, match="unknown"):
        format_doc_date(date(2024, 1, 1), script, style)
