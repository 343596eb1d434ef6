"""The reminder sweep: which open measures and steps owe which reminder today, and to whom.

Exactly once rests on the database: a reminder exists once its claim row is inserted
(``INSERT … ON CONFLICT DO NOTHING`` on the claim key). Services flush but never commit: the
jobs (:mod:`tracker.reminders.jobs`) commit after each claimed batch.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, bindparam, cast, exists, func, literal, null, or_, select

from tracker.core.collector import collector_paused
from tracker.core.sql import array_literal
from tracker.core.status import CLOSED_STATUSES, Status
from tracker.core.time import as_utc
from tracker.execution.models import StatusUpdate
from tracker.extensions import db
from tracker.plans.models import Measure, Plan, PlanState, PlanVersion, Step
from tracker.reminders.models import Holiday, Reminder, ReminderPolicy
from tracker.reminders.outbox import insert_ignoring_conflicts
from tracker.reminders.policy import (
    CATCH_UP_DAYS,
    DEFAULT_RULES,
    MAX_SHIFT_DAYS,
    RECURRING_LOOKBACK_DAYS,
    PolicyRules,
    Stage,
    WorkingCalendar,
    due_stages,
    is_periodic,
    local_today,
    occurrence_dates,
)
from tracker.reminders.recipients import RecipientFinder, load_people, load_responsibility
from tracker.reminders.settings import rules_of

#: Rows per INSERT when claiming; a job commits after each batch (a national backlog of 500,000
#: claims is 100 commits, and a concurrent sweep waits at most one batch on a key it shares).
CLAIM_BATCH = 5000


class OpenItem(NamedTuple):
    """An open measure or step with what the rules need to know about its deadline (a named tuple:
    a national sweep builds hundreds of thousands of them)."""

    measure_id: int
    step_id: int | None
    organization_id: int
    status: str
    kind: str | None
    start_on: date | None
    due_on: date | None
    recurrence: str | None
    plan_start: date | None
    plan_end: date | None
    added_on: date | None

    @property
    def key(self) -> str:
        return f"s{self.step_id}" if self.step_id is not None else f"m{self.measure_id}"


class Claim(NamedTuple):
    """One reminder to claim: a row of ``notifications`` (a tuple: a national backlog is 500,000)."""

    organization_id: int
    recipient_id: int
    measure_id: int
    step_id: int | None
    item_key: str
    occurrence_on: date
    kind: str
    offset_days: int
    send_on: date


@dataclass
class DueReminders:
    """What one sweep found: the claims to insert, and how many items it looked at."""

    today: date
    rows: list[Claim] = field(default_factory=list)
    open_items: int = 0
    due_stages: int = 0


#: An organization's rules and working calendar.
Profile = tuple[PolicyRules, WorkingCalendar]

#: An item, one of its due dates, and the reminder stage it owes today.
Due = tuple[OpenItem, date, Stage]


def plans_owing_work() -> Any:
    """Plans whose measures are owed: approved, or being revised after an approval."""
    return or_(
        Plan.state == PlanState.APPROVED,
        and_(Plan.state != PlanState.CLOSED, exists().where(PlanVersion.plan_id == Plan.id)),
    )


def _open_items_query(horizon: date, *, steps: bool) -> Select[Any]:
    periodic = ["recurring", "continuous"]
    closed = [s.value for s in CLOSED_STATUSES]
    owner = Step if steps else Measure
    columns = (
        Measure.id,
        Step.id if steps else null(),
        Plan.organization_id,
        owner.status,
        owner.deadline_kind,
        owner.start_on,
        owner.due_on,
        owner.deadline_recurrence,
        Plan.period_start,
        Plan.period_end,
        Measure.added_on,
    )
    query: Any = select(*columns)  # a row of ten columns (Select is variadic in SQLAlchemy 2.1)
    if steps:
        query = query.select_from(Step).join(Measure, Measure.id == Step.measure_id)
    else:
        query = query.select_from(Measure)
    return query.join(Plan, Plan.id == Measure.plan_id).where(
        Measure.deleted_at.is_(None),
        Measure.status.not_in(closed),
        owner.status.not_in(closed),
        plans_owing_work(),
        or_(
            owner.deadline_kind.in_(periodic),
            and_(owner.due_on.is_not(None), owner.due_on <= horizon),
        ),
    )


@dataclass
class _Context:
    """The policies and working calendars of the sweep's day, loaded once.

    What an occurrence owes depends only on the day, the organization's rules and holidays, the
    due date and whether a claim waits for review; organizations with the same rules and holidays
    share one answer per due date, so the rules run once per distinct date, not once per item.
    """

    today: date
    horizon: date
    rules_by_org: dict[int, PolicyRules]
    holidays: dict[int, set[date]]
    profiles: dict[tuple[PolicyRules, frozenset[date]], Profile] = field(default_factory=dict)
    profile_of_org: dict[int, Profile] = field(default_factory=dict)
    stages_seen: dict[tuple[Any, ...], list[Stage]] = field(default_factory=dict)
    occurrences_seen: dict[tuple[Any, ...], list[date]] = field(default_factory=dict)

    def rules(self, organization_id: int) -> PolicyRules:
        return self.rules_by_org.get(organization_id, DEFAULT_RULES)

    def profile(self, organization_id: int) -> Profile:
        """The organization's rules and working calendar: one object per distinct pair."""
        if organization_id not in self.profile_of_org:
            rules = self.rules(organization_id)
            key = (rules, frozenset(self.holidays[organization_id]))
            if key not in self.profiles:
                self.profiles[key] = (rules, WorkingCalendar(key[1]))
            self.profile_of_org[organization_id] = self.profiles[key]
        return self.profile_of_org[organization_id]

    def stages(self, organization_id: int, occurrence: date, *, is_review: bool) -> list[Stage]:
        profile = self.profile(organization_id)
        key = (id(profile), occurrence, is_review)
        if key not in self.stages_seen:
            rules, calendar = profile
            self.stages_seen[key] = due_stages(occurrence, rules, calendar, self.today, is_review=is_review)
        return self.stages_seen[key]

    def occurrences(self, item: OpenItem) -> list[date]:
        if not is_periodic(item.kind):
            due_on = item.due_on
            return [due_on] if due_on is not None and due_on <= self.horizon else []
        rules = self.rules(item.organization_id)
        lookback = self.today - timedelta(days=RECURRING_LOOKBACK_DAYS)
        window_start = max(lookback, item.added_on) if item.added_on else lookback
        key: tuple[Any, ...] = (item.kind, item.start_on, item.due_on, item.recurrence)
        key += (item.plan_start, item.plan_end, rules.continuous_period, window_start)
        if key not in self.occurrences_seen:
            self.occurrences_seen[key] = occurrence_dates(
                kind=item.kind,
                start_on=item.start_on,
                due_on=item.due_on,
                recurrence=item.recurrence,
                plan_start=item.plan_start,
                plan_end=item.plan_end,
                rules=rules,
                window_start=window_start,
                window_end=self.horizon,
            )
        return self.occurrences_seen[key]


