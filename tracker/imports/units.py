"""Responsible cells: split into names and matched to the organization's units.

A cell often lists several units with nothing but a space between them ("… йиғма бўлими Барча
таркибий тармоқлар"), and a unit name may itself contain a comma ("Жамоатчилик билан алоқалар,
мурожаатлар … бошқармаси"). So known names (the organization's units and the group phrases) are
found first, word by word, script-insensitively and fuzzily; what is left is split at line
breaks, semicolons, and after the word that ends a unit name ("бошқармаси", "бўлими", …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from tracker.orgs.models import Unit
from tracker.plans.phrases import ALL_UNITS_PHRASES, is_all_units_phrase
from tracker.uzbek import search_key

#: Group names that are not units: "all units" and "the responsible units".
GROUP_PHRASES = (*ALL_UNITS_PHRASES, "Масъул тармоқлар", "Masʼul tarmoqlar", "Ответственные подразделения")

#: Words that end a unit's name (folded search keys).
UNIT_WORDS = {
    "boshkarmasi",
    "boshkarma",
    "bolimi",
    "bolim",
    "xizmati",
    "tarmogi",
    "tarmoklar",
    "departamenti",
    "sektori",
    "markazi",
    "kotibiyati",
    "guruxi",
    "shobasi",
    "inspeksiyasi",
    "boshkarmalari",
    "bolimlari",
}

MATCH_THRESHOLD = 0.86

_WORD_RE = re.compile(r"\S+")


@dataclass
class ResponsibleName:
    name: str
    unit_id: int | None = None
    unit_name: str | None = None
    is_all_units: bool = False
    is_group: bool = False

    @property
    def key(self) -> str:
        return _name_key(self.name)


#: A plan names the same few units in thousands of rows: fold each name once.
_name_key = lru_cache(maxsize=4096)(search_key)


def _similar(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def best_unit(name: str, units: list[Unit]) -> Unit | None:
    """The unit whose name is the same as ``name`` in any script, or close enough to it."""
    key = search_key(name)
    if not key:
        return None
    scored = [(_similar(key, search_key(u.name)), u) for u in units]
    scored = [s for s in scored if s[0] >= MATCH_THRESHOLD]
    return max(scored, key=lambda s: s[0])[1] if scored else None


def split_names(text: str, units: list[Unit]) -> list[ResponsibleName]:
    """The names a responsible cell lists, in order, each matched to a unit when one fits."""
    if not text or not text.strip():
        return []
    words = [(m.start(), m.end(), search_key(m.group())) for m in _WORD_RE.finditer(text)]
    known: list[tuple[list[str], Unit | None, str]] = [
        (search_key(u.name).split(), u, u.name) for u in units if search_key(u.name)
    ]
    known += [(search_key(p).split(), None, p) for p in GROUP_PHRASES]
    found: list[tuple[int, int, Unit | None, str]] = []  # (first word, end word, unit, phrase)
    index = 0
    while index < len(words):
        best: tuple[float, int, Unit | None, str] | None = None
        for tokens, unit, phrase in known:
            target = " ".join(tokens)
            for length in (len(tokens), len(tokens) - 1, len(tokens) + 1):
                if length <= 0 or index + length > len(words):
                    continue
                window = [w[2] for w in words[index : index + length] if w[2]]
                # The name must start here: its first word, not a neighbour's, opens the window.
                if not window or _similar(window[0], tokens[0]) < 0.75:
                    continue
                score = _similar(" ".join(window), target)
                if score >= MATCH_THRESHOLD and (best is None or score > best[0]):
                    best = (score, index + length, unit, phrase)
        if best is not None:
            found.append((index, best[1], best[2], best[3]))
            index = best[1]
        else:
            index += 1

    names: list[ResponsibleName] = []
    cursor = 0
    for first, end, unit, _phrase in found:
        names += _split_rest(text[cursor : words[first][0]], units)
        written = text[words[first][0] : words[end - 1][1]].strip(" ,;")
        if unit is not None:
            names.append(ResponsibleName(name=written, unit_id=unit.id, unit_name=unit.name))
        else:
            names.append(_group(written))
        cursor = words[end - 1][1]
    names += _split_rest(text[cursor:], units)
    return names


def _group(name: str) -> ResponsibleName:
    return ResponsibleName(name=name, is_all_units=is_all_units_phrase(name), is_group=True)


def _split_rest(text: str, units: list[Unit]) -> list[ResponsibleName]:
    """Names in text that matched nothing known: split at lines, ";" and after unit-ending words."""
    result: list[ResponsibleName] = []
    for part in re.split(r"[\n;]+", text):
        current: list[str] = []
        for word in part.split():
            current.append(word)
            if search_key(word) in UNIT_WORDS:
                result.append(match_name(" ".join(current), units))
                current = []
        if current:
            result.append(match_name(" ".join(current), units))
    return [r for r in result if r.name]


def match_name(text: str, units: list[Unit]) -> ResponsibleName:
    name = text.strip(" ,;.")
    if is_all_units_phrase(name):
        return _group(name)
    unit = best_unit(name, units)
    if unit is not None:
        return ResponsibleName(name=name, unit_id=unit.id, unit_name=unit.name)
    return ResponsibleName(name=name)


class NameMatcher:
    """:func:`split_names` and :func:`match_name` against one organization's units, each distinct
    cell text worked out once: a plan names the same few units in thousands of rows."""

    def __init__(self, units: list[Unit]) -> None:
        self.units = units
        self._split: dict[str, list[ResponsibleName]] = {}
        self._match: dict[str, ResponsibleName] = {}

    def split(self, text: str) -> list[ResponsibleName]:
        if text not in self._split:
            self._split[text] = split_names(text, self.units)
        return [replace(name) for name in self._split[text]]

    def match(self, text: str) -> ResponsibleName:
        if text not in self._match:
            self._match[text] = match_name(text, self.units)
        return replace(self._match[text])
