"""normalise, search_key and search_tokens."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.uzbek import normalise, search_key, search_tokens


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("ташкilotлари", "ташкилотлари"),
        ("ташкilotининг", "ташкилотининг"),
        ("Очiq маълумотлар", "Очиқ маълумотлар"),
        ("мuddати", "муддати"),
        ("Ижро мuddати", "Ижро муддати"),
        ("1-илоvasи билан", "1-иловаси билан"),
        ("Рaҳбар", "Раҳбар"),
        ("Рахбар", "Рахбар"),
        ("«Е-Anticor.uz» электрон", "«E-Anticor.uz» электрон"),
        ("IT-Park да", "IT-Park да"),
        ("“Open Data Challenge – 2021”", "“Open Data Challenge – 2021”"),
        ("https://data.egov.uz/news/ochiq", "https://data.egov.uz/news/ochiq"),
        ("Kambag’allikni ta‘minlash", "Kambagʻallikni taʼminlash"),
        ("O'zbekiston ma`lumot bog'", "Oʻzbekiston maʼlumot bogʻ"),
        ("үтказади, тұғрисида", "ўтказади, тўғрисида"),
        ("Ўзбекистон", "Ўзбекистон"),
        ("Oʻzbekiston", "Oʻzbekiston"),
    ],
)
def test_repairs(raw: str, clean: str) -> None:
    assert normalise(raw) == clean


def test_html_paragraphs_become_lines() -> None:
    raw = "<p>Бажарилди.</p> <p>2020 йил 14 декабрь куни&nbsp;Вазирлар   Маҳкамасининг</p>"
    assert normalise(raw) == "Бажарилди.\n2020 йил 14 декабрь куни Вазирлар Маҳкамасининг"


def test_html_entities_and_inline_tags() -> None:
    assert normalise("<b>Доимий</b> &laquo;равишда&raquo; &amp; <br/>янги") == "Доимий «равишда» &\nянги"


def test_paragraph_structure_is_kept() -> None:
    raw = "  Биринчи   қатор  \n\n\n\nИккинчи\tқатор\n"
    assert normalise(raw) == "Биринчи қатор\n\nИккинчи қатор"


def test_latin_document_repairs_towards_latin() -> None:
    assert normalise("Ochiq maʼlumotlar vazirlikа") == "Ochiq maʼlumotlar vazirlika"


@given(st.text(max_size=80))
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@pytest.mark.parametrize(
    "text",
    ["ochiq malumotlar", "очиқ маълумотлар", "ОЧИК МАЪЛУМОТЛАР", "очик маълумотлар", "Ochiq ma’lumotlar"],
)
def test_one_key_for_both_scripts(text: str) -> None:
    assert search_key(text) == "ochik malumotlar"


def test_document_numbers_are_exact_tokens() -> None:
    assert search_tokens("ПФ-200-сон Фармони") == ["pf-200", "farmoni"]
    assert search_key("PF-200") == search_key("ПФ-200") == "pf-200"
    assert search_key("ПФ–6247-сон") == "pf-6247"
    assert "pf-200" not in search_tokens("PF-2000 son")
    key = " " + search_key("27.11.2023 й. ПФ-2000-сон Фармони") + " "
    assert " pf-200 " not in key
    assert " pf-2000 " in key


def test_letter_numbers_stay_whole() -> None:
    assert search_tokens("01/5-24-12-1-сонли хат") == ["01/5-24-12-1", "xat"]


def test_h_and_kh_fold_together() -> None:
    assert search_key("Норматив-хукукий") == search_key("норматив-ҳуқуқий") == search_key("normativ-huquqiy")


def test_search_tokens_drop_punctuation_and_html() -> None:
    assert search_tokens("<p>«Иш режаси», 2024!</p>") == ["ish", "rejasi", "2024"]
