"""Uzbek Cyrillic ⇄ Latin transliteration (1995 alphabet, as used in government documents).

The rules live in this module; exceptions (Russian loanwords, the soft sign, ``ц`` after a vowel,
month names) live in the lexicon ``data/lexicon.tsv`` and foreign words that stay in Latin in
``data/foreign.txt``. Both files are read once, on first use, and cached.

See docs/transliteration.md for the rules, the lexicon format and the measured accuracy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "APOSTROPHES",
    "MODIFIER_TURNED_COMMA",
    "TUTUQ",
    "Lexicon",
    "fold_homoglyphs_to_latin",
    "is_roman_numeral",
    "canonical_apostrophes",
    "lexicon",
    "protected_spans",
    "to_cyrillic",
    "to_latin",
]

#: U+02BB MODIFIER LETTER TURNED COMMA: the official mark of oʻ and gʻ.
MODIFIER_TURNED_COMMA = "\u02bb"
#: U+02BC MODIFIER LETTER APOSTROPHE: the official tutuq belgisi (ъ).
TUTUQ = "\u02bc"
#: Every apostrophe look-alike accepted on input.
APOSTROPHES = "'`\u2018\u2019\u02bb\u02bc"

_CYR_LETTERS = "а-яёА-ЯЁўЎқҚғҒҳҲ"
# Every Cyrillic code point counts as a letter, so OCR intruders such as Kazakh ү or ө stay inside
# their word instead of splitting it.
_LETTER = r"[A-Za-z\u0400-\u04ff]"
_APOS_CLASS = "[" + re.escape(APOSTROPHES) + "]"
# A word: letters, with apostrophes allowed between letters and after a word-final g (bogʻ, togʻ).
_WORD_RE = re.compile(
    rf"{_LETTER}(?:{_LETTER}|{_APOS_CLASS}(?={_LETTER})|(?<=[gG]){_APOS_CLASS}|(?<=[oO])\u02bb)*"
)

_CYR_VOWELS = frozenset("аеёиоуэюяў")
_LAT_VOWELS = frozenset("aeiou")
_CYR_HARD_SOFT = frozenset("ъь")

_C2L: dict[str, str] = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "ё": "yo",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "x",
    "ч": "ch",
    "ш": "sh",
    # щ and ы are not Uzbek letters; they only occur in Russian words quoted in documents.
    "щ": "shch",
    "ъ": TUTUQ,
    "ы": "i",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ў": "o" + MODIFIER_TURNED_COMMA,
    "қ": "q",
    "ғ": "g" + MODIFIER_TURNED_COMMA,
    "ҳ": "h",
}

_L2C: dict[str, str] = {
    "a": "а",
    "b": "б",
    "c": "ц",
    "d": "д",
    "f": "ф",
    "g": "г",
    "h": "ҳ",
    "i": "и",
    "j": "ж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "q": "қ",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "v": "в",
    "w": "в",
    "x": "х",
    "y": "й",
    "z": "з",
}

# Cyrillic letters that OCR puts into Latin words (and the other way round) because they look alike.
_CYR_TO_LAT_HOMOGLYPHS = str.maketrans("АВЕКМНОРСТХУаеорсхуіІ", "ABEKMHOPCTXYaeopcxyiI")

_ROMAN_RE = re.compile(r"^(?=[IVXLC])(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")

# Tokens that are never transliterated: URLs, e-mail addresses and domain names.
_TLDS = "uz|com|org|net|ru|gov|int|info|edu"
_PROTECTED_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"“”«»]+?(?=[.,;:!?)\]»”]*(?:\s|$))"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    rf"|(?<![\w.])[\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})\b(?:/[^\s<>\"“”«»]*)?",
    re.IGNORECASE,
)


def fold_homoglyphs_to_latin(text: str) -> str:
    """Replace Cyrillic letters that look like Latin ones (Е, а, р, …) with the Latin letters.

    Used on tokens that are known to be Latin (URLs, domains, foreign names) but were typed or
    OCR-ed with a Cyrillic look-alike, e.g. "Е-Anticor.uz" with a Cyrillic Е.
    """
    return text.translate(_CYR_TO_LAT_HOMOGLYPHS)


def is_roman_numeral(token: str) -> bool:
    """True for an upper-case Roman numeral from I to LXXXIX (the range documents use)."""
    return bool(token) and _ROMAN_RE.match(token) is not None


@dataclass(frozen=True)
class Lexicon:
    """The exception lexicon, indexed for both directions.

    ``*_words`` match whole words only; ``*_stems`` match the start of a word, and the rest of the
    word is transliterated by the rules (so "коррупци" covers коррупцияга, коррупциявий, …).
    Keys are lower case; Latin keys use the canonical apostrophes (ʻ after o/g, ʼ elsewhere).
    """

    c2l_words: dict[str, str]
    c2l_stems: dict[str, str]
    l2c_words: dict[str, str]
    l2c_stems: dict[str, str]
    foreign: frozenset[str]
    foreign_phrases: tuple[str, ...]


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


def _read_data(name: str) -> str:
    return resources.files("tracker.uzbek").joinpath("data", name).read_text(encoding="utf-8")


@cache
def lexicon() -> Lexicon:
    """Load and cache the lexicon and the foreign vocabulary.

    Raises:
        ValueError: a malformed lexicon line (wrong column count or unknown kind).
    """
    c2l_words: dict[str, str] = {}
    c2l_stems: dict[str, str] = {}
    l2c_words: dict[str, str] = {}
    l2c_stems: dict[str, str] = {}
    for lineno, raw in enumerate(_read_data("lexicon.tsv").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cols = [c.strip() for c in raw.split("\t")]
        if len(cols) < 3:
            raise ValueError(f"lexicon.tsv:{lineno}: expected 'cyrillic<TAB>latin<TAB>kind', got {raw!r}")
        cyr, lat, kind = cols[0].lower(), canonical_apostrophes(cols[1].lower()), cols[2]
        direction = cols[3] if len(cols) > 3 and cols[3] else "both"
        if kind not in ("word", "stem") or direction not in ("both", "c2l", "l2c"):
            raise ValueError(f"lexicon.tsv:{lineno}: unknown kind/direction in {raw!r}")
        if direction in ("both", "c2l"):
            (c2l_words if kind == "word" else c2l_stems)[cyr] = lat
        if direction in ("both", "l2c"):
            (l2c_words if kind == "word" else l2c_stems)[lat] = cyr
    foreign: set[str] = set()
    phrases: list[str] = []
    for raw in _read_data("foreign.txt").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if any(sep in line for sep in " -."):
            phrases.append(line)
        else:
            foreign.add(line.lower())
    # Longest phrases first so "Open Data Challenge" wins over "Open Data".
    phrases.sort(key=len, reverse=True)
    return Lexicon(c2l_words, c2l_stems, l2c_words, l2c_stems, frozenset(foreign), tuple(phrases))


@cache
def _foreign_phrase_re() -> re.Pattern[str] | None:
    phrases = lexicon().foreign_phrases
    if not phrases:
        return None
    alts = "|".join("".join(_APOS_CLASS if ch in APOSTROPHES else re.escape(ch) for ch in p) for p in phrases)
    return re.compile(rf"(?<![\w\u0400-\u04ff])(?:{alts})(?![\w\u0400-\u04ff])", re.IGNORECASE)


def _letters(word: str) -> str:
    return "".join(ch for ch in word if ch.isalpha() and ch not in (MODIFIER_TURNED_COMMA, TUTUQ))


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


def _upper_context(word: str, i: int) -> bool:
    """Whether an upper-case letter at ``i`` sits in an upper-case run (ШАХС → SHAXS, not ShAXS)."""
    for j in range(i + 1, len(word)):
        if word[j].isalpha() and word[j] not in (MODIFIER_TURNED_COMMA, TUTUQ):
            return word[j].isupper()
    for j in range(i - 1, -1, -1):
        if word[j].isalpha() and word[j] not in (MODIFIER_TURNED_COMMA, TUTUQ):
            return word[j].isupper()
    return False


def _cased(out: str, upper: bool, all_upper: bool) -> str:
    if not upper or not out:
        return out
    return out.upper() if all_upper else out[:1].upper() + out[1:]


def _c2l_rules(word: str, start: int = 0) -> str:
    """Transliterate ``word[start:]`` by the rules, using ``word[:start]`` as left context."""
    out: list[str] = []
    n = len(word)
    for i in range(start, n):
        ch = word[i]
        low = ch.lower()
        prev = word[i - 1].lower() if i > 0 else ""
        if low == "е":
            # е reads "ye" at the start of a word, after a vowel and after ъ/ь.
            lat = "ye" if (not prev or prev in _CYR_VOWELS or prev in _CYR_HARD_SOFT) else "e"
        elif low == "ц":
            # ц reads "s" at the start and after a consonant, "ts" after a vowel.
            lat = "ts" if prev in _CYR_VOWELS else "s"
        elif low == "с" and i + 1 < n and word[i + 1].lower() == "ҳ":
            # сҳ must not read as ш: Исҳоқ → Isʼhoq.
            lat = "s" + TUTUQ
        elif low in _C2L:
            lat = _C2L[low]
        else:
            out.append(ch)
            continue
        if ch != low:
            lat = _cased(lat, True, _upper_context(word, i))
        elif low == "ъ" and _upper_context(word, i):
            lat = TUTUQ
        out.append(lat)
    return "".join(out)


def _is_cyrillic_word(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


def _word_to_latin(word: str) -> str:
    if not _is_cyrillic_word(word):
        return word
    lex = lexicon()
    key = word.lower()
    hit = lex.c2l_words.get(key)
    if hit is not None:
        return _apply_case(word, hit)
    for cut in range(len(key), 2, -1):
        stem = lex.c2l_stems.get(key[:cut])
        if stem is not None:
            return _apply_case(word[:cut], stem) + _c2l_rules(word, cut)
    return _c2l_rules(word)


def _l2c_rules(word: str, start: int = 0) -> str:
    """Transliterate a canonical-apostrophe Latin ``word[start:]`` by the rules."""
    out: list[str] = []
    n = len(word)
    i = start
    all_caps_word = len(_letters(word)) >= 2 and _letters(word).isupper()

    def prev_is_vowel(j: int) -> bool:
        if j <= 0:
            return False
        p = word[j - 1].lower()
        if p in _LAT_VOWELS:
            return True
        # oʻ is a vowel too.
        return p == MODIFIER_TURNED_COMMA and j >= 2 and word[j - 2].lower() == "o"

    while i < n:
        ch = word[i]
        low = ch.lower()
        nxt = word[i + 1].lower() if i + 1 < n else ""
        upper = ch != low
        step = 1
        if low in "og" and nxt == MODIFIER_TURNED_COMMA:
            cyr = "ў" if low == "o" else "ғ"
            step = 2
        elif low == "s" and nxt == TUTUQ and i + 2 < n and word[i + 2].lower() == "h":
            # sʼh is s + h, never ш (Isʼhoq → Исҳоқ): drop the separator.
            cyr = "с"
            step = 2
        elif (
            low == "t"
            and nxt == "s"
            and prev_is_vowel(i)
            and word[i + 2 : i + 3].lower() == "i"
            and word[i + 3 : i + 4].lower() in ("a", "o", "u", "e", "i", "y")
        ):
            # Loanword ending -tsiya/-tsion/-tsial after a vowel is -ция/-цион/-циал (innovatsiya,
            # informatsion, sotsial); Cyrillic ц after a vowel is what produces "ts" there.
            cyr, step = "ц", 2
        elif low == "s" and nxt == "h":
            cyr, step = "ш", 2
        elif low == "c" and nxt == "h":
            cyr, step = "ч", 2
        elif (
            low == "y"
            and nxt in ("o", "u", "a")
            and not (nxt == "o" and i + 2 < n and word[i + 2] == MODIFIER_TURNED_COMMA)
        ):
            cyr, step = {"o": "ё", "u": "ю", "a": "я"}[nxt], 2
        elif low == "y" and nxt == "e":
            step = 2
            # Cyrillic е reads "ye" only at the start, after a vowel or after ъ; after a consonant
            # "ye" must have been й + е.
            cyr = "е" if (i == 0 or prev_is_vowel(i) or word[i - 1] == TUTUQ) else "йе"
        elif low == "e":
            # Latin e is Cyrillic э at the start and after a vowel (е would have been "ye" there).
            cyr = "э" if (i == 0 or prev_is_vowel(i)) else "е"
        elif ch in (TUTUQ, MODIFIER_TURNED_COMMA):
            cyr = "ъ"
            upper = all_caps_word
        elif low in _L2C:
            cyr = _L2C[low]
        else:
            out.append(ch)
            i += 1
            continue
        out.append(cyr.upper() if upper else cyr)
        i += step
    return "".join(out)


def _is_foreign_latin(word: str) -> bool:
    """Latin words that stay Latin: the foreign vocabulary, and words with c (not ch) or w,
    letters the Uzbek Latin alphabet does not use on their own."""
    low = word.lower()
    if low in lexicon().foreign:
        return True
    return "w" in low or re.search(r"c(?!h)", low) is not None


def _word_to_cyrillic(word: str) -> str:
    if not re.search("[A-Za-z]", word):
        return word
    canon = canonical_apostrophes(word)
    if _is_foreign_latin(canon):
        return word
    lex = lexicon()
    key = canon.lower()
    hit = lex.l2c_words.get(key)
    if hit is not None:
        return _apply_case(canon, hit)
    for cut in range(len(key), 2, -1):
        stem = lex.l2c_stems.get(key[:cut])
        if stem is not None:
            return _apply_case(canon[:cut], stem) + _l2c_rules(canon, cut)
    return _l2c_rules(canon)


def protected_spans(text: str, *, foreign_phrases: bool = True) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans of text that is never transliterated.

    URLs, e-mail addresses, domain names and (with ``foreign_phrases``) the multi-word and
    hyphenated entries of the foreign vocabulary. Matching runs on the text with Cyrillic
    look-alikes folded to Latin, so an OCR-ed "Е-Anticor.uz" (Cyrillic Е) is found too.
    """
    folded = fold_homoglyphs_to_latin(text)
    spans = [m.span() for m in _PROTECTED_RE.finditer(folded)]
    if foreign_phrases:
        rx = _foreign_phrase_re()
        if rx is not None:
            # A phrase must contain a real Latin letter, so a Cyrillic word that merely looks
            # like a foreign one is never turned into Latin.
            spans.extend(
                m.span() for m in rx.finditer(folded) if re.search("[A-Za-z]", text[m.start() : m.end()])
            )
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _transliterate(text: str, word_fn: Callable[[str], str], *, to_cyr: bool) -> str:
    spans = protected_spans(text)
    out: list[str] = []
    pos = 0
    for s, e in [*spans, (len(text), len(text))]:
        chunk = text[pos:s]
        out.append(_transliterate_chunk(chunk, word_fn, to_cyr=to_cyr))
        # Protected tokens keep their text; Cyrillic look-alikes in them were OCR noise.
        out.append(fold_homoglyphs_to_latin(text[s:e]))
        pos = e
    return "".join(out)


