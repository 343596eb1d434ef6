"""What the public sees of a plan: the open-data document with everything internal taken out.

Every public output (page, PDF, JSON, CSV, XLSX, catalogue counts) is made from
:func:`public_document`, so what is left out is left out everywhere:

- notes written as internal, and every note when statuses are not public;
- statuses, when the publisher chose not to show them (``status`` is null then);
- steps, when not chosen;
- evidence files, except those chosen one by one (and never those of internal notes);
- who wrote, reviewed or returned anything: names and e-mail addresses of people never appear,
  apart from the approval block printed in the document itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select

from tracker.core.status import Status, is_overdue
from tracker.execution.history import plan_as_of
from tracker.execution.models import Attachment, StatusUpdate
from tracker.exports.data import plan_open_data
from tracker.extensions import db
from tracker.open.models import PlanPublication, PublicAttachment
from tracker.plans.models import Measure, Plan


def _internal_update_ids(measure_ids: Iterable[int]) -> set[int]:
    ids = list(measure_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(StatusUpdate.id).where(
                StatusUpdate.measure_id.in_(ids), StatusUpdate.is_internal.is_(True)
            )
        )
    )


def _public_files(
    publication: PlanPublication, as_of: date
) -> dict[tuple[int, int | None], list[Attachment]]:
    """Files chosen to be public, of notes that are not internal and were written by ``as_of``,
    keyed by (measure id, step id or None)."""
    if not publication.show_evidence or not publication.show_statuses:
        return {}
    rows = db.session.execute(
        select(Attachment, StatusUpdate.measure_id, StatusUpdate.step_id)
        .join(StatusUpdate, StatusUpdate.id == Attachment.status_update_id)
        .join(PublicAttachment, PublicAttachment.attachment_id == Attachment.id)
        .where(
            PublicAttachment.publication_id == publication.id,
            StatusUpdate.is_internal.is_(False),
            StatusUpdate.effective_on <= as_of,
        )
        .order_by(Attachment.id)
    )
    files: dict[tuple[int, int | None], list[Attachment]] = {}
    for attachment, measure_id, step_id in rows:
        files.setdefault((measure_id, step_id), []).append(attachment)
    return files


def _evidence(files: list[Attachment], plan_id: int) -> list[dict[str, Any]]:
    return [
        {
            "name": f.original_name,  # a file's name is its name in either script
            "media_type": f.mime_type,
            "size": f.size,
            "url": f"/open/plans/{plan_id}/files/{f.id}",
        }
        for f in files
    ]


#: E-mail addresses in notes (people's addresses: staff write notes, the public reads them).
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _redact_item(
    item: dict[str, Any], *, update_id: int | None, internal: set[int], show_statuses: bool, as_of: date
) -> None:
    """Leave the status (or not) and the note only when it is not internal; mark overdue items."""
    status = item["status"]
    item["overdue"] = is_overdue(
        date.fromisoformat(item["deadline"]["due"]) if item["deadline"]["due"] else None, status, as_of
    )
    if not show_statuses:
        item["status"], item["status_note"], item["overdue"] = None, None, False
    elif update_id is not None and update_id in internal:
        item["status_note"] = None
    elif item["status_note"]:
        item["status_note"] = EMAIL.sub("…", item["status_note"])


def public_document(
    plan: Plan, publication: PlanPublication, *, as_of: date, script: str | None
) -> dict[str, Any]:
    """The plan in the open-data format (``docs/open-data.md``), as the public may see it.

    Measures and steps also carry ``overdue`` (bool) and ``evidence`` (public files: name,
    media type, size, URL).
    """
    # Temporary: the export's open-data builder plus the history for the ids of the notes in force.
    data = plan_open_data(plan, script=script, as_of=as_of)
    state = plan_as_of(plan.id, as_of, include_pending=False)
    internal = _internal_update_ids(state.measure_ids)
    files = _public_files(publication, as_of)
    steps_of = {
        m.id: [s.id for s in m.steps]
        for m in db.session.scalars(select(Measure).where(Measure.id.in_(state.measure_ids)))
    }
    for item, measure_id in zip(data["measures"], state.measure_ids, strict=True):
        _redact_item(
            item,
            update_id=state.measures[measure_id].update_id,
            internal=internal,
            show_statuses=publication.show_statuses,
            as_of=as_of,
        )
        item["evidence"] = _evidence(files.get((measure_id, None), []), plan.id)
        if not publication.show_steps:
            item["steps"] = []
            continue
        for step, step_id in zip(item["steps"], steps_of[measure_id], strict=True):
            _redact_item(
                step,
                update_id=state.steps[step_id].update_id,
                internal=internal,
                show_statuses=publication.show_statuses,
                as_of=as_of,
            )
            step["evidence"] = _evidence(files.get((measure_id, step_id), []), plan.id)
    data["state"] = str(plan.state)
    return data


def counts(document: dict[str, Any]) -> dict[str, int]:
    """Measures done, in progress and overdue (on the document's day), and in all."""
    measures = document["measures"]
    return {
        "total": len(measures),
        "done": sum(1 for m in measures if m["status"] == Status.DONE),
        "in_progress": sum(1 for m in measures if m["status"] == Status.IN_PROGRESS),
        "overdue": sum(1 for m in measures if m["overdue"]),
    }


def without_extras(document: dict[str, Any]) -> dict[str, Any]:
    """The document for the CSV/XLSX writers: a hidden status prints as empty cells."""
    out = {**document, "measures": []}
    for m in document["measures"]:
        steps = [{**s, "status": s["status"] or Status.NOT_STARTED.value} for s in m["steps"]]
        out["measures"].append({**m, "status": m["status"] or Status.NOT_STARTED.value, "steps": steps})
    return out
