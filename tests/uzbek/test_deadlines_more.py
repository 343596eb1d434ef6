"""Deadlines our users write: relative terms, the current/next year, quarters by number, periodic
rules (cross-checked against dateutil's RFC 5545 engine) — in both scripts and in Russian."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from tracker.uzbek import Deadline, DeadlineKind, parse_deadline, parse_deadlines
from tracker.uzbek.deadline_parser import YEAR_OFFSETS
from tracker.uzbek.deadline_terms import token_key
from tracker.uzbek.recurrence import add_months, add_term, expand, monthly_rule, shifted_rule

D, P, REC, REL, UNK = (
    DeadlineKind.DATE,
    DeadlineKind.PERIOD,
    DeadlineKind.RECURRING,
    DeadlineKind.RELATIVE,
    DeadlineKind.UNKNOWN,
)
Q = "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"
H = "FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=-1"
Q_PLUS_10 = "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=10"


def one(text: str, year: int | None = None, reference: date | None = None) -> Deadline:
    result = parse_deadline(text, default_year=year, reference=reference)
    assert isinstance(result, Deadline), result
    assert result.text == text
    return result


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


REF = date(2024, 1, 31)


@pytest.mark.parametrize(
    ("text", "term", "due"),
    [
        ("бир ой муддатда", "P1M", "2024-02-29"),  # clamps to the end of February (leap year)
        ("bir oy muddatda", "P1M", "2024-02-29"),
        ("бир ойлик муддатда", "P1M", "2024-02-29"),
        ("15 кун ичида", "P15D", "2024-02-15"),
        ("15 kun ichida", "P15D", "2024-02-15"),
        ("15 кунлик муддатда", "P15D", "2024-02-15"),
        ("ўн беш кун ичида", "P15D", "2024-02-15"),
        ("o‘n besh kun ichida", "P15D", "2024-02-15"),
        ("икки ҳафта ичида", "P2W", "2024-02-14"),
        ("уч ой давомида", "P3M", "2024-04-30"),
        ("олти ой муддат ичида", "P6M", "2024-07-31"),
        ("бир йил ичида", "P1Y", "2025-01-31"),
        ("Қарор қабул қилинган кундан бошлаб икки ой ичида", "P2M", "2024-03-31"),
        ("Qaror qabul qilingan kundan boshlab ikki oy ichida", "P2M", "2024-03-31"),
        ("Ушбу фармон кучга кирган кундан бошлаб бир ой муддатда", "P1M", "2024-02-29"),
        ("ushbu qaror qabul qilingandan keyin 10 kun ichida", "P10D", "2024-02-10"),
        ("в течение двух месяцев со дня принятия настоящего постановления", "P2M", "2024-03-31"),
        ("В течение 15 дней", "P15D", "2024-02-15"),
        ("в течение месяца", "P1M", "2024-02-29"),
        ("в месячный срок", "P1M", "2024-02-29"),
        ("в двухмесячный срок", "P2M", "2024-03-31"),
        ("в 10-дневный срок", "P10D", "2024-02-10"),
        ("со дня принятия постановления в трехмесячный срок", "P3M", "2024-04-30"),
    ],
)
def test_relative_term_counts_from_the_reference(text: str, term: str, due: str) -> None:
    d = one(text, reference=REF)
    assert (d.kind, d.term, iso(d.start), iso(d.due)) == (REL, term, "2024-01-31", due)
    # Without a reference the term is known, the dates are not.
    bare = one(text)
    assert (bare.kind, bare.term, bare.start, bare.due) == (REL, term, None, None)


@pytest.mark.parametrize("text", ["2 ой", "бир ой ҳисобот", "икки", "в течение", "в срок"])
def test_a_number_and_a_unit_alone_are_not_a_term(text: str) -> None:
    assert one(text, reference=REF).kind is UNK


@given(st.dates(date(1990, 1, 1), date(2100, 1, 1)), st.integers(0, 240))
def test_month_arithmetic_clamps_to_the_month_end(start: date, months: int) -> None:
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and add_months(end.replace(day=1), 1).day == 1)
    assert add_term(start, f"P{months}M") == end


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("joriy yil 1-iyulgacha", 2024, (D, "2024-07-01", "2024-07-01")),
        ("жорий йил 1 июлгача", 2024, (D, "2024-07-01", "2024-07-01")),
        ("Жорий йилнинг 1 июлига қадар", 2024, (D, "2024-07-01", "2024-07-01")),
        ("келгуси йил 1 апрелгача", 2024, (D, "2025-04-01", "2025-04-01")),
        ("kelgusi yil mart", 2024, (DeadlineKind.MONTH, "2025-03-01", "2025-03-31")),
        ("кейинги йил", 2024, (P, "2025-01-01", "2025-12-31")),
        ("до 1 июля текущего года", 2024, (D, "2024-07-01", "2024-07-01")),
        ("до 1 марта следующего года", 2024, (D, "2025-03-01", "2025-03-01")),
        ("joriy yil 1-iyulgacha", None, (D, None, None)),
    ],
)
def test_current_and_next_year(text: str, year: int | None, expected: tuple) -> None:
    d = one(text, year)
    assert (d.kind, iso(d.start), iso(d.due)) == expected


def test_current_year_falls_back_to_the_reference_year() -> None:
    d = one("жорий йил 1 июлгача", reference=date(2023, 5, 4))
    assert d.due == date(2023, 7, 1)


@pytest.mark.parametrize(
    ("text", "year", "start", "due"),
    [
        ("2025 йил 2-чорак", None, "2025-04-01", "2025-06-30"),
        ("2025-yil 2-chorak", None, "2025-04-01", "2025-06-30"),
        ("III chorak", 2024, "2024-07-01", "2024-09-30"),
        ("III чорак", 2024, "2024-07-01", "2024-09-30"),
        ("IV квартал", 2024, "2024-10-01", "2024-12-31"),
        ("II ярим йиллик", 2024, "2024-07-01", "2024-12-31"),
        ("II yarim yillik", 2024, "2024-07-01", "2024-12-31"),
        ("II полугодие 2024 года", None, "2024-07-01", "2024-12-31"),
    ],
)
def test_quarters_and_halves_by_number(text: str, year: int | None, start: str, due: str) -> None:
    d = one(text, year)
    assert (d.kind, iso(d.start), iso(d.due)) == (P, start, due)


# text, plan year, (start, due, rule), the dates in [2024-01-01, 2025-12-31]
PERIODIC = [
    (
        "Ҳар ойнинг 5-санасига қадар",
        2024,
        ("2024-01-01", "2024-12-31", "FREQ=MONTHLY;BYMONTHDAY=5"),
        [date(2024, m, 5) for m in range(1, 13)],
    ),
    ("Har oyning 5-sanasiga qadar", 2024, ("2024-01-01", "2024-12-31", "FREQ=MONTHLY;BYMONTHDAY=5"), None),
    ("ежемесячно до 5 числа", 2024, ("2024-01-01", "2024-12-31", "FREQ=MONTHLY;BYMONTHDAY=5"), None),
    (
        "ҳар ойнинг 30-санасига қадар",
        2024,
        ("2024-01-01", "2024-12-31", "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1"),
        [date(2024, m, 29 if m == 2 else 30) for m in range(1, 13)],
    ),
    ("ҳар ярим йилда", 2024, ("2024-01-01", "2024-12-31", H), [date(2024, 6, 30), date(2024, 12, 31)]),
    ("har yarim yillikda", 2024, ("2024-01-01", "2024-12-31", H), None),
    ("Ежеполугодно", 2024, ("2024-01-01", "2024-12-31", H), None),
    (
        "ҳар чорак якуни бўйича кейинги ойнинг 10-санасигача",
        2024,
        ("2024-04-01", "2025-01-10", Q_PLUS_10),
        [date(2024, 4, 10), date(2024, 7, 10), date(2024, 10, 10), date(2025, 1, 10)],
    ),
    (
        "har chorak yakuni boʻyicha keyingi oyning 10-sanasigacha",
        2024,
        ("2024-04-01", "2025-01-10", Q_PLUS_10),
        None,
    ),
    ("ҳар чоракдан кейинги ойнинг 10-санасига қадар", 2024, ("2024-04-01", "2025-01-10", Q_PLUS_10), None),
    (
        "ежеквартально до 10 числа месяца, следующего за отчётным кварталом",
        2024,
        ("2024-04-01", "2025-01-10", Q_PLUS_10),
        None,
    ),
    (
        "2021 йил 1 июлдан ҳар чоракда",
        None,
        ("2021-07-01", None, Q),
        [date(y, m, d) for y in (2024, 2025) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))],
    ),
    ("2021-yil 1-iyuldan boshlab har chorakda", None, ("2021-07-01", None, Q), None),
    ("с 1 июля 2021 года ежеквартально", None, ("2021-07-01", None, Q), None),
    ("Ҳар чоракда", 2024, ("2024-01-01", "2024-12-31", Q), None),
    (
        "Ҳар йили 1 декабрга қадар",
        2024,
        ("2024-01-01", "2024-12-01", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1"),
        None,
    ),
]


@pytest.mark.parametrize(("text", "year", "shape", "dates"), PERIODIC)
def test_periodic_rules(text: str, year: int | None, shape: tuple, dates: list[date] | None) -> None:
    d = one(text, year)
    assert (d.kind, iso(d.start), iso(d.due), d.recurrence) == (REC, *shape)
    if dates is not None:
        assert d.occurrences(date(2024, 1, 1), date(2025, 12, 31)) == dates


@pytest.mark.parametrize(("text", "year", "shape", "dates"), PERIODIC)
def test_our_dates_are_dateutils_dates(
    text: str, year: int | None, shape: tuple, dates: list[date] | None
) -> None:
    """Every rule expands in dateutil (RFC 5545) to exactly our dates, with DTSTART = start."""
    d = one(text, year)
    lo, hi = date(2020, 1, 1), date(2027, 12, 31)
    start = d.start or lo
    until = min(d.due or hi, hi)
    rule = rrulestr(d.recurrence, dtstart=datetime(start.year, start.month, start.day))
    theirs = [
        x.date()
        for x in rule.between(
            datetime.combine(start, datetime.min.time()),
            datetime.combine(until, datetime.min.time()),
            inc=True,
        )
    ]
    assert theirs == d.occurrences(lo, hi)
    assert theirs


@given(
    st.integers(1, 31),
    st.sampled_from([Q, H, "FREQ=MONTHLY;BYMONTHDAY=-1"]),
    st.dates(date(2000, 1, 1), date(2090, 1, 1)),
)
def test_written_rules_agree_with_dateutil(day: int, period: str, start: date) -> None:
    hi = add_months(start, 30)
    for rule in (monthly_rule(day), shifted_rule(period, day)):
        ours = expand(rule, start, hi)
        theirs = [
            x.date()
            for x in rrulestr(rule, dtstart=datetime(start.year, start.month, start.day)).between(
                datetime(start.year, start.month, start.day), datetime(hi.year, hi.month, hi.day), inc=True
            )
        ]
        assert ours == theirs


@pytest.mark.parametrize(
    "text",
    [
        "ҳар чоракда 10-санагача",
        "ежеквартально до 10 числа",
        "ҳар ойнинг 5-куни ҳисобот",
        "15 иш куни ичида",
        "бир ой кейин ҳисобот",
    ],
)
def test_unknown_stays_verbatim(text: str) -> None:
    d = one(text, 2024, REF)
    assert (d.kind, d.start, d.due, d.recurrence, d.term) == (UNK, None, None, None, None)
    assert not d.is_machine_readable


def test_relative_and_dated_in_one_cell() -> None:
    result = parse_deadlines("бир ой муддатда, 2024 йил март", reference=REF)
    assert [(d.kind, iso(d.due)) for d in result] == [(REL, "2024-02-29"), (DeadlineKind.MONTH, "2024-03-31")]


def test_year_offset_keys_are_the_tokenizer_keys() -> None:
    words = ["joriy", "kelgusi", "keyingi", "текущего", "текущем", "следующего"]
    assert {token_key(w) for w in words} == set(YEAR_OFFSETS)


@given(st.text(max_size=60), st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2100, 1, 1))))
def test_never_raises_with_a_reference(text: str, reference: date | None) -> None:
    result = parse_deadlines(text, reference=reference)
    assert result and all(isinstance(d, Deadline) for d in result)


def test_a_parse_kept_for_its_text_is_handed_out_as_a_list_of_ones_own():
    first = parse_deadlines("Ҳар чоракда", default_year=2024)
    first.clear()  # a caller changing its list changes no later answer
    again = parse_deadlines("Ҳар чоракда", default_year=2024)
    assert again and again[0].kind == DeadlineKind.RECURRING
    assert parse_deadlines("Ҳар чоракда", default_year=2025)[0].start != again[0].start
