"""Vocabulary and grammar of relative terms ("бир ой муддатда", "15 кун ичида",
"қарор қабул қилинган кундан бошлаб икки ой ичида", "в течение двух месяцев со дня принятия").

The words are written here as documents spell them (Latin with its apostrophes, Russian in
Cyrillic) and keyed with the same function the tokenizer uses, so a spelling change in the
transliteration cannot put the two out of step. The vocabulary is closed: a word outside it
makes the cell unknown, as everywhere in the deadline parser.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from tracker.uzbek.translit import APOSTROPHES, to_latin

__all__ = ["TermVocabulary", "token_key", "vocabulary"]

_APOS_DROP = str.maketrans(dict.fromkeys(APOSTROPHES, None))


def token_key(word: str) -> str:
    """The folded key a deadline word is matched by: Latin, lower case, apostrophes dropped."""
    return to_latin(word).lower().translate(_APOS_DROP)


_UZ_NUMBERS = {
    "bir": 1,
    "ikki": 2,
    "uch": 3,
    "toʻrt": 4,
    "besh": 5,
    "olti": 6,
    "yetti": 7,
    "sakkiz": 8,
    "toʻqqiz": 9,
    "oʻn": 10,
    "yigirma": 20,
    "oʻttiz": 30,
    "qirq": 40,
    "ellik": 50,
    "oltmish": 60,
    "yetmish": 70,
    "sakson": 80,
    "toʻqson": 90,
}
_RU_NUMBERS = {
    **dict.fromkeys(("один", "одного", "одной", "одну", "одна"), 1),
    **dict.fromkeys(("два", "две", "двух"), 2),
    **dict.fromkeys(("три", "трех", "трёх"), 3),
    **dict.fromkeys(("четыре", "четырех", "четырёх"), 4),
    **dict.fromkeys(("пять", "пяти"), 5),
    **dict.fromkeys(("шесть", "шести"), 6),
    **dict.fromkeys(("семь", "семи"), 7),
    **dict.fromkeys(("восемь", "восьми"), 8),
    **dict.fromkeys(("девять", "девяти"), 9),
    **dict.fromkeys(("десять", "десяти"), 10),
    **dict.fromkeys(("пятнадцать", "пятнадцати"), 15),
    **dict.fromkeys(("двадцать", "двадцати"), 20),
    **dict.fromkeys(("тридцать", "тридцати"), 30),
    **dict.fromkeys(("сорок", "сорока"), 40),
    **dict.fromkeys(("шестьдесят", "шестидесяти"), 60),
    **dict.fromkeys(("девяносто", "девяноста"), 90),
}
# Stems of "двухмесячный", "десятидневный": the number part of a Russian term adjective.
_RU_ADJ_NUMBERS = {
    "": 1,
    "двух": 2,
    "трех": 3,
    "трёх": 3,
    "четырех": 4,
    "пяти": 5,
    "шести": 6,
    "семи": 7,
    "десяти": 10,
    "пятнадцати": 15,
    "двадцати": 20,
    "тридцати": 30,
    "шестидесяти": 60,
    "девяносто": 90,
}
_RU_ADJ_UNITS = {"месячный": "M", "дневный": "D", "недельный": "W", "годичный": "Y", "годовой": "Y"}
_UZ_UNITS = {
    **dict.fromkeys(("kun", "kunda", "kunlik", "kunlikda", "kunlar"), "D"),
    **dict.fromkeys(("hafta", "haftada", "haftalik", "haftalikda"), "W"),
    **dict.fromkeys(("oy", "oyda", "oylik", "oylikda"), "M"),
    **dict.fromkeys(("yil", "yilda", "yillik", "yillikda"), "Y"),
}
_RU_UNITS = {
    **dict.fromkeys(("день", "дня", "дней", "суток", "сутки"), "D"),
    **dict.fromkeys(("неделя", "недели", "недель", "неделю"), "W"),
    **dict.fromkeys(("месяц", "месяца", "месяцев"), "M"),
    **dict.fromkeys(("год", "года", "лет"), "Y"),
}
#: Words after the unit that make "N <unit>" a term: muddatda, ichida, davomida …
_UZ_TERM_WORDS = ("muddatda", "muddat", "muddatlarda", "ichida", "davomida", "mobaynida", "muddati")
# "… қабул қилинган кундан бошлаб": document nouns, the act, and the word it counts from.
_UZ_LEAD = (
    "ushbu mazkur shu qaror qarori qarorning farmon farmoni farmonning farmoyish farmoyishi buyruq "
    "buyrugʻi buyruqning hujjat hujjati hujjatning qonun qonuni qonunning bayonnoma bayonnomasi "
    "majlis yigʻilish topshiriq reja rejasi rejaning dastur dasturi qabul qilingan qilingandan "
    "qilinganidan kuchga kirgan kirgandan kirganidan imzolangan imzolangandan tasdiqlangan "
    "tasdiqlangandan tasdiqlanganidan rasmiy eʼlon kundan kunidan sanadan sanasidan boshlab "
    "eʼtiboran keyin soʻng"
)
_UZ_ANCHORS = (
    "kundan kunidan sanadan sanasidan boshlab eʼtiboran keyin soʻng qilingandan qilinganidan "
    "kirgandan kirganidan imzolangandan tasdiqlangandan tasdiqlanganidan"
)
_RU_LEAD_START = ("со", "с")
_RU_LEAD_SECOND = ("дня", "момента", "даты")
_RU_LEAD = (
    "принятия подписания утверждения вступления в силу опубликования официального настоящего "
    "данного постановления указа распоряжения приказа решения протокола документа плана закона"
)


class TermVocabulary:
    """The relative-term vocabulary, keyed with :func:`token_key`."""

    def __init__(self) -> None:
        key = token_key

        def keyed(words: Iterable[str]) -> frozenset[str]:
            return frozenset(key(w) for w in words)

        self.numbers = {key(w): n for w, n in (*_UZ_NUMBERS.items(), *_RU_NUMBERS.items())}
        self.units = {key(w): u for w, u in (*_UZ_UNITS.items(), *_RU_UNITS.items())}
        self.adjectives = {
            key(stem + unit_word): (n, unit)
            for stem, n in _RU_ADJ_NUMBERS.items()
            for unit_word, unit in _RU_ADJ_UNITS.items()
        }
        self.term_words = keyed(_UZ_TERM_WORDS)
        self.uz_lead = keyed(_UZ_LEAD.split())
        self.uz_anchors = keyed(_UZ_ANCHORS.split())
        self.ru_lead_start = keyed(_RU_LEAD_START)
        self.ru_lead_second = keyed(_RU_LEAD_SECOND)
        self.ru_lead = keyed(_RU_LEAD.split())
        self.v, self.techenie, self.srok = key("в"), key("течение"), key("срок")
        # "до 10 числа месяца, следующего за отчётным кварталом"
        self.mesyatsa, self.sleduyushchego, self.za = key("месяца"), key("следующего"), key("за")
        self.otchetnym = keyed(("отчетным", "отчётным"))
        self.period_nouns = keyed(("кварталом", "периодом", "полугодием", "месяцем", "годом"))


@cache
def vocabulary() -> TermVocabulary:
    """The vocabulary, built once (keying needs the transliteration lexicon)."""
    return TermVocabulary()
