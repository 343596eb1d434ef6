"""The inbox's sections for a user's roles, shared by the inbox page and ``GET /api/v1/inbox``."""

from __future__ import annotations

from typing import Any

from flask import request

from tracker.core.permissions import Role
from tracker.inbox import queries
from tracker.notifications.services import escalations_of


def int_arg(name: str, low: int = 0, high: int = 10**9) -> int | None:
    """The query argument as a whole number within bounds, else None."""
    value = request.args.get(name, type=int)
    return value if value is not None and low <= value <= high else None


def review_filters() -> queries.ReviewFilters:
    """The review list's filters from the query arguments (bad values are ignored)."""
    return queries.ReviewFilters(
        plan_id=int_arg("plan", 1), unit_id=int_arg("unit", 1), min_age_days=int_arg("age", 1, 3650)
    )


def inbox_data(user: Any, now: Any, filters: queries.ReviewFilters) -> dict[str, Any]:
    """Every section the user's roles call for (shared by the page and ``GET /api/v1/inbox``)."""
    data: dict[str, Any] = {}
    if user.unit_id is not None and (user.has_role(Role.EXECUTOR) or user.has_role(Role.UNIT_HEAD)):
        data["unit"] = {
            "due_soon": queries.due_soon(user, now),
            "overdue": queries.overdue_for_unit(user, now),
            "returned": queries.returned_to_unit(user),
            "waiting": queries.waiting_for_review_of_unit(user),
        }
    if user.has_permission("status.review"):
        data["controller"] = {
            "reviews": queries.claims_to_review(user, filters, now),
            "returned_plans": queries.plans_returned(user),
        }
    if user.has_permission("plan.approve"):
        data["director"] = {
            "awaiting": queries.plans_awaiting_approval(user),
            "escalations": escalations_of(user),
        }
    if "controller" in data or "director" in data:
        data["overdue_by_unit"] = queries.overdue_by_unit(user, now)
    return data
