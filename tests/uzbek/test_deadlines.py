"""Deadline parsing: every deadline cell of seeds 003 and 004, the seed 000 phrases, variants."""

from __future__ import annotations

from datetime import date

import pytest
from _uzbek_seeds import seed_path, table_rows
from hypothesis import given
from hypothesis import strategies as st

from tracker.uzbek import Deadline, DeadlineKind, parse_deadline, parse_deadlines

D, M, R, P, REC, CONT, SCHED, UNK = (
    DeadlineKind.DATE,
    DeadlineKind.MONTH,
    DeadlineKind.RANGE,
    DeadlineKind.PERIOD,
    DeadlineKind.RECURRING,
    DeadlineKind.CONTINUOUS,
    DeadlineKind.SCHEDULE,
    DeadlineKind.UNKNOWN,
)
Q = "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"

Expect = tuple[DeadlineKind, str | None, str | None, str | None]


def month(y: int, m: int) -> Expect:
    last = {2: 29 if y % 4 == 0 else 28, 4: 30, 6: 30, 9: 30, 11: 30}.get(m, 31)
    return (M, f"{y}-{m:02d}-01", f"{y}-{m:02d}-{last}", None)


# Every deadline cell of seed 003 (plan year 2024), continuation rows joined, in table order.
SEED_003: list[tuple[str, list[Expect]]] = [
    ("2024 йил январь-март", [(R, "2024-01-01", "2024-03-31", None)]),
    ("2024 йил январь-март", [(R, "2024-01-01", "2024-03-31", None)]),
    ("2024 йил январ-июнь", [(R, "2024-01-01", "2024-06-30", None)]),
    ("2024 йил февраль 2024 йил март 2024 йил апрель", [month(2024, 2), month(2024, 3), month(2024, 4)]),
    ("2024 йил апрель 2024 йил июнь", [month(2024, 4), month(2024, 6)]),
    ("2024 йил январь 2024 йил февраль", [month(2024, 1), month(2024, 2)]),
    ("2024 йил февраль 2024 йил март", [month(2024, 2), month(2024, 3)]),
    ("Доимий равишда Ҳар чоракда", [(CONT, None, None, None), (REC, "2024-01-01", "2024-12-31", Q)]),
    ("2024 йил январ-июнь", [(R, "2024-01-01", "2024-06-30", None)]),
    ("2024 йил февраль 2024 йил март", [month(2024, 2), month(2024, 3)]),
    ("2024 йил ҳар чоракда", [(REC, "2024-01-01", "2024-12-31", Q)]),
    ("2024 йил март", [month(2024, 3)]),
    ("2024 йил май", [month(2024, 5)]),
    ("2024 йил июнь", [month(2024, 6)]),
    ("2024 йил май", [month(2024, 5)]),
    ("2024 йил апрель", [month(2024, 4)]),
    ("2024 йил февраль", [month(2024, 2)]),
    ("2024 йил март", [month(2024, 3)]),
    ("2024 йил июнь", [month(2024, 6)]),
    ("2024 йил июнь", [month(2024, 6)]),
    ("2024 йил июнь", [month(2024, 6)]),
    ("2024 йил апрел", [month(2024, 4)]),
    ("2024 йил январь-июнь", [(R, "2024-01-01", "2024-06-30", None)]),
    ("2024 йил март", [month(2024, 3)]),
    ("2024 йил январь-май", [(R, "2024-01-01", "2024-05-31", None)]),
    ("2024 йил июнь", [month(2024, 6)]),
    ("2024 йил март-июнь", [(R, "2024-03-01", "2024-06-30", None)]),
    ("2024 йил январь-июнь", [(R, "2024-01-01", "2024-06-30", None)]),
    ("2024 йил март", [month(2024, 3)]),
    ("2024 йил январь-июнь", [(R, "2024-01-01", "2024-06-30", None)]),
]

