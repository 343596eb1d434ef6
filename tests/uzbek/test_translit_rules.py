"""The rule classes of the official Latin in running text, both ways, with round-trip properties:
dates with hyphens, abbreviations with digraph letters, ь/ъ in loanwords, organisation compounds,
two Cyrillic words written as one Latin word, initials."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.uzbek import to_cyrillic, to_latin
from tracker.uzbek.dates import MONTHS_CYRL, MONTHS_LATN

BOTH_WAYS = [
    # dates in running text, any case ending
    ("2019 йил 12 сентябрдаги 45-сон буйруқ", "2019-yil 12-sentabrdagi 45-son buyruq"),
    ("2025 йил 1 апрелгача", "2025-yil 1-aprelgacha"),
    ("2021 йил 1 июлдан бошлаб", "2021-yil 1-iyuldan boshlab"),
    ("2024 йилда", "2024-yilda"),
    ("2024 йилга", "2024-yilga"),
    ("2030 йилгача", "2030-yilgacha"),
    ("2017-2021 йилларда", "2017-2021-yillarda"),
    ("2022 йил 4 октябрь ҳолатига", "2022-yil 4-oktabr holatiga"),
    ("15 майда ўтказилди", "15-mayda oʻtkazildi"),
    ("Фармон 2020 ЙИЛ 3 ФЕВРАЛДА", "Farmon 2020-YIL 3-FEVRALDA"),
    # numbers that are not dates keep their space
    ("10 йил давомида", "10 yil davomida"),
    ("5 та тадбир", "5 ta tadbir"),
    ("33 ой", "33 oy"),
    # abbreviations with digraph letters keep the official mixed case; plain ones stay upper case
    ("ТДЮУ", "TDYuU"),
    ("ЎзА", "OʻzA"),
    ("МЧЖ", "MChJ"),
    ("МЧЖнинг", "MChJning"),
    ("АҚШ", "AQSh"),
    ("ВИЧ", "VICh"),
    ("ПФ", "PF"),
    ("ОАВ", "OAV"),
    ("ВМҚ", "VMQ"),
    ("ГЭС", "GES"),
    ("ЕИ", "YeI"),
    # words in capitals are words
    ("ШАХС", "SHAXS"),
    ("ИШ РЕЖАСИ", "ISH REJASI"),
    ("ЧОРА-ТАДБИРЛАР", "CHORA-TADBIRLAR"),
    ("ИШ", "ISH"),
    # ь and ъ in loanwords; ъ in Uzbek words is the tutuq
    ("медальон", "medalyon"),
    ("бульон", "bulyon"),
    ("павильон", "pavilyon"),
    ("подъезд", "podyezd"),
    ("съезд", "syezd"),
    ("объект", "obyekt"),
    ("ОБЪЕКТ", "OBYEKT"),
    ("подъём", "podyom"),
    ("курьер", "kuryer"),
    ("премьер-министр", "premyer-ministr"),
    ("плёнка", "plyonka"),
    ("маъно", "maʼno"),
    ("меъёр", "meʼyor"),
    ("ансамбль", "ansambl"),
    ("автомобиль", "avtomobil"),
    ("автомобилда", "avtomobilda"),
    ("судьялар", "sudyalar"),
    ("бюджетдан", "budjetdan"),
    # organisation names glued to Ўз-/Ўзбек-
    ("Ўзэкспомарказ", "Oʻzekspomarkaz"),
    ("Ўзбекенгилсаноат", "Oʻzbekyengilsanoat"),
    ("Ўзбекэнерго", "Oʻzbekenergo"),
    # two Cyrillic words, one Latin word
    ("хом ашёсини", "xomashyosini"),
    ("Товар-хом ашё", "Tovar-xomashyo"),
    # initials
    ("И.Мирзаев ва В.И.Ленин", "I.Mirzayev va V.I.Lenin"),
]


@pytest.mark.parametrize(("cyr", "lat"), BOTH_WAYS)
def test_rule_class_both_ways(cyr: str, lat: str) -> None:
    assert to_latin(cyr) == lat
    assert to_cyrillic(lat) == cyr


@pytest.mark.parametrize(
    ("cyr", "lat"),
    [
        ("мўъжиза", "moʻjiza"),  # the tutuq is not written after oʻ
        ("2030-йилгача", "2030-yilgacha"),  # already hyphenated: kept
        ("до 1 марта 2024 года", "do 1 marta 2024 goda"),  # Russian genitive is not an Uzbek date
    ],
)
def test_one_way_to_latin(cyr: str, lat: str) -> None:
    assert to_latin(cyr) == lat


@pytest.mark.parametrize(
    ("lat", "cyr"),
    [
        ("byudjet", "бюджет"),  # the older Latin spelling is read too
        ("2019-yil 12-sentyabrdagi", "2019 йил 12 сентябрдаги"),  # and the -tyabr spelling
        ("I. Umumiy qoidalar", "I. Умумий қоидалар"),  # a Roman numeral, not an initial
    ],
)
def test_one_way_to_cyrillic(lat: str, cyr: str) -> None:
    assert to_cyrillic(lat) == cyr


_ENDINGS = ["", "да", "даги", "дан", "га", "гача", "нинг"]


@given(
    st.integers(1990, 2099),
    st.integers(1, 28),
    st.integers(0, 11),
    st.sampled_from(_ENDINGS),
    st.sampled_from(["", "ҳолатига ", "Фармон "]),
)
def test_dates_round_trip(year: int, day: int, month: int, ending: str, before: str) -> None:
    stem = MONTHS_CYRL[month].rstrip("ь") if ending else MONTHS_CYRL[month]
    cyr = f"{before}{year} йил {day} {stem}{ending}"
    lat = to_latin(cyr)
    latin_ending = to_latin(ending)
    assert lat.endswith(f"{year}-yil {day}-{MONTHS_LATN[month]}{latin_ending}")
    assert to_cyrillic(lat) == cyr


_CONSONANTS = "БВГДЖЗКЛМНПРСТФХЧШҚҒҲ"


@given(st.text(alphabet=_CONSONANTS, min_size=2, max_size=4), st.sampled_from(["", "нинг", "да", "га"]))
def test_abbreviations_round_trip(letters: str, suffix: str) -> None:
    """Letters without a vowel are an abbreviation: each letter keeps its own reading."""
    cyr = letters + suffix
    lat = to_latin(cyr)
    assert to_cyrillic(lat) == cyr
    assert lat[0].isupper() and not any(pair in lat for pair in ("CH", "SH")), (
        "a digraph letter of an abbreviation is written Ch/Sh"
    )


_TAILS = st.text(alphabet="абдгиклмнопрстуфхўқғҳ", min_size=1, max_size=6).filter(
    lambda t: t[0] not in "аиоуўе" and "сҳ" not in t and "тси" not in t
)


@given(st.sampled_from(["об", "суб", "под"]), st.sampled_from(["е", "ё"]), _TAILS)
def test_hard_sign_after_a_russian_prefix_round_trip(prefix: str, vowel: str, tail: str) -> None:
    cyr = f"{prefix}ъ{vowel}{tail}"
    lat = to_latin(cyr)
    assert "ʼ" not in lat  # only the y is written
    assert to_cyrillic(lat) == cyr
