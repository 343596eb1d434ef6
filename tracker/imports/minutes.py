"""Meeting minutes (seed 001's shape): a header, the agenda, the discussion, then the decisions.

::

    Жамоатчилик кенгаши йиғилишининг БАЁННОМАСИ          ← body (the lines up to "баённомаси")
    Тошкент ш.          2024 йил 15 март          № 3      ← place, date, number
    Раислик қилди: Б.Умурзаков                           ← chair
    Қатнашдилар: Ҳайитов, Қодиров                         ← attendees
    КУН ТАРТИБИ:                                         ← agenda, up to a blank line
    1. Вазирлик фаолияти очиқлигини таъминлаш …
    (Умурзаков, Ҳайитов)                                 ← speakers (attendees if none listed)
    … discussion …
    ҚАРОР ҚИЛИНДИ:                                       ← decisions: numbered, in order
    1. Ахборот хизмати (С.Раҳимов) бир ой муддатда …       ← unit named before "(И.Фамилия)";
                                                            deadline counted from the meeting
    Bayonlashtiruvchi J.Qalandarov                       ← the minute-taker

Every part but the decisions may be missing (seed 001 starts at the agenda): the meeting date
then comes from the import form or ``--meeting-date``. Lines are matched on folded search keys,
so either script and the OCR spellings of the Latin original ("QAROR QILADI", "gisqartirish") agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from tracker.core.errors import InvalidInput
from tracker.imports.parsed import ParsedMeasure, ParsedPlan
from tracker.imports.textdocs import Line, TextDocument
from tracker.imports.units import UNIT_WORDS
from tracker.plans.models import PlanKind
from tracker.uzbek import (
    Deadline,
    DeadlineKind,
    detect_script,
    format_doc_date,
    normalise,
    parse_deadline,
    parse_deadlines,
    search_key,
)
from tracker.uzbek.ocr import suggest_repairs

_DECISIONS = ("karor kiladi", "karor kilindi", "karor kilinadi", "resheno", "reshili", "postanovili")
_TITLE_WORDS = ("bayoni", "bayonnomasi", "bayonnoma", "protokol")
_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.)]\s*(.*)$")
_DATE = re.compile(
    r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}\s*[-‑]?\s*(?:yil|йил|г\.?|года)\s*[-‑]?\s*\d{1,2}\s*[-‑]?\s*[^\W\d_]+",
    re.IGNORECASE,
)
_MINUTES_NUMBER = re.compile(r"№\s*([\w/-]+)|(\d+[\w/-]*)\s*[-‑]?\s*(?:son|сон)\b", re.IGNORECASE)
_SPEAKERS = re.compile(r"^\s*[({\[]\s*(.+?)\s*[)}\]]?\s*\.?$")
_PERSON = r"[A-ZА-ЯЎҚҒҲ]\.\s?(?:[A-ZА-ЯЎҚҒҲ]\.\s?)?[^\W\d_][\w'ʻʼ‘’-]+"
_WORD_NUMBERS = r"bir|ikki|uch|to[ʻ'‘’`]?rt|besh|olti|бир|икки|уч|тўрт|беш|олти|\d+"
_DEADLINE_PATTERNS = (
    re.compile(
        rf"\b(?:{_WORD_NUMBERS})\s+(?:oy|hafta|kun|yil|ой|ҳафта|кун|йил)(?:lik|лик)?\s+"
        r"(?:muddatda|ichida|davomida|муддатда|ичида|давомида)",
        re.IGNORECASE,
    ),
    re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}(?:\s*(?:yilgacha|йилгача|gacha|гача))?"),
    re.compile(r"\b\d{4}\s*[-‑]?\s*(?:yil|йил)\s*[-‑]?\s*\d{1,2}\s*[-‑]?\s*[^\W\d_]+", re.IGNORECASE),
    re.compile(r"\b(?:doimiy|доимий)\s+(?:ravishda|равишда)", re.IGNORECASE),
)
_EXPLICIT = re.compile(
    r"(?P<label>mas[ʼʻ'‘’`]?ul(?:lar)?|масъул(?:лар)?|ijrochi(?:lar)?|ижрочи(?:лар)?|muddat(?:i)?|муддат(?:и)?)"
    r"\s*:\s*(?P<rest>[^.;]+)",
    re.IGNORECASE,
)


@dataclass
class ParsedMeeting:
    held_on: date | None = None
    number: str | None = None
    body: str | None = None
    place: str | None = None
    chair: str | None = None
    secretary: str | None = None
    attendees: list[str] = field(default_factory=list)
    agenda: list[str] = field(default_factory=list)
    #: Each decision's deadline parsed with the meeting date as reference, in decision order.
    deadlines: list[Deadline | None] = field(default_factory=list)
    #: Lines whose Latin text shows OCR noise: (line, as written, suggested repair).
    repairs: list[tuple[int, str, str]] = field(default_factory=list)


def _key(text: str) -> str:
    return search_key(text)


def is_decisions_line(text: str) -> bool:
    key = _key(text)
    return any(key.startswith(word) for word in _DECISIONS) and len(key) <= 24


def looks_like_minutes(document: TextDocument) -> bool:
    return any(is_decisions_line(line.text) for line in document.lines)


def _split_names(text: str) -> list[str]:
    return [n.strip(" .") for n in re.split(r"[,;\n]+", normalise(text)) if n.strip(" .")]


def _rest_after_label(text: str) -> str:
    return text.split(":", 1)[1].strip() if ":" in text else ""


def _header(lines: list[Line], meeting: ParsedMeeting) -> None:
    """Body, place, date and number, chair and attendees from the lines above the agenda."""
    body: list[str] = []
    index = 0
    while index < len(lines):
        text = normalise(lines[index].text).strip()
        key = _key(text)
        if key.startswith("raislik"):
            meeting.chair = _rest_after_label(text) or None
        elif key.startswith(("katnashdilar", "ishtirok etdilar", "prisutstvovali")):
            names = _rest_after_label(text)
            while index + 1 < len(lines) and lines[index + 1].text.strip():
                index += 1
                names += "," + lines[index].text
            meeting.attendees = _split_names(names)
        elif (found := _DATE.search(text)) and meeting.held_on is None:
            meeting.held_on = _date_of(found.group())
            number = _MINUTES_NUMBER.search(text)
            meeting.number = (number.group(1) or number.group(2)) if number else None
            place = text[: found.start()].strip(" ,")
            meeting.place = place or None
        elif text and meeting.held_on is None and meeting.chair is None:
            body.append(text)
            if any(word in key.split() for word in _TITLE_WORDS):
                body[-1] = " ".join(w for w in text.split() if _key(w) not in _TITLE_WORDS)
        index += 1
    words = " ".join(b for b in body if b).split()
    # "… Jamoatchilik kengashi yigʻilishining BAYONI": the body is the council, not "of its meeting".
    while words and _key(words[-1]).startswith(("yigilish", "majlis", "zasedan", "soveshan")):
        words.pop()
    meeting.body = " ".join(words) or None


def _date_of(text: str) -> date | None:
    parsed = parse_deadline(text)
    if isinstance(parsed, Deadline) and parsed.kind == DeadlineKind.DATE:
        return parsed.due
    return None


def _agenda(lines: list[Line], start: int, meeting: ParsedMeeting) -> int:
    """Agenda items after "KUN TARTIBI:" up to a blank line; then the speakers in brackets."""
    items: list[str] = []
    rest = _rest_after_label(lines[start].text)
    index = start + 1
    pending = [rest] if rest else []
    while index < len(lines) and (lines[index].text.strip() or not (pending or items)):
        text = lines[index].text.strip()
        if _SPEAKERS.match(text) and (pending or items):
            break
        if numbered := _NUMBERED.match(text):
            if pending:
                items.append(" ".join(pending))
            pending = [numbered.group(2)]
        elif text:
            pending.append(text)
        index += 1
    if pending:
        items.append(" ".join(pending))
    meeting.agenda = [normalise(i).strip() for i in items if i.strip()]
    while index < len(lines) and not lines[index].text.strip():
        index += 1
    if index < len(lines) and (speakers := _SPEAKERS.match(lines[index].text)) and not meeting.attendees:
        meeting.attendees = _split_names(speakers.group(1))
    return index


_OPENED_BY = re.compile(
    rf"((?:[^\W\d_][\w'ʻʼ‘’-]*\s+)?(?:kengashi|кенгаши|hay[ʼʻ'‘’`]?ati|ҳайъати))\s+(?:raisi|раиси)\s+({_PERSON})",
    re.IGNORECASE,
)


def _chair_from_discussion(lines: list[Line], meeting: ParsedMeeting) -> None:
    """ "… Jamoatchilik Kengashi raisi B.Umurzakov ochib berdi": the body and its chair."""
    if meeting.chair:
        return
    text = normalise(" ".join(line.text.strip() for line in lines if line.text.strip()))
    if found := _OPENED_BY.search(text):
        meeting.chair = found.group(2)
        meeting.body = meeting.body or found.group(1)


def _signature(text: str, meeting: ParsedMeeting) -> bool:
    """A signature line below the decisions; records the minute-taker or the chair."""
    key = _key(text)
    words = normalise(text).split()
    if key.startswith(("bayon", "kotib", "sekretar")):
        meeting.secretary = " ".join(words[1:]).strip(": ") or meeting.secretary
        return True
    if key.split()[:1] in (["rais"], ["predsedatel"]) and len(words) <= 4:
        meeting.chair = meeting.chair or " ".join(words[1:]).strip(": ") or None
        return True
    return False


def _decisions(lines: list[Line], meeting: ParsedMeeting) -> list[ParsedMeasure]:
    measures: list[ParsedMeasure] = []
    signed = False
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if _signature(text, meeting) or signed:
            signed = True  # below the first signature only signatures follow
            continue
        numbered = _NUMBERED.match(text)
        if numbered and numbered.group(2).strip():
            measures.append(ParsedMeasure(number=numbered.group(1), title=numbered.group(2).strip()))
            measures[-1].rows = (line.number, line.number)
        elif measures:
            above = measures[-1].title
            measures[-1].title = above + text if re.search(r"\w-$", above) else f"{above} {text}"
            measures[-1].rows = (measures[-1].rows[0], line.number)
    for measure in measures:
        measure.title = normalise(measure.title).strip()
        measure.source = {"decision": [measure.title]}
        measure.deadline_text = deadline_phrase(measure.title)
        measure.responsible_names = responsible_phrases(measure.title)
    return measures


def deadline_phrase(text: str) -> str | None:
    """The deadline a decision names: after "Muddat:", else the first deadline-like phrase."""
    for match in _EXPLICIT.finditer(text):
        if _key(match.group("label")).startswith("muddat"):
            return match.group("rest").strip()
    for pattern in _DEADLINE_PATTERNS:
        if found := pattern.search(text):
            return found.group().strip()
    return None


def responsible_phrases(text: str) -> list[str]:
    """Units a decision names: after "Mas'ul:", else each "<Unit> (I.Surname)" or name ending a unit word."""
    for match in _EXPLICIT.finditer(text):
        if not _key(match.group("label")).startswith("muddat"):
            return _split_names(re.sub(rf"\(\s*{_PERSON}\s*\)", "", match.group("rest")))
    words = re.sub(rf"\(\s*{_PERSON}\s*\)", " ", text).split()
    names: list[str] = []
    for index, word in enumerate(words):
        if _key(word.strip(",.;")) not in UNIT_WORDS:
            continue
        for first in range(index, max(-1, index - 6), -1):
            if first < index and words[first].endswith((",", ".", ";", ":")):
                break
            if words[first][:1].isupper():
                names.append(" ".join(words[first : index + 1]).strip(",.;"))
                break
    return list(dict.fromkeys(names))


#: The plan's title is a document's title: in the minutes' script, not the interface language.
_TITLE = {"cyrl": "{body}йиғилиши қарорлари ({date})", "latn": "{body}yigʻilishi qarorlari ({date})"}


def ocr_repairs(lines: list[Line]) -> list[tuple[int, str, str]]:
    """OCR misreadings of the Latin original, offered line by line (the text is kept as written)."""
    seen: set[tuple[str, str]] = set()
    found: list[tuple[int, str, str]] = []
    for line in lines:
        for repair in suggest_repairs(line.text):
            if (repair.word, repair.suggestion) not in seen:
                seen.add((repair.word, repair.suggestion))
                found.append((line.number, repair.word, repair.suggestion))
    return found


def plan_title(meeting: ParsedMeeting, sample: str) -> str:
    """ "Jamoatchilik Kengashi yigʻilishi qarorlari (2024-yil 15-mart)", in the minutes' script."""
    assert meeting.held_on is not None
    script = "cyrl" if detect_script(sample) == "cyrl" else "latn"
    body = f"{meeting.body} " if meeting.body else ""
    return _TITLE[script].format(body=body, date=format_doc_date(meeting.held_on, script))


