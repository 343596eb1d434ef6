"""A plan table read into a :class:`ParsedPlan`: measures, steps, statuses, and checks naming the
row and column at fault."""

from __future__ import annotations

from flask_babel import gettext as _

from tracker.core.errors import InvalidInput
from tracker.core.status import Status
from tracker.imports.cells import (
    STEP_PREFIX,
    clean,
    join_pieces,
    one_line,
    plain_text,
    split_numbered,
    status_from_word,
)
from tracker.imports.columns import COLUMN_LABELS, detect_columns, is_header
from tracker.imports.parsed import ParsedMeasure, ParsedPlan, ParsedStep, is_unreadable_deadline
from tracker.imports.preamble import Preamble, basis_of, kind_of, parse_preamble, period_of
from tracker.imports.readers import RawDocument, RawRow
from tracker.imports.table_rows import (
    NUMBER_RE,
    Group,
    Piece,
    clean_number,
    is_numbering_row,
    join_continuation_rows,
)
from tracker.plans.models import PlanKind
from tracker.uzbek import normalise, parse_deadlines
from tracker.uzbek.ocr import suggest_repairs


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
        header_index = next((i for i, r in enumerate(rows) if is_header(r.cells)), None)
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

    def _piece(self, row: RawRow) -> Piece:
        piece = Piece(row=row.number, cells={}, raw={})
        for column in self.columns:
            if column != "number":
                piece.add(column, self._cell(row, column))
        return piece

    def _group(self, rows: list[RawRow]) -> list[Group]:
        """The table's body rows gathered into measures (a numbered row starts one)."""
        body = self._body(rows)
        # Tables that give mechanism steps rows of their own have rows with an empty number
        # that do not follow a page break.
        has_subrows = any(not self._cell(row, "number").strip() and not after for row, after in body)
        groups: list[Group] = []
        for row, after_header in body:
            number = clean_number(self._cell(row, "number"))
            if number:
                self._add_numbered(groups, row, number)
            elif not groups:
                raise self._error(
                    row.number, None, _("this row has no number and no measure above it to belong to.")
                )
            else:
                self._add_unnumbered(groups[-1], row, after_header, has_subrows)
        if not groups:
            raise InvalidInput(_("The table has a header but no measures."))
        return groups

    def _body(self, rows: list[RawRow]) -> list[tuple[RawRow, bool]]:
        """Rows with content, each with whether it follows a repeated header (a page break)."""
        body = []
        after_header = False
        for row in rows:
            if row.is_header_row or is_header(row.cells):
                after_header = True
                continue
            if not any(c.strip() for c in row.cells) or is_numbering_row(row.cells):
                continue
            body.append((row, after_header))
            after_header = False
        return body

    def _add_numbered(self, groups: list[Group], row: RawRow, number: str) -> None:
        """A new measure, or step n of the current one when numbered "<measure>.<n>" without a name."""
        current = groups[-1] if groups else None
        title = self._cell(row, "title").strip()
        if current is not None and not title and number.startswith(current.first.cells["number"] + "."):
            step_number = number[len(current.first.cells["number"]) + 1 :]
            current.dotted.append((step_number, self._piece(row)))
            current.last_row = row.number
            return
        if len(number) > 20 or not NUMBER_RE.match(number):
            raise self._error(row.number, "number", _("“%(value)s” is not a measure number.", value=number))
        piece = self._piece(row)
        piece.cells["number"] = number
        groups.append(Group(first=piece, last_row=row.number))

    def _add_unnumbered(self, current: Group, row: RawRow, after_header: bool, has_subrows: bool) -> None:
        """The rest of the piece above after a page break, or a mechanism sub-row of its own."""
        mechanism = plain_text(self._cell(row, "mechanism"))
        starts_step = has_subrows and STEP_PREFIX.match(mechanism) is not None
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

    def _finish_broken_sentence(self, previous: Piece, piece: Piece, row: RawRow) -> None:
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

    def _step(self, piece: Piece, number: str, text: str | None) -> ParsedStep:
        """A mechanism row (or sub-row) as a step with its own deadline and status."""
        if not text:
            raise self._error(piece.row, "mechanism", _("the step has no text."))
        status, note = self._status(piece)
        return ParsedStep(
            number=number,
            text=text,
            deadline_text=one_line(piece.cells.get("deadline")),
            status=status,
            status_note=note,
            row=piece.row,
            status_guessed=piece.row in self.guessed_rows,
        )

    def _status(self, piece: Piece) -> tuple[Status | None, str | None]:
        note = clean(piece.cells.get("status_note"))
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

    def _measure(self, group: Group) -> ParsedMeasure:
        first = group.first
        cells = first.cells
        title = clean(cells.get("title"))
        if not title:
            raise self._error(
                first.row, "title", _("measure %(number)s has no name.", number=cells["number"])
            )
        source = {self.columns_text.get(c, c): pieces for c, pieces in first.raw.items()}
        source.setdefault(self.columns_text.get("number", "№"), [cells["number"]])
        measure = ParsedMeasure(
            number=cells["number"],
            title=title,
            mechanism=clean(cells.get("mechanism")),
            deadline_text=one_line(cells.get("deadline")),
            legal_basis=clean(cells.get("legal_basis")),
            expected_result=clean(cells.get("expected_result")),
            responsible_text=clean(cells.get("responsible")),
            rows=(first.row, group.last_row),
            source=source,
        )
        if group.subrows:
            self._steps_of_subrows(measure, group, source)
        elif group.dotted:
            measure.status, measure.status_note = self._status(first)
            for number, piece in group.dotted:
                measure.steps.append(self._step(piece, number, clean(piece.cells.get("mechanism"))))
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

    def _steps_of_subrows(self, measure: ParsedMeasure, group: Group, source: dict[str, list[str]]) -> None:
        """The roadmap layout: the first row and each sub-row are steps; the measure's status follows."""
        first = group.first
        pieces = [first, *group.subrows]
        for position, piece in enumerate(pieces, start=1):
            text = clean(piece.cells.get("mechanism")) or ""
            match = STEP_PREFIX.match(text)
            number = match.group(1) if match else str(position)
            text = text[match.end() :] if match else text
            measure.steps.append(self._step(piece, number, text))
            if piece is not first:
                for column, raws in piece.raw.items():
                    source.setdefault(self.columns_text.get(column, column), []).extend(raws)
        measure.mechanism = (
            "\n".join(m for m in (clean(p.cells.get("mechanism")) for p in pieces) if m) or None
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
