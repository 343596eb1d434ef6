"""Uzbek Cyrillic ⇄ Latin transliteration (1995 alphabet, as used in government documents).

The rules live in this module; exceptions (Russian loanwords, the soft sign, ``ц`` after a vowel,
month names) live in the lexicon ``data/lexicon.tsv`` and foreign words that stay in Latin in
``data/foreign.txt``. Both files are read once, on first use, and cached.

See docs/transliteration.md for the rules, the lexicon format and the measured accuracy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from tracker.uzbek import lexicon as lexicon_module
from tracker.uzbek.letters import APOSTROPHES, MODIFIER_TURNED_COMMA, TUTUQ, canonical_apostrophes
from tracker.uzbek.lexicon import Lexicon, lexicon
from tracker.uzbek.translit_words import (
    abbreviation_head,
    is_all_caps,
    is_foreign_latin,
    word_to_cyrillic,
    word_to_latin,
)

__all__ = [
    "APOSTROPHES",
    "MODIFIER_TURNED_COMMA",
    "TUTUQ",
    "Lexicon",
    "canonical_apostrophes",
    "fold_homoglyphs_to_latin",
    "is_roman_numeral",
    "lexicon",
    "protected_spans",
    "to_cyrillic",
    "to_latin",
]

# Every Cyrillic code point counts as a letter, so OCR intruders such as Kazakh ү or ө stay inside
# their word instead of splitting it.
_LETTER = r"[A-Za-z\u0400-\u04ff]"
_APOS_CLASS = "[" + re.escape(APOSTROPHES) + "]"
# A word: letters, with apostrophes allowed between letters and after a word-final g (bogʻ, togʻ).
_WORD_RE = re.compile(
    rf"{_LETTER}(?:{_LETTER}|{_APOS_CLASS}(?={_LETTER})|(?<=[gG]){_APOS_CLASS}|(?<=[oO])\u02bb)*"
)

# Cyrillic letters that OCR puts into Latin words (and the other way round) because they look alike.
_CYR_TO_LAT_HOMOGLYPHS = str.maketrans("АВЕКМНОРСТХУаеорсхуіІ", "ABEKMHOPCTXYaeopcxyiI")

_ROMAN_RE = re.compile(r"^(?=[IVXLC])(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")

# Tokens that are never transliterated: URLs, e-mail addresses and domain names. Each branch can
# start only where the one before could not go on (the look-behinds), so every character is read
# a bounded number of times: linear in the text, whatever it holds.
_TLDS = "uz|com|org|net|ru|gov|int|info|edu"
_URL_RE = re.compile(r"(?<![\w/])(?:https?://|www\.)[^\s<>\"“”«»]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]»”"
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_DOMAIN_RE = re.compile(rf"(?<![\w.@-])[\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})\b(?:/[^\s<>\"“”«»]*)?", re.IGNORECASE)

# A quoted name ("Tashkent Pharma Park", «Uzbekistan Airways Technics») is at most 200 characters
# between quotation marks on one line; a failed attempt reads at most 200 characters after a quote.
_QUOTED_RE = re.compile('["“«„]([^"“”«»„\n]{1,200})["”»“]')
_LATIN_WORD_RE = re.compile(r"[A-Za-z]+")
# Letters of the Uzbek alphabet that no foreign name has: a quote with them is Uzbek text.
_UZBEK_ONLY_RE = re.compile("[" + re.escape(APOSTROPHES) + "]")
_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
# The English names of the country (Uzbek Latin: Oʻzbekiston, Oʻzbek) mark a quoted name as
# foreign ("Papenburg Uzbekistan"); alone they may be Russian in Latin letters (Республики Узбекистан).
_ENGLISH_EXONYMS = frozenset({"uzbekistan", "uzbek"})

# Dates in running text: official Latin writes the year and the day with a hyphen ("2019-yil
# 12-sentyabrdagi"), the Cyrillic with a space. The month and year words with their case endings.
_CYR_ENDINGS = "|".join("да даги дан га гача нинг ни ги ида идаги идан ига игача и".split())
_LAT_ENDINGS = "|".join("da dagi dan ga gacha ning ni gi ida idagi idan iga igacha i".split())
_CYR_MONTHS = "январ|феврал|март|апрел|май|июн|июл|август|сентябр|октябр|ноябр|декабр"
_LAT_MONTHS = "yanvar|fevral|mart|aprel|may|iyun|iyul|avgust|sentabr|sentyabr|oktabr|oktyabr|noyabr|dekabr"
# A number starts after a space, a bracket or a word's hyphen ("Хива-2024 йилда"), never inside
# another number. A year may be a range ("2017-2021", "2019/2020") or end a numeric date
# ("22.03.1999 й."); a day may be a range ("28-30 март").
_NUMBER_START = r"(?<![\d.,/])(?<!\d-)"
_YEAR = rf"{_NUMBER_START}(?:[0-3]?\d\.[01]?\d\.)?(?:1[89]|20)\d\d(?:[-–/](?:1[89]|20)\d\d)?"
_DAY_NUMBER = r"(?:[12]\d|3[01]|0?[1-9])"
_DAY = rf"{_NUMBER_START}(?:{_DAY_NUMBER}[-–])?{_DAY_NUMBER}"
_CYR_DATE_RE = re.compile(
    rf"({_YEAR}) (?=йил(?:лар)?(?:{_CYR_ENDINGS}|лик)?(?![\w])|йй?\.)"
    rf"|({_DAY}) (?=(?:{_CYR_MONTHS})ь?(?:{_CYR_ENDINGS})?(?![\w]))",
    re.IGNORECASE,
)
_LAT_DATE_RE = re.compile(
    rf"({_YEAR})-(?=yil(?:lar)?(?:{_LAT_ENDINGS}|lik)?(?![\w])|yy?\.)"
    rf"|({_DAY})-(?=(?:{_LAT_MONTHS})(?:{_LAT_ENDINGS})?(?![\w]))",
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
    return bool(token) and len(token) <= 8 and _ROMAN_RE.match(token) is not None


@cache
def _foreign_phrase_re() -> re.Pattern[str] | None:
    phrases = lexicon().foreign_phrases
    if not phrases:
        return None
    alts = "|".join("".join(_APOS_CLASS if ch in APOSTROPHES else re.escape(ch) for ch in p) for p in phrases)
    return re.compile(rf"(?<![\w\u0400-\u04ff])(?:{alts})(?![\w\u0400-\u04ff])", re.IGNORECASE)


@cache
def _c2l_phrase_re() -> re.Pattern[str] | None:
    phrases = lexicon_module.lexicon().c2l_phrases
    if not phrases:
        return None
    alts = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w\u0400-\u04ff])(?:{alts})", re.IGNORECASE)


def _join_phrases(chunk: str) -> str:
    """Cyrillic phrases the Latin writes as one word: "хом ашёси" → "xomashyoси" (the rest of the
    word is transliterated with it)."""
    rx = _c2l_phrase_re()
    if rx is None:
        return chunk
    phrases = lexicon_module.lexicon().c2l_phrases

    def latin(m: re.Match[str]) -> str:
        found = phrases[m.group().lower()]
        return found[:1].upper() + found[1:] if m.group()[0].isupper() else found

    return rx.sub(latin, chunk)


def _quoted_name_spans(text: str, folded: str) -> list[tuple[int, int]]:
    """Quoted names that stay Latin as a whole: every letter Latin (Cyrillic look-alikes were
    already folded), no Uzbek apostrophe (oʻ, gʻ, the tutuq), and a foreign word that is not an
    acronym ("Tashkent Pharma Park": Tashkent; «Uzbekistan Airways Technics»: Airways) — the
    Cyrillic editions keep such names in Latin, Uzbek words in them included (Park, Agromash)."""
    spans = []
    for m in _QUOTED_RE.finditer(folded):
        name = m.group(1)
        if _CYRILLIC_RE.search(name) or _UZBEK_ONLY_RE.search(name):
            continue
        # The foreign word is read from the text as written: a Cyrillic word made only of
        # look-alike letters («Мерос») is not Latin.
        written = _LATIN_WORD_RE.findall(text[m.start(1) : m.end(1)])
        if any(not w.isupper() and (w.lower() in _ENGLISH_EXONYMS or is_foreign_latin(w)) for w in written):
            spans.append(m.span(1))
    return spans


def _url_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _URL_RE.finditer(text):
        end = m.end()
        # Punctuation closing a sentence or a bracket is not part of the address.
        while end > m.start() and text[end - 1] in _URL_TRAILING:
            end -= 1
        spans.append((m.start(), end))
    return spans


def protected_spans(text: str, *, foreign_phrases: bool = True) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans of text that is never transliterated.

    URLs, e-mail addresses, domain names and (with ``foreign_phrases``) the multi-word and
    hyphenated entries of the foreign vocabulary, and quoted names with a foreign word in them
    (see ``_quoted_name_spans``). Matching runs on the text with Cyrillic
    look-alikes folded to Latin, so an OCR-ed "Е-Anticor.uz" (Cyrillic Е) is found too.
    Linear in the length of the text.
    """
    folded = fold_homoglyphs_to_latin(text)
    spans = _url_spans(folded)
    spans += [m.span() for m in _EMAIL_RE.finditer(folded)]
    spans += [m.span() for m in _DOMAIN_RE.finditer(folded)]
    if foreign_phrases:
        rx = _foreign_phrase_re()
        if rx is not None:
            # A phrase must contain a real Latin letter, so a Cyrillic word that merely looks
            # like a foreign one is never turned into Latin.
            spans.extend(m.span() for m in rx.finditer(folded) if _has_latin(text, m.start(), m.end()))
        spans += _quoted_name_spans(text, folded)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _has_latin(text: str, start: int, end: int) -> bool:
    return any("a" <= ch.lower() <= "z" for ch in text[start:end])


