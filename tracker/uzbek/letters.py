"""The marks and letter classes both transliteration directions share."""

from __future__ import annotations

__all__ = [
    "APOSTROPHES",
    "CYR_VOWELS",
    "LAT_VOWELS",
    "MODIFIER_TURNED_COMMA",
    "TUTUQ",
    "canonical_apostrophes",
    "is_cyrillic_letter",
]

#: U+02BB MODIFIER LETTER TURNED COMMA: the official mark of oʻ and gʻ.
MODIFIER_TURNED_COMMA = "\u02bb"
#: U+02BC MODIFIER LETTER APOSTROPHE: the official tutuq belgisi (ъ).
TUTUQ = "\u02bc"
#: Every apostrophe look-alike accepted on input.
APOSTROPHES = "'`\u2018\u2019\u02bb\u02bc"

CYR_VOWELS = frozenset("аеёиоуэюяў")
LAT_VOWELS = frozenset("aeiou")


def is_cyrillic_letter(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def canonical_apostrophes(word: str) -> str:
    """Canonical apostrophes inside a Latin word: ʻ after o/g, ʼ (tutuq) elsewhere."""
    if not any(ch in APOSTROPHES for ch in word):
        return word
    out = []
    for i, ch in enumerate(word):
        if ch in APOSTROPHES and i > 0:
            out.append(MODIFIER_TURNED_COMMA if word[i - 1] in "oOgG" else TUTUQ)
        else:
            out.append(ch)
    return "".join(out)
