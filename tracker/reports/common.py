"""What the data of every report shares: the user's choices, the Writer, the filtered measures.

Everything comes from the one read model of a plan (:mod:`tracker.plans.snapshot`), already
written in the report's script; headings come from :mod:`tracker.reports.headings`, dates in the
official formats. "In force" and "overdue" are the snapshot's (:mod:`tracker.plans.inforce`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from tracker.core.status import Status
from tracker.extensions import db
from tracker.orgs.models import Unit
from tracker.plans.models import Plan
from tracker.plans.snapshot import Deadline, MeasureSnapshot, PlanSnapshot, snapshot_of
from tracker.plans.snapshot_load import in_script
from tracker.reports.headings import HEADINGS, HTML_LANG, SCRIPTS, STATUS_WORDS
from tracker.reports.models import ReportKind
from tracker.uzbek import format_doc_date

#: Optional columns of the status report, in print order.
OPTIONAL_COLUMNS = ("basis", "responsible", "result")
#: The status filter also accepts "overdue" (deadline passed, not done, on the report date).
OVERDUE = "overdue"
#: The order statuses are counted and drawn in.
STATUS_ORDER = (Status.DONE, Status.DONE_CLAIMED, Status.IN_PROGRESS, Status.NOT_STARTED, Status.CANCELLED)


@dataclass(frozen=True)
class ReportOptions:
    """What the user chose; together with the data, these determine the PDF."""

    as_of: date
    script: str = "cyrl"
    unit_id: int | None = None
    #: A :class:`Status` value, "overdue", or None for all.
    status: str | None = None
    columns: tuple[str, ...] = field(default_factory=tuple)
    include_pending: bool = False

    def __post_init__(self) -> None:
        if self.script not in SCRIPTS:
            raise ValueError(f"unknown script {self.script!r}")
        if self.status is not None and self.status != OVERDUE and self.status not in set(Status):
            raise ValueError(f"unknown status {self.status!r}")
        unknown = set(self.columns) - set(OPTIONAL_COLUMNS)
        if unknown:
            raise ValueError(f"unknown columns {sorted(unknown)}")
        # a canonical order, so that equal choices give equal cache keys
        object.__setattr__(self, "columns", tuple(c for c in OPTIONAL_COLUMNS if c in self.columns))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        data["columns"] = list(self.columns)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportOptions:
        return cls(
            as_of=date.fromisoformat(data["as_of"]),
            script=data.get("script", "cyrl"),
            unit_id=data.get("unit_id"),
            status=data.get("status"),
            columns=tuple(data.get("columns") or ()),
            include_pending=bool(data.get("include_pending")),
        )


class Writer:
    """Writes headings, status words and dates in one script (content comes written already)."""

    def __init__(self, script: str) -> None:
        self.script = script
        self.h = HEADINGS[script]
        self.words = STATUS_WORDS[script]

    def text(self, value: str | None) -> str:
        return in_script(value, self.script) if value else ""

    def date(self, value: date | None, style: str = "long") -> str:
        return format_doc_date(value, self.script, style) if value else ""

    def status(self, status: Status | str) -> str:
        return self.words[Status(status)]

    def deadline(self, deadline: Deadline) -> str:
        """ "2024 йил март → 2024 йил апрель (… хати асосида)" when an extension is in force."""
        if not deadline.extended_from:
            return deadline.text
        shown = f"{deadline.extended_from} → {deadline.text}"
        if deadline.extension_basis:
            shown += f" ({deadline.extension_basis} {self.h['on_basis']})"
        return shown


# -- loading --------------------------------------------------------------------------------------


def _matches_status(item: MeasureSnapshot, wanted: str | None) -> bool:
    if wanted is None:
        return True
    if wanted == OVERDUE:
        return item.is_overdue or any(s.is_overdue for s in item.steps)
    return item.status == wanted


def report_items(
    plan: Plan, options: ReportOptions, **read: Any
) -> tuple[PlanSnapshot, list[MeasureSnapshot]]:
    """The plan in force on the report date and its measures that pass the filters."""
    view = snapshot_of(
        plan, options.as_of, script=options.script, include_pending=options.include_pending, **read
    )
    items = [
        m for m in view.measures if m.concerns_unit(options.unit_id) and _matches_status(m, options.status)
    ]
    return view, items


def responsible_names(measure: MeasureSnapshot, w: Writer) -> list[str]:
    return [w.h["all_units"] if r.is_all_units else r.name for r in measure.responsibles]


def _filters_line(options: ReportOptions, w: Writer) -> str:
    parts = []
    if options.unit_id:
        unit = db.session.get(Unit, options.unit_id)
        if unit is not None:
            parts.append(f"{w.h['unit_filter']}: {w.text(unit.name)}")
    if options.status:
        word = w.h["overdue"] if options.status == OVERDUE else w.status(options.status)
        parts.append(f"{w.h['status_filter']}: {word}")
    if options.include_pending:
        parts.append(w.h["pending_included"])
    return "; ".join(parts)


def common_fields(kind: ReportKind, options: ReportOptions, w: Writer, title: str) -> dict[str, Any]:
    return {
        "kind": str(kind),
        "script": w.script,
        "lang": HTML_LANG[w.script],
        "h": w.h,
        "title": title,
        "as_of": options.as_of.isoformat(),
        "as_of_line": w.date(options.as_of, "as_of"),
        "filters_line": _filters_line(options, w),
    }
