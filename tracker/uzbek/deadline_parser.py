"""Parsing of deadline cells ("Ижро муддати", "Бажариш муддати") into structured deadlines.

The parser reads Uzbek Cyrillic, Uzbek Latin and Russian, with the OCR noise of the seed
documents (январ, апрел, феввал, HTML wrappers). It never guesses: a cell with words it does not
understand becomes one UNKNOWN deadline that keeps the text verbatim. See docs/deadlines.md.
"""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import date

from tracker.uzbek.dates import MONTHS_LATN
from tracker.uzbek.normalise import normalise
from tracker.uzbek.translit import APOSTROPHES, to_latin

__all__ = ["Deadline", "DeadlineKind", "parse_deadline", "parse_deadlines"]


class DeadlineKind(enum.StrEnum):
    """What kind of deadline a cell holds."""

    DATE = "date"
    MONTH = "month"
    RANGE = "range"
    PERIOD = "period"
    RECURRING = "recurring"
    CONTINUOUS = "continuous"
    SCHEDULE = "schedule"
    UNKNOWN = "unknown"


RRULE_QUARTERLY = "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"
RRULE_HALF_YEARLY = "FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=-1"
RRULE_MONTHLY = "FREQ=MONTHLY;BYMONTHDAY=-1"
RRULE_YEARLY = "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Deadline:
    """One deadline.

    ``start``/``due`` bound the period (for RECURRING: the window the recurrence runs in);
    ``recurrence`` is an RFC 5545 RRULE for RECURRING and None otherwise. Period ends are
    spelled out with BYMONTH (quarters end on 31.03, 30.06, 30.09 and 31.12), so the rule
    gives the right dates in any RRULE engine, whatever DTSTART in the period.
    """

    text: str
    kind: DeadlineKind
    start: date | None
    due: date | None
    recurrence: str | None

    def to_json(self) -> dict[str, str | None]:
        """``{"text", "kind", "start", "due", "recurrence"}`` with ISO dates or None."""
        return {
            "text": self.text,
            "kind": str(self.kind),
            "start": self.start.isoformat() if self.start else None,
            "due": self.due.isoformat() if self.due else None,
            "recurrence": self.recurrence,
        }

    def occurrences(self, start: date, end: date) -> list[date]:
        """Due dates of this deadline within ``[start, end]``, in order.

        One-off kinds give their due date (if any); RECURRING gives every period end, clipped to
        the deadline's own start/due when it has them; CONTINUOUS, SCHEDULE and UNKNOWN give [].
        """
        if self.kind in (DeadlineKind.CONTINUOUS, DeadlineKind.SCHEDULE, DeadlineKind.UNKNOWN):
            return []
        if self.kind != DeadlineKind.RECURRING:
            return [self.due] if self.due and start <= self.due <= end else []
        lo = max(start, self.start) if self.start else start
        hi = min(end, self.due) if self.due else end
        if lo > hi or not self.recurrence:
            return []
        return [d for d in _expand_rrule(self.recurrence, lo.year, hi.year) if lo <= d <= hi]


def _expand_rrule(rule: str, first_year: int, last_year: int) -> list[date]:
    """Dates of the RRULEs this module produces, for whole calendar years."""
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    freq = parts.get("FREQ")
    by_month = [int(m) for m in parts["BYMONTH"].split(",")] if "BYMONTH" in parts else None
    monthday = int(parts.get("BYMONTHDAY", "-1"))
    out: list[date] = []
    for year in range(first_year, last_year + 1):
        if freq == "MONTHLY":
            months = by_month or list(range(1, 13))
        elif freq == "YEARLY":
            months = by_month or [12]
        else:
            return []
        for month in months:
            last = calendar.monthrange(year, month)[1]
            day = last if monthday == -1 else min(monthday, last)
            out.append(date(year, month, day))
    return out


# ---------------------------------------------------------------------------------------------
# Tokens. Matching runs on a folded Latin key so that Cyrillic, Latin and OCR spellings agree.