def _load_context(today: date) -> _Context:
    rules_by_org = {p.organization_id: rules_of(p) for p in db.session.scalars(select(ReminderPolicy))}
    max_before = max([r.max_days_before for r in rules_by_org.values()] + [DEFAULT_RULES.max_days_before])
    horizon = today + timedelta(days=max_before + MAX_SHIFT_DAYS)
    holidays: dict[int, set[date]] = defaultdict(set)
    for org_id, day in db.session.execute(
        select(Holiday.organization_id, Holiday.day).where(
            Holiday.day >= today - timedelta(days=CATCH_UP_DAYS + 2 * MAX_SHIFT_DAYS),
            Holiday.day <= horizon + timedelta(days=MAX_SHIFT_DAYS),
        )
    ):
        holidays[org_id].add(day)
    return _Context(today=today, horizon=horizon, rules_by_org=rules_by_org, holidays=holidays)


def _stages_of(item: OpenItem, context: _Context) -> list[Due]:
    """The reminder stages ``item`` owes today, one per due date and stage."""
    is_review = item.status == Status.DONE_CLAIMED
    return [
        (item, occurrence, stage)
        for occurrence in context.occurrences(item)
        for stage in context.stages(item.organization_id, occurrence, is_review=is_review)
    ]


def _without_reported_periods(due: list[Due]) -> list[Due]:
    """Periods already reported on owe nothing."""
    periodic_dates = sorted({occ for item, occ, _s in due if is_periodic(item.kind)})
    if not periodic_dates:
        return due
    reported = {
        (f"s{step_id}" if step_id is not None else f"m{measure_id}", on)
        for measure_id, step_id, on in db.session.execute(
            select(StatusUpdate.measure_id, StatusUpdate.step_id, StatusUpdate.period_due_on).where(
                StatusUpdate.period_due_on.in_(periodic_dates)
            )
        )
    }
    return [d for d in due if not (is_periodic(d[0].kind) and (d[0].key, d[1]) in reported)]


