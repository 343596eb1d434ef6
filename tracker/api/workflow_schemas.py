"""The shapes of the workflow API (tracker/api/workflow.py, tracker/api/deadlines.py): the inbox,
notifications, reviews, comments and deadline extensions. Built on :mod:`tracker.api.schemas`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from tracker.api.schemas import (
    AttachmentOut,
    Body,
    CommentOut,
    Id,
    IsoDate,
    IsoDateTime,
    Out,
    PlanSummary,
    StatusUpdateOut,
)
from tracker.core.status import Status
from tracker.notifications.models import NotificationKind

# -- request bodies ----------------------------------------------------------------------------------


class CommentBody(Body):
    body: Annotated[StrictStr, Field(min_length=1, max_length=5000)]
    step_id: Id | None = None
    mention_user_ids: Annotated[list[Id], Field(max_length=100)] = []
    mention_unit_ids: Annotated[list[Id], Field(max_length=100)] = []


# -- responses ---------------------------------------------------------------------------------------


class NotificationOut(Out):
    id: int
    kind: NotificationKind
    created_at: IsoDateTime
    read: bool
    text: str
    plan_id: int | None
    measure_id: int | None
    step_id: int | None
    unit: str | None
    actor: str | None
    reason: str | None
    url: str


class NotificationList(Out):
    notifications: list[NotificationOut]
    unread: int


class NotificationRead(Out):
    notification: NotificationOut


class Review(Out):
    id: int
    measure_id: int
    step_id: int | None
    plan_id: int
    status: Status
    note: str | None
    author: str | None
    created_at: IsoDateTime
    attachments: list[AttachmentOut]


class ReviewList(Out):
    reviews: list[Review]
    total: int


class ReviewDone(Out):
    review: StatusUpdateOut
    review_state: Literal["accepted", "returned"]
    comment: str | None
    status: Status


class ItemRef(Out):
    """A measure or a step in an inbox list."""

    kind: Literal["measure", "step"]
    id: int
    measure_id: int
    plan_id: int
    number: str
    title: str
    status: Status
    due_on: IsoDate | None
    overdue: bool


class ReturnedItem(Out):
    update_id: int
    measure_id: int
    step_id: int | None
    plan_id: int
    reason: str | None
    returned_by: str | None
    returned_at: IsoDateTime | None


class Counted(Out):
    count: int


class ItemSection(Counted):
    items: list[ItemRef]


class ReturnedSection(Counted):
    items: list[ReturnedItem]


class ReviewSection(Counted):
    items: list[Review]


class PlanSection(Counted):
    items: list[PlanSummary]


class UnitCount(Out):
    unit_id: int | None
    unit: str
    count: int


class EscalationSection(Counted):
    items: list[NotificationOut]


class UnitInbox(Out):
    due_soon: ItemSection
    overdue: ItemSection
    returned: ReturnedSection
    waiting_for_review: ReviewSection


class ControllerInbox(Out):
    reviews: ReviewSection
    returned_plans: PlanSection


class DirectorInbox(Out):
    plans_awaiting_approval: PlanSection
    escalations: EscalationSection


class Inbox(Out):
    today: IsoDate
    unit: UnitInbox | None
    controller: ControllerInbox | None
    director: DirectorInbox | None
    overdue_by_unit: list[UnitCount] | None


class CommentList(Out):
    comments: list[CommentOut]


class CommentCreated(Out):
    comment: CommentOut


# -- deadline extensions (tracker/api/deadlines.py) -------------------------------------------------


class DeadlineBody(Body):
    deadline_text: Annotated[StrictStr, Field(max_length=500)]
    reason: Annotated[StrictStr, Field(max_length=5000)] = ""
    basis: Annotated[StrictStr, Field(max_length=500)] | None = None
    effective_on: date | None = None


class ExtensionOut(BaseModel):
    """A deadline extension: requested, granted, refused or recorded."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    id: int
    measure_id: int
    step_id: int | None
    state: str
    deadline_text: str
    effective_on: IsoDate
    reason: str | None


class ExtensionResponse(BaseModel):
    """The extension and the deadline now in force."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    extension: ExtensionOut
    deadline: dict[str, Any]
