"""The text above the table: title, approval block ("ТАСДИҚЛАЙМАН", position, name, date), the
as-of date "(2022 йил 4 октябрь ҳолатига)", and what the title says of the plan's kind and period."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from tracker.imports.parsed import Approval
from tracker.plans.models import PlanKind
from tracker.uzbek import DeadlineKind, normalise, parse_deadline, parse_deadlines, search_key

# -- the text above the table -------------------------------------------------------------------

_APPROVE_KEYS = ("tasdiklayman", "utverjdayu", "i approve")
_AS_OF_RE = re.compile(
    r"\(?\s*(.+?)\s+(?:ҳолатига|холатига|holatiga|xolatiga)\s*\)?|"
    r"\(?\s*по\s+состоянию\s+на\s+(.+?)\s*\)?$|\(?\s*as\s+of\s+(.+?)\s*\)?$",
    re.IGNORECASE,
)
_PERIOD_LINE = re.compile(r"^\s*(?:давр|davr|период|period)\s*:\s*(.+)$", re.IGNORECASE)
_BASIS_LINE = re.compile(r"^\s*(?:асос|asos|основание|basis)\s*:\s*(.+)$", re.IGNORECASE)


def _date_of(text: str) -> date | None:
    parsed = parse_deadline(text)
    if isinstance(parsed, list):  # a cell with several deadlines is not one date
        return None
    if parsed is not None and parsed.kind == DeadlineKind.DATE and parsed.due:
        return parsed.due
    return None


def _as_of(line: str) -> date | None:
    match = _AS_OF_RE.fullmatch(line.strip())
    if not match:
        return None
    inner = next(g for g in match.groups() if g)
    return _date_of(inner.strip("() "))


_KIND_WORDS: tuple[tuple[str, PlanKind], ...] = (
    ("ish rejasi", PlanKind.WORK_PLAN),
    ("ish reja", PlanKind.WORK_PLAN),
    ("plan rabot", PlanKind.WORK_PLAN),
    ("work plan", PlanKind.WORK_PLAN),
    ("yol xaritasi", PlanKind.ROADMAP),
    ("dorojnaya karta", PlanKind.ROADMAP),
    ("roadmap", PlanKind.ROADMAP),
    ("dastur", PlanKind.PROGRAMME),
    ("programm", PlanKind.PROGRAMME),
    ("karor kiladi", PlanKind.DECISIONS),
    ("karorlari", PlanKind.DECISIONS),
    ("bayon", PlanKind.DECISIONS),
    ("protokol", PlanKind.DECISIONS),
    ("resheniya", PlanKind.DECISIONS),
)


def kind_of(title: str) -> PlanKind | None:
    key = search_key(title)
    for word, kind in _KIND_WORDS:
        if word in key:
            return kind
    return None


#: A year naming a period ("2024 йил I ярим", "2021 йилда", "2023-2024 йилларга"), not the year of
#: a dated act ("2020 йил 23 декабрдаги").
_YEAR_RE = re.compile(
    r"(\d{4})(?:\s*[-–]\s*(\d{4}))?\s*[-‐]?\s*(?:йил|yil|год|г\.)\w*(?!\s*[-‐]?\s*\d)", re.IGNORECASE
)
_HALF_RE = re.compile(r"\b(II|I|1|2)[-‐]?\s*(?:ярим|yarim|полугод)", re.IGNORECASE)
_QUARTER_RE = re.compile(r"\b(IV|III|II|I|[1-4])[-‐]?\s*(?:чорак|chorak|квартал)", re.IGNORECASE)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def period_of(title: str) -> tuple[date | None, date | None]:
    """The period a title names: "2024 йил I ярим йиллигига" → H1 2024, "2021 йилда" → 2021."""
    years = [int(y) for pair in _YEAR_RE.findall(title) for y in pair if y]
    if not years:
        return None, None
    first, last = years[0], years[-1] if len(years) > 1 and years[-1] > years[0] else years[0]
    if last == first:
        if half := _HALF_RE.search(title):
            n = _ROMAN[half.group(1).upper()]
            return (
                (date(first, 1, 1), date(first, 6, 30))
                if n == 1
                else (date(first, 7, 1), date(first, 12, 31))
            )
        if quarter := _QUARTER_RE.search(title):
            n = _ROMAN[quarter.group(1).upper()]
            ends = {
                1: date(first, 3, 31),
                2: date(first, 6, 30),
                3: date(first, 9, 30),
                4: date(first, 12, 31),
            }
            return date(first, 3 * n - 2, 1), ends[n]
    return date(first, 1, 1), date(last, 12, 31)


_BASIS_IN_TITLE = re.compile(
    r"^(.*?\d+\s*[-‐–]?\s*(?:сонли|сон|sonli|son|№)\s+(?:қарори|фармони|фармойиши|қонуни|буйруғи|"
    r"qarori|farmoni|farmoyishi|qonuni|buyrugʻi))",
    re.IGNORECASE,
)


def basis_of(title: str) -> str | None:
    """The act a roadmap implements, when its title names one ("… 808-сонли қарорини …")."""
    match = _BASIS_IN_TITLE.match(title)
    return match.group(1).strip() if match else None


@dataclass
class Preamble:
    title: str = ""
    approval: Approval | None = None
    as_of: date | None = None
    period: tuple[date | None, date | None] | None = None
    basis: str | None = None
    warnings: list[str] = field(default_factory=list)


def parse_preamble(lines: list[str]) -> Preamble:
    """Title, approval block, as-of date, and our export's period and basis lines."""
    result = Preamble()
    cleaned = [normalise(line) for line in lines]
    cleaned = [line for line in cleaned if line]
    title_lines: list[str] = []
    index = 0
    while index < len(cleaned):
        line = cleaned[index]
        key = search_key(line)
        if any(word == key or key.startswith(word) for word in _APPROVE_KEYS) and result.approval is None:
            index = _approval_block(cleaned, index + 1, result)
            continue
        if (as_of := _as_of(line)) is not None and result.as_of is None:
            result.as_of = as_of
        elif (period := _PERIOD_LINE.match(line)) is not None:
            parsed = parse_deadlines(period.group(1))
            if parsed and parsed[0].start and parsed[-1].due:
                result.period = (parsed[0].start, parsed[-1].due)
        elif (basis := _BASIS_LINE.match(line)) is not None:
            result.basis = basis.group(1).strip()
        else:
            title_lines.append(line)
        index += 1
    result.title = " ".join(title_lines).strip()
    return result


def _approval_block(lines: list[str], start: int, result: Preamble) -> int:
    """Read "position…, name, date" after ТАСДИҚЛАЙМАН; returns the index after the block."""
    for end in range(start, min(start + 8, len(lines))):
        approved_on = _date_of(lines[end])
        if approved_on is None:
            continue
        block = lines[start:end]
        if not block:
            break
        name = block[-1]
        position_lines = block[:-1]
        result.approval = Approval(
            position=" ".join(position_lines).strip() or None, name=name.strip(), date=approved_on
        )
        return end + 1
    result.warnings.append(
        _("The approval block (“ТАСДИҚЛАЙМАН”) has no date that could be read; the plan stays a draft.")
    )
    return start
