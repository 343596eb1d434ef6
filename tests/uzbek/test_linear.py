"""Every loop of the language engine is linear in its input: the Python-level work (function
calls, counted with sys.setprofile, never timed) grows no faster than the text. The regular
expressions are linear by construction (see translit.py); bench/uzbek_speed.py times both on
100,000-character inputs."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

import pytest

from tracker.uzbek import normalise, search_key, to_cyrillic, to_latin
from tracker.uzbek.ocr import repair_word
from tracker.uzbek.translit_words import clear_word_caches

# The package exports the function normalise under the module's name.
normalise_module = importlib.import_module("tracker.uzbek.normalise")

SHAPES: dict[str, Callable[[int], str]] = {
    "Cyrillic prose": lambda n: ("Ўзбекистон 2019 йил 12 сентябрдаги ТДЮУ подъезд маъно коррупцияга " * n)[
        :n
    ],
    "Latin prose": lambda n: ("Oʻzbekiston 2019-yil 12-sentabrdagi TDYuU podyezd maʼno gisqartirish " * n)[
        :n
    ],
    "one Cyrillic word": lambda n: ("коррупцияга" * n)[:n],
    "one Latin word": lambda n: ("oʻzbekistonq" * n)[:n],
    "one capital word": lambda n: ("ЧШЖ" * n)[:n],
    "dotted name": lambda n: ("a." * n)[:n],
    "e-mail-like run": lambda n: ("a@b-" * n)[:n],
    "apostrophes": lambda n: ("o'" * n)[:n],
    # quoted names: closed ones kept in Latin, and quotes that never close
    "quotes": lambda n: ("“Tashkent Pharma Park” klasteri «Uzbekistan Airways " * n)[:n],
}
FUNCTIONS: dict[str, Callable[[str], str]] = {
    "to_latin": to_latin,
    "to_cyrillic": to_cyrillic,
    "normalise": normalise,
    "search_key": search_key,
}


def _calls(function: Callable[[str], str], text: str) -> int:
    # The word caches would hide work: start every measurement cold.
    clear_word_caches()
    repair_word.cache_clear()
    normalise_module._fold_word.cache_clear()  # noqa: SLF001 (a cache, not behaviour)
    count = 0

    def profile(_frame: object, event: str, _arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        function(text)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", FUNCTIONS)
def test_work_grows_linearly(shape: str, name: str) -> None:
    function, make = FUNCTIONS[name], SHAPES[shape]
    function(make(50))  # load the lexicon and compile the patterns outside the count
    small, big = _calls(function, make(1_000)), _calls(function, make(4_000))
    assert big <= 4.4 * small + 200, (small, big)
