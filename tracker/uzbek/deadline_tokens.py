"""Deadline tokens on a folded Latin key, the parsed item, and the parser's reading helpers.

Matching runs on the key so that Cyrillic, Latin and OCR spellings of a word agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracker.uzbek.dates import MONTHS_LATN
from tracker.uzbek.deadline_kind import DeadlineKind
from tracker.uzbek.deadline_terms import token_key
from tracker.uzbek.translit import APOSTROPHES

__all__ = ["Item", "ParserBase", "Tok", "tokenize"]

_MONTH_KEYS: dict[str, int] = {name: i + 1 for i, name in enumerate(MONTHS_LATN)}
_MONTH_KEYS.update({"fevval": 2, "sentyabr": 9, "oktyabr": 10})
_MONTH_RE = re.compile(
    r"^(?P<m>" + "|".join(sorted(_MONTH_KEYS, key=len, reverse=True)) + r")"
    r"(?P<suf>|a|ya|e|ye|i|da|dagi|dan|ga|gacha|ning|ida|idagi|idan|iga|igacha|gi)$"
)
_TOKEN_RE = re.compile(
    r"(?P<ndate>\d{1,2}[./]\d{1,2}[./]\d{4})"
    r"|(?P<num>\d+)"
    r"|(?P<word>[A-Za-z\u0400-\u04ff](?:[A-Za-z\u0400-\u04ff]|[" + re.escape(APOSTROPHES) + r"])*)"
    r"|(?P<dash>[-–—])"
    r"|(?P<punct>[^\s\w])"
)


@dataclass(frozen=True)
class Tok:
    kind: str
    key: str
    start: int
    end: int


def tokenize(text: str) -> list[Tok]:
    toks: list[Tok] = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or "punct"
        raw = m.group()
        key = token_key(raw) if kind == "word" else raw
        toks.append(Tok(kind, key, m.start(), m.end()))
    return toks


@dataclass
class Item:
    """One parsed deadline with the token span it came from."""

    kind: DeadlineKind
    start: date | None
    due: date | None
    recurrence: str | None
    first: int
    last: int
    term: str | None = None
    #: A date written as "from" (1 июлдан, с 1 июля): a recurrence right after starts there.
    is_from: bool = False
    text_start: int = 0
    text_end: int = 0

    def fields(self) -> tuple[DeadlineKind, date | None, date | None, str | None, str | None]:
        """kind, start, due, recurrence, term — the fields of a ``Deadline`` after its text."""
        return self.kind, self.start, self.due, self.recurrence, self.term


class ParserBase:
    """The token stream, the items read so far, and the helpers every grammar part reads with."""

    def __init__(self, toks: list[Tok], default_year: int | None, reference: date | None) -> None:
        self.toks = toks
        self.year = default_year
        self.base_year = default_year
        self.reference = reference
        self.items: list[Item] = []
        self.i = 0

    # -- helpers -------------------------------------------------------------------------------
    def tok(self, j: int) -> Tok | None:
        return self.toks[j] if 0 <= j < len(self.toks) else None

    def word(self, j: int) -> str:
        t = self.tok(j)
        return t.key if t and t.kind == "word" else ""

    def is_dash(self, j: int) -> bool:
        t = self.tok(j)
        return t is not None and t.kind == "dash"

    def skip_punct(self, j: int) -> int:
        while (t := self.tok(j)) and t.kind == "punct" and t.key in ".,":
            j += 1
        return j

    def month_at(self, j: int) -> tuple[int, str] | None:
        m = _MONTH_RE.match(self.word(j))
        return (_MONTH_KEYS[m.group("m")], m.group("suf")) if m else None

    def day_at(self, j: int) -> int | None:
        t = self.tok(j)
        if t and t.kind == "num" and len(t.key) <= 2 and 1 <= int(t.key) <= 31:
            return int(t.key)
        return None

    def add(
        self,
        kind: DeadlineKind,
        start: date | None,
        due: date | None,
        rec: str | None,
        first: int,
        *,
        term: str | None = None,
        is_from: bool = False,
    ) -> None:
        self.items.append(Item(kind, start, due, rec, first, self.i - 1, term, is_from))
