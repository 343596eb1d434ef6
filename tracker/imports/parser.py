"""From rows of cell text to a plan: columns, measures, steps, statuses and the text above the table.

The rules follow the real documents (seeds 003 and 004, see ``tracker/demo/fixtures/README.md``):

* columns are found by their header text, in either script or in Russian, in any order;
* a header row repeated on every page is skipped, and so is a row of column numbers (1 2 3 …);
* a row with an empty number right after a repeated header continues the row above it (a page
  break), unless the table gives each mechanism step a row of its own and this row starts a new
  numbered step;
* a row with an empty number that carries the rest of the measure's name continues the row above
  it (a row broken across a page in a table converted from print), every column joined first;
* any other row with an empty number (or a number merged from above) is a mechanism sub-row of
  the current measure, with its own deadline and status: it becomes a step (the roadmap layout);
* a row numbered "<measure>.<n>" with no name is step n of that measure (our own export's layout);
* a mechanism numbered "1. … 2. …" becomes steps, each with its own deadline when the deadline
  cell lists as many deadlines as there are steps;
* above the table: the title, the approval block ("ТАСДИҚЛАЙМАН", position, name, date) and the
  as-of date "(2022 йил 4 октябрь ҳолатига)".

Text is normalised (HTML, mixed scripts, apostrophes) with :func:`tracker.uzbek.normalise`; the
cells as written are kept in :attr:`ParsedMeasure.source` for the audit trail.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.core.errors import InvalidInput
from tracker.core.status import Status
from tracker.imports.readers import RawDocument, RawRow
from tracker.plans.models import PlanKind
from tracker.uzbek import DeadlineKind, normalise, parse_deadline, parse_deadlines, search_key
from tracker.uzbek.normalise import strip_html
from tracker.uzbek.ocr import suggest_repairs

logger = logging.getLogger(__name__)

#: Column codes, in the order of the official table.
COLUMNS = (
    "number",
    "title",
    "mechanism",
    "deadline",
    "legal_basis",
    "expected_result",
    "responsible",
    "status",
    "status_note",
)

COLUMN_LABELS = {
    "number": _l("Number"),
    "title": _l("Measure"),
    "mechanism": _l("Implementation mechanism"),
    "deadline": _l("Deadline"),
    "legal_basis": _l("Legal basis"),
    "expected_result": _l("Expected result"),
    "responsible": _l("Responsible units"),
    "status": _l("Status"),
    "status_note": _l("Execution status"),
}

_NUMBER_HEADERS = {"№", "т/р", "t/r", "№п/п", "п/п", "n", "no", "no.", "#", "№т/р", "t/r.", "т/р."}


def column_of(header: str) -> str | None:
    """The column a header cell names, in any script or Russian; None when it names none."""
    compact = re.sub(r"\s+", "", normalise(header).lower())
    if compact in _NUMBER_HEADERS:
        return "number"
    key = search_key(header)
    if not key:
        return None
    checks = (
        ("deadline", ("muddat", "srok")),
        ("status_note", ("ijro xolat", "xod ispoln", "xod vipoln", "execution status")),
        ("status", ("xolat", "status")),
        ("responsible", ("ijrochi", "masul", "otvetstv", "ispolnitel", "responsible")),
        ("mechanism", ("mexanizm", "mechanism")),
        ("legal_basis", ("asos", "osnovan", "legal basis")),
        ("expected_result", ("maksad", "natija", "rezultat", "expected")),
        ("title", ("chora", "nomi", "naimenovan", "meropriyat", "measure")),
    )
    for column, needles in checks:
        if any(needle in key for needle in needles):
            return column
    return None


def detect_columns(cells: list[str]) -> dict[str, int]:
    """Column code → index for a header row; a later duplicate never overrides the first."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = column_of(cell) if cell.strip() else None
        if column and column not in found:
            found[column] = index
    return found


def looks_like_header(cells: list[str]) -> bool:
    return _is_header(cells)


def _names_number_column(cell: str) -> bool:
    """``column_of(cell) == "number"``, cheaply refused for long cells (a "№" header is a few letters)."""
    return len("".join(cell.split())) <= _NUMBER_HEADER_MAX and column_of(cell) == "number"


#: Longer than any spelling of the number header, with room for stray marks normalising removes.
_NUMBER_HEADER_MAX = 40


