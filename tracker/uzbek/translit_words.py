"""One word at a time: the letter rules of both directions, the lexicon, abbreviations.

Every function here is linear in the length of the word (the lexicon look-up slices at most the
longest stem). ``tracker.uzbek.translit`` splits text into words and calls these.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from tracker.uzbek import lexicon as lexicon_module
from tracker.uzbek.letters import (
    CYR_VOWELS,
    LAT_VOWELS,
    MODIFIER_TURNED_COMMA,
    TUTUQ,
    canonical_apostrophes,
    is_cyrillic_letter,
)
from tracker.uzbek.lexicon import longest_stem
from tracker.uzbek.ocr import known_words, word_key

__all__ = ["abbreviation_head", "clear_word_caches", "is_all_caps", "word_to_cyrillic", "word_to_latin"]

_MARKS = (MODIFIER_TURNED_COMMA, TUTUQ)
_CYR_HARD_SOFT = frozenset("ъь")

# Letters whose reading depends on their neighbours (е, ц, ь, ъ, and с before ҳ) are not in the
# table; c2l_rules handles them.
_C2L: dict[str, str] = {
    **dict(zip("абвгджзийклмнопрстуфхэқҳ", "abvgdjziyklmnoprstufxeqh", strict=True)),
    "ё": "yo",
    "ч": "ch",
    "ш": "sh",
    # щ and ы are not Uzbek letters; they only occur in Russian words quoted in documents.
    "щ": "shch",
    "ы": "i",
    "ю": "yu",
    "я": "ya",
    "ў": "o" + MODIFIER_TURNED_COMMA,
    "ғ": "g" + MODIFIER_TURNED_COMMA,
}
_L2C: dict[str, str] = dict(zip("abcdfghijklmnopqrstuvwxyz", "абцдфгҳижклмнопқрстуввхйз", strict=True))
_Y_VOWEL = {"o": "ё", "u": "ю", "a": "я"}
# Latin words spelled from Russian prefixes whose ъ the Latin drops (объект → obyekt, съезд →
# syezd, подъём → podyom, конъюнктура → konyunktura): "y" + vowel after them was ъ + е/ё/ю/я.
_HARD_SIGN_PREFIXES_E = frozenset("ob sub pod s iz raz ad in dez ot kon nad".split())
_HARD_SIGN_PREFIXES_OTHER = frozenset({"ob", "sub", "pod", "kon"})
_NOT_UZBEK_LATIN = re.compile("w|c(?!h)")
_DIGRAPHS = frozenset({"sh", "ch", "ya", "yo", "yu", "ye"})
_LAT_VOWEL_OR_Y = frozenset("aeiouy")
# Names of organisations glue a word to Ўз-/Ўзбек- (Ўзэкспомарказ, Ўзбекенгилсаноат): the word
# after them starts afresh, so its е/э read as at the start of a word.
_CYR_COMPOUND_HEADS = frozenset({"ўз", "ўзбек"})
_LAT_COMPOUND_HEADS = frozenset({"o" + MODIFIER_TURNED_COMMA + "z", "o" + MODIFIER_TURNED_COMMA + "zbek"})
# Loans that end compounds after a consonant (Ўзпахтасаноатэкспорт, Қизилқумцемент, электрстанция,
# Ўздавэнергоназорат): inside a Latin word their first letter keeps the reading it has at the
# start of a word (э, ц), which the letter rules cannot see.
_L2C_COMPOUND_TAILS = {
    "e": (("eksport", "экспорт"), ("energo", "энерго")),
    "s": (("sement", "цемент"), ("stansi", "станци")),
}


def _letters(word: str) -> str:
    return "".join(ch for ch in word if ch.isalpha() and ch not in _MARKS)


def is_all_caps(word: str) -> bool:
    """Two or more letters, all upper case (ТДЮУ, ШАХС, OʻZBEKISTON)."""
    return len(word) >= 2 and word.isupper() and len(_letters(word[:3])) >= 2


def _units(word: str) -> list[tuple[str, int]]:
    """Letters as sounds, each with the index after it: a Latin digraph (sh, ch, oʻ, gʻ, ya,
    yo, yu, ye) is one sound; marks on their own are skipped."""
    units: list[tuple[str, int]] = []
    i, n = 0, len(word)
    while i < n:
        two = word[i : i + 2]
        if two.lower() in _DIGRAPHS or (len(two) == 2 and two[1] == MODIFIER_TURNED_COMMA):
            i += 2
            units.append((two, i))
        else:
            i += 1
            if word[i - 1] not in _MARKS:
                units.append((word[i - 1], i))
    return units


def _is_vowel_unit(unit: str) -> bool:
    low = unit.lower()
    return low in CYR_VOWELS or low[0] in LAT_VOWELS or low in ("ya", "yo", "yu", "ye")


def _is_capital_sound(unit: str) -> bool:
    """A capital letter, or a digraph written Ch/Sh/Yu as abbreviations do (or CH/SH)."""
    return unit[0].isupper() and unit[1:] == unit[1:].lower()


def _is_known_word(word: str) -> bool:
    low = word.lower()
    latin = c2l_rules(low) if any(is_cyrillic_letter(ch) for ch in low) else low
    return word_key(latin) in known_words()


def abbreviation_head(word: str, *, in_caps_run: bool) -> int:
    """The length of the abbreviation ``word`` starts with, 0 when it is none.

    An abbreviation's letters are read one by one (ТДЮУ → TDYuU, МЧЖнинг → MChJning): it is the
    whole word or its upper-case head before a lower-case suffix (БМТнинг), not in a run of
    upper-case words (a heading: ИШ РЕЖАСИ), at most five sounds, and short (three or fewer), or
    without a vowel, or starting with two consonants, or with two vowels side by side — shapes
    Uzbek words do not have (ШАХС, ЧОРА, ЁШЛАР are words).
    """
    if len(word) < 2 or not word[0].isupper():
        return 0
    # Five sounds take at most 12 characters (digraphs and marks): only the head is looked at.
    units = _units(word[:12])
    head = 0
    while head < len(units) and _is_capital_sound(units[head][0]):
        head += 1
    rest = word[units[head - 1][1] :] if head else word
    if head < 2 or head > 5 or (rest and not rest.islower()) or (not rest and in_caps_run):
        return 0
    if head <= 3 and not rest and _is_known_word(word):
        return 0  # a short word in capitals (ИШ, ЁШ) that is not in a heading
    vowels = [_is_vowel_unit(unit) for unit, _ in units[:head]]
    side_by_side = any(a and b for a, b in zip(vowels, vowels[1:], strict=False))
    if head > 3 and any(vowels) and (vowels[0] or vowels[1]) and not side_by_side:
        return 0
    return units[head - 1][1]


# -- Cyrillic → Latin ------------------------------------------------------------------------


def _apply_case(source: str, result: str) -> str:
    """Give a lexicon result the case pattern of the source word (lower, Title or ALL CAPS)."""
    letters = _letters(source)
    if not letters or letters.islower():
        return result
    if len(letters) >= 2 and letters.isupper():
        return result.upper()
    if source[0].isupper():
        return result[:1].upper() + result[1:]
    return result


def _upper_neighbour(word: str, i: int) -> bool:
    """Whether the letter next to ``i`` is upper case (ШАХС → SHAXS, not ShAXS)."""
    for j in (i + 1, i - 1):
        if 0 <= j < len(word) and word[j].isalpha() and word[j] not in _MARKS:
            return word[j].isupper()
    return False


def _c2l_context_letter(low: str, i: int, abbreviation: bool) -> str | None:
    """е, ц, ь, ъ: the Latin for the letter at ``i`` of the lower-cased word (None: keep it)."""
    c = low[i]
    prev = low[i - 1] if i > 0 else ""
    nxt = low[i + 1] if i + 1 < len(low) else ""
    if c == "е":
        # е reads "ye" at the start of a word, after a vowel and after ъ/ь (every letter of an
        # abbreviation starts a word: ЕИ → YeI).
        starts = abbreviation or not prev or prev in CYR_VOWELS or prev in _CYR_HARD_SOFT
        return "ye" if starts or (i <= 5 and low[:i] in _CYR_COMPOUND_HEADS) else "e"
    if c == "ц":
        # ц reads "s" at the start and after a consonant, "ts" after a vowel.
        return "ts" if prev in CYR_VOWELS and prev and not abbreviation else "s"
    if c == "ь":
        return "y" if nxt == "о" else ""  # медальон → medalyon, бульон → bulyon
    if c == "ъ":
        # Between a consonant and е/ё/ю/я (Russian words) only the y is written (подъезд →
        # podyezd); after ў the mark is not written (мўъжиза → moʻjiza); elsewhere it is the tutuq
        # (маъно → maʼno, меъёр → meʼyor).
        if prev == "ў" or (nxt and nxt in "еёюя" and prev and prev not in CYR_VOWELS):
            return ""
        return TUTUQ
    return None


def c2l_rules(word: str, start: int = 0, *, abbreviation: bool = False) -> str:
    """Transliterate ``word[start:]`` by the rules, using ``word[:start]`` as left context."""
    low = word.lower()
    n = len(word)
    out: list[str] = []
    for i in range(start, n):
        c = low[i]
        lat = _C2L.get(c)
        if lat is None:
            lat = _c2l_context_letter(low, i, abbreviation)
            if lat is None:
                out.append(word[i])
                continue
        elif c == "с" and i + 1 < n and low[i + 1] == "ҳ":
            lat = "s" + TUTUQ  # сҳ must not read as ш: Исҳоқ → Isʼhoq
        if word[i] != c and lat:
            if lat == TUTUQ:
                pass
            elif abbreviation or len(lat) == 1 or not _upper_neighbour(word, i):
                lat = lat[:1].upper() + lat[1:]
            else:
                lat = lat.upper()
        out.append(lat)
    return "".join(out)


def _word_to_latin(word: str, abbreviation: int = 0) -> str:
    """:func:`word_to_latin` without the memory of recent words."""
    if not any(is_cyrillic_letter(ch) for ch in word):
        return word
    if abbreviation:
        return c2l_rules(word[:abbreviation], abbreviation=True) + c2l_rules(word, abbreviation)
    lex = lexicon_module.lexicon()
    return _by_lexicon(
        word,
        _Direction(
            lex.c2l_words, lex.c2l_stems, lex.c2l_stem_len, c2l_rules, _CYR_COMPOUND_HEADS, _word_to_latin
        ),
    )


@dataclass(frozen=True)
class _Direction:
    """One way of transliterating: its lexicon tables, its rules, its compound heads and itself."""

    words: dict[str, str]
    stems: dict[str, str]
    stem_len: int
    rules: Callable[[str, int], str]
    heads: frozenset[str]
    transliterate: Callable[[str], str]


def _by_lexicon(word: str, way: _Direction) -> str:
    """Lexicon word, else longest stem + rules, else head + lexicon word (Oʻzkabel → Ўзкабель), else rules."""
    key = word.lower()
    hit = way.words.get(key)
    if hit is not None:
        return _apply_case(word, hit)
    stem = longest_stem(way.stems, key, way.stem_len)
    if stem is not None:
        cut, replacement = stem
        return _apply_case(word[:cut], replacement) + way.rules(word, cut)
    head = _compound_head(key, way.heads)
    if head and (key[head:] in way.words or longest_stem(way.stems, key[head:], way.stem_len)):
        return way.rules(word[:head], 0) + way.transliterate(word[head:])
    return way.rules(word, 0)


# -- Latin → Cyrillic ------------------------------------------------------------------------


def _prev_is_vowel(low: str, j: int) -> bool:
    if j <= 0:
        return False
    p = low[j - 1]
    # oʻ is a vowel too.
    return p in LAT_VOWELS or (p == MODIFIER_TURNED_COMMA and j >= 2 and low[j - 2] == "o")


def _after_compound_head(low: str, i: int) -> bool:
    return 3 <= i <= 7 and low[:i] in _LAT_COMPOUND_HEADS


def _y_vowel(low: str, i: int, nxt: str, abbreviation: bool) -> str:
    """Cyrillic for "y" + vowel at ``i``: я/ё/ю/е, with ъ or ь restored after a consonant."""
    if abbreviation:
        return "е" if nxt == "e" else _Y_VOWEL[nxt]
    if nxt == "e":
        if i == 0 or _prev_is_vowel(low, i) or low[i - 1] == TUTUQ or _after_compound_head(low, i):
            return "е"
    elif i == 0 or _prev_is_vowel(low, i) or not low[i - 1].isalpha():
        return _Y_VOWEL[nxt]
    prefix = low[:i] if i <= 4 else ""
    if nxt == "e":
        # obyekt → объект, syezd → съезд; kuryer → курьер
        return ("ъ" if prefix in _HARD_SIGN_PREFIXES_E else "ь") + "е"
    if prefix in _HARD_SIGN_PREFIXES_OTHER:
        return "ъ" + _Y_VOWEL[nxt]  # podyom → подъём, konyunktura → конъюнктура
    if nxt == "o" and i >= 3 and low[i + 2 : i + 3] == "n" and low[i + 3 : i + 4] not in _LAT_VOWEL_OR_Y:
        return "ьо"  # medalyon → медальон, bulyon → бульон (but plyonka → плёнка)
    return _Y_VOWEL[nxt]


def _l2c_step(low: str, i: int, abbreviation: bool) -> tuple[str, int]:
    """The Cyrillic for the Latin letter(s) at ``i`` of the lower-cased word and how many
    letters they take."""
    c = low[i]
    nxt = low[i + 1] if i + 1 < len(low) else ""
    if nxt == MODIFIER_TURNED_COMMA and c in "og":
        return ("ў" if c == "o" else "ғ"), 2
    if c == "s":
        if nxt == "h":
            return "ш", 2
        if nxt == TUTUQ and low[i + 2 : i + 3] == "h":
            return "с", 2  # sʼh is s + h, never ш (Isʼhoq → Исҳоқ): drop the separator
    elif c == "c" and nxt == "h":
        return "ч", 2
    elif c == "t" and nxt == "s" and low[i + 2 : i + 3] == "i" and _prev_is_vowel(low, i):
        if low[i + 3 : i + 4] in ("a", "o", "u", "e", "i", "y") and low[i + 3 : i + 4]:
            return "ц", 2  # -tsiya/-tsion/-tsial after a vowel are -ция/-цион/-циал
    elif c == "y" and nxt in ("o", "u", "a", "e") and nxt:
        if not (nxt == "o" and low[i + 2 : i + 3] == MODIFIER_TURNED_COMMA):
            return _y_vowel(low, i, nxt, abbreviation), 2
    if i > 0 and c in _L2C_COMPOUND_TAILS and not _prev_is_vowel(low, i):
        for tail, cyrillic in _L2C_COMPOUND_TAILS[c]:
            if low.startswith(tail, i):
                return cyrillic, len(tail)
    if c == "e":
        # Latin e is э at the start, after a vowel and in abbreviations (GES → ГЭС).
        starts = abbreviation or i == 0 or _prev_is_vowel(low, i) or _after_compound_head(low, i)
        return ("э" if starts else "е"), 1
    elif c in _MARKS:
        return "ъ", 1
    return _L2C.get(c, c), 1


_SIGNED = frozenset({"ъе", "ье", "ъё", "ъю", "ъя", "ьо"})


def l2c_rules(word: str, start: int = 0, *, abbreviation: bool = False) -> str:
    """Transliterate a canonical-apostrophe Latin ``word[start:]`` by the rules."""
    out: list[str] = []
    low = word.lower()
    caps = is_all_caps(word)
    i, n = start, len(word)
    while i < n:
        cyr, step = _l2c_step(low, i, abbreviation)
        if cyr == low[i] and step == 1 and cyr not in _MARKS:
            out.append(word[i])  # not a Latin letter: kept as it is
        elif word[i] != low[i] or (caps and (low[i] in _MARKS or cyr in _SIGNED)):
            # A sign restored before the vowel keeps its own case: OBYEKT → ОБЪЕКТ, Obyekt → Объект.
            out.append(cyr.upper() if caps or len(cyr) == 1 else cyr[0].upper() + cyr[1:])
        else:
            out.append(cyr)
        i += step
    return "".join(out)


def is_foreign_latin(word: str) -> bool:
    """Latin words that stay Latin: the foreign vocabulary, and words with c (not ch) or w,
    letters the Uzbek Latin alphabet does not use on their own."""
    low = word.lower()
    return low in lexicon_module.lexicon().foreign or _NOT_UZBEK_LATIN.search(low) is not None


def _word_to_cyrillic(word: str, abbreviation: int = 0) -> str:
    """:func:`word_to_cyrillic` without the memory of recent words."""
    if not any("a" <= ch.lower() <= "z" for ch in word):
        return word
    canon = canonical_apostrophes(word)
    if is_foreign_latin(canon):
        return word
    if abbreviation:
        return l2c_rules(canon[:abbreviation], abbreviation=True).upper() + l2c_rules(canon, abbreviation)
    lex = lexicon_module.lexicon()
    return _by_lexicon(
        canon,
        _Direction(
            lex.l2c_words, lex.l2c_stems, lex.l2c_stem_len, l2c_rules, _LAT_COMPOUND_HEADS, _word_to_cyrillic
        ),
    )


def _compound_head(key: str, heads: frozenset[str]) -> int:
    """The length of the Ўз-/Ўзбек- head an organisation name starts with (the longer first),
    0 when there is none or nothing of at least three letters follows it."""
    for head in sorted(heads, key=len, reverse=True):
        if key.startswith(head) and len(key) - len(head) >= 3:
            return len(head)
    return 0


# Documents repeat their words: each direction remembers its most recent words (short ones only,
# so memory stays bounded). ``clear_word_caches`` forgets them when the lexicon is swapped.
_CACHED_LENGTH = 40
_cached_to_latin = lru_cache(maxsize=32768)(_word_to_latin)
_cached_to_cyrillic = lru_cache(maxsize=32768)(_word_to_cyrillic)


def word_to_latin(word: str, *, abbreviation: int = 0) -> str:
    """One Cyrillic word in Latin: lexicon word, else longest lexicon stem + rules, else rules.

    ``abbreviation`` is the length of the abbreviation the word starts with (abbreviation_head).
    """
    if len(word) > _CACHED_LENGTH:
        return _word_to_latin(word, abbreviation)
    return _cached_to_latin(word, abbreviation)


def word_to_cyrillic(word: str, *, abbreviation: int = 0) -> str:
    """One Latin word in Cyrillic: foreign words stay; lexicon word, stem + rules, or rules.

    ``abbreviation`` is the length of the abbreviation the word starts with (abbreviation_head).
    """
    if len(word) > _CACHED_LENGTH:
        return _word_to_cyrillic(word, abbreviation)
    return _cached_to_cyrillic(word, abbreviation)


def clear_word_caches() -> None:
    """Forget the remembered words (after the lexicon changed)."""
    _cached_to_latin.cache_clear()
    _cached_to_cyrillic.cache_clear()