def parse_with_reference(text: str, default_year: int, reference: date) -> Deadline | None:
    """``parse_deadlines`` counting relative terms ("bir oy muddatda") from ``reference``."""
    # of a cell holding several deadlines, the last one is the measure's
    parsed = parse_deadlines(text, default_year=default_year, reference=reference)[-1]
    return None if parsed.kind == DeadlineKind.UNKNOWN else parsed


def parse_minutes(
    document: TextDocument, kind: PlanKind | None = None, *, meeting_date: date | None = None
) -> tuple[ParsedPlan, ParsedMeeting]:
    """The plan of decisions and the meeting record. Raises :class:`InvalidInput` naming the line."""
    lines = document.lines
    marker = next((i for i, line in enumerate(lines) if is_decisions_line(line.text)), None)
    if marker is None:
        raise InvalidInput(
            _(
                "Line %(line)s: the minutes end without “QAROR QILADI:” (“ҚАРОР ҚИЛИНДИ:”), the line "
                "after which the decisions are numbered.",
                line=lines[-1].number if lines else 1,
            )
        )
    meeting = ParsedMeeting()
    agenda_at = next((i for i in range(marker) if _key(lines[i].text).startswith("kun tartibi")), None)
    _header(lines[: agenda_at if agenda_at is not None else marker], meeting)
    discussion_from = _agenda(lines, agenda_at, meeting) if agenda_at is not None else 0
    _chair_from_discussion(lines[discussion_from:marker], meeting)
    measures = _decisions(lines[marker + 1 :], meeting)
    if not measures:
        raise InvalidInput(
            _(
                "Line %(line)s: no numbered decision follows “%(marker)s”.",
                line=lines[marker].number,
                marker=lines[marker].text.strip(),
            )
        )
    meeting.held_on = meeting.held_on or meeting_date
    if meeting.held_on is None:
        raise InvalidInput(
            _(
                "The minutes give no meeting date: enter it (deadlines such as “bir oy muddatda” "
                "count from it)."
            )
        )
    meeting.deadlines = [
        parse_with_reference(m.deadline_text, meeting.held_on.year, meeting.held_on)
        if m.deadline_text
        else None
        for m in measures
    ]
    warnings = [
        _("Decision %(number)s names no deadline.", number=m.number) for m in measures if not m.deadline_text
    ]
    meeting.repairs = ocr_repairs(lines)
    title = plan_title(meeting, " ".join(m.title for m in measures))
    plan = ParsedPlan(
        format=document.format,
        filename=document.filename,
        title=title,
        kind=kind or PlanKind.DECISIONS,
        measures=measures,
        warnings=warnings,
        period_start=meeting.held_on,
    )
    return plan, meeting
