"""The workflow API (issue 11): inbox, notifications, reviews, plan decisions and comments.

Same services, rules and permissions as the pages; bodies are typed and bounded
(:mod:`tracker.api.schemas`) and each route is described in the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user
from werkzeug import Response

from tracker.api.blueprint import bp
from tracker.api.bodies import domain_error, parse_body
from tracker.api.openapi import documented, query_param
from tracker.api.serializers import (
    comment_json,
    inbox_json,
    notification_json,
    notifications_json,
    plan_summary,
    review_json,
    status_update_json,
)
from tracker.comments import services as comments
from tracker.core.errors import DomainError
from tracker.core.permissions import login_only, permission_required
from tracker.core.time import today
from tracker.execution import services as execution
from tracker.execution.access import get_update_or_404
from tracker.extensions import db
from tracker.inbox import queries
from tracker.inbox.sections import inbox_data, review_filters
from tracker.notifications import services as notifications
from tracker.notifications.access import get_own_notification_or_404
from tracker.plans import services as plans
from tracker.plans.access import get_measure_or_404, get_plan_or_404


def _review_filter_params(prefix: str = "") -> list[dict[str, Any]]:
    """The query parameters of :func:`review_filters`, as the inbox and the review list document them."""
    described: list[tuple[str, dict[str, Any], str]] = [
        ("plan", {"type": "integer"}, "Only this plan"),
        ("unit", {"type": "integer"}, "Only this responsible unit"),
        ("age", {"type": "integer", "minimum": 1}, "Waiting at least this many days"),
    ]
    return [
        query_param(name, schema, prefix + (text[0].lower() + text[1:] if prefix else text))
        for name, schema, text in described
    ]


@bp.get("/inbox")
@login_only
@documented(
    summary="The caller's to-do lists, by role",
    responses={200: "Inbox"},
    query=_review_filter_params("Reviews: "),
    tag="workflow",
)
def inbox() -> Response:
    now = today()
    return jsonify(inbox_json(inbox_data(current_user, now, review_filters()), now))


@bp.get("/notifications")
@login_only
@documented(
    summary="The caller's notifications, newest first",
    responses={200: "NotificationList"},
    query=[query_param("unread", {"enum": ["0", "1"]}, "1: unread only")],
    tag="workflow",
)
def notification_list() -> Response:
    unread_only = request.args.get("unread") == "1"
    items = notifications.notifications_of(current_user, unread_only=unread_only)
    return jsonify(notifications=notifications_json(items), unread=notifications.unread_count(current_user))


@bp.post("/notifications/<int:notification_id>/read")
@login_only
@documented(
    summary="Mark one notification as read",
    responses={200: "NotificationRead"},
    tag="workflow",
)
def notification_read(notification_id: int) -> Response | tuple[Response, int]:
    notification = get_own_notification_or_404(notification_id)
    try:
        notifications.mark_read(notification, user=current_user)
    except DomainError as exc:
        return domain_error(exc)
    db.session.commit()
    return jsonify(notification=notification_json(notification))


@bp.get("/reviews")
@permission_required("status.review")
@documented(
    summary="Done claims waiting for review, oldest first",
    responses={200: "ReviewList"},
    query=_review_filter_params(),
    tag="workflow",
)
def reviews() -> Response:
    found = queries.claims_to_review(current_user, review_filters(), today(), limit=500)
    return jsonify(reviews=[review_json(u) for u in found.rows], total=found.count)


@bp.post("/status-updates/<int:update_id>/review")
@permission_required("status.review")
@documented(
    summary="Accept a done claim, or return it with a comment",
    body="ReviewBody",
    responses={200: "ReviewDone", 409: "ErrorResponse"},
    tag="workflow",
)
def review(update_id: int) -> Response | tuple[Response, int]:
    update = get_update_or_404(update_id)
    from tracker.api import schemas  # pydantic on first use (tracker.api.views)

    body = parse_body(schemas.ReviewBody)
    try:
        if body.decision == "accept":
            execution.accept_claim(update, actor=current_user, comment=body.comment)
        else:
            execution.return_claim(update, actor=current_user, reason=body.comment or "")
    except DomainError as exc:
        return domain_error(exc)
    db.session.commit()
    target = update.step or update.measure
    return jsonify(
        review=status_update_json(update),
        review_state=update.review_state,
        comment=update.review_comment,
        status=target.status,
    )


def _decided(action: object) -> Response | tuple[Response, int]:
    try:
        plan = action()  # type: ignore[operator]
    except DomainError as exc:
        return domain_error(exc)
    db.session.commit()
    return jsonify(plan=plan_summary(plan))


_PLAN_DONE: dict[int, str] = {200: "PlanResponse", 409: "ErrorResponse"}


@bp.post("/plans/<int:plan_id>/submit")
@permission_required("plan.edit")
@documented(summary="Send a draft plan to the director for approval", responses=_PLAN_DONE, tag="workflow")
def plan_submit(plan_id: int) -> Response | tuple[Response, int]:
    plan = get_plan_or_404(plan_id)
    return _decided(lambda: plans.submit_plan(plan, actor=current_user))


@bp.post("/plans/<int:plan_id>/approve")
@permission_required("plan.approve")
@documented(
    summary="Approve a plan (the approval block as printed)",
    body="ApproveBody",
    responses=_PLAN_DONE,
    tag="workflow",
)
def plan_approve(plan_id: int) -> Response | tuple[Response, int]:
    plan = get_plan_or_404(plan_id)
    from tracker.api import schemas  # pydantic on first use (tracker.api.views)

    body = parse_body(schemas.ApproveBody)
    return _decided(
        lambda: plans.approve_plan(
            plan, actor=current_user, position=body.position, name=body.name, approval_date=body.date
        )
    )


@bp.post("/plans/<int:plan_id>/return")
@permission_required("plan.approve")
@documented(
    summary="Return a plan to draft with a comment",
    body="ReturnPlanBody",
    responses=_PLAN_DONE,
    tag="workflow",
)
def plan_return(plan_id: int) -> Response | tuple[Response, int]:
    plan = get_plan_or_404(plan_id)
    from tracker.api import schemas  # pydantic on first use (tracker.api.views)

    body = parse_body(schemas.ReturnPlanBody)
    return _decided(lambda: plans.return_plan(plan, actor=current_user, comment=body.comment))


@bp.get("/measures/<int:measure_id>/comments")
@permission_required("plan.view")
@documented(
    summary="The measure's comment thread, oldest first",
    responses={200: "CommentList"},
    tag="workflow",
)
def comment_list(measure_id: int) -> Response:
    measure = get_measure_or_404(measure_id, live=True)
    return jsonify(comments=[comment_json(c) for c in comments.comments_of(measure)])


@bp.post("/measures/<int:measure_id>/comments")
@permission_required("plan.view")
@documented(
    summary="Comment on a measure or one of its steps; @mentions are notified",
    body="CommentBody",
    responses={201: "CommentCreated"},
    tag="workflow",
)
def comment_add(measure_id: int) -> Response | tuple[Response, int]:
    measure = get_measure_or_404(measure_id, live=True)
    from tracker.api import workflow_schemas  # pydantic on first use (tracker.api.views)

    body = parse_body(workflow_schemas.CommentBody)
    step = None
    if body.step_id is not None:
        step = next((s for s in measure.steps if s.id == body.step_id), None)
        if step is None:
            from flask_babel import gettext as _

            from tracker.api.bodies import error

            return error(400, _("This step belongs to another measure."))
    try:
        comment = comments.add_comment(
            measure,
            body.body,
            actor=current_user,
            step=step,
            mention_user_ids=body.mention_user_ids,
            mention_unit_ids=body.mention_unit_ids,
        )
    except DomainError as exc:
        return domain_error(exc)
    db.session.commit()
    return jsonify(comment=comment_json(comment)), 201