# Every non-empty deadline cell of seed 004 (plan year 2021), continuation rows joined.
SEED_004: list[tuple[str, list[Expect]]] = [
    ("2021 йил январь", [month(2021, 1)]),
    ("2021 йил июнь", [month(2021, 6)]),
    ("2021 йил январь", [month(2021, 1)]),
    (
        "<p>Ҳар йили 1 декабрга қадар</p>",
        [(REC, "2021-01-01", "2021-12-01", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1")],
    ),
    ("<p>Доимий равишда</p>", [(CONT, None, None, None)]),
    ("2021 йил февраль", [month(2021, 2)]),
    ("2021 йил сентябрь", [month(2021, 9)]),
    ("2021 йил декабрь", [month(2021, 12)]),
    ("<p>2021 йил май</p>", [month(2021, 5)]),
    ("<p>2021 йил</p> сентябрь", [month(2021, 9)]),
    ("2021 йил май", [month(2021, 5)]),
    ("<p>Доимий равишда</p>", [(CONT, None, None, None)]),
    ("2021 йил март", [month(2021, 3)]),
    ("<p>2021 йил декабрь</p>", [month(2021, 12)]),
    ("<p>Алоҳида графикка мувофиқ</p>", [(SCHED, None, None, None)]),
    ("<p>Доимий равишда</p>", [(CONT, None, None, None)]),
]


def _shape(d: Deadline) -> Expect:
    return (
        d.kind,
        d.start.isoformat() if d.start else None,
        d.due.isoformat() if d.due else None,
        d.recurrence,
    )


@pytest.mark.parametrize(("text", "expected"), SEED_003)
def test_seed_003_cell(text: str, expected: list[Expect]) -> None:
    assert [_shape(d) for d in parse_deadlines(text, default_year=2024)] == expected


@pytest.mark.parametrize(("text", "expected"), SEED_004)
def test_seed_004_cell(text: str, expected: list[Expect]) -> None:
    assert [_shape(d) for d in parse_deadlines(text, default_year=2021)] == expected


@pytest.mark.parametrize(("prefix", "cases"), [("003", SEED_003), ("004", SEED_004)])
def test_tables_above_are_every_cell_of_the_seed(prefix: str, cases: list[tuple[str, list[Expect]]]) -> None:
    cells = [row[3] for row in table_rows(seed_path(prefix).read_text(encoding="utf-8")) if row[3].strip()]
    assert cells == [text for text, _ in cases]


def test_single_deadline_keeps_text_verbatim() -> None:
    d = parse_deadline("<p>Доимий равишда</p>")
    assert isinstance(d, Deadline)
    assert d.text == "<p>Доимий равишда</p>"
    assert d.kind is CONT


def test_several_deadlines_come_as_a_list_with_their_own_text() -> None:
    result = parse_deadline("2024 йил февраль 2024 йил март 2024 йил апрель")
    assert isinstance(result, list)
    assert [d.text for d in result] == ["2024 йил февраль", "2024 йил март", "2024 йил апрель"]


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        # seed 000
        ("1 марта", 2022, (D, "2022-03-01", "2022-03-01", None)),
        ("10 марта", 2022, (D, "2022-03-10", "2022-03-10", None)),
        ("1 апрелгача", 2022, (D, "2022-04-01", "2022-04-01", None)),
        ("1 марта", None, (D, None, None, None)),
        ("2021 йил 1 июлдан", None, (D, "2021-07-01", "2021-07-01", None)),
        ("2021 йил 1 сентябрғача", None, (D, "2021-09-01", "2021-09-01", None)),
        ("2021 йил 1 августгача", None, (D, "2021-08-01", "2021-08-01", None)),
        ("2021 йил 1 декабрдан:", None, (D, "2021-12-01", "2021-12-01", None)),
        # numeric and Latin twins
        ("04.10.2022", None, (D, "2022-10-04", "2022-10-04", None)),
        ("04.10.2022 й.", None, (D, "2022-10-04", "2022-10-04", None)),
        ("2021-yil 1-sentabrgacha", None, (D, "2021-09-01", "2021-09-01", None)),
        ("2021-yil 1-iyuldan", None, (D, "2021-07-01", "2021-07-01", None)),
        ("2024-yil mart", None, month(2024, 3)),
        ("2024 yil yanvar-mart", None, (R, "2024-01-01", "2024-03-31", None)),
        ("2024-yil I yarim yillik", None, (P, "2024-01-01", "2024-06-30", None)),
        ("har chorakda", 2024, (REC, "2024-01-01", "2024-12-31", Q)),
        ("har chorakda", None, (REC, None, None, Q)),
        ("Ҳар чоракда", 2024, (REC, "2024-01-01", "2024-12-31", Q)),
        ("Ҳар чоракда", None, (REC, None, None, Q)),
        ("ҳар чорақда", None, (REC, None, None, Q)),
        ("har oyda", None, (REC, None, None, "FREQ=MONTHLY;BYMONTHDAY=-1")),
        ("Ҳар ойда", 2024, (REC, "2024-01-01", "2024-12-31", "FREQ=MONTHLY;BYMONTHDAY=-1")),
        ("Ҳар йили 1 декабрга қадар", None, (REC, None, None, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1")),
        ("Har yili 1-dekabrga qadar", None, (REC, None, None, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1")),
        ("Ежеквартально", None, (REC, None, None, Q)),
        ("Ежегодно до 1 декабря", None, (REC, None, None, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1")),
        ("doimiy ravishda", None, (CONT, None, None, None)),
        ("Постоянно", None, (CONT, None, None, None)),
        ("Alohida grafikka muvofiq", None, (SCHED, None, None, None)),
        # periods
        ("2024 йил I ярим йиллик", None, (P, "2024-01-01", "2024-06-30", None)),
        ("2024 йил II ярим йиллик", None, (P, "2024-07-01", "2024-12-31", None)),
        ("I чорак", 2024, (P, "2024-01-01", "2024-03-31", None)),
        ("IV чорак", 2024, (P, "2024-10-01", "2024-12-31", None)),
        ("2-chorak", 2024, (P, "2024-04-01", "2024-06-30", None)),
        ("I чорак", None, (P, None, None, None)),
        ("2024 йил", None, (P, "2024-01-01", "2024-12-31", None)),
        ("2023-2024 йилларда", None, (R, "2023-01-01", "2024-12-31", None)),
        ("2021 — 2025 йиллар", None, (R, "2021-01-01", "2025-12-31", None)),
        # months: OCR spellings, Russian genitive, suffixes, dashes
        ("2021 йил январ", None, month(2021, 1)),
        ("2021 йил феврал", None, month(2021, 2)),
        ("2021 йил 15 феввалида", None, (D, "2021-02-15", "2021-02-15", None)),
        ("2021 йил июн", None, month(2021, 6)),
        ("2021 йил июл", None, month(2021, 7)),
        ("2021 йил сентябр", None, month(2021, 9)),
        ("2021 йил октябр", None, month(2021, 10)),
        ("2021 йил ноябр", None, month(2021, 11)),
        ("2021 йил декабр", None, month(2021, 12)),
        ("до 1 декабря 2024 года", None, (D, "2024-12-01", "2024-12-01", None)),
        ("1 МАРТА", 2023, (D, "2023-03-01", "2023-03-01", None)),
        ("2024 йил январь – март", None, (R, "2024-01-01", "2024-03-31", None)),
        ("2024 йил январь—2025 йил март", None, (R, "2024-01-01", "2025-03-31", None)),
        ("2021 йилнинг 24–28 май", None, (R, "2021-05-24", "2021-05-28", None)),
        ("сентябрь", 2021, month(2021, 9)),
        ("сентябрь", None, (M, None, None, None)),
        ("31.02.2024", None, (UNK, None, None, None)),
        ("Бажарилди", None, (UNK, None, None, None)),
        ("", None, (UNK, None, None, None)),
        ("2024 йил март ойида ҳисобот", None, (UNK, None, None, None)),
    ],
)
def test_phrase(text: str, year: int | None, expected: Expect) -> None:
    result = parse_deadline(text, default_year=year)
    assert isinstance(result, Deadline)
    assert _shape(result) == expected
    assert result.text == text


def test_to_json() -> None:
    assert parse_deadline("2024 йил ҳар чоракда").to_json() == {  # type: ignore[union-attr]
        "text": "2024 йил ҳар чоракда",
        "kind": "recurring",
        "start": "2024-01-01",
        "due": "2024-12-31",
        "recurrence": Q,
        "term": None,
    }
    assert parse_deadline("Бажарилди").to_json()["start"] is None  # type: ignore[union-attr]


def _one(text: str, year: int | None = None) -> Deadline:
    result = parse_deadline(text, default_year=year)
    assert isinstance(result, Deadline)
    return result


def test_occurrences_quarterly_in_its_year() -> None:
    d = _one("2024 йил ҳар чоракда")
    assert d.occurrences(date(2020, 1, 1), date(2030, 1, 1)) == [
        date(2024, 3, 31),
        date(2024, 6, 30),
        date(2024, 9, 30),
        date(2024, 12, 31),
    ]
    assert d.occurrences(date(2024, 4, 1), date(2024, 9, 30)) == [date(2024, 6, 30), date(2024, 9, 30)]


def test_occurrences_unbounded_recurrences() -> None:
    assert _one("Ҳар чоракда").occurrences(date(2025, 1, 1), date(2025, 7, 1)) == [
        date(2025, 3, 31),
        date(2025, 6, 30),
    ]
    assert len(_one("har oyda").occurrences(date(2024, 1, 1), date(2024, 12, 31))) == 12
    assert _one("har oyda").occurrences(date(2024, 2, 1), date(2024, 2, 29)) == [date(2024, 2, 29)]
    assert _one("Ҳар йили 1 декабрга қадар").occurrences(date(2021, 1, 1), date(2023, 12, 31)) == [
        date(2021, 12, 1),
        date(2022, 12, 1),
        date(2023, 12, 1),
    ]
    assert _one("Ҳар йили 1 декабрга қадар", 2021).occurrences(date(2020, 1, 1), date(2030, 1, 1)) == [
        date(2021, 12, 1)
    ]


def test_occurrences_one_off_and_open_kinds() -> None:
    assert _one("2024 йил март").occurrences(date(2024, 1, 1), date(2024, 12, 31)) == [date(2024, 3, 31)]
    assert _one("2024 йил март").occurrences(date(2024, 4, 1), date(2024, 12, 31)) == []
    assert _one("04.10.2022").occurrences(date(2022, 10, 4), date(2022, 10, 4)) == [date(2022, 10, 4)]
    assert _one("1 марта").occurrences(date(2000, 1, 1), date(2100, 1, 1)) == []
    for text in ("Доимий равишда", "Алоҳида графикка мувофиқ", "Бажарилди"):
        assert _one(text).occurrences(date(2000, 1, 1), date(2100, 1, 1)) == []


@given(st.text(max_size=60), st.one_of(st.none(), st.integers(1990, 2100)))
def test_never_raises(text: str, year: int | None) -> None:
    result = parse_deadlines(text, default_year=year)
    assert result and all(isinstance(d, Deadline) for d in result)
    if len(result) == 1:
        assert result[0].text == text