def _claimed_since(today: date) -> set[tuple[Any, ...]]:
    """The claim keys of the reminders recent enough to be owed again."""
    rows = (
        db.session.connection()
        .execute(  # plain rows: a national sweep reads 100,000s
            select(
                Reminder.recipient_id,
                Reminder.item_key,
                Reminder.occurrence_on,
                Reminder.kind,
                Reminder.offset_days,
            ).where(Reminder.send_on >= today - timedelta(days=CATCH_UP_DAYS + 1))
        )
        .all()
    )
    return {(recipient, item, on, kind, offset) for recipient, item, on, kind, offset in rows}


def _claim_rows(due: list[Due], today: date) -> list[Claim]:
    """One claim row per recipient of each due stage, minus what was claimed already."""
    claimed = _claimed_since(today)
    responsibility = load_responsibility(sorted({item.measure_id for item, _o, _s in due}))
    recipients = RecipientFinder(load_people({item.organization_id for item, _o, _s in due}))
    rows: list[Claim] = []
    for item, occurrence, stage in due:
        item_key, kind = item.key, stage.kind.value
        for recipient_id in recipients(stage.kind, item.organization_id, responsibility[item.measure_id]):
            key = (recipient_id, item_key, occurrence, kind, stage.offset_days)
            if key in claimed:
                continue
            claimed.add(key)
            rows.append(
                Claim(
                    item.organization_id,
                    recipient_id,
                    item.measure_id,
                    item.step_id,
                    item_key,
                    occurrence,
                    kind,
                    stage.offset_days,
                    stage.send_on,
                )
            )
    return rows


def find_due_reminders(now: datetime) -> DueReminders:
    """Every reminder due at ``now`` and not yet claimed, as rows for :func:`claim_reminders`.

    The number of queries does not depend on the number of measures: open items come in two
    queries, and everything else is loaded in bulk for the items that owe a reminder.
    """
    # Millions of small tuples and no cycles: the collector scanned them again and again
    # (a third of the sweep's time at 1,000,000 measures).
    with collector_paused():
        return _find_due_reminders(now)


def _find_due_reminders(now: datetime) -> DueReminders:
    db.session.flush()  # the bulk reads below use the connection, which does not autoflush
    context = _load_context(local_today(now))
    found = DueReminders(today=context.today)
    due: list[Due] = []
    for steps in (False, True):
        for row in db.session.connection().execute(_open_items_query(context.horizon, steps=steps)).all():
            found.open_items += 1
            due += _stages_of(OpenItem(*row), context)
    if not due:
        return found
    due = _without_reported_periods(due)
    found.due_stages = len(due)
    found.rows = _claim_rows(due, context.today)
    return found


#: A reminder's claim key: one row per recipient, item, occurrence, kind and offset.
CLAIM_KEY = ["recipient_id", "item_key", "occurrence_on", "kind", "offset_days"]
#: The columns of a claim row, in :class:`Claim`'s order.
_CLAIM_COLUMNS = list(Claim._fields)


def claim_reminders(rows: list[Claim], now: datetime) -> list[int]:
    """Insert the claim rows; those another process inserted first are skipped. Returns new ids."""
    if not rows:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        return _claim_on_postgresql(rows, now)
    parameters = [{**row._asdict(), "created_at": now} for row in rows]
    # The rows are parameters, not part of the statement: a VALUES list of 1,000 rows compiled
    # anew for every batch cost more than the inserts themselves.
    statement = insert_ignoring_conflicts(Reminder.__table__, None, CLAIM_KEY).returning(
        Reminder.__table__.c.id
    )
    return list(db.session.scalars(statement, parameters))


def _claim_on_postgresql(rows: list[Claim], now: datetime) -> list[int]:
    """The same ``INSERT … ON CONFLICT DO NOTHING``, from one array per column
    (``SELECT … FROM unnest(:organization_id, …)``): a short statement and one round trip per batch
    instead of ten bound values per row."""
    from sqlalchemy.dialects.postgresql import ARRAY
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    table: Any = Reminder.__table__
    arrays = [
        cast(bindparam(name, array_literal(column)), ARRAY(table.c[name].type))
        for name, column in zip(_CLAIM_COLUMNS, zip(*rows, strict=True), strict=True)
    ]
    claims = func.unnest(*arrays).table_valued(*_CLAIM_COLUMNS).render_derived(name="claim")
    source = select(*claims.c, cast(literal(as_utc(now)), table.c.created_at.type))
    statement = (
        pg_insert(table)
        .from_select([*_CLAIM_COLUMNS, "created_at"], source)
        .on_conflict_do_nothing(index_elements=CLAIM_KEY)
        .returning(table.c.id)
    )
    return list(db.session.scalars(statement).all())
