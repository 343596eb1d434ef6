"""The deadline grammar: tokens on a folded Latin key, and a parser that never guesses.

Used by :mod:`tracker.uzbek.deadlines` (the public API); the relative terms live in
:mod:`tracker.uzbek.deadline_relative`, the periodic rules in :mod:`tracker.uzbek.deadline_periodic`.
"""

from __future__ import annotations

import re
from datetime import date

from tracker.uzbek.deadline_kind import DeadlineKind
from tracker.uzbek.deadline_periodic import PeriodicGrammar
from tracker.uzbek.deadline_relative import RelativeGrammar
from tracker.uzbek.deadline_tokens import Item, tokenize
from tracker.uzbek.normalise import normalise
from tracker.uzbek.recurrence import last_day

__all__ = ["Item", "parse_items"]

#: Month suffixes that mean "from" (the day an obligation starts).
_FROM_SUFFIXES = frozenset({"dan", "idan"})
_YEAR_WORDS = frozenset(
    {"yil", "yilda", "yili", "yilning", "yilgi", "yilgacha", "y", "g", "gg", "goda", "god", "godu", "yilga"}
)
_YEARS_WORDS_RE = re.compile(r"^(?:yillar|yillarda|yillarga|yillarning|gody|godov|gg)$")
_FILLER = frozenset(
    "qadar kadar gacha ga dan do k v s ot po va hamda oyi oyida oyidan oyigacha davomida ichida "
    "muddatda ravishda kuni sanasiga mobaynida boshlab etiboran".split()
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# "жорий йил" is the default year, "келгуси йил" the next; Russian "текущего/следующего года".
# Keys as token_key gives them (tests check it), written out so importing stays cheap.
YEAR_OFFSETS = {
    "joriy": 0,
    "kelgusi": 1,
    "keyingi": 1,
    "tekushchego": 0,
    "tekushchem": 0,
    "sleduyushchego": 1,
}


class _Parser(PeriodicGrammar, RelativeGrammar):
    """The whole grammar; ``parse`` gives the items, or None when any part is not understood."""

    def year_at(self, j: int) -> tuple[int | None, int] | None:
        """A year "2024 йил", "2024-yil", "2024 й.", "2024 г.", "жорий йил" → (year, next index).

        The year is None for "жорий/келгуси йил" when no default year is known.
        """
        t = self.tok(j)
        if t and t.kind == "word" and t.key in YEAR_OFFSETS and self.word(j + 1) in _YEAR_WORDS:
            base = self.base_year
            return (None if base is None else base + YEAR_OFFSETS[t.key]), self.skip_punct(j + 2)
        if not t or t.kind != "num" or len(t.key) != 4 or not 1990 <= int(t.key) <= 2100:
            return None
        k = j + 1
        if self.is_dash(k) and self.word(k + 1) in _YEAR_WORDS:
            k += 1
        if self.word(k) in _YEAR_WORDS:
            return int(t.key), self.skip_punct(k + 1)
        return None

    # -- grammar -------------------------------------------------------------------------------
    def parse(self) -> list[Item] | None:
        while self.i < len(self.toks):
            t = self.toks[self.i]
            if t.kind in ("punct", "dash") or (t.kind == "word" and t.key in _FILLER):
                self.i += 1
                continue
            if not self.parse_one():
                return None
        return self.items

    def parse_one(self) -> bool:
        first = self.i
        w = self.word(self.i)
        if w in ("doimiy", "doimo", "postoyanno", "muntazam"):
            self.i += 1
            if self.word(self.i) == "ravishda":
                self.i += 1
            self.add(DeadlineKind.CONTINUOUS, None, None, None, first)
            return True
        if self.parse_schedule(first) or self.parse_recurring(first, None) or self.parse_relative(first):
            return True
        t = self.toks[self.i]
        if t.kind == "ndate":
            return self.parse_numeric_date(first)
        year_info = self.year_at(self.i)
        if year_info is None and t.kind == "num" and len(t.key) == 4 and self.year_range(first):
            return True
        if year_info is not None:
            year, self.i = year_info
            self.year = year
            if self.parse_recurring(first, year) or self.parse_dated(first, year_given=True):
                return True
            whole_year: tuple[date | None, date | None] = (
                (date(year, 1, 1), date(year, 12, 31)) if year is not None else (None, None)
            )
            self.add(DeadlineKind.PERIOD, *whole_year, None, first)
            return True
        return self.parse_dated(first)

    def parse_schedule(self, first: int) -> bool:
        j = self.i
        if self.word(j) in ("alohida", "otdelnomu"):
            j += 1
        if not self.word(j).startswith(("grafik", "jadval")):
            if self.word(j) == "po" and self.word(j + 1).startswith("grafik"):
                j += 1
            else:
                return False
        if j == self.i and self.word(j + 1) not in ("muvofiq", "asosida"):
            return False
        j += 1
        if self.word(j) in ("muvofiq", "asosida"):
            j += 1
        self.i = j
        self.add(DeadlineKind.SCHEDULE, None, None, None, first)
        return True

    def parse_numeric_date(self, first: int) -> bool:
        day, month, year = (int(x) for x in re.split("[./]", self.toks[self.i].key))
        try:
            d = date(year, month, day)
        except ValueError:
            return False
        self.i += 1
        # "04.10.2022 й." / "г."
        if self.word(self.i) in ("y", "g", "yil", "goda"):
            self.i = self.skip_punct(self.i + 1)
        self.year = year
        self.add(DeadlineKind.DATE, d, d, None, first, is_from=self.word(first - 1) in ("s", "so"))
        self.merge_range()
        return True

    def year_range(self, first: int) -> bool:
        a = self.toks[self.i]
        d, b = self.tok(self.i + 1), self.tok(self.i + 2)
        if not (d and b and d.kind == "dash" and b.kind == "num" and len(b.key) == 4):
            return False
        y1, y2 = int(a.key), int(b.key)
        if not (1990 <= y1 <= y2 <= 2100):
            return False
        j = self.i + 3
        if not _YEARS_WORDS_RE.match(self.word(j)) and self.word(j) not in _YEAR_WORDS:
            return False
        self.i = j + 1
        self.add(DeadlineKind.RANGE, date(y1, 1, 1), date(y2, 12, 31), None, first)
        return True

    def parse_period(self, first: int, *, year_given: bool) -> bool:
        """A quarter or half-year by number: "I чорак", "2-chorak", "III chorak", "II ярим йиллик"."""
        t = self.tok(self.i)
        if t is None:
            return False
        ordinal = _ROMAN.get(t.key.lower()) if t.kind == "word" else None
        if t.kind == "num" and len(t.key) == 1:
            ordinal = int(t.key)
        if ordinal is None:
            return False
        k = self.i + 1 + self.is_dash(self.i + 1)
        w = self.word(k)
        months = 0
        if w.startswith(("chorak", "choraq", "kvartal")) and ordinal <= 4:
            months, k = 3, k + 1
        elif w == "yarim" and self.word(k + 1).startswith("yil") and ordinal <= 2:
            months, k = 6, k + 2
        elif w.startswith("polugod") and ordinal <= 2:
            months, k = 6, k + 1
        if not months or not 1 <= ordinal:
            return False
        self.i = k
        if not year_given:
            self.trailing_year()
        if self.year is None:
            self.add(DeadlineKind.PERIOD, None, None, None, first)
        else:
            sm = (ordinal - 1) * months + 1
            self.add(
                DeadlineKind.PERIOD, date(self.year, sm, 1), last_day(self.year, sm + months - 1), None, first
            )
        return True

    def parse_dated(self, first: int, *, year_given: bool = False) -> bool:
        """Day + month, month, or a quarter/half-year, with the year from context.

        Without a year before it, a year right after is taken (Russian order: "1 марта 2024
        года"); with one, a following year belongs to the next deadline of the cell.
        """
        if self.tok(self.i) is None:
            return False
        if self.parse_period(first, year_given=year_given):
            return True
        j = self.i
        day = self.day_at(j)
        if day is not None:
            return self.parse_day_month(first, day, year_given=year_given)
        month = self.month_at(j)
        if month is None:
            return False
        self.i = j + 1
        if not year_given:
            self.trailing_year()
        if self.year is None:
            self.add(DeadlineKind.MONTH, None, None, None, first)
        else:
            self.add(
                DeadlineKind.MONTH, date(self.year, month[0], 1), last_day(self.year, month[0]), None, first
            )
            self.merge_range()
        return True

    def parse_day_month(self, first: int, day: int, *, year_given: bool) -> bool:
        """Day and month: "1 апрелгача", "1-iyuldan", "24–28 май", "1 марта 2024 года"."""
        k = self.i + 1
        day2 = None
        if self.is_dash(k):
            k += 1
            day2 = self.day_at(k)
            if day2 is not None:
                k += 1
        month = self.month_at(k)
        if month is None:
            return False
        self.i = k + 1
        if not year_given:
            self.trailing_year()
        is_from = month[1] in _FROM_SUFFIXES or self.word(first - 1) in ("s", "so")
        if self.year is None:
            kind = DeadlineKind.RANGE if day2 else DeadlineKind.DATE
            self.add(kind, None, None, None, first, is_from=is_from)
            return True
        d1 = _safe_date(self.year, month[0], day)
        if day2 is not None:
            self.add(DeadlineKind.RANGE, d1, _safe_date(self.year, month[0], day2), None, first)
        else:
            self.add(DeadlineKind.DATE, d1, d1, None, first, is_from=is_from)
            self.merge_range()
        return True

    def trailing_year(self) -> None:
        """Russian order puts the year last: "1 марта 2024 года", "1 июля текущего года"."""
        info = self.year_at(self.i)
        if info is None:
            t = self.tok(self.i)
            if t and t.kind == "num" and len(t.key) == 4 and 1990 <= int(t.key) <= 2100:
                info = (int(t.key), self.i + 1)
        if info is not None:
            self.year, self.i = info

    def merge_range(self) -> None:
        """``<dated> – <dated>`` (январь-март, 01.01.2024–31.03.2024) is one RANGE."""
        if not (self.is_dash(self.i) and self.i + 1 < len(self.toks)):
            return
        left = self.items.pop()
        save_i, save_year = self.i, self.year
        self.i += 1
        count = len(self.items)
        ok = self.parse_one() and len(self.items) == count + 1
        right = self.items.pop() if len(self.items) > count else None
        if (
            ok
            and right is not None
            and right.kind in (DeadlineKind.DATE, DeadlineKind.MONTH)
            and left.start
            and right.due
            and left.start <= right.due
        ):
            self.items.append(Item(DeadlineKind.RANGE, left.start, right.due, None, left.first, right.last))
            return
        self.i, self.year = save_i, save_year
        self.items.append(left)


def _safe_date(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, last_day(year, month).day))


def parse_items(text: str, year: int | None, reference: date | None) -> tuple[str, list[Item] | None]:
    """The cleaned text and its deadlines (None when any part is not understood)."""
    clean = normalise(text)
    toks = tokenize(clean)
    items = _Parser(toks, year, reference).parse() if toks else None
    for it in items or ():
        it.text_start, it.text_end = toks[it.first].start, toks[it.last].end
    return clean, items
