"""Dates in the forms Uzbek government documents use.

"2022 йил 4 октябрь" / "2022-yil 4-oktabr", "04.10.2022", "(2022 йил 4 октябрь ҳолатига)",
the approval block "2024 йил 04 январь" and the genitive "2020 йил 23 декабрдаги".
"""

from __future__ import annotations

from datetime import date

__all__ = ["MONTHS_CYRL", "MONTHS_LATN", "SCRIPTS", "STYLES", "format_doc_date"]

#: Cyrillic month names, index 0 = January; the soft sign is part of the name.
MONTHS_CYRL: tuple[str, ...] = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
#: Latin month names (1995 alphabet), index 0 = January.
MONTHS_LATN: tuple[str, ...] = (
    "yanvar",
    "fevral",
    "mart",
    "aprel",
    "may",
    "iyun",
    "iyul",
    "avgust",
    "sentabr",
    "oktabr",
    "noyabr",
    "dekabr",
)

SCRIPTS: tuple[str, ...] = ("cyrl", "latn")
STYLES: tuple[str, ...] = ("long", "numeric", "as_of", "approval", "genitive")


def _month(d: date, script: str) -> str:
    return (MONTHS_CYRL if script == "cyrl" else MONTHS_LATN)[d.month - 1]


def format_doc_date(d: date, script: str = "cyrl", style: str = "long") -> str:
    """Format ``d`` the way official documents write dates.

    ========== ============================== ==============================
    style      cyrl                           latn
    ========== ============================== ==============================
    long       2022 йил 4 октябрь             2022-yil 4-oktabr
    numeric    04.10.2022                     04.10.2022
    as_of      (2022 йил 4 октябрь ҳолатига)  (2022-yil 4-oktabr holatiga)
    approval   2024 йил 04 январь             2024-yil 04-yanvar
    genitive   2020 йил 23 декабрдаги         2020-yil 23-dekabrdagi
    ========== ============================== ==============================

    The genitive drops the soft sign before the suffix (декабрдаги, январдаги, июндаги).

    Raises:
        ValueError: ``script`` is not "cyrl"/"latn" or ``style`` is not one of ``STYLES``.
    """
    if script not in SCRIPTS:
        raise ValueError(f"unknown script {script!r}; expected one of {SCRIPTS}")
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; expected one of {STYLES}")
    if style == "numeric":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    day = f"{d.day:02d}" if style == "approval" else str(d.day)
    month = _month(d, script)
    if style == "genitive":
        month = month.removesuffix("ь") + ("даги" if script == "cyrl" else "dagi")
    text = f"{d.year} йил {day} {month}" if script == "cyrl" else f"{d.year}-yil {day}-{month}"
    if style == "as_of":
        text = f"({text} ҳолатига)" if script == "cyrl" else f"({text} holatiga)"
    return text