_MONTH_KEYS: dict[str, int] = {name: i + 1 for i, name in enumerate(MONTHS_LATN)}
_MONTH_KEYS.update({"fevval": 2, "sentyabr": 9, "oktyabr": 10})
_MONTH_RE = re.compile(
    r"^(?P<m>" + "|".join(sorted(_MONTH_KEYS, key=len, reverse=True)) + r")"
    r"(?P<suf>|a|ya|e|ye|i|da|dagi|dan|ga|gacha|ning|ida|idagi|idan|iga|igacha|gi)$"
)
_YEAR_WORDS = frozenset(
    {"yil", "yilda", "yili", "yilning", "yilgi", "yilgacha", "y", "g", "gg", "goda", "god", "yilga"}
)
_YEARS_WORDS_RE = re.compile(r"^(?:yillar|yillarda|yillarga|yillarning|gody|godov|gg)$")
_FILLER = frozenset(
    {
        "qadar",
        "kadar",
        "gacha",
        "ga",
        "dan",
        "do",
        "k",
        "v",
        "s",
        "ot",
        "po",
        "va",
        "hamda",
        "oyi",
        "oyida",
        "oyidan",
        "oyigacha",
        "davomida",
        "ichida",
        "muddatda",
        "ravishda",
        "kuni",
        "sanasiga",
        "mobaynida",
    }
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_TOKEN_RE = re.compile(
    r"(?P<ndate>\d{1,2}[./]\d{1,2}[./]\d{4})"
    r"|(?P<num>\d+)"
    r"|(?P<word>[A-Za-z\u0400-\u04ff](?:[A-Za-z\u0400-\u04ff]|[" + re.escape(APOSTROPHES) + r"])*)"
    r"|(?P<dash>[-–—])"
    r"|(?P<punct>[^\s\w])"
)
_APOS_DROP = str.maketrans(dict.fromkeys(APOSTROPHES, None))


@dataclass(frozen=True)
class _Tok:
    kind: str
    key: str
    start: int
    end: int


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or "punct"
        raw = m.group()
        key = to_latin(raw).lower().translate(_APOS_DROP) if kind == "word" else raw
        toks.append(_Tok(kind, key, m.start(), m.end()))
    return toks


@dataclass
class _Item:
    kind: DeadlineKind
    start: date | None
    due: date | None
    recurrence: str | None
    first: int
    last: int


class _Parser:
    def __init__(self, toks: list[_Tok], default_year: int | None) -> None:
        self.toks = toks
        self.year = default_year
        self.items: list[_Item] = []
        self.i = 0

    # -- helpers -------------------------------------------------------------------------------
    def tok(self, j: int) -> _Tok | None:
        return self.toks[j] if 0 <= j < len(self.toks) else None

    def word(self, j: int) -> str:
        t = self.tok(j)
        return t.key if t and t.kind == "word" else ""

    def skip_punct(self, j: int) -> int:
        while (t := self.tok(j)) and t.kind == "punct" and t.key in ".,":
            j += 1
        return j

    def month_at(self, j: int) -> tuple[int, str] | None:
        m = _MONTH_RE.match(self.word(j))
        return (_MONTH_KEYS[m.group("m")], m.group("suf")) if m else None

    def year_at(self, j: int) -> tuple[int, int] | None:
        """A year "2024 йил", "2024-yil", "2024 й.", "2024 г." → (year, next index)."""
        t = self.tok(j)
        if not t or t.kind != "num" or len(t.key) != 4 or not 1990 <= int(t.key) <= 2100:
            return None
        k = j + 1
        if (d := self.tok(k)) and d.kind == "dash" and self.word(k + 1) in _YEAR_WORDS:
            k += 1
        if self.word(k) in _YEAR_WORDS:
            return int(t.key), self.skip_punct(k + 1)
        return None

    def day_at(self, j: int) -> int | None:
        t = self.tok(j)
        if t and t.kind == "num" and len(t.key) <= 2 and 1 <= int(t.key) <= 31:
            return int(t.key)
        return None

    def add(
        self, kind: DeadlineKind, start: date | None, due: date | None, rec: str | None, first: int
    ) -> None:
        self.items.append(_Item(kind, start, due, rec, first, self.i - 1))

    # -- grammar -------------------------------------------------------------------------------
    def parse(self) -> list[_Item] | None:
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
        if self.parse_schedule(first) or self.parse_recurring(first, None):
            return True
        t = self.toks[self.i]
        if t.kind == "ndate":
            return self.parse_numeric_date(first)
        year_info = self.year_at(self.i)
        if year_info is None and t.kind == "num" and len(t.key) == 4 and self.year_range(first):
            return True
        if year_info is not None:
            year, nxt = year_info
            self.year = year
            self.i = nxt
            if self.parse_recurring(first, year) or self.parse_dated(first, year_given=True):
                return True
            self.add(DeadlineKind.PERIOD, date(year, 1, 1), date(year, 12, 31), None, first)
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

    def parse_recurring(self, first: int, year: int | None) -> bool:
        w = self.word(self.i)
        rule: str | None = None
        j = self.i + 1
        if w == "har":
            nxt = self.word(j)
            if nxt.startswith(("chorak", "choraq", "kvartal")):
                rule = RRULE_QUARTERLY
            elif nxt == "yarim" and self.word(j + 1).startswith("yil"):
                rule, j = RRULE_HALF_YEARLY, j + 1
            elif nxt in ("oy", "oyda", "oyning", "oylik", "oyi"):
                rule = RRULE_MONTHLY
            elif nxt in ("yili", "yil", "yilda", "yillik", "yilning"):
                rule = RRULE_YEARLY
            else:
                return False
            j += 1
        elif w.startswith("yejekvartal"):
            rule = RRULE_QUARTERLY
        elif w.startswith("yejemesyachn"):
            rule = RRULE_MONTHLY
        elif w.startswith("yejegodn"):
            rule = RRULE_YEARLY
        else:
            return False
        self.i = j
        if rule == RRULE_YEARLY:
            # "Ҳар йили 1 декабрга қадар": the yearly rule gets its day.
            k = self.i
            while self.word(k) in ("do", "k"):
                k += 1
            day = self.day_at(k)
            if day is not None:
                k += 1
                if (d := self.tok(k)) and d.kind == "dash":
                    k += 1
                month = self.month_at(k)
                if month is not None:
                    self.i = k + 1
                    rule = f"FREQ=YEARLY;BYMONTH={month[0]};BYMONTHDAY={day}"
        if year is None:
            year = self.year
        if year is None:
            self.add(DeadlineKind.RECURRING, None, None, rule, first)
        elif rule.startswith("FREQ=YEARLY") and rule != RRULE_YEARLY:
            parts = dict(p.split("=") for p in rule.split(";"))
            due = _safe_date(year, int(parts["BYMONTH"]), int(parts["BYMONTHDAY"]))
            self.add(DeadlineKind.RECURRING, date(year, 1, 1), due, rule, first)
        else:
            self.add(DeadlineKind.RECURRING, date(year, 1, 1), date(year, 12, 31), rule, first)
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
        self.add(DeadlineKind.DATE, d, d, None, first)
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

    def parse_dated(self, first: int, *, year_given: bool = False) -> bool:
        """Day + month, month, or a quarter/half-year, with the year from context.

        Without a year before it, a year right after is taken (Russian order: "1 марта 2024
        года"); with one, a following year belongs to the next deadline of the cell.
        """
        j = self.i
        t = self.tok(j)
        if t is None:
            return False
        # Quarter / half-year: "I чорак", "2-chorak", "I ярим йиллик", "I полугодие".
        ordinal = _ROMAN.get(t.key.lower()) if t.kind == "word" else None
        if t.kind == "num" and len(t.key) == 1:
            ordinal = int(t.key)
        if ordinal is not None:
            k = j + 1
            if (d := self.tok(k)) and d.kind == "dash":
                k += 1
            w = self.word(k)
            months = 0
            if w.startswith(("chorak", "choraq", "kvartal")) and ordinal <= 4:
                months, k = 3, k + 1
            elif w == "yarim" and self.word(k + 1).startswith("yil") and ordinal <= 2:
                months, k = 6, k + 2
            elif w.startswith("polugod") and ordinal <= 2:
                months, k = 6, k + 1
            if months:
                self.i = k
                if self.year is None:
                    self.add(DeadlineKind.PERIOD, None, None, None, first)
                else:
                    sm = (ordinal - 1) * months + 1
                    em = sm + months - 1
                    self.add(
                        DeadlineKind.PERIOD, date(self.year, sm, 1), _last_day(self.year, em), None, first
                    )
                return True
        day = self.day_at(j)
        if day is not None:
            k = j + 1
            day2 = None
            if (d := self.tok(k)) and d.kind == "dash":
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
            if self.year is None:
                kind = DeadlineKind.RANGE if day2 else DeadlineKind.DATE
                self.add(kind, None, None, None, first)
                return True
            d1 = _safe_date(self.year, month[0], day)
            if day2 is not None:
                self.add(DeadlineKind.RANGE, d1, _safe_date(self.year, month[0], day2), None, first)
            else:
                self.add(DeadlineKind.DATE, d1, d1, None, first)
                self.merge_range()
            return True
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
                DeadlineKind.MONTH, date(self.year, month[0], 1), _last_day(self.year, month[0]), None, first
            )
            self.merge_range()
        return True

    def trailing_year(self) -> None:
        """Russian order puts the year last: "1 марта 2024 года"."""
        info = self.year_at(self.i)
        if info is None:
            t = self.tok(self.i)
            if t and t.kind == "num" and len(t.key) == 4 and 1990 <= int(t.key) <= 2100:
                info = (int(t.key), self.i + 1)
        if info is not None:
            self.year, self.i = info

    def merge_range(self) -> None:
        """``<dated> – <dated>`` (январь-март, 01.01.2024–31.03.2024) is one RANGE."""
        d = self.tok(self.i)
        if not (d and d.kind == "dash" and self.i + 1 < len(self.toks)):
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
            self.items.append(_Item(DeadlineKind.RANGE, left.start, right.due, None, left.first, right.last))
            return
        self.i, self.year = save_i, save_year
        self.items.append(left)


