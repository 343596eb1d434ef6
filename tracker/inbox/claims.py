"""Claims as the inbox's lists and ``/api/v1`` show them: plain rows, not ORM objects (issue 17).

Loading 50 ``StatusUpdate`` objects with their measure, plan, step, author and files took a
third of the inbox's time; the same columns as plain rows take a fifth of that. A
:class:`Claim` answers the attributes the templates and the API serializers read
(``claim.measure.plan.title``, ``claim.author.name``, ``claim.attachments``…), nothing else.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from tracker.execution.models import Attachment, StatusUpdate
from tracker.extensions import db
from tracker.plans.models import Measure, Plan, Step


@dataclass(frozen=True)
class PlanTitle:
    id: int
    title: str


@dataclass(frozen=True)
class ClaimMeasure:
    id: int
    plan_id: int
    number: str
    title: str
    plan: PlanTitle


@dataclass(frozen=True)
class ClaimStep:
    id: int
    number: str
    text: str


@dataclass(frozen=True)
class Person:
    name: str


@dataclass(frozen=True)
class EvidenceFile:
    id: int
    original_name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Claim:
    """A "done" report (or a returned one) with what its row shows."""

    id: int
    measure_id: int
    step_id: int | None
    status: str
    note: str | None
    created_at: datetime
    review_comment: str | None
    reviewed_at: datetime | None
    measure: ClaimMeasure
    step: ClaimStep | None
    author: Person | None
    reviewer: Person | None
    attachments: tuple[EvidenceFile, ...]


@functools.cache
def _people() -> tuple[Any, Any]:
    """The users table twice, as the author and the reviewer (built once: an alias of a table
    copies its columns, which the row query would otherwise pay each time)."""
    from tracker.auth.models import User

    return aliased(User), aliased(User)


def claim_rows(query: Select[Any]) -> tuple[list[Claim], int]:
    """The claims a query over ``StatusUpdate`` joined to ``Measure``, ``Plan`` and (outer)
    ``Step`` selects, in its order, and how many it selects before its LIMIT: two queries (the
    rows with their count, then their files) whatever their number."""
    author, reviewer = _people()
    rows = db.session.execute(
        query.with_only_columns(
            StatusUpdate.id,
            StatusUpdate.measure_id,
            StatusUpdate.step_id,
            StatusUpdate.status,
            StatusUpdate.note,
            StatusUpdate.created_at,
            StatusUpdate.review_comment,
            StatusUpdate.reviewed_at,
            Measure.plan_id,
            Measure.number,
            Measure.title,
            Plan.title,
            Step.number,
            Step.text,
            author.name,
            reviewer.name,
            func.count().over(),
        )
        .outerjoin(author, author.id == StatusUpdate.author_id)
        .outerjoin(reviewer, reviewer.id == StatusUpdate.reviewer_id)
    ).all()
    files: dict[int, list[EvidenceFile]] = {}
    if rows:
        for update_id, file_id, name, size, sha256 in db.session.execute(
            select(
                Attachment.status_update_id,
                Attachment.id,
                Attachment.original_name,
                Attachment.size,
                Attachment.sha256,
            )
            .where(Attachment.status_update_id.in_([row[0] for row in rows]))
            .order_by(Attachment.id)
        ):
            files.setdefault(update_id, []).append(EvidenceFile(file_id, name, size, sha256))
    plans: dict[int, PlanTitle] = {}
    claims = [
        Claim(
            id=update_id,
            measure_id=measure_id,
            step_id=step_id,
            status=status,
            note=note,
            created_at=created_at,
            review_comment=review_comment,
            reviewed_at=reviewed_at,
            measure=ClaimMeasure(
                measure_id, plan_id, number, title, plans.setdefault(plan_id, PlanTitle(plan_id, plan_title))
            ),
            step=ClaimStep(step_id, step_number, step_text) if step_id is not None else None,
            author=Person(author_name) if author_name is not None else None,
            reviewer=Person(reviewer_name) if reviewer_name is not None else None,
            attachments=tuple(files.get(update_id, ())),
        )
        for (
            update_id, measure_id, step_id, status, note, created_at, review_comment, reviewed_at,
            plan_id, number, title, plan_title, step_number, step_text, author_name, reviewer_name, _total,
        ) in rows
    ]  # fmt: skip
    total = cast(int, rows[0][-1]) if rows else 0
    return claims, total