def _transliterate(text: str, word_fn: Callable[..., str], *, to_cyr: bool) -> str:
    out: list[str] = []
    pos = 0
    for s, e in [*protected_spans(text), (len(text), len(text))]:
        out.append(_transliterate_chunk(text[pos:s], word_fn, to_cyr=to_cyr))
        # Protected tokens keep their text; Cyrillic look-alikes in them were OCR noise.
        out.append(fold_homoglyphs_to_latin(text[s:e]))
        pos = e
    return "".join(out)


def _dates(chunk: str, *, to_cyr: bool) -> str:
    """The hyphen of "2019-yil 12-sentyabrdagi" added on the way to Latin, dropped on the way back."""
    if to_cyr:
        return _LAT_DATE_RE.sub(lambda m: (m.group(1) or m.group(2)) + " ", chunk)
    return _CYR_DATE_RE.sub(lambda m: (m.group(1) or m.group(2)) + "-", chunk)


_SOURCE_LETTER = {True: re.compile("[A-Za-z]"), False: re.compile("[\u0400-\u04ff]")}


def _transliterate_chunk(chunk: str, word_fn: Callable[..., str], *, to_cyr: bool) -> str:
    chunk = _dates(chunk, to_cyr=to_cyr) if to_cyr else _join_phrases(_dates(chunk, to_cyr=False))
    if not _SOURCE_LETTER[to_cyr].search(chunk):
        return chunk  # nothing in the source script
    matches = list(_WORD_RE.finditer(chunk))
    # Only words that start with a capital can be all caps or an abbreviation.
    caps = [m.group()[0].isupper() and is_all_caps(m.group()) for m in matches]
    out: list[str] = []
    pos = 0
    for index, m in enumerate(matches):
        out.append(chunk[pos : m.start()])
        word = m.group()
        if not word[0].isupper():
            out.append(word_fn(word))
        elif to_cyr and is_roman_numeral(word) and not _is_initial(chunk, m.start(), m.end(), word):
            out.append(word)
        else:
            # A heading in capitals is words, not abbreviations (ИШ РЕЖАСИ).
            in_run = (index > 0 and caps[index - 1]) or (index + 1 < len(caps) and caps[index + 1])
            out.append(word_fn(word, abbreviation=abbreviation_head(word, in_caps_run=in_run)))
        pos = m.end()
    out.append(chunk[pos:])
    return "".join(out)


