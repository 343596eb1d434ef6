"""Repairs of OCR confusions in Latin text: "gisqartirish" → "qisqartirish", "ochiglik" →
"ochiqlik", "Respeblikasi" → "Respublikasi", "¢’lon" → "e’lon".

A word is repaired only when it is unknown and exactly one repaired form is known. The known
words (``data/words.txt``) are built from our catalogs, the glossary, the clean seeds and the
lexicon by ``python -m tracker.uzbek.wordlist``. :func:`tracker.uzbek.normalise.search_tokens`
applies the repairs always; the importer offers them as warnings and never changes stored text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from tracker.uzbek.letters import APOSTROPHES

__all__ = ["Repair", "known_words", "repair_word", "suggest_repairs", "word_key"]

#: What OCR of Latin text reads for what was printed (seed 001): q as g, u as e, i as f, n as h,
#: e as ¢, ʻ as r. Each is tried at one place at a time, and at every place at once.
CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("g", "q"),
    ("e", "u"),
    ("f", "i"),
    ("h", "n"),
    ("¢", "e"),
    ("r", "ʻ"),
    ("c", "e"),
    ("l", "i"),
)
#: Longer words are left alone (bounded work per word, so a text is repaired in linear time).
MAX_WORD = 30
_APOS_DROP = str.maketrans(dict.fromkeys(APOSTROPHES, None))
_LATIN_WORD_RE = re.compile(r"[A-Za-z¢][A-Za-z¢" + re.escape(APOSTROPHES) + r"]*")


@dataclass(frozen=True)
class Repair:
    """``word`` as written and the known ``suggestion`` it most likely was."""

    word: str
    suggestion: str


def word_key(word: str) -> str:
    """The key known words are matched by: lower case, apostrophes dropped."""
    return word.lower().translate(_APOS_DROP)


@cache
def known_words() -> frozenset[str]:
    """The keys of every known Latin word (read once from data/words.txt)."""
    text = resources.files("tracker.uzbek").joinpath("data", "words.txt").read_text(encoding="utf-8")
    return frozenset(word_key(line) for line in text.split() if not line.startswith("#"))


def _candidates(word: str) -> list[str]:
    out: list[str] = []
    for wrong, right in CONFUSIONS:
        if wrong not in word:
            continue
        places = [i for i, ch in enumerate(word) if ch == wrong]
        if right == "ʻ":
            # ʻ only follows o and g (oʻ, gʻ).
            places = [i for i in places if i > 0 and word[i - 1] in "og"]
        for i in places:
            out.append(word[:i] + right + word[i + 1 :])
        if len(places) > 1:
            out.append("".join(right if i in places else ch for i, ch in enumerate(word)))
    return out


@lru_cache(maxsize=16384)
def repair_word(word: str) -> str | None:
    """The repaired form of an unknown Latin ``word`` when exactly one is known, else None.

    Case is kept (the first letter's, or all capitals); known words and words longer than
    ``MAX_WORD`` are never changed.
    """
    if len(word) > MAX_WORD or len(word) < 3:
        return None
    known = known_words()
    low = word.lower()
    if word_key(low) in known:
        return None
    found = {c for c in _candidates(low) if word_key(c) in known}
    if len(found) != 1:
        return None
    (fixed,) = found
    if word.isupper():
        return fixed.upper()
    return fixed[:1].upper() + fixed[1:] if word[:1].isupper() else fixed


def suggest_repairs(text: str) -> list[Repair]:
    """The repairs :func:`repair_word` offers for the Latin words of ``text``, each once, in order."""
    seen: dict[str, Repair] = {}
    for m in _LATIN_WORD_RE.finditer(text):
        word = m.group()
        if word not in seen:
            fixed = repair_word(word)
            if fixed is not None:
                seen[word] = Repair(word, fixed)
    return list(seen.values())
