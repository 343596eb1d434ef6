"""The lexicon file: format, and every entry holds in each of its directions."""

from __future__ import annotations

from importlib import resources

import pytest

from tracker.uzbek import to_cyrillic, to_latin
from tracker.uzbek.translit import canonical_apostrophes, lexicon


def _entries() -> list[tuple[str, str, str, str]]:
    text = resources.files("tracker.uzbek").joinpath("data", "lexicon.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            cols = line.split("\t")
            rows.append((cols[0], cols[1], cols[2], cols[3] if len(cols) > 3 else "both"))
    return rows


ENTRIES = _entries()


def test_lexicon_size() -> None:
    assert len(ENTRIES) >= 200


@pytest.mark.parametrize(("cyr", "lat", "kind", "direction"), ENTRIES, ids=[e[0] for e in ENTRIES])
def test_entry(cyr: str, lat: str, kind: str, direction: str) -> None:
    assert kind in ("word", "stem", "phrase")
    assert cyr == cyr.lower() and lat == lat.lower()
    assert canonical_apostrophes(lat) == lat, "write ʻ after o/g and ʼ elsewhere"
    if kind == "phrase":
        # Two Cyrillic words written as one Latin word, also with a suffix.
        assert " " in cyr and " " not in lat
        assert to_latin(f"{cyr} ва {cyr}си") == f"{lat} va {lat}si"
        assert to_cyrillic(f"{lat.capitalize()}si") == f"{cyr.capitalize()}си"
        return
    # A stem is checked with a suffix after it, a word as it is and in Title case.
    suffix_c, suffix_l = ("лар", "lar") if kind == "stem" else ("", "")
    if direction in ("both", "c2l"):
        assert to_latin(cyr + suffix_c) == lat + suffix_l
        assert to_latin(cyr.capitalize()) == lat[:1].upper() + lat[1:]
    if direction in ("both", "l2c"):
        assert to_cyrillic(lat + suffix_l) == cyr + suffix_c


def test_no_latin_key_maps_to_two_cyrillic_forms() -> None:
    seen: dict[tuple[str, str], str] = {}
    for cyr, lat, kind, direction in ENTRIES:
        if direction in ("both", "l2c"):
            assert seen.setdefault((lat, kind), cyr) == cyr, lat


def test_lexicon_is_cached() -> None:
    assert lexicon() is lexicon()
