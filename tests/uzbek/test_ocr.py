"""OCR repairs: offered for unknown Latin words whose repaired form is known; applied to search
keys always, to stored text never (normalise repairs only when asked)."""

from __future__ import annotations

import pytest

from tracker.uzbek import normalise, search_key
from tracker.uzbek.ocr import Repair, known_words, repair_word, suggest_repairs


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [
        ("gisqartirish", "qisqartirish"),  # q read as g
        ("qisgartirish", "qisqartirish"),
        ("ochiglikni", "ochiqlikni"),
        ("Respeblikasi", "Respublikasi"),  # u read as e
        ("vazirligf", "vazirligi"),  # i read as f
        ("Prezidentihing", "Prezidentining"),  # n read as h
        ("Orzbekiston", "Oʻzbekiston"),  # ʻ read as r
        ("GABUL", "QABUL"),
    ],
)
def test_repairs_of_seed_001_confusions(ocr: str, fixed: str) -> None:
    assert repair_word(ocr) == fixed


@pytest.mark.parametrize("word", ["qisqartirish", "Oʻzbekiston", "gul", "havolar", "xyzzy", "ab"])
def test_known_or_unrepairable_words_are_left_alone(word: str) -> None:
    assert repair_word(word) is None


def test_the_word_list_is_built_from_our_sources() -> None:
    words = known_words()
    assert len(words) > 2000
    assert {"qisqartirish", "ochiqlik", "respublikasi", "ish"} <= words
    assert "aqsh" not in words  # seen only in capitals: an abbreviation


def test_suggestions_are_offered_once_each_in_order() -> None:
    text = "Kambag‘allikni gisqartirish va gisqartirish ¢’lon qilindi, Respeblikasi"
    assert suggest_repairs(text) == [
        Repair("gisqartirish", "qisqartirish"),
        Repair("¢’lon", "e’lon"),
        Repair("Respeblikasi", "Respublikasi"),
    ]


def test_normalise_repairs_only_when_asked() -> None:
    text = "Ochiglik va ¢’lon"
    assert normalise(text) == "Ochiglik va ¢’lon"
    assert normalise(text, repair_ocr=True) == "Ochiqlik va eʼlon"


def test_search_keys_always_repair() -> None:
    assert search_key("gisqartirish ochiglik") == search_key("қисқартириш очиқлик")
    assert search_key("¢’lon") == search_key("эълон")
