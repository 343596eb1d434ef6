"""Typed, bounded shapes of every request body and response of /api/v1 (pydantic models).

Request models refuse what they do not know (``extra="forbid"``), bound every string and
number, and never coerce a list or an object into a string. The same models generate the
OpenAPI description (:mod:`tracker.api.openapi`), so the document cannot drift from the code.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from tracker.core.status import Status

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Version = Annotated[int, Field(ge=0, le=2**31 - 1)]
IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]
IsoDateTime = Annotated[str, Field(description="ISO 8601 date-time with offset")]
Text = Annotated[str, Field(max_length=20_000)]


# defer_build: each model builds its validator on first use, not when the app starts (building
# all of them took ~0.1 s of every process's start-up, issue 17).


class Body(BaseModel):
    """A request body: an object with exactly the documented fields."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


# -- errors ------------------------------------------------------------------------------------


class FieldProblem(Out):
    field: str
    problem: str


class ErrorDetail(Out):
    code: int
    message: str
    errors: list[FieldProblem] | None = None


class ErrorResponse(Out):
    error: ErrorDetail


# -- request bodies --------------------------------------------------------------------------------


class StatusBody(Body):
    status: Status
    note: Annotated[StrictStr, Field(max_length=20_000)] | None = None
    lock_version: Version | None = None
    #: An internal note: never on the public pages or in open data (a form sends "true"/"false").
    is_internal: bool = False


class ReviewBody(Body):
    decision: Literal["accept", "return"]
    comment: Annotated[StrictStr, Field(max_length=5000)] | None = None


class ApproveBody(Body):
    position: Annotated[StrictStr, Field(max_length=300)] | None = None
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    date: date


class ReturnPlanBody(Body):
    comment: Annotated[StrictStr, Field(min_length=1, max_length=5000)]


# -- responses ---------------------------------------------------------------------------------------


class Deadline(Out):
    text: str | None
    kind: str | None
    start: IsoDate | None
    due: IsoDate | None
    recurrence: str | None


class Period(Out):
    start: IsoDate | None
    end: IsoDate | None


class Approval(Out):
    name: str | None
    position: str | None
    date: IsoDate | None


class PlanSummary(Out):
    id: int
    title: str
    kind: str
    state: str
    version: int
    organization: str
    period: Period
    approval: Approval | None


class PlanList(Out):
    plans: list[PlanSummary]


class PlanResponse(Out):
    plan: PlanSummary


class OpenApiDocument(BaseModel):
    """The OpenAPI 3.1 document of /api/v1."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    openapi: Literal["3.1.0"]
    paths: dict[str, Any]


class OpenDataPlan(BaseModel):
    """The open-data format (docs/open-data.md, schema docs/open-data.schema.json)."""

    model_config = ConfigDict(extra="allow", defer_build=True)


class ResponsibleOut(Out):
    name: str | None
    unit_id: int | None
    lead: bool
    all_units: bool


class LegalBasisOut(Out):
    text: str
    acts: list[dict[str, Any]]


class ProgressOut(Out):
    """Status in force and the flags derived from it (the one read model, tracker/plans/snapshot.py)."""

    status: Status
    status_note: str | None
    reported_on: IsoDate | None
    done_on: IsoDate | None
    overdue: bool
    days_late: int | None
    done_on_time: bool | None


class StepOut(ProgressOut):
    id: int
    number: str
    text: str
    deadline: Deadline
    #: {"from": the deadline before, "basis": the letter} when the deadline was extended.
    extension: dict[str, Any] | None


class CommentOut(Out):
    id: int
    measure_id: int
    step_id: int | None
    author: str | None
    body: str
    mentions: list[dict[str, Any]]
    created_at: IsoDateTime


class MeasureOut(ProgressOut):
    id: int
    plan_id: int
    number: str
    title: str
    #: A proposal's or decision's text under the measure name (imports of proposals and minutes).
    content: str | None = None
    mechanism: str | None
    deadline: Deadline
    extension: dict[str, Any] | None
    legal_basis: LegalBasisOut | None
    expected_result: str | None
    #: The status is derived from the steps (docs/history.md).
    status_from_steps: bool
    lock_version: int
    responsible: list[ResponsibleOut]
    steps: list[StepOut]
    comments: list[CommentOut]


class AttachmentOut(Out):
    id: int
    name: str
    size: int
    sha256: str


class StatusUpdateOut(Out):
    id: int
    measure_id: int
    step_id: int | None
    status: Status
    note: str | None
    effective_on: IsoDate | None
    created_at: IsoDateTime | None
    review_state: str | None
    attachments: list[AttachmentOut]


class StatusCreated(Out):
    update: StatusUpdateOut
    status: Status
    lock_version: int


class Me(Out):
    id: int
    email: str
    name: str
    roles: list[str]
    unit_id: int | None
    organization_id: int
    authenticated_by_token: bool


class SearchHit(Out):
    kind: str
    id: int
    plan_id: int
    measure_id: int
    number: str
    title: str
    status: Status
    due_on: IsoDate | None
    overdue: bool


class SearchResponse(Out):
    query: str
    tokens: list[str]
    total: int
    results: list[SearchHit]
