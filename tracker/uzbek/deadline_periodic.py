"""Periodic deadlines: "ҳар чоракда", "ҳар ойнинг 5-санасига қадар", "ҳар чорак якуни бўйича
кейинги ойнинг 10-санасигача", "2021 йил 1 июлдан ҳар чоракда", "ежеквартально до 10 числа месяца,
следующего за отчётным кварталом" — each as an RFC 5545 RRULE (see recurrence.py).

One part of the deadline parser (see deadline_parser.py), reading with ``ParserBase``'s helpers.
"""

from __future__ import annotations

from datetime import date

from tracker.uzbek.deadline_kind import DeadlineKind
from tracker.uzbek.deadline_terms import vocabulary
from tracker.uzbek.deadline_tokens import ParserBase
from tracker.uzbek.recurrence import (
    PERIOD_END_MONTHS,
    RRULE_HALF_YEARLY,
    RRULE_MONTHLY,
    RRULE_QUARTERLY,
    RRULE_YEARLY,
    expand,
    monthly_rule,
    shifted_rule,
    yearly_rule,
)

__all__ = ["PeriodicGrammar"]

_QUARTER = ("chorak", "choraq", "kvartal")
_MONTH_WORDS = frozenset({"oy", "oyda", "oyning", "oylik", "oyi"})
_YEAR_WORDS = frozenset({"yili", "yil", "yilda", "yillik", "yilning"})
_RUSSIAN_ADVERBS = (
    ("yejekvartal", RRULE_QUARTERLY),
    ("yejemesyachn", RRULE_MONTHLY),
    ("yejegodn", RRULE_YEARLY),
    ("yejepolugod", RRULE_HALF_YEARLY),
)
#: "… якуни бўйича" (at the close of each period), before "кейинги ойнинг N-санаси".
_CLOSE_WORDS = frozenset({"yakuni", "yakunlari", "yakunida", "natijalari", "natijasi", "natijalariga"})
_NEXT_WORDS = frozenset({"keyingi", "kelgusi", "navbatdagi"})
#: The day of a month: "5-санасига", "10 кунигача", "до 5 числа".
_DAY_WORDS = frozenset(
    "sanasi sanasiga sanasigacha sanasida sanaga sanagacha kuni kuniga kunigacha chisla chislu chislo".split()
)


class PeriodicGrammar(ParserBase):
    """Recurring deadlines and the rule details that follow the period word."""

    def period_word(self, j: int) -> tuple[str, int] | None:
        """The period: "ҳар чоракда", "har oyning", "ҳар ярим йилда", "ежеквартально" → (rule, next)."""
        w = self.word(j)
        for stem, rule in _RUSSIAN_ADVERBS:
            if w.startswith(stem):
                return rule, j + 1
        if w != "har":
            return None
        nxt = self.word(j + 1)
        after = self.word(j + 2)
        if nxt.startswith(_QUARTER):
            return RRULE_QUARTERLY, j + 2
        if nxt == "yarim" and after.startswith("yil"):
            return RRULE_HALF_YEARLY, j + 3
        if nxt == "olti" and after in _MONTH_WORDS:
            return RRULE_HALF_YEARLY, j + 3
        if nxt in _MONTH_WORDS:
            return RRULE_MONTHLY, j + 2
        if nxt in _YEAR_WORDS:
            return RRULE_YEARLY, j + 2
        return None

    def day_of_month(self, j: int) -> tuple[int, int] | None:
        """The day of a month: "5-санасига", "10 кунигача", "до 5 числа" → (day, next index)."""
        while self.word(j) in ("do", "k", "ne", "pozdneye", "pozdnee"):
            j += 1
        day = self.day_at(j)
        if day is None:
            return None
        j += 1 + self.is_dash(j + 1)
        if self.word(j) not in _DAY_WORDS:
            return None
        return day, j + 1

    def after_period_day(self, j: int) -> tuple[int, int] | None:
        """The day after each period: "якуни бўйича кейинги ойнинг 10-санасигача" → (10, next)."""
        if self.word(j) in _CLOSE_WORDS:
            j += 1
            if self.word(j) == "boyicha":
                j += 1
        if self.word(j) not in _NEXT_WORDS or self.word(j + 1) not in _MONTH_WORDS:
            return None
        return self.day_of_month(j + 2)

    def russian_following(self, j: int) -> int | None:
        """Russian "after the period": "месяца, следующего за отчётным кварталом" → next index."""
        v = vocabulary()
        if self.word(j) != v.mesyatsa:
            return None
        j = self.skip_punct(j + 1)
        if self.word(j) != v.sleduyushchego or self.word(j + 1) != v.za:
            return None
        if self.word(j + 2) not in v.otchetnym:
            return None
        j += 3
        return j + 1 if self.word(j) in v.period_nouns else j

    def rule_details(self, rule: str) -> tuple[str, bool]:
        """The day that may follow the period word; returns (rule, shifted to the next month)."""
        k = self.i
        if rule == RRULE_YEARLY:
            # "Ҳар йили 1 декабрга қадар": the yearly rule gets its day.
            while self.word(k) in ("do", "k"):
                k += 1
            day = self.day_at(k)
            if day is not None:
                month = self.month_at(k + 1 + self.is_dash(k + 1))
                if month is not None:
                    self.i = k + 2 + self.is_dash(k + 1)
                    return yearly_rule(month[0], day), False
            return rule, False
        if (after := self.after_period_day(k)) is not None:
            self.i = after[1]
            return shifted_rule(rule, after[0]), True
        if (on_day := self.day_of_month(k)) is not None:
            following = self.russian_following(on_day[1])
            if following is not None:
                self.i = following
                return shifted_rule(rule, on_day[0]), True
            if rule == RRULE_MONTHLY:
                self.i = on_day[1]
                return monthly_rule(on_day[0]), False
        return rule, False

    def parse_recurring(self, first: int, year: int | None) -> bool:
        found = self.period_word(self.i)
        if found is None:
            return False
        period_rule, self.i = found
        rule, shifted = self.rule_details(period_rule)
        if year is None:
            year = self.year
        since = self.items[-1] if self.items and self.items[-1].is_from else None
        if since is not None:
            # "2021 йил 1 июлдан ҳар чоракда": the rule runs from that day, with no end.
            self.items.pop()
            self.add(DeadlineKind.RECURRING, since.start, None, rule, since.first)
        elif year is None:
            self.add(DeadlineKind.RECURRING, None, None, rule, first)
        else:
            self.add(DeadlineKind.RECURRING, *_window(rule, period_rule, shifted, year), rule, first)
        return True


def _window(rule: str, period_rule: str, shifted: bool, year: int) -> tuple[date, date]:
    """The span a rule runs in for a plan year: the year, or for "the month after each period"
    from the month after the first period to that day in January of the next year."""
    if shifted:
        first_end = min(PERIOD_END_MONTHS[period_rule])
        start = date(year + 1, 1, 1) if first_end == 12 else date(year, first_end + 1, 1)
        return start, expand(rule, date(year + 1, 1, 1), date(year + 1, 1, 31))[0]
    if rule.startswith("FREQ=YEARLY") and rule != RRULE_YEARLY:
        return date(year, 1, 1), expand(rule, date(year, 1, 1), date(year, 12, 31))[-1]
    return date(year, 1, 1), date(year, 12, 31)