def _safe_date(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def parse_deadlines(text: str, default_year: int | None = None) -> list[Deadline]:
    """Parse a deadline cell into a list of deadlines (one element for a single deadline).

    ``default_year`` (the plan's year) supplies a year the text leaves out. A dated kind
    whose year cannot be determined keeps its kind with ``start``/``due`` None. A cell with any
    word the parser does not understand gives ``[Deadline(text, UNKNOWN, None, None, None)]``.
    Each element's ``text`` is the original text when there is one element, else the element's
    own part of the cleaned text. Never raises for any ``str``.
    """
    clean = normalise(text)
    toks = _tokenize(clean)
    items = _Parser(toks, default_year).parse() if toks else None
    if not items:
        return [Deadline(text, DeadlineKind.UNKNOWN, None, None, None)]
    if len(items) == 1:
        it = items[0]
        return [Deadline(text, it.kind, it.start, it.due, it.recurrence)]
    return [
        Deadline(
            clean[toks[it.first].start : toks[it.last].end].strip(" ,;"),
            it.kind,
            it.start,
            it.due,
            it.recurrence,
        )
        for it in items
    ]


def parse_deadline(text: str, default_year: int | None = None) -> Deadline | list[Deadline]:
    """One Deadline, or a list when the cell holds several ("2024 йил февраль 2024 йил март")."""
    result = parse_deadlines(text, default_year)
    return result[0] if len(result) == 1 else result