def _is_header(cells: list[str]) -> bool:
    """A header row: the number and name columns and at least one more, each cell a short label."""
    if not any(_names_number_column(cell) for cell in cells if cell.strip()):
        return False  # no number column: not a header, without folding every long cell of a data row
    found = detect_columns(cells)
    if len(found) < 3 or "title" not in found or "number" not in found:
        return False
    return all(len(cells[i]) <= 120 for i in found.values())


# -- results ------------------------------------------------------------------------------------


@dataclass
class Approval:
    position: str | None
    name: str
    date: date


def is_unreadable_deadline(text: str | None) -> bool:
    """A deadline text that gives no machine deadline (no date, rule or term): no reminders."""
    return bool(text) and all(d.kind == DeadlineKind.UNKNOWN for d in parse_deadlines(text or ""))


@dataclass
class ParsedStep:
    number: str
    text: str
    deadline_text: str | None = None
    status: Status | None = None
    status_note: str | None = None
    row: int | None = None
    #: The note has no status word: the status is a guess the import preview lets the controller set.
    status_guessed: bool = False

    @property
    def deadline_unreadable(self) -> bool:
        return is_unreadable_deadline(self.deadline_text)


@dataclass
class ParsedMeasure:
    number: str
    title: str
    #: A proposal's content with its other labelled parts (tracker/imports/proposals.py).
    content: str | None = None
    mechanism: str | None = None
    deadline_text: str | None = None
    legal_basis: str | None = None
    expected_result: str | None = None
    #: The responsible cell as written (split into names against the units later).
    responsible_text: str | None = None
    #: Names already split (open-data JSON gives them one by one).
    responsible_names: list[str] | None = None
    status: Status | None = None
    status_note: str | None = None
    #: As :attr:`ParsedStep.status_guessed`.
    status_guessed: bool = False
    steps: list[ParsedStep] = field(default_factory=list)
    #: First and last source row.
    rows: tuple[int, int] = (0, 0)
    #: The cells as written, header text → pieces, for the audit trail.
    source: dict[str, list[str]] = field(default_factory=dict)

    @property
    def deadline_unreadable(self) -> bool:
        return is_unreadable_deadline(self.deadline_text)


@dataclass
class ParsedPlan:
    format: str
    filename: str
    title: str
    kind: PlanKind
    kind_detected: bool = True
    period_start: date | None = None
    period_end: date | None = None
    basis: str | None = None
    approval: Approval | None = None
    as_of: date | None = None
    measures: list[ParsedMeasure] = field(default_factory=list)
    #: Column code → header text as written.
    columns: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def step_count(self) -> int:
        return sum(len(m.steps) for m in self.measures)

    @property
    def has_statuses(self) -> bool:
        return any(m.status or any(s.status for s in m.steps) for m in self.measures)


# -- cell text ----------------------------------------------------------------------------------


