"""The transliteration lexicon (``data/lexicon.tsv``) and the foreign vocabulary (``data/foreign.txt``).

Both files are read once, on first use, and cached. See docs/transliteration.md for the format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from tracker.uzbek.letters import canonical_apostrophes

__all__ = ["Lexicon", "lexicon", "longest_stem"]


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
    #: The longest stem key of each direction: look-ups never slice a longer prefix of a word.
    c2l_stem_len: int = 0
    l2c_stem_len: int = 0
    #: Cyrillic phrases written as one Latin word ("хом ашё" → "xomashyo"), matched at a word start.
    c2l_phrases: dict[str, str] = field(default_factory=dict)


def longest_stem(stems: dict[str, str], key: str, longest: int) -> tuple[int, str] | None:
    """The longest stem of ``stems`` (keys up to ``longest`` letters) that ``key`` starts with,
    at least 3 letters, as (length, replacement); linear in ``longest``, whatever ``key``'s length."""
    for cut in range(min(len(key), longest), 2, -1):
        hit = stems.get(key[:cut])
        if hit is not None:
            return cut, hit
    return None


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
    phrases: dict[str, str] = {}
    for lineno, raw in enumerate(_read_data("lexicon.tsv").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cols = [c.strip() for c in raw.split("\t")]
        if len(cols) < 3:
            raise ValueError(f"lexicon.tsv:{lineno}: expected 'cyrillic<TAB>latin<TAB>kind', got {raw!r}")
        cyr, lat, kind = cols[0].lower(), canonical_apostrophes(cols[1].lower()), cols[2]
        direction = cols[3] if len(cols) > 3 and cols[3] else "both"
        if kind not in ("word", "stem", "phrase") or direction not in ("both", "c2l", "l2c"):
            raise ValueError(f"lexicon.tsv:{lineno}: unknown kind/direction in {raw!r}")
        if kind == "phrase":
            # Two Cyrillic words, one Latin word; the Latin goes back as a stem.
            phrases[cyr] = lat
            l2c_stems[lat] = cyr
            continue
        if direction in ("both", "c2l"):
            (c2l_words if kind == "word" else c2l_stems)[cyr] = lat
        if direction in ("both", "l2c"):
            (l2c_words if kind == "word" else l2c_stems)[lat] = cyr
    foreign: set[str] = set()
    foreign_phrases: list[str] = []
    for raw in _read_data("foreign.txt").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if any(sep in line for sep in " -."):
            foreign_phrases.append(line)
        else:
            foreign.add(line.lower())
    # Longest phrases first so "Open Data Challenge" wins over "Open Data".
    foreign_phrases.sort(key=len, reverse=True)
    return Lexicon(
        c2l_words,
        c2l_stems,
        l2c_words,
        l2c_stems,
        frozenset(foreign),
        tuple(foreign_phrases),
        max(map(len, c2l_stems), default=0),
        max(map(len, l2c_stems), default=0),
        phrases,
    )
