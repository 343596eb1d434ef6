"""Standing obligations: duties, their periods over a rolling horizon, period reports, compliance.

A duty is a measure of an ``obligations`` plan with a recurring deadline and no end, so the
reminder sweep and the measure page treat it as any recurring deadline. A period report is a
status update for that period (``period_due_on``), which is what stops its reminders, plus the
evidence and the checklist ticks kept on the period row.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.core import audit
from tracker.core.errors import InvalidInput
from tracker.core.status import Status
from tracker.core.time import utcnow
from tracker.execution import files
from tracker.execution import services as execution
from tracker.extensions import db
from tracker.obligations.models import ChecklistItem, ObligationPeriod
from tracker.orgs.models import Organization
from tracker.plans import services as plans
from tracker.plans.models import Measure, Plan, PlanKind
from tracker.uzbek import Deadline, DeadlineKind

if TYPE_CHECKING:
    from tracker.auth.models import User

logger = logging.getLogger(__name__)

#: The compliance view starts with the decree of 16.06.2021 (seed 000).
FIRST_YEAR = 2021


class Frequency(enum.StrEnum):
    YEARLY = "yearly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


FREQUENCY_LABELS = {
    Frequency.YEARLY: _l("Every year by a date"),
    Frequency.QUARTERLY: _l("Every quarter"),
    Frequency.MONTHLY: _l("Every month by a day"),
}


def recurrence_rule(frequency: Frequency, *, month: int | None = None, day: int | None = None) -> str:
    """The RRULE of a duty: yearly on month/day, quarterly at each quarter's end (or ``day`` of
    its last month), monthly on ``day`` (-1: the last day)."""
    if frequency == Frequency.YEARLY:
        if not month or not day:
            raise InvalidInput(_("A yearly duty needs the month and the day it is due."))
        return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}"
    if frequency == Frequency.QUARTERLY:
        return f"FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY={day or -1}"
    if not day:
        raise InvalidInput(_("A monthly duty needs the day of the month it is due."))
    return f"FREQ=MONTHLY;BYMONTHDAY={day}"


@dataclass
class DutyData:
    number: str
    title: str
    #: How the legal act words it ("Ҳар йили 1 мартгача").
    deadline_text: str
    frequency: Frequency
    starts_on: date
    month: int | None = None
    day: int | None = None
    lead_unit_id: int | None = None
    legal_basis: str | None = None
    expected_result: str | None = None
    checklist: list[str] = field(default_factory=list)


def create_obligations_plan(
    organization: Organization, title: str, *, basis: str | None, actor: User | None
) -> Plan:
    return plans.create_plan(
        organization, plans.PlanData(kind=PlanKind.OBLIGATIONS, title=title, basis=basis), actor=actor
    )


def add_duty(plan: Plan, data: DutyData, *, actor: User | None) -> Measure:
    """A duty recurring without end from ``data.starts_on``; its periods are generated at once."""
    if plan.kind != PlanKind.OBLIGATIONS:
        raise InvalidInput(_("Standing duties belong in a plan of standing obligations."))
    rule = recurrence_rule(data.frequency, month=data.month, day=data.day)
    measure = plans.add_measure(
        plan,
        plans.MeasureData(
            number=data.number,
            title=data.title,
            deadline_text=data.deadline_text,
            legal_basis=data.legal_basis,
            expected_result=data.expected_result,
            lead_unit_id=data.lead_unit_id,
            added_on=data.starts_on,
        ),
        actor=actor,
    )
    # The wording is kept as written; the recurrence is the one chosen, open-ended.
    measure.deadline_kind = DeadlineKind.RECURRING.value
    measure.deadline_recurrence = rule
    measure.start_on = data.starts_on
    measure.due_on = None
    for position, label in enumerate(x.strip() for x in data.checklist if x.strip()):
        db.session.add(ChecklistItem(measure=measure, position=position, label=label))
    db.session.flush()
    audit.record(
        actor, "measure", measure.id, "duty", after={"recurrence": rule, "checklist": len(data.checklist)}
    )
    return measure


def checklist_of(measure: Measure) -> list[ChecklistItem]:
    return list(
        db.session.scalars(
            select(ChecklistItem)
            .where(ChecklistItem.measure_id == measure.id)
            .order_by(ChecklistItem.position)
        )
    )


# -- periods ------------------------------------------------------------------------------------


def horizon_end(today: date) -> date:
    """Periods are generated through the end of next year."""
    return date(today.year + 1, 12, 31)


def duties_query() -> Any:
    return (
        select(Measure)
        .join(Plan, Plan.id == Measure.plan_id)
        .where(
            Plan.kind == PlanKind.OBLIGATIONS.value,
            Plan.state != "closed",
            Measure.deleted_at.is_(None),
            Measure.status != Status.CANCELLED.value,
            Measure.deadline_kind == DeadlineKind.RECURRING.value,
        )
    )


def due_dates(measure: Measure, until: date) -> list[date]:
    if not measure.start_on or not measure.deadline_recurrence:
        return []
    deadline = Deadline("", DeadlineKind.RECURRING, measure.start_on, None, measure.deadline_recurrence)
    return deadline.occurrences(measure.start_on, until)


def ensure_periods(today: date, plan: Plan | None = None) -> int:
    """Create the periods every duty owes through :func:`horizon_end`; safe to run again."""
    query = duties_query() if plan is None else duties_query().where(Plan.id == plan.id)
    until = horizon_end(today)
    created = 0
    for measure in db.session.scalars(query):
        existing = set(
            db.session.scalars(
                select(ObligationPeriod.due_on).where(ObligationPeriod.measure_id == measure.id)
            )
        )
        starts_on = measure.start_on
        for due_on in due_dates(measure, until):
            if due_on not in existing:
                db.session.add(ObligationPeriod(measure_id=measure.id, starts_on=starts_on, due_on=due_on))
                created += 1
            starts_on = due_on + timedelta(days=1)
    db.session.flush()
    return created


def periods_of(measure: Measure, until: date | None = None) -> list[ObligationPeriod]:
    query = select(ObligationPeriod).where(ObligationPeriod.measure_id == measure.id)
    if until is not None:
        query = query.where(ObligationPeriod.starts_on <= until)
    return list(db.session.scalars(query.order_by(ObligationPeriod.due_on)))


@dataclass
class PeriodReport:
    reported_on: date
    note: str
    evidence_url: str | None = None
    letter_number: str | None = None
    checked_item_ids: list[int] = field(default_factory=list)
    attachments: list[files.IncomingFile] = field(default_factory=list)


def report_period(
    period: ObligationPeriod, data: PeriodReport, *, actor: User | None, today: date
) -> ObligationPeriod:
    """Record that a period's duty was done, with its evidence. Raises :class:`InvalidInput` or
    :class:`PermissionDenied` (from the execution service, which also checks the unit's scope)."""
    if period.reported_on is not None:
        raise InvalidInput(_("This period has been reported already."))
    if data.reported_on > today:
        raise InvalidInput(_("The day the duty was done cannot be in the future."))
    if not (data.evidence_url or data.letter_number or data.attachments):
        raise InvalidInput(_("Give the evidence: a link to the published page, a letter number or a file."))
    if data.evidence_url and not data.evidence_url.startswith(("https://", "http://")):
        raise InvalidInput(_("The link must start with https:// or http://."))
    allowed = {item.id for item in checklist_of(period.measure)}
    if not set(data.checked_item_ids) <= allowed:
        raise InvalidInput(_("A ticked item does not belong to this duty's checklist."))
    update = execution.submit_status_update(
        period.measure,
        status=Status.IN_PROGRESS,
        note=data.note,
        actor=actor,
        attachments=data.attachments,
        # The period keeps the day the duty was done; the status report itself is dated the day
        # it is made, unless the secretariat (or the system) records it (issue 10's rule).
        effective_on=data.reported_on if actor is None or actor.has_permission("status.review") else None,
        period_due_on=period.due_on,
    )
    period.reported_on = data.reported_on
    period.reported_at = utcnow()
    period.reported_by_id = actor.id if actor else None
    period.evidence_url = data.evidence_url or None
    period.letter_number = data.letter_number or None
    period.note = data.note
    period.checked_item_ids = sorted(set(data.checked_item_ids))
    period.status_update_id = update.id
    db.session.flush()
    audit.record(
        actor,
        "obligation_period",
        period.id,
        "report",
        after={
            "due_on": period.due_on,
            "reported_on": period.reported_on,
            "url": period.evidence_url,
            "letter": period.letter_number,
            "checked": len(period.checked_item_ids),
        },
    )
    return period
