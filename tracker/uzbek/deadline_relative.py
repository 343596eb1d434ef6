"""Relative deadlines: a term counted from the document's date.

"бир ой муддатда", "15 кун ичида", "ўн беш кунлик муддатда", "Қарор қабул қилинган кундан бошлаб
икки ой ичида", "в течение двух месяцев со дня принятия постановления", "в месячный срок",
"в 15-дневный срок". The due date is the reference date plus the term, months clamped to the
month's end (31 January + 1 month = 29 February in a leap year).

One part of the deadline parser (see deadline_parser.py), reading with ``ParserBase``'s helpers.
"""

from __future__ import annotations

from tracker.uzbek.deadline_kind import DeadlineKind
from tracker.uzbek.deadline_terms import vocabulary
from tracker.uzbek.deadline_tokens import ParserBase
from tracker.uzbek.recurrence import add_term

__all__ = ["RelativeGrammar"]


class RelativeGrammar(ParserBase):
    """``[lead-in] N <unit> [муддатда|ичида …] [lead-in]`` and the Russian forms."""

    def parse_relative(self, first: int) -> bool:
        j = self.lead_in(self.i)
        term = self.term_at(j)
        if term is None:
            return False
        n, unit, k, is_russian = term
        has_term_word = False
        while self.word(k) in vocabulary().term_words:
            k, has_term_word = k + 1, True
        end = self.lead_in(k)
        # A bare "2 ой" is not a term: it needs a term word, the Russian frame or a lead-in.
        if not (has_term_word or is_russian or j != self.i or end != k):
            return False
        self.i = end
        iso = f"P{n}{unit}"
        start = self.reference
        self.add(DeadlineKind.RELATIVE, start, add_term(start, iso) if start else None, None, first, term=iso)
        return True

    def lead_in(self, j: int) -> int:
        """The index after "… қабул қилинган кундан бошлаб" or "со дня принятия …" at ``j`` (or ``j``)."""
        v = vocabulary()
        k, end = j, j
        while self.word(k) in v.uz_lead:
            if self.word(k) in v.uz_anchors:
                end = k + 1
            k += 1
        if end > j:
            return end
        if self.word(j) in v.ru_lead_start and self.word(j + 1) in v.ru_lead_second:
            k = j + 2
            while self.word(k) in v.ru_lead:
                k += 1
            return k
        return j

    def number_at(self, j: int) -> tuple[int | None, int]:
        """A count: "15", "икки", "ўн беш", "двух" → (number, next index); (None, j) if none."""
        t = self.tok(j)
        if t is not None and t.kind == "num" and len(t.key) <= 3 and int(t.key) > 0:
            return int(t.key), j + 1
        numbers = vocabulary().numbers
        n = numbers.get(self.word(j))
        if n is None:
            return None, j
        unit = numbers.get(self.word(j + 1))
        if n % 10 == 0 and n > 1 and unit is not None and unit < 10:
            return n + unit, j + 2
        return n, j + 1

    def term_at(self, j: int) -> tuple[int, str, int, bool] | None:
        """The term at ``j`` → (number, unit D/W/M/Y, next index, written in Russian)."""
        v = vocabulary()
        is_russian = False
        # "в" is a filler word the main loop may already have stepped over.
        if self.word(j) == v.v:
            j += 1
        if self.word(j) == v.techenie and self.word(j - 1) == v.v:
            j, is_russian = j + 1, True
        elif self.word(j - 1) == v.v:
            return self.russian_adjective_term(j)
        n, k = self.number_at(j)
        if n is None:
            if not is_russian:
                return None
            n, k = 1, j  # "в течение месяца"
        unit = v.units.get(self.word(k))
        if unit is None:
            return None
        return n, unit, k + 1, is_russian

    def russian_adjective_term(self, j: int) -> tuple[int, str, int, bool] | None:
        """Russian adjectives (after "в"): "месячный срок", "двухмесячный срок", "15-дневный срок"."""
        v = vocabulary()
        count = None
        t = self.tok(j)
        if t is not None and t.kind == "num" and len(t.key) <= 3 and int(t.key) > 0:
            count, j = int(t.key), j + 1 + self.is_dash(j + 1)
        adjective = v.adjectives.get(self.word(j))
        if adjective is None or self.word(j + 1) != v.srok:
            return None
        n, unit = adjective
        if count is not None:
            if n != 1:
                return None
            n = count
        return n, unit, j + 2, True
