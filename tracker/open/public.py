"""What the public sees of a plan: the one read model (:mod:`tracker.plans.snapshot`) with
everything internal taken out.

Every public output (page, PDF, JSON, CSV, XLSX, catalogue counts) is made from
:func:`public_snapshot`, so what is left out is left out everywhere, and "in force", "overdue"
and the statuses are the read model's, never defined here:

- notes written as internal (the status they came with stands), return reasons, and every note
  and status when the publisher chose not to show statuses;
- steps, when not chosen;
- evidence files, except those chosen one by one (and never those of internal notes);
- who wrote, reviewed or returned anything: names and e-mail addresses of people never appear,
  apart from the approval block printed in the document itself; e-mail addresses written in
  notes are masked.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select

from tracker.core.status import Status
from tracker.execution.models import Attachment, StatusUpdate
from tracker.exports.data import snapshot_json
from tracker.extensions import db
from tracker.open.models import PlanPublication, PublicAttachment
from tracker.plans.models import Plan
from tracker.plans.snapshot import MeasureSnapshot, PlanSnapshot, StepSnapshot, snapshot_of

#: E-mail addresses in notes (people's addresses: staff write notes, the public reads them).
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _public_file_ids(publication: PlanPublication) -> set[int]:
    """Files chosen to be public, of notes that are not internal; none unless evidence is shown."""
    if not publication.show_evidence or not publication.show_statuses:
        return set()
    return set(
        db.session.scalars(
            select(PublicAttachment.attachment_id)
            .join(Attachment, Attachment.id == PublicAttachment.attachment_id)
            .join(StatusUpdate, StatusUpdate.id == Attachment.status_update_id)
            .where(PublicAttachment.publication_id == publication.id, StatusUpdate.is_internal.is_(False))
        )
    )


def _public_progress(
    item: MeasureSnapshot | StepSnapshot, files: set[int], *, show_statuses: bool
) -> dict[str, Any]:
    hidden = item.is_note_internal or not show_statuses
    note = "" if hidden else EMAIL.sub("…", item.note or "")
    return {
        "note": note,
        "return_reason": None,
        "evidence": tuple(e for e in item.evidence if e.id in files),
    }


def public_snapshot(
    plan: Plan, publication: PlanPublication, *, as_of: date, script: str | None
) -> PlanSnapshot:
    """The plan as of ``as_of`` as the public may see it (statuses are hidden later, by format)."""
    view = snapshot_of(plan, as_of, script=script)
    files = _public_file_ids(publication)
    shown = {"show_statuses": publication.show_statuses}
    measures = []
    for m in view.measures:
        steps = (
            tuple(replace(s, **_public_progress(s, files, **shown)) for s in m.steps)
            if publication.show_steps
            else ()
        )
        measures.append(replace(m, steps=steps, **_public_progress(m, files, **shown)))
    return replace(view, measures=tuple(measures))


_HIDDEN_STATUS = {
    "status": None,
    "status_note": None,
    "reported_on": None,
    "done_on": None,
    "overdue": False,
    "days_late": None,
    "done_on_time": None,
}


def _evidence_json(
    item: MeasureSnapshot | StepSnapshot, plan_id: int, media: dict[int, str]
) -> list[dict[str, Any]]:
    return [
        {
            "name": e.name,  # a file's name is its name in either script
            "media_type": media.get(e.id, "application/octet-stream"),
            "size": e.size,
            "url": f"/open/plans/{plan_id}/files/{e.id}",
        }
        for e in item.evidence
    ]


def public_document(view: PlanSnapshot, publication: PlanPublication) -> dict[str, Any]:
    """The public snapshot in the open-data format (``docs/open-data.md``): each measure and step
    also carries ``evidence`` (public files: name, media type, size, URL)."""
    data = snapshot_json(view)
    ids = [e.id for m in view.measures for item in (m, *m.steps) for e in item.evidence]
    media: dict[int, str] = {}
    if ids:
        query = select(Attachment.id, Attachment.mime_type).where(Attachment.id.in_(ids))
        media = {attachment_id: mime for attachment_id, mime in db.session.execute(query)}
    for measure, item in zip(view.measures, data["measures"], strict=True):
        item["evidence"] = _evidence_json(measure, view.id, media)
        for step, step_item in zip(measure.steps, item["steps"], strict=True):
            step_item["evidence"] = _evidence_json(step, view.id, media)
            if not publication.show_statuses:
                step_item.update(_HIDDEN_STATUS)
        if not publication.show_statuses:
            item.update(_HIDDEN_STATUS)
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
