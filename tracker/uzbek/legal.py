"""Parsing of legal-basis cells ("Норматив-ҳуқуқий асоси") into legal acts.

Reads references such as "29.06.2020 й. ПФ-6013-сон, 27.11.2023 й. ПФ-200-сон Фармонлари",
"Вазирлар Маҳкамасининг 2020 йил 23 декабрдаги ... 808-сонли қарори" and their Latin and
Russian forms. See docs/legal-basis.md.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

from tracker.uzbek.dates import MONTHS_LATN
from tracker.uzbek.normalise import normalise
from tracker.uzbek.translit import APOSTROPHES, to_latin

__all__ = ["ActKind", "LegalAct", "parse_legal_basis"]


class ActKind(enum.StrEnum):
    """The kind of a legal act."""

    PF = "PF"
    PQ = "PQ"
    VMQ = "VMQ"
    LAW = "law"
    ORDER = "order"
    OTHER = "other"


_ISSUER = {
    ActKind.PF: "president",
    ActKind.PQ: "president",
    ActKind.VMQ: "cabinet",
    ActKind.LAW: "parliament",
    ActKind.ORDER: "organization",
}
_PREFIX = {
    ActKind.PF: ("ПФ", "PF"),
    ActKind.PQ: ("ПҚ", "PQ"),
    ActKind.VMQ: ("ВМҚ", "VMQ"),
    ActKind.LAW: ("ЎРҚ", "OʻRQ"),
}


@dataclass(frozen=True)
class LegalAct:
    """One legal act: kind, number (digits only, no prefix), date and issuer.

    ``issuer`` is "president", "cabinet", "parliament", "organization" or "unknown".
    """

    kind: ActKind
    number: str | None
    date: date | None
    issuer: str

    def to_json(self) -> dict[str, str | None]:
        """``{"kind", "number", "date", "issuer"}`` with an ISO date or None."""
        return {
            "kind": str(self.kind),
            "number": self.number,
            "date": self.date.isoformat() if self.date else None,
            "issuer": self.issuer,
        }

    def label(self, script: str = "cyrl") -> str:
        """Short reference: "ПФ-200" / "PF-200", "ВМҚ-808", "ЎРҚ-612"; orders read
        "33-сон буйруқ" / "33-son buyruq", other acts "№ 5".

        Raises:
            ValueError: ``script`` is not "cyrl" or "latn".
        """
        if script not in ("cyrl", "latn"):
            raise ValueError(f"unknown script {script!r}; expected 'cyrl' or 'latn'")
        latn = script == "latn"
        if self.kind in _PREFIX:
            prefix = _PREFIX[self.kind][1 if latn else 0]
            return f"{prefix}-{self.number}" if self.number else prefix
        if self.kind == ActKind.ORDER:
            word = "buyruq" if latn else "буйруқ"
            return f"{self.number}-{'son' if latn else 'сон'} {word}" if self.number else word
        return f"№ {self.number}" if self.number else "№"


_MONTHS = "|".join(sorted((*MONTHS_LATN, "sentyabr", "oktyabr", "fevval"), key=len, reverse=True))
_DATE_NUM_RE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")
_DATE_TEXT_RE = re.compile(rf"(?<!\d)(\d{{4}})\s*-?\s*(?:yil\w*|y\.?|g\.?)\s+(\d{{1,2}})\s*-?\s*({_MONTHS})")
_PREFIXED_RE = re.compile(r"\b(pf|pq|vmq|orq|up|pp|pkm|zru|pk)\s*-\s*(\d+)")
_NUMBERED_RE = re.compile(r"(?<![\d/-])(\d+(?:\s*(?:,|va|hamda|i)\s*\d+)*)\s*-?\s*son(?:li)?\b")
_KEYWORD_RE = re.compile(
    r"\b(farmon|farmoyish|qaror|qonun|buyru[qg]|ukaz|postanovleni|rasporyajeni|zakon|prikaz)"
)
_ISSUER_RE = re.compile(r"\b(prezident|vazirlar mahkama|kabinet ministrov|oliy majlis)")
_QUOTED_RE = re.compile(r"“[^”]*”|«[^»]*»|\"[^\"]*\"|„[^“”]*[“”]")
_PREFIX_KIND = {
    "pf": ActKind.PF,
    "up": ActKind.PF,
    "pq": ActKind.PQ,
    "pp": ActKind.PQ,
    "pk": ActKind.PQ,  # OCR/typing of ПҚ with К
    "vmq": ActKind.VMQ,
    "pkm": ActKind.VMQ,
    "orq": ActKind.LAW,
    "zru": ActKind.LAW,
}


@dataclass
class _Ref:
    start: int
    end: int
    kind: ActKind | None
    numbers: list[str]
    act_date: date | None = None
    issuer: str = "unknown"


def _fold(text: str) -> str:
    s = to_latin(normalise(text)).lower()
    s = s.translate(str.maketrans(dict.fromkeys(APOSTROPHES, None)))
    return re.sub("[–—]", "-", s)


def _dates(s: str) -> list[tuple[int, date]]:
    found: list[tuple[int, date]] = []
    for m in _DATE_NUM_RE.finditer(s):
        try:
            found.append((m.start(), date(int(m[3]), int(m[2]), int(m[1]))))
        except ValueError:
            continue
    months = {name: i + 1 for i, name in enumerate(MONTHS_LATN)} | {"sentyabr": 9, "oktyabr": 10, "fevval": 2}
    for m in _DATE_TEXT_RE.finditer(s):
        try:
            found.append((m.start(), date(int(m[1]), months[m[3]], int(m[2]))))
        except ValueError:
            continue
    return sorted(found)


def _kind_for_keyword(keyword: str, issuer_ctx: str | None) -> tuple[ActKind, str]:
    if keyword in ("farmon", "ukaz"):
        return ActKind.PF, "president"
    if keyword in ("qonun", "zakon"):
        return ActKind.LAW, "parliament"
    if keyword in ("buyruq", "buyrug", "prikaz"):
        return ActKind.ORDER, "organization"
    if keyword in ("qaror", "postanovleni"):
        if issuer_ctx == "cabinet":
            return ActKind.VMQ, "cabinet"
        if issuer_ctx == "president":
            return ActKind.PQ, "president"
        return ActKind.OTHER, "unknown"
    return ActKind.OTHER, issuer_ctx or "unknown"


def _issuer_before(s: str, pos: int) -> str | None:
    """The issuer named closest before ``pos`` ("Вазирлар Маҳкамасининг ... қарори")."""
    last = None
    # Names inside a quoted title ("... тўғрисида”ги) are not the issuer.
    masked = _QUOTED_RE.sub(lambda m: " " * len(m.group()), s[:pos])
    for m in _ISSUER_RE.finditer(masked):
        last = m.group(1)
    if last is None:
        return None
    if last == "prezident":
        return "president"
    if last in ("vazirlar mahkama", "kabinet ministrov"):
        return "cabinet"
    return "parliament"


def parse_legal_basis(text: str) -> list[LegalAct]:
    """Every legal act referenced in ``text``, in order of appearance, without duplicates.

    A reference is a prefixed number (ПФ-200, PQ-81, ВМҚ-…, ЎРҚ-…, УП-/ПП-/ПКМ-/ЗРУ-) or a
    "N-сон(ли)" number followed by the act's name (фармон, қарор, қонун, буйруқ, …); the kind
    of a қарор follows the issuer named before it (Вазирлар Маҳкамаси → VMQ, Президент → PQ).
    Each act takes the nearest date before it (since the previous act) or, failing that, the
    first date right after it ("(ПФ–6247-сон, 16.06.2021 й."). Numbers without an act name
    (letters, "хат") are ignored. Returns [] when nothing is found; never raises.
    """
    s = _fold(text)
    refs: list[_Ref] = []
    for m in _PREFIXED_RE.finditer(s):
        kind = _PREFIX_KIND[m.group(1)]
        refs.append(_Ref(m.start(), m.end(), kind, [m.group(2)], issuer=_ISSUER.get(kind, "unknown")))
    taken = [(r.start, r.end) for r in refs]
    for m in _NUMBERED_RE.finditer(s):
        if any(a <= m.start() < b for a, b in taken):
            continue
        refs.append(_Ref(m.start(), m.end(), None, re.findall(r"\d+", m.group(1))))
    refs.sort(key=lambda r: r.start)
    # Unprefixed numbers get their kind from the act name that follows them.
    for k, ref in enumerate(refs):
        if ref.kind is not None:
            continue
        limit = refs[k + 1].start if k + 1 < len(refs) else len(s)
        km = _KEYWORD_RE.search(s, ref.end, min(limit, ref.end + 60))
        if km is None:
            continue
        ref.kind, ref.issuer = _kind_for_keyword(km.group(1), _issuer_before(s, ref.start))
    refs = [r for r in refs if r.kind is not None]
    _assign_dates(refs, _dates(s))
    acts: list[LegalAct] = []
    for ref in refs:
        assert ref.kind is not None
        for number in ref.numbers:
            act = LegalAct(ref.kind, number, ref.act_date, ref.issuer)
            if act not in acts:
                acts.append(act)
    return acts


def _assign_dates(refs: list[_Ref], dates: list[tuple[int, date]]) -> None:
    used: set[int] = set()
    prev_end = 0
    for ref in refs:
        before = [i for i, (pos, _) in enumerate(dates) if prev_end <= pos < ref.start and i not in used]
        if before:
            ref.act_date = dates[before[-1]][1]
            used.add(before[-1])
        prev_end = ref.end
    for k, ref in enumerate(refs):
        if ref.act_date is not None:
            continue
        limit = refs[k + 1].start if k + 1 < len(refs) else 10**9
        after = [i for i, (pos, _) in enumerate(dates) if ref.end <= pos < limit and i not in used]
        if after:
            ref.act_date = dates[after[0]][1]
            used.add(after[0])
