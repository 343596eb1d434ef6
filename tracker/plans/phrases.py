"""Words of the plans' language: phrases in a responsible cell that are not the name of one unit.

Language data (both scripts and Russian), kept apart from the services that use it so that an
import reader and the editing services recognise the same phrases.
"""

from __future__ import annotations

from tracker.uzbek import search_key

#: Phrases meaning "every structural unit", in both scripts and Russian.
ALL_UNITS_PHRASES = (
    "барча таркибий тармоқлар",
    "барча таркибий бўлинмалар",
    "barcha tarkibiy tarmoqlar",
    "barcha tarkibiy boʻlinmalar",
    "все структурные подразделения",
)


#: Heading phrases written in a responsible cell before the names ("Масъул тармоқлар: …"): not units.
HEADING_PHRASES = ("масъул тармоқлар", "masʼul tarmoqlar", "ответственные подразделения")


def is_heading_phrase(name: str) -> bool:
    """Whether the name is a heading written before the names ("Масъул тармоқлар: …")."""
    key = search_key(name.strip(" :,;."))
    return any(search_key(p) == key for p in HEADING_PHRASES)


def is_all_units_phrase(name: str) -> bool:
    """Whether the name means every structural unit (in either script, or in Russian)."""
    key = search_key(name)
    return any(search_key(p) == key for p in ALL_UNITS_PHRASES)
