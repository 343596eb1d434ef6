"""A proposal of measures (seed 002's shape): numbered blocks of labelled parts, no table.

::

    1️ Очиқ маълумотлар базасини кенгайтириш ва янгилаш      ← number and heading (the title)
    Мазмуни:                                                 ← content
    Ташкилот фаолиятига оид … рўйхатини қайта кўриб чиқиш     ← a line broken mid-sentence,
    ва қўшимча равишда қуйидаги маълумотларни жойлаштириш:      joined to the one above
     Бюджет маблағлари тақсимоти ва ижроси                   ← a bullet
    Амалга ошириш механизми:                                 ← mechanism: each bullet a step
    Кутилаётган натижа:                                      ← expected result
    Баҳолаш мезонлари:                                       ← any other label: kept, with
                                                                its label, after the content

A block starts with the next number in sequence ("1️", "1.", "1)") so that numbered lines inside
a block do not split it. A proposal has no deadlines or responsible units: the controller fills
them in the plan page's grid before the draft can be sent for approval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from tracker.core.errors import InvalidInput
from tracker.imports.parsed import ParsedMeasure, ParsedPlan, ParsedStep
from tracker.imports.textdocs import Line, TextDocument
from tracker.plans.models import PlanKind
from tracker.uzbek import normalise, search_key

#: "1️", "1️⃣", "1.", "1)" and the heading after it.
_BLOCK = re.compile(r"^\s*(\d{1,3})\s*(?:\ufe0f\u20e3?|\u20e3|[.)])\s*(.*)$")
#: Bullet marks of Word (Symbol font's private-use bullet), typewriters and OCR.
_BULLET = re.compile(r"^\s*(?:[\uf0b7\uf0a7\uf076\uf0d8•·▪●◦■□\-–—*]|o(?=\s))\s*")
#: "Label:" alone on its line, or followed by text.
_LABEL = re.compile(r"^\s*([^\W\d][^:]{1,60}?)\s*:\s*(.*)$")
_SENTENCE_END = re.compile(r"[.!?;:]\s*$")

#: Folded label → part; any other short capitalised label is kept as written.
KNOWN_LABELS = {
    "mazmuni": "content",
    "mazmun": "content",
    "soderjanie": "content",
    "content": "content",
    "amalga oshirish mexanizmi": "mechanism",
    "mexanizm realizatsii": "mechanism",
    "mechanism": "mechanism",
    "kutilayotgan natija": "expected_result",
    "kutilayotgan natijalar": "expected_result",
    "ojidaemiy rezultat": "expected_result",
    "expected result": "expected_result",
}


@dataclass
class _Part:
    label: str
    code: str
    #: Paragraphs; a bullet starts a new one and is marked.
    items: list[tuple[bool, str]] = field(default_factory=list)

    def add(self, text: str, *, is_bullet: bool) -> None:
        text = normalise(text).strip()
        if not text:
            return
        if self.items and not is_bullet and _continues(self.items[-1][1], text):
            bullet, above = self.items[-1]
            self.items[-1] = (bullet, _join(above, text))
        else:
            self.items.append((is_bullet, text))

    def as_text(self) -> str:
        return "\n".join(("• " if bullet else "") + text for bullet, text in self.items)


@dataclass
class _Block:
    number: str
    line: int
    heading: list[str] = field(default_factory=list)
    parts: list[_Part] = field(default_factory=list)


def _continues(above: str, text: str) -> bool:
    """A line broken mid-sentence: the line above does not end a sentence, or this one starts small."""
    return not _SENTENCE_END.search(above) or text[:1].islower()


def _join(above: str, text: str) -> str:
    if re.search(r"\w-$", above):
        return above + text
    return f"{above} {text}"


def label_of(text: str) -> tuple[str, str, str] | None:
    """(label as written, part code, rest of the line) when the line opens a labelled part."""
    match = _LABEL.match(text)
    if not match:
        return None
    label, rest = normalise(match.group(1)).strip(), match.group(2)
    code = KNOWN_LABELS.get(search_key(label))
    if code is not None:
        return label, code, rest
    # An unknown label: short, capitalised, alone on its line ("Баҳолаш мезонлари:").
    if not rest.strip() and label[:1].isupper() and len(label.split()) <= 4:
        return label, "other", ""
    return None


def looks_like_proposal(document: TextDocument) -> bool:
    return any(_BLOCK.match(line.text) for line in document.lines) and any(
        (found := label_of(line.text)) is not None and found[1] != "other" for line in document.lines
    )


def _blocks(document: TextDocument) -> tuple[list[str], list[_Block]]:
    preamble: list[str] = []
    blocks: list[_Block] = []
    for line in document.lines:
        text = line.text.strip()
        if not text:
            continue
        block_match = _BLOCK.match(text)
        if block_match and int(block_match.group(1)) == len(blocks) + 1:
            blocks.append(_Block(block_match.group(1), line.number))
            if block_match.group(2).strip():
                blocks[-1].heading.append(block_match.group(2))
            continue
        if not blocks:
            preamble.append(text)
            continue
        _add_line(blocks[-1], line)
    return preamble, blocks


def _add_line(block: _Block, line: Line) -> None:
    found = label_of(line.text)
    if found is not None:
        label, code, rest = found
        block.parts.append(_Part(label, code))
        if rest.strip():
            block.parts[-1].add(rest, is_bullet=False)
        return
    if not block.parts:
        block.heading.append(line.text)
        return
    bullet = _BULLET.match(line.text)
    block.parts[-1].add(line.text[bullet.end() :] if bullet else line.text, is_bullet=bool(bullet))


def _measure(block: _Block, warnings: list[str]) -> ParsedMeasure:
    heading = normalise(" ".join(h.strip() for h in block.heading)).strip()
    if not heading:
        raise InvalidInput(
            _("Line %(line)s: block %(number)s has no heading.", line=block.line, number=block.number)
        )
    if heading[:1].islower():
        warnings.append(
            _(
                "Line %(line)s: the heading of block %(number)s starts with a small letter; check that "
                "its first word is complete.",
                line=block.line,
                number=block.number,
            )
        )
    measure = ParsedMeasure(number=block.number, title=heading, rows=(block.line, block.line))
    content: list[str] = []
    for part in block.parts:
        if part.code == "mechanism":
            first = len(measure.steps) + 1
            measure.steps += [
                ParsedStep(number=str(first + index), text=text, row=block.line)
                for index, (_bullet, text) in enumerate(part.items)
            ]
        elif part.code == "expected_result":
            measure.expected_result = " ".join(text for _bullet, text in part.items) or None
        elif part.code == "content":
            content.insert(0, part.as_text())
        else:
            content.append(f"{part.label}:\n{part.as_text()}")
        measure.source[part.label] = [text for _bullet, text in part.items]
    measure.content = "\n\n".join(c for c in content if c.strip()) or None
    return measure


def no_details_note() -> str:
    """What the preview says of every proposal (the web preview shows it as a notice)."""
    return _(
        "A proposal has no deadlines and no responsible units: fill them in the grid on the plan "
        "page before sending the plan for approval."
    )


def parse_proposal(document: TextDocument, kind: PlanKind | None = None) -> ParsedPlan:
    """The draft plan a proposal describes. Raises :class:`InvalidInput` naming the line at fault."""
    preamble, blocks = _blocks(document)
    if not blocks:
        first = next((line for line in document.lines if line.text.strip()), None)
        raise InvalidInput(
            _(
                "Line %(line)s: no numbered block was found. A proposal numbers its measures "
                "“1.”, “1)” or “1️” at the start of a line, each with a heading.",
                line=first.number if first else 1,
            )
        )
    warnings: list[str] = []
    measures = [_measure(block, warnings) for block in blocks]
    title = normalise(" ".join(preamble)).strip()[:300] if preamble else ""
    return ParsedPlan(
        format=document.format,
        filename=document.filename,
        title=title or _("Proposal of measures (%(name)s)", name=document.filename),
        kind=kind or PlanKind.WORK_PLAN,
        kind_detected=False,
        measures=measures,
        warnings=warnings,
    )
