"""Uzbek language engine: transliteration, normalisation, search keys, deadlines, legal acts, dates.

Pure Python, standard library only. Importing is cheap: the lexicon is read on first use.
"""

from __future__ import annotations

from tracker.uzbek.dates import MONTHS_CYRL, MONTHS_LATN, format_doc_date
from tracker.uzbek.deadlines import Deadline, DeadlineKind, parse_deadline, parse_deadlines
from tracker.uzbek.legal import ActKind, LegalAct, parse_legal_basis
from tracker.uzbek.normalise import detect_script, normalise, search_key, search_tokens
from tracker.uzbek.translit import to_cyrillic, to_latin

__all__ = [
    "MONTHS_CYRL",
    "MONTHS_LATN",
    "ActKind",
    "Deadline",
    "DeadlineKind",
    "LegalAct",
    "detect_script",
    "format_doc_date",
    "normalise",
    "parse_deadline",
    "parse_deadlines",
    "parse_legal_basis",
    "search_key",
    "search_tokens",
    "to_cyrillic",
    "to_latin",
    "transliterate",
]


def transliterate(text: str, script: str) -> str:
    """Write ``text`` in ``script``: "latn" (to_latin) or "cyrl" (to_cyrillic).

    Raises:
        ValueError: ``script`` is neither "cyrl" nor "latn".
    """
    if script == "latn":
        return to_latin(text)
    if script == "cyrl":
        return to_cyrillic(text)
    raise ValueError(f"unknown script {script!r}; expected 'cyrl' or 'latn'")