def _plain(raw: str) -> str:
    """HTML removed, lines stripped, blank lines dropped (paragraphs stay on their own lines)."""
    lines = [line.strip() for line in strip_html(raw or "").replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


_OPENS_PARAGRAPH = re.compile(r"^\s*<p\b", re.IGNORECASE)
_BROKEN_WORD = re.compile(r"\w-$")


def join_pieces(above: str, raw_piece: str) -> str:
    """Join a cell continued after a page break to the text above it.

    No space after a word broken by a hyphen ("IT-" + "технологиялар"); a new line when the
    piece opens a paragraph and the text above ends a sentence; one space otherwise.
    """
    piece = _plain(raw_piece)
    if not above:
        return piece
    if not piece:
        return above
    if _BROKEN_WORD.search(above) and piece[0].islower():
        return above + piece
    if _OPENS_PARAGRAPH.match(raw_piece) and above[-1] in ".;:!?":
        return above + "\n" + piece
    return above + " " + piece


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    return normalise(text) or None


def _one_line(text: str | None) -> str | None:
    cleaned = _clean(text)
    return re.sub(r"\s*\n\s*", " ", cleaned) if cleaned else None


# -- statuses -----------------------------------------------------------------------------------

_STATUS_WORDS: tuple[tuple[str, Status], ...] = (
    ("bajarilmokda", Status.IN_PROGRESS),
    ("ijrosi taminlanmokda", Status.IN_PROGRESS),
    ("bajarildi", Status.DONE),
    ("ijro etildi", Status.DONE),
    ("boshlanmagan", Status.NOT_STARTED),
    ("bekor kilindi", Status.CANCELLED),
    ("tekshiruvda", Status.IN_PROGRESS),
    ("kaytarildi", Status.IN_PROGRESS),
    ("ispolnyayetsya", Status.IN_PROGRESS),
    ("v protsesse", Status.IN_PROGRESS),
    ("ispolneno", Status.DONE),
    ("vipolneno", Status.DONE),
    ("ne nachato", Status.NOT_STARTED),
    ("otmeneno", Status.CANCELLED),
    ("in progress", Status.IN_PROGRESS),
    ("done", Status.DONE),
    ("not started", Status.NOT_STARTED),
    ("cancelled", Status.CANCELLED),
)


def status_from_word(text: str | None) -> Status | None:
    """The status a note starts with ("Бажарилди. …" → done), or a status cell's word or code."""
    if not text:
        return None
    stripped = text.strip().lower()
    if stripped in {s.value for s in Status}:
        return Status(stripped) if stripped != Status.DONE_CLAIMED else Status.IN_PROGRESS
    key = search_key(text[:80])
    for word, status in _STATUS_WORDS:
        if key == word or key.startswith(word + " "):
            return status
    return None


# -- numbered mechanisms ------------------------------------------------------------------------

_ITEM_RE = re.compile(r"(?:(?<=\s)|^)(\d{1,2})\.\s+(?=\S)")


def split_numbered(text: str) -> list[tuple[str, str]] | None:
    """ "1. … 2. … 3. …" (after an optional intro ending in ":") → [(number, text)], else None.

    The items must be numbered 1, 2, 3 … in order; dates ("27.11.2023") and numbers inside
    words are not item markers.
    """
    markers = []
    expected = 1
    for match in _ITEM_RE.finditer(text):
        if int(match.group(1)) == expected:
            markers.append(match)
            expected += 1
    if len(markers) < 2:
        return None
    intro = text[: markers[0].start()].strip()
    if intro and not intro.endswith(":"):
        return None
    items = []
    for index, match in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        body = text[match.end() : end].strip()
        if not body:
            return None
        items.append((match.group(1), body))
    return items


_STEP_PREFIX = re.compile(r"^\s*(\d{1,3})\.\s+")


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


# -- the table ----------------------------------------------------------------------------------


def _is_numbering_row(cells: list[str]) -> bool:
    """A row of column numbers under the header: 1 2 3 4 5 …"""
    values = [c.strip().rstrip(".") for c in cells if c.strip()]
    return len(values) >= 3 and values == [str(n) for n in range(1, len(values) + 1)]


def _clean_number(raw: str) -> str:
    return normalise(raw).strip().rstrip(".").strip()


_NUMBER_RE = re.compile(r"^[0-9IVXivx]+(?:[.\-/][0-9]+)*[a-zа-я]?$")


def join_continuation_rows(rows: list[RawRow], columns: dict[str, int]) -> list[RawRow]:
    """Rows that finish the row above after a page break, joined into it column by column.

    Word tables converted from print (and their Excel exports) break a row across a page into two
    rows: the second has an empty number cell and the rest of every cell's text, often mid-phrase
    ("2024 йил февраль 2024" | "йил март 2024 йил апрель"). It is told from a mechanism sub-row
    (the roadmap layout) by its name cell: a sub-row never repeats the measure's name (a merged
    cell reads empty), a continuation carries the rest of it. Runs before any cell is parsed, so
    deadlines, steps and statuses see the whole text. Rows after a repeated header are left to
    :meth:`TableParser._group`, which knows the page break from the header.
    """
    number_at, title_at = columns.get("number"), columns.get("title")
    if number_at is None or title_at is None:
        return rows
    joined: list[RawRow] = []
    for row in rows:
        if joined and _continues(joined[-1], row, number_at, title_at):
            joined[-1] = _join_rows(joined[-1], row)
        else:
            joined.append(row)
    return joined


def _text_at(row: RawRow, index: int) -> str:
    return row.cells[index] if index < len(row.cells) else ""


def _merged_at(row: RawRow, index: int) -> bool:
    return index < len(row.merged) and row.merged[index]


def _continues(above: RawRow, row: RawRow, number_at: int, title_at: int) -> bool:
    if any(r.is_header_row or _is_header(r.cells) or _is_numbering_row(r.cells) for r in (above, row)):
        return False
    if _text_at(row, number_at).strip() or _merged_at(row, number_at) or _merged_at(row, title_at):
        return False
    return bool(_text_at(row, title_at).strip()) and bool(_plain(_text_at(above, title_at)))


def _join_rows(above: RawRow, row: RawRow) -> RawRow:
    width = max(len(above.cells), len(row.cells))
    cells = [
        join_pieces(_plain(_text_at(above, i)), _text_at(row, i))
        if _text_at(row, i).strip()
        else _text_at(above, i)
        for i in range(width)
    ]
    return RawRow(cells=cells, number=above.number, is_header_row=False, merged=list(above.merged))


@dataclass
class _Piece:
    """One row's worth of a measure (its first row or a sub-row), cells joined across page breaks."""

    row: int
    cells: dict[str, str]
    raw: dict[str, list[str]]

    def add(self, column: str, raw: str) -> None:
        if raw.strip():
            self.cells[column] = join_pieces(self.cells.get(column, ""), raw)
            self.raw.setdefault(column, []).append(raw)


@dataclass
class _Group:
    first: _Piece
    subrows: list[_Piece] = field(default_factory=list)
    #: Steps given as rows numbered "<measure>.<n>" (our export's layout).
    dotted: list[tuple[str, _Piece]] = field(default_factory=list)
    last_row: int = 0

    @property
    def last_piece(self) -> _Piece:
        if self.dotted:
            return self.dotted[-1][1]
        return self.subrows[-1] if self.subrows else self.first


class TableParser:
    def __init__(self, document: RawDocument, kind: PlanKind | None) -> None:
        self.document = document
        self.kind = kind
        self.warnings: list[str] = list(document.warnings)
        #: Rows whose status note has no status word (the status was guessed).
        self.guessed_rows: set[int] = set()

    def _error(self, row: int, column: str | None, message: str) -> InvalidInput:
        if column is None:
            return InvalidInput(_("Row %(row)s: %(message)s", row=row, message=message))
        return InvalidInput(
            _(
                "Row %(row)s, column “%(column)s”: %(message)s",
                row=row,
                column=self.columns_text.get(column, str(COLUMN_LABELS[column])),
                message=message,
            )
        )

    def _warn(self, row: int, column: str | None, message: str) -> None:
        if column is None:
            self.warnings.append(_("Row %(row)s: %(message)s", row=row, message=message))
        else:
            self.warnings.append(
                _(
                    "Row %(row)s, column “%(column)s”: %(message)s",
                    row=row,
                    column=self.columns_text.get(column, str(COLUMN_LABELS[column])),
                    message=message,
                )
            )

    def parse(self) -> ParsedPlan:
        rows = self.document.rows
        header_index = next((i for i, r in enumerate(rows) if _is_header(r.cells)), None)
        if header_index is None:
            raise InvalidInput(
                _(
                    "No table header was recognised. The table needs a header row with at least the "
                    "columns “№”, “Чора-тадбирлар номи” and “Ижро муддати” (in any script or in Russian)."
                )
            )
        header = rows[header_index]
        self.columns = detect_columns(header.cells)
        self.columns_text = {c: normalise(header.cells[i]) for c, i in self.columns.items()}
        if "number" not in self.columns:
            raise InvalidInput(
                _("Row %(row)s: the table has no number column (“№” or “Т/р”).", row=header.number)
            )
        preamble_lines = list(self.document.preamble)
        for row in rows[:header_index]:
            preamble_lines.append(" ".join(c.strip() for c in row.cells if c.strip()))
        preamble = parse_preamble(preamble_lines)
        self.warnings += preamble.warnings

        groups = self._group(join_continuation_rows(rows[header_index + 1 :], self.columns))
        measures = [self._measure(g) for g in groups]
        self._check_numbers(measures)
        return self._plan(preamble, measures)

    def _cell(self, row: RawRow, column: str) -> str:
        index = self.columns.get(column)
        if index is None or index >= len(row.cells):
            return ""
        return row.cells[index] or ""

    def _piece(self, row: RawRow) -> _Piece:
        piece = _Piece(row=row.number, cells={}, raw={})
        for column in self.columns:
            if column != "number":
                piece.add(column, self._cell(row, column))
        return piece

    def _group(self, rows: list[RawRow]) -> list[_Group]:
        body = []
        after_header = False
        for row in rows:
            if row.is_header_row or _is_header(row.cells):
                after_header = True
                continue
            if not any(c.strip() for c in row.cells) or _is_numbering_row(row.cells):
                continue
            body.append((row, after_header))
            after_header = False
        # Tables that give mechanism steps rows of their own have rows with an empty number
        # that do not follow a page break.
        has_subrows = any(not self._cell(row, "number").strip() and not after for row, after in body)

        groups: list[_Group] = []
        for row, after_header in body:
            number = _clean_number(self._cell(row, "number"))
            title = self._cell(row, "title").strip()
            current = groups[-1] if groups else None
            if number:
                if (
                    current is not None
                    and not title
                    and number.startswith(current.first.cells["number"] + ".")
                ):
                    step_number = number[len(current.first.cells["number"]) + 1 :]
                    current.dotted.append((step_number, self._piece(row)))
                    current.last_row = row.number
                    continue
                if len(number) > 20 or not _NUMBER_RE.match(number):
                    raise self._error(
                        row.number, "number", _("“%(value)s” is not a measure number.", value=number)
                    )
                piece = self._piece(row)
                piece.cells["number"] = number
                groups.append(_Group(first=piece, last_row=row.number))
                continue
            if current is None:
                raise self._error(
                    row.number, None, _("this row has no number and no measure above it to belong to.")
                )
            mechanism = _plain(self._cell(row, "mechanism"))
            starts_step = has_subrows and _STEP_PREFIX.match(mechanism) is not None
            if after_header and not starts_step:
                target = current.last_piece
                for column in self.columns:
                    if column != "number":
                        target.add(column, self._cell(row, column))
            else:
                piece = self._piece(row)
                if after_header:
                    self._finish_broken_sentence(current.last_piece, piece, row)
                current.subrows.append(piece)
            current.last_row = row.number
        if not groups:
            raise InvalidInput(_("The table has a header but no measures."))
        return groups

    def _finish_broken_sentence(self, previous: _Piece, piece: _Piece, row: RawRow) -> None:
        """A step starting at the top of a page: the first paragraph of its status cell may
        finish the sentence the previous step's status broke off ("…“Рақамли Ўзбекистон –")."""
        above = previous.cells.get("status_note", "")
        here = piece.cells.get("status_note", "")
        if not above or "\n" not in here or above.rstrip()[-1:] in '.;:!?»”")':
            return
        first, rest = here.split("\n", 1)
        if status_from_word(first) is not None:
            return
        previous.cells["status_note"] = join_pieces(above, first)
        piece.cells["status_note"] = rest

    def _step(self, piece: _Piece, number: str, text: str | None) -> ParsedStep:
        """A mechanism row (or sub-row) as a step with its own deadline and status."""
        if not text:
            raise self._error(piece.row, "mechanism", _("the step has no text."))
        status, note = self._status(piece)
        return ParsedStep(
            number=number,
            text=text,
            deadline_text=_one_line(piece.cells.get("deadline")),
            status=status,
            status_note=note,
            row=piece.row,
            status_guessed=piece.row in self.guessed_rows,
        )

    def _status(self, piece: _Piece) -> tuple[Status | None, str | None]:
        note = _clean(piece.cells.get("status_note"))
        label = piece.cells.get("status")
        status = status_from_word(label) if label else None
        if label and status is None:
            self._warn(piece.row, "status", _("“%(value)s” is not a status; it was ignored.", value=label))
        if status is None and note:
            status = status_from_word(note)
            if status is None:
                status = Status.IN_PROGRESS
                self.guessed_rows.add(piece.row)
                self._warn(
                    piece.row,
                    "status_note",
                    _("the status note does not say “Бажарилди” or “Бажарилмоқда”; taken as in progress."),
                )
        return status, note

    def _measure(self, group: _Group) -> ParsedMeasure:
        first = group.first
        cells = first.cells
        title = _clean(cells.get("title"))
        if not title:
            raise self._error(
                first.row, "title", _("measure %(number)s has no name.", number=cells["number"])
            )
        source = {self.columns_text.get(c, c): pieces for c, pieces in first.raw.items()}
        source.setdefault(self.columns_text.get("number", "№"), [cells["number"]])
        measure = ParsedMeasure(
            number=cells["number"],
            title=title,
            mechanism=_clean(cells.get("mechanism")),
            deadline_text=_one_line(cells.get("deadline")),
            legal_basis=_clean(cells.get("legal_basis")),
            expected_result=_clean(cells.get("expected_result")),
            responsible_text=_clean(cells.get("responsible")),
            rows=(first.row, group.last_row),
            source=source,
        )
        if group.subrows:
            pieces = [first, *group.subrows]
            for position, piece in enumerate(pieces, start=1):
                text = _clean(piece.cells.get("mechanism")) or ""
                match = _STEP_PREFIX.match(text)
                number = match.group(1) if match else str(position)
                text = text[match.end() :] if match else text
                measure.steps.append(self._step(piece, number, text))
                if piece is not first:
                    for column, raws in piece.raw.items():
                        source.setdefault(self.columns_text.get(column, column), []).extend(raws)
            measure.mechanism = (
                "\n".join(m for m in (_clean(p.cells.get("mechanism")) for p in pieces) if m) or None
            )
            first_status, measure.status_note = self._status(first)
            statuses = [s.status for s in measure.steps if s.status]
            if statuses:
                measure.status = (
                    Status.DONE
                    if all(s == Status.DONE for s in statuses) and len(statuses) == len(measure.steps)
                    else Status.IN_PROGRESS
                )
            else:
                measure.status = first_status
        elif group.dotted:
            measure.status, measure.status_note = self._status(first)
            for number, piece in group.dotted:
                measure.steps.append(self._step(piece, number, _clean(piece.cells.get("mechanism"))))
        else:
            measure.status, measure.status_note = self._status(first)
            items = split_numbered(measure.mechanism or "")
            if items:
                deadlines = parse_deadlines(measure.deadline_text) if measure.deadline_text else []
                own = len(deadlines) == len(items) and len(items) > 1
                for index, (number, text) in enumerate(items):
                    measure.steps.append(
                        ParsedStep(
                            number=number,
                            text=text,
                            deadline_text=deadlines[index].text if own else None,
                            row=first.row,
                        )
                    )
        measure.status_guessed = first.row in self.guessed_rows and not any(s.status for s in measure.steps)
        self._check_deadlines(measure)
        self._offer_ocr_repairs(measure)
        return measure

    def _check_deadlines(self, measure: ParsedMeasure) -> None:
        for text, row in [(measure.deadline_text, measure.rows[0])] + [
            (s.deadline_text, s.row or 0) for s in measure.steps
        ]:
            if not text:
                continue
            if is_unreadable_deadline(text):
                self._warn(
                    row,
                    "deadline",
                    _("“%(value)s” could not be read as a date; it is kept as written.", value=text),
                )

    def _offer_ocr_repairs(self, measure: ParsedMeasure) -> None:
        """Offer, never apply: the text is stored as written; the clerk decides."""
        texts = [measure.title, measure.mechanism, measure.expected_result, measure.status_note]
        texts += [s.text for s in measure.steps] + [s.status_note for s in measure.steps]
        repairs = suggest_repairs("\n".join(t for t in texts if t))
        if repairs:
            self._warn(
                measure.rows[0],
                None,
                _(
                    "possible OCR misreadings, kept as written: %(pairs)s.",
                    pairs=", ".join(f"{r.word} → {r.suggestion}" for r in repairs),
                ),
            )

    def _check_numbers(self, measures: list[ParsedMeasure]) -> None:
        seen: dict[str, int] = {}
        for measure in measures:
            if measure.number in seen:
                raise self._error(
                    measure.rows[0],
                    "number",
                    _(
                        "measure number %(number)s is already used in row %(other)s.",
                        number=measure.number,
                        other=seen[measure.number],
                    ),
                )
            seen[measure.number] = measure.rows[0]

    def _plan(self, preamble: Preamble, measures: list[ParsedMeasure]) -> ParsedPlan:
        title = preamble.title
        if not title:
            title = _("Imported plan (%(name)s)", name=self.document.filename)
            self.warnings.append(
                _("No title was found above the table; give the plan a title after the import.")
            )
        detected = kind_of(title)
        kind = self.kind or detected or PlanKind.WORK_PLAN
        if self.kind is None and detected is None:
            self.warnings.append(
                _("The kind of plan could not be told from its title; it is imported as a work plan.")
            )
        start, end = preamble.period or period_of(title)
        basis = preamble.basis or basis_of(title)
        return ParsedPlan(
            format=self.document.format,
            filename=self.document.filename,
            title=title,
            kind=kind,
            kind_detected=detected is not None,
            period_start=start,
            period_end=end,
            basis=basis,
            approval=preamble.approval,
            as_of=preamble.as_of,
            measures=measures,
            columns=self.columns_text,
            warnings=self.warnings,
        )


def parse_document(document: RawDocument, kind: PlanKind | None = None) -> ParsedPlan:
    """The plan a file holds. Raises :class:`InvalidInput` naming the row and column at fault."""
    if document.payload is not None:
        from tracker.imports.opendata import parse_open_data

        return parse_open_data(document, kind)
    return TableParser(document, kind).parse()
