"""Clean-up of pasted or OCR-ed Uzbek text, and a script-independent search key.

``normalise`` repairs what the seed documents show: HTML wrappers, apostrophe look-alikes,
words with letters from both scripts ("ташкilotлари"), Kazakh letters from OCR (ү, ұ for ў).
``search_key``/``search_tokens`` fold Cyrillic and Latin spellings to one form.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from tracker.uzbek.ocr import repair_word
from tracker.uzbek.translit import (
    APOSTROPHES,
    canonical_apostrophes,
    fold_homoglyphs_to_latin,
    protected_spans,
    to_cyrillic,
    to_latin,
)
from tracker.uzbek.translit_words import abbreviation_head, word_to_latin

__all__ = ["detect_script", "normalise", "search_key", "search_tokens"]

_CYR = "\u0400-\u04ff"
_LETTER = rf"[A-Za-z{_CYR}]"
_APOS_CLASS = "[" + re.escape(APOSTROPHES) + "]"
_WORD_RE = re.compile(
    rf"{_LETTER}(?:{_LETTER}|{_APOS_CLASS}(?={_LETTER})|(?<=[gG]){_APOS_CLASS}|(?<=[oO])\u02bb)*"
)

# A run of paragraph/line-break tags (with the blanks around them) is one paragraph boundary.
_BLOCK_TAG_RE = re.compile(r"(?:[^\S\n]*<\s*/?\s*(?:p|br|div|li|tr)\b[^>]*>[^\S\n]*)+", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]{0,500}>")
_INLINE_SPACE_RE = re.compile(r"[^\S\n]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# OCR of Uzbek Cyrillic sometimes picks Kazakh letters for ў (үтказади, тұғрисида).
_OCR_LETTERS = str.maketrans({"ү": "ў", "Ү": "Ў", "ұ": "ў", "Ұ": "Ў"})

# Latin letters inside a Cyrillic word that are OCR look-alikes rather than transliterations.
_LAT_TO_CYR_HOMOGLYPHS = str.maketrans("aceopxyABCEHKMOPTXY", "асеорхуАВСЕНКМОРТХУ")


def detect_script(text: str) -> str:
    """Return "cyrl", "latn", "mixed" or "none" for the letters of ``text``.

    A script wins when it has at least 90 % of the letters; "none" when there are no letters.
    Letters inside URLs, domains and foreign names (E-Anticor.uz) are not counted.
    """
    masked = _mask_protected(text)
    cyr = len(re.findall(f"[{_CYR}]", masked))
    lat = len(re.findall("[A-Za-z]", masked))
    total = cyr + lat
    if total == 0:
        return "none"
    if cyr >= 0.9 * total:
        return "cyrl"
    if lat >= 0.9 * total:
        return "latn"
    return "mixed"


def _mask_protected(text: str) -> str:
    out = []
    pos = 0
    for s, e in protected_spans(text):
        out.append(text[pos:s])
        out.append(" " * (e - s))
        pos = e
    out.append(text[pos:])
    return "".join(out)


def strip_html(text: str) -> str:
    """Remove HTML tags and entities; paragraph and line-break tags become newlines."""
    if "<" in text:
        text = _BLOCK_TAG_RE.sub("\n", text)
        text = _TAG_RE.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text


_CENT_RE = re.compile(rf"(?<![A-Za-z])¢(?={_APOS_CLASS}[a-z])")
_HAS_CYR = re.compile(f"[{_CYR}]")
_HAS_LAT = re.compile("[A-Za-z]")
_HAS_APOSTROPHE = re.compile(_APOS_CLASS)


def _repair_word(word: str, default_cyrillic: bool) -> str:
    """Bring a word with letters from both scripts into one script."""
    if not _HAS_CYR.search(word) or not _HAS_LAT.search(word):
        return word
    cyr = len(_HAS_CYR.findall(word))
    lat = len(_HAS_LAT.findall(word))
    if cyr > lat or (cyr == lat and default_cyrillic):
        # Look-alikes (a, e, o, p, c, y, x, …) were OCR confusions; the other Latin letters were
        # read as transliteration ("ташкilotлари"), so convert them by the rules.
        return "".join(
            to_cyrillic(part) if _HAS_LAT.match(part) else part
            for part in re.split(r"([A-Za-z]+)", word.translate(_LAT_TO_CYR_HOMOGLYPHS))
        )
    return to_latin(fold_homoglyphs_to_latin(word))


def normalise(text: str, *, repair_ocr: bool = False) -> str:
    """Clean text pasted from documents, keeping its script and its paragraphs.

    Promises: HTML tags and entities are removed (``<p>``/``<br>`` boundaries become newlines);
    whitespace within a line collapses to one space and lines are stripped; runs of blank lines
    become one blank line; apostrophe look-alikes inside Latin words become ʻ (after o/g) or ʼ;
    words mixing the two scripts are repaired to their majority script (ties go to Cyrillic);
    Cyrillic look-alikes inside URLs, domains and foreign names become Latin; Kazakh OCR letters
    ү/ұ become ў. Legitimately Latin or Cyrillic words are not changed. With ``repair_ocr``,
    unknown Latin words with a known OCR repair are repaired ("gisqartirish" → "qisqartirish",
    see ocr.py; :func:`tracker.uzbek.ocr.suggest_repairs` lists them without changing anything).
    Never raises.
    """
    text = strip_html(text).translate(_INVISIBLE).translate(_OCR_LETTERS)
    if repair_ocr and "¢" in text:
        text = _CENT_RE.sub("e", text)  # OCR's ¢ for e before the tutuq: ¢’lon → e’lon
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    default_cyrillic = detect_script(text) != "latn"
    out: list[str] = []
    pos = 0
    for s, e in [*protected_spans(text), (len(text), len(text))]:
        out.append(_WORD_RE.sub(lambda m: _fix_word(m.group(), default_cyrillic, repair_ocr), text[pos:s]))
        out.append(fold_homoglyphs_to_latin(text[s:e]))
        pos = e
    lines = [_INLINE_SPACE_RE.sub(" ", line).strip() for line in "".join(out).split("\n")]
    result: list[str] = []
    for line in lines:
        if line or (result and result[-1]):
            result.append(line)
    while result and not result[-1]:
        result.pop()
    return "\n".join(result)


def _fix_word(word: str, default_cyrillic: bool, repair_ocr: bool = False) -> str:
    word = _repair_word(word, default_cyrillic)
    if repair_ocr and not _HAS_CYR.search(word):
        word = repair_word(word) or word
    if _HAS_APOSTROPHE.search(word) and _HAS_LAT.search(word):
        word = canonical_apostrophes(word)
    return word


_DOCNUM_RE = re.compile(
    rf"(?<![\w{_CYR}])(?:[A-Za-z{_CYR}]{{1,4}}[-–—]?)?\d+(?:[-–—/.]\d+)*"
    rf"(?:[-–—](?:сонли|сон|sonli|son|son-li)(?![\w{_CYR}]))?",
    re.IGNORECASE,
)
_TOKEN_RE = re.compile(rf"{_DOCNUM_RE.pattern}|{_WORD_RE.pattern}", re.IGNORECASE)
_FOLD = str.maketrans({"q": "k", "ʻ": None, "ʼ": None, "'": None})
_FOLD_H_RE = re.compile("(?<![sc])h")


@lru_cache(maxsize=32768)
def _fold_word(word: str) -> str:
    # OCR and hurried typing confuse қ/к and ҳ/х, so both pairs fold together; the h of the
    # digraphs sh and ch is kept.
    latin = word_to_latin(word, abbreviation=abbreviation_head(word, in_caps_run=False))
    return _FOLD_H_RE.sub("x", latin.lower().translate(_FOLD))


def search_tokens(text: str) -> list[str]:
    """The folded tokens of ``text``: the same list for its Cyrillic and Latin spellings.

    OCR confusions in Latin words are repaired first (ocr.py). Words are transliterated to Latin,
    lower-cased and folded (oʻ→o, gʻ→g, ʼ dropped, q→k,
    h→x), so "очиқ маълумотлар", "ОЧИК МАЪЛУМОТЛАР" and "ochiq ma'lumotlar" agree. Document
    numbers stay one token ("ПФ-200-сон" → "pf-200", "01/5-24-12-1" kept), with dashes unified
    and the "-сон/-son" suffix dropped. Punctuation is dropped. Never raises.
    """
    tokens: list[str] = []
    for m in _TOKEN_RE.finditer(normalise(text, repair_ocr=True)):
        tok = m.group()
        if any(ch.isdigit() for ch in tok):
            tok = re.sub("[–—]", "-", tok)
            tok = re.sub(r"-(?:сонли|сон|sonli|son|son-li)$", "", tok, flags=re.IGNORECASE)
        tokens.append(_fold_word(tok))
    return tokens


def search_key(text: str) -> str:
    """``search_tokens`` joined by single spaces: store it next to the text and search it.

    Match a query token ``t`` as a whole token with ``' ' || key || ' ' LIKE '% t %'`` (needed
    for document numbers: "pf-200" must not match "pf-2000") or as a word prefix with
    ``' ' || key LIKE '% t%'``. The key is also suitable as an FTS column.
    """
    return " ".join(search_tokens(text))