def _is_initial(chunk: str, start: int, end: int, word: str) -> bool:
    """A single V or X followed by ". Name", or I between initials (I.Mirzayev, V.I.Lenin), is
    an initial, not a Roman numeral."""
    if len(word) != 1:
        return False
    after = chunk[end : end + 3]
    if word in "VX":
        return re.match(r"\.\s?[A-Za-z]", after) is not None
    if word != "I":
        return False
    before = chunk[max(0, start - 2) : start]
    return re.match(r"\.[A-Z]", after) is not None or re.fullmatch(r"[A-Z]\.", before) is not None


def to_latin(text: str) -> str:
    """Transliterate Uzbek Cyrillic text to the official Latin alphabet.

    Latin letters, digits, punctuation, URLs, e-mail addresses and domain names pass through
    (Cyrillic look-alike letters inside a URL or domain are folded to Latin). Case is kept per
    word, ALL-CAPS words stay ALL CAPS. Never raises for any ``str`` input.
    """
    return _transliterate(text, word_to_latin, to_cyr=False)


def to_cyrillic(text: str) -> str:
    """Transliterate Uzbek Latin text to Cyrillic.

    Accepts all apostrophe look-alikes (' ` ‘ ’ ʻ ʼ). Leaves untouched: Cyrillic letters, digits,
    Roman numerals, URLs, e-mail addresses, domain names, words of the foreign vocabulary
    (data/foreign.txt) and Latin words that are not Uzbek (containing w, or c outside "ch").
    Never raises for any ``str`` input.
    """
    return _transliterate(text, word_to_cyrillic, to_cyr=True)
