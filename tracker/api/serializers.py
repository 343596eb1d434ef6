"""Plain JSON shapes of our objects (ISO dates, status codes rather than labels)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tracker.comments.services import comments_of
from tracker.execution.models import StatusUpdate
from tracker.plans.models import DeadlineFields, Measure, Plan


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def deadline_json(item: DeadlineFields) -> dict[str, Any]:
    return item.deadline_json()


def plan_summary(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "title": plan.title,
        "kind": plan.kind,
        "state": plan.state,
        "version": plan.version,
        "organization": plan.organization.name,
        "period": {"start": _iso(plan.period_start), "end": _iso(plan.period_end)},
        "approval": {
            "name": plan.approval_name,
            "position": plan.approval_position,
            "date": _iso(plan.approval_date),
        }
        if plan.approval_name
        else None,
    }


def measure_json(measure: Measure) -> dict[str, Any]:
    """The measure today, from the one read model (pending claims shown as awaiting review)."""
    from tracker.exports.data import measure_json as open_data_measure
    from tracker.plans.snapshot import measure_snapshot

    view = measure_snapshot(measure, include_pending=True, working_copy=True)
    data = open_data_measure(view) if view is not None else {"id": measure.id, "steps": []}
    return {
        "plan_id": measure.plan_id,
        "lock_version": measure.lock_version,
        **data,
        "comments": [comment_json(c) for c in comments_of(measure)],
    }


def status_update_json(update: StatusUpdate) -> dict[str, Any]:
    return {
        "id": update.id,
        "measure_id": update.measure_id,
        "step_id": update.step_id,
        "status": update.status,
        "note": update.note,
        "effective_on": _iso(update.effective_on),
        "created_at": _iso(update.created_at),
        "review_state": update.review_state,
        "attachments": attachment_json(update),
    }


# -- workflow (issue 11) -------------------------------------------------------------------------


def attachment_json(update: StatusUpdate) -> list[dict[str, Any]]:
    return [
        {"id": a.id, "name": a.original_name, "size": a.size, "sha256": a.sha256} for a in update.attachments
    ]


def review_json(update: StatusUpdate) -> dict[str, Any]:
    return {
        "id": update.id,
        "measure_id": update.measure_id,
        "step_id": update.step_id,
        "plan_id": update.measure.plan_id,
        "status": update.status,
        "note": update.note,
        "author": update.author.name if update.author else None,
        "created_at": _iso(update.created_at),
        "attachments": attachment_json(update),
    }


def notification_json(notification: Any, said: Any = None) -> dict[str, Any]:
    """A notification as the API gives it: the same words as the bell, in the caller's language
    (``said``: its :func:`~tracker.notifications.text.describe_all` entry, when a list was described)."""
    from tracker.notifications.links import link_of
    from tracker.notifications.text import describe

    said = said or describe(notification)
    return {
        "id": notification.id,
        "kind": notification.kind,
        "created_at": _iso(notification.created_at),
        "read": notification.read_at is not None,
        "text": said.text,
        "plan_id": notification.plan_id or (notification.measure.plan_id if notification.measure else None),
        "measure_id": notification.measure_id,
        "step_id": notification.step_id,
        "unit": said.unit or None,
        "actor": said.person or None,
        "reason": said.reason or None,
        "url": link_of(notification),
    }


def item_ref(item: Any) -> dict[str, Any]:
    """A measure or a step in an inbox list."""
    from tracker.plans.models import Step

    is_step = isinstance(item, Step)
    measure = item.measure if is_step else item
    return {
        "kind": "step" if is_step else "measure",
        "id": item.id,
        "measure_id": measure.id,
        "plan_id": measure.plan_id,
        "number": f"{measure.number}.{item.number}" if is_step else measure.number,
        "title": item.text if is_step else item.title,
        "status": item.status,
        "due_on": _iso(item.due_on),
        "overdue": item.is_overdue,
    }


def returned_json(update: StatusUpdate) -> dict[str, Any]:
    return {
        "update_id": update.id,
        "measure_id": update.measure_id,
        "step_id": update.step_id,
        "plan_id": update.measure.plan_id,
        "reason": update.review_comment,
        "returned_by": update.reviewer.name if update.reviewer else None,
        "returned_at": _iso(update.reviewed_at),
    }


def comment_json(comment: Any) -> dict[str, Any]:
    return {
        "id": comment.id,
        "measure_id": comment.measure_id,
        "step_id": comment.step_id,
        "author": comment.author.name if comment.author else None,
        "body": comment.body,
        "mentions": comment.mentions or [],
        "created_at": _iso(comment.created_at),
    }


def inbox_json(data: dict[str, Any], today: date) -> dict[str, Any]:
    """The inbox sections (see tracker/inbox/views.inbox_data) as plain JSON."""

    def section(lst: Any, fn: Any) -> dict[str, Any]:
        return {"count": lst.count, "items": [fn(row) for row in lst.rows]}

    unit, ctl, director = data.get("unit"), data.get("controller"), data.get("director")
    by_unit = data.get("overdue_by_unit")
    return {
        "today": today.isoformat(),
        "unit": {
            "due_soon": section(unit["due_soon"], item_ref),
            "overdue": section(unit["overdue"], item_ref),
            "returned": section(unit["returned"], returned_json),
            "waiting_for_review": section(unit["waiting"], review_json),
        }
        if unit
        else None,
        "controller": {
            "reviews": section(ctl["reviews"], review_json),
            "returned_plans": section(ctl["returned_plans"], plan_summary),
        }
        if ctl
        else None,
        "director": {
            "plans_awaiting_approval": section(director["awaiting"], plan_summary),
            "escalations": {
                "count": len(director["escalations"]),
                "items": notifications_json(director["escalations"]),
            },
        }
        if director
        else None,
        "overdue_by_unit": [{"unit_id": r.unit_id, "unit": r.name, "count": r.count} for r in by_unit]
        if by_unit is not None
        else None,
    }


def notifications_json(notifications: list[Any]) -> list[dict[str, Any]]:
    """A list of notifications, each plan's read model read once for all of them."""
    from tracker.notifications.text import describe_all

    return [
        notification_json(n, said) for n, said in zip(notifications, describe_all(notifications), strict=True)
    ]