def _transliterate_chunk(chunk: str, word_fn: Callable[[str], str], *, to_cyr: bool) -> str:
    out: list[str] = []
    pos = 0
    for m in _WORD_RE.finditer(chunk):
        out.append(chunk[pos : m.start()])
        word = m.group()
        if to_cyr and is_roman_numeral(word) and not _is_initial(chunk, m.end(), word):
            out.append(word)
        else:
            out.append(word_fn(word))
        pos = m.end()
    out.append(chunk[pos:])
    return "".join(out)


def _is_initial(chunk: str, end: int, word: str) -> bool:
    """A single V or X followed by ". Name" is an initial (X.Xamidov), not a Roman numeral."""
    return len(word) == 1 and word in "VX" and re.match(r"\.\s?[A-Za-z]", chunk[end:]) is not None


def to_latin(text: str) -> str:
    """Transliterate Uzbek Cyrillic text to the official Latin alphabet.

    Latin letters, digits, punctuation, URLs, e-mail addresses and domain names pass through
    (Cyrillic look-alike letters inside a URL or domain are folded to Latin). Case is kept per
    word, ALL-CAPS words stay ALL CAPS. Never raises for any ``str`` input.
    """
    return _transliterate(text, _word_to_latin, to_cyr=False)


def to_cyrillic(text: str) -> str:
    """Transliterate Uzbek Latin text to Cyrillic.

    Accepts all apostrophe look-alikes (' ` ‘ ’ ʻ ʼ). Leaves untouched: Cyrillic letters, digits,
    Roman numerals, URLs, e-mail addresses, domain names, words of the foreign vocabulary
    (data/foreign.txt) and Latin words that are not Uzbek (containing w, or c outside "ch").
    Never raises for any ``str`` input.
    """
    return _transliterate(text, _word_to_cyrillic, to_cyr=True)
