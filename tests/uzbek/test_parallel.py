"""The parallel-corpus measure: word alignment, and the sorting of wrong words into the editions'
disagreements and our own errors (tracker/uzbek/parallel.py)."""

from __future__ import annotations

from collections import Counter

from tracker.uzbek.parallel import KEPT, OFF_RULES, OURS, VARIANT, Pair, classify, score


def _frequency(counts: dict[str, int]):  # noqa: ANN202 (a small closure for the tests)
    return lambda spelling: Counter(counts)[spelling]


def test_a_reference_kept_in_the_source_script_is_counted_apart() -> None:
    assert classify("l2c", "кунград", "kungrad", _frequency({})) == KEPT


def test_the_same_word_spelled_two_ways_is_a_variant_when_ours_is_the_more_frequent() -> None:
    # дизель and дизел are both "dizel" in Latin; the edition writes дизель more often.
    assert classify("l2c", "дизель", "дизел", _frequency({"дизель": 27, "дизел": 10})) == VARIANT
    assert classify("l2c", "дизель", "дизел", _frequency({"дизель": 3, "дизел": 10})) == OURS


def test_words_that_are_not_each_others_transliteration_are_the_editions_disagreeing() -> None:
    # The Latin edition's "pensionyerlar" is not what the rules make of "пенсионерлар".
    assert classify("l2c", "пенсионьерлар", "пенсионерлар", _frequency({})) == OFF_RULES
    # A title with words the other edition has not.
    assert classify("l2c", "", "тартиби", _frequency({})) == OFF_RULES
    # The Cyrillic edition's OCR slip "тўфрисида" against the Latin "toʻgʻrisida".
    assert classify("c2l", "toʻfrisida", "toʻgʻrisida", _frequency({})) == OFF_RULES


def test_an_ambiguous_word_is_ours() -> None:
    # yodlangan is both ёдланган (learnt by heart) and йодланган (iodised): the rules cannot know.
    frequency = _frequency({"ёдланган": 0, "йодланган": 5})
    assert classify("l2c", "ёдланган", "йодланган", frequency) == OURS


def test_score_counts_words_and_sorts_the_wrong_ones() -> None:
    pairs = [
        Pair("t", "2019 йил 12 сентябрдаги 45-сон қарор", "2019-yil 12-sentabrdagi 45-son qaror"),
        Pair("t", "пенсионерлар дизел", "pensionyerlar dizel"),
        Pair("t", "дизель ва дизель", "dizel va dizel"),
    ]
    latin = score(pairs, "c2l")
    # The Latin edition's off-rule spelling is wrong for us too, and counted apart.
    assert (latin.words, latin.right) == (9, 8)
    assert latin.kinds == Counter({OFF_RULES: 1})
    cyrillic = score(pairs, "l2c")
    assert cyrillic.words == 11
    assert cyrillic.words - cyrillic.right == 2
    assert cyrillic.kinds == Counter({OFF_RULES: 1, VARIANT: 1})
    assert cyrillic.percent_without_disagreements == 100.0
