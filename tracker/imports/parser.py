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

from tracker.imports.opendata import parse_open_data
from tracker.imports.parsed import Approval, ParsedMeasure, ParsedPlan, ParsedStep
from tracker.imports.readers import RawDocument
from tracker.imports.table import TableParser
from tracker.imports.table_rows import join_continuation_rows
from tracker.plans.models import PlanKind

__all__ = [
    "Approval",
    "ParsedMeasure",
    "ParsedPlan",
    "ParsedStep",
    "join_continuation_rows",
    "parse_document",
]


def parse_document(document: RawDocument, kind: PlanKind | None = None) -> ParsedPlan:
    """The plan a file holds. Raises :class:`InvalidInput` naming the row and column at fault."""
    if document.payload is not None:
        return parse_open_data(document, kind)
    return TableParser(document, kind).parse()
