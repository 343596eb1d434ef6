"""Reminder rules against the database: the sweep, claims, digests, weekly summaries, notifications.

Services flush but never commit: the jobs (:mod:`tracker.reminders.jobs`) and views commit at
their edge. Exactly once rests on the database: a reminder exists once its claim row is inserted
(``INSERT … ON CONFLICT DO NOTHING`` on the claim key), a digest once its outbox row is inserted
under its key, and a reminder joins one digest only (``UPDATE … WHERE email_id IS NULL``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, and_, delete, exists, null, or_, select, update

from tracker.core import audit
from tracker.core.errors import InvalidInput
from tracker.core.permissions import Role
from tracker.core.status import CLOSED_STATUSES, Status
from tracker.core.time import TASHKENT, utcnow
from tracker.execution.models import StatusUpdate
from tracker.extensions import db
from tracker.orgs.models import Unit
from tracker.plans.models import Measure, Plan, PlanState, PlanVersion, Responsible, Step
from tracker.reminders.models import (
    ContinuousPeriod,
    DeliveryAttempt,
    EmailKind,
    EmailState,
    Holiday,
    OutboundEmail,
    Reminder,
    ReminderKind,
    ReminderPolicy,
)
from tracker.reminders.policy import (
    CATCH_UP_DAYS,
    DEFAULT_RULES,
    MAX_SHIFT_DAYS,
    RECURRING_LOOKBACK_DAYS,
    PolicyRules,
    WorkingCalendar,
    due_stages,
    is_periodic,
    occurrence_dates,
    parse_days,
)

if TYPE_CHECKING:
    from tracker.auth.models import User
    from tracker.orgs.models import Organization

logger = logging.getLogger(__name__)

#: Rows per INSERT when claiming; a job commits after each batch.
CLAIM_BATCH = 1000
#: SQLite and PostgreSQL both accept this many bound values in one IN list.
IN_CHUNK = 30_000
#: Delivery gives up after this many attempts (about two days with the backoff below).
MAX_ATTEMPTS = 12
#: A delivery run holds a claimed message this long; after that another run may take it.
LEASE = timedelta(minutes=5)

_UNIT_ROLES = frozenset({Role.EXECUTOR, Role.UNIT_HEAD})


def local_today(now: datetime) -> date:
    return now.astimezone(TASHKENT).date()


# -- policy and holidays ------------------------------------------------------------------------


def rules_of(policy: ReminderPolicy | None) -> PolicyRules:
    if policy is None:
        return DEFAULT_RULES
    return PolicyRules(
        days_before=parse_days(policy.days_before),
        remind_on_due_day=policy.remind_on_due_day,
        overdue_every_days=policy.overdue_every_days,
        escalate_head_after_days=policy.escalate_head_after_days,
        escalate_director_after_days=policy.escalate_director_after_days,
        continuous_period=ContinuousPeriod(policy.continuous_period),
    )


def policy_for(organization_id: int) -> ReminderPolicy | None:
    return db.session.scalar(select(ReminderPolicy).where(ReminderPolicy.organization_id == organization_id))


def rules_for(organization_id: int) -> PolicyRules:
    return rules_of(policy_for(organization_id))


@dataclass
class PolicyData:
    days_before: str
    remind_on_due_day: bool
    overdue_every_days: int
    escalate_head_after_days: int
    escalate_director_after_days: int
    continuous_period: ContinuousPeriod


def save_policy(organization: Organization, data: PolicyData, *, actor: User) -> ReminderPolicy:
    """Create or change an organization's policy. Raises :class:`InvalidInput`."""
    try:
        days = parse_days(data.days_before)
    except ValueError:
        raise InvalidInput(
            _("Days before the deadline: whole numbers from 1 to 366, separated by commas.")
        ) from None
    if data.overdue_every_days < 1:
        raise InvalidInput(_("Overdue reminders need a period of at least one day."))
    if data.escalate_head_after_days < 0 or data.escalate_director_after_days < 0:
        raise InvalidInput(_("Escalation days cannot be negative."))
    policy = policy_for(organization.id) or ReminderPolicy(organization_id=organization.id)
    fields = (
        "days_before",
        "remind_on_due_day",
        "overdue_every_days",
        "escalate_head_after_days",
        "escalate_director_after_days",
        "continuous_period",
    )
    before = audit.snapshot(policy, fields) if policy.id else {}
    policy.days_before = ",".join(str(d) for d in days)
    policy.remind_on_due_day = data.remind_on_due_day
    policy.overdue_every_days = data.overdue_every_days
    policy.escalate_head_after_days = data.escalate_head_after_days
    policy.escalate_director_after_days = data.escalate_director_after_days
    policy.continuous_period = ContinuousPeriod(data.continuous_period)
    policy.updated_by_id = actor.id
    policy.updated_at = utcnow()
    db.session.add(policy)
    db.session.flush()
    old, new = audit.changed(before, audit.snapshot(policy, fields))
    if new:
        audit.record(
            actor, "reminder_policy", policy.id, "update" if before else "create", before=old, after=new
        )
    return policy


def holidays_of(organization_id: int) -> list[Holiday]:
    return list(
        db.session.scalars(
            select(Holiday).where(Holiday.organization_id == organization_id).order_by(Holiday.day)
        )
    )


def add_holiday(organization: Organization, day: date, name: str, *, actor: User) -> Holiday:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Name the holiday."))
    exists_already = db.session.scalar(
        select(Holiday.id).where(Holiday.organization_id == organization.id, Holiday.day == day)
    )
    if exists_already:
        raise InvalidInput(_("This day is already a holiday."))
    holiday = Holiday(organization_id=organization.id, day=day, name=name)
    db.session.add(holiday)
    db.session.flush()
    audit.record(actor, "holiday", holiday.id, "create", after={"day": day, "name": name})
    return holiday


def remove_holiday(holiday: Holiday, *, actor: User) -> None:
    audit.record(actor, "holiday", holiday.id, "delete", before={"day": holiday.day, "name": holiday.name})
    db.session.delete(holiday)
    db.session.flush()


# -- the sweep ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenItem:
    """An open measure or step with what the rules need to know about its deadline."""

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


@dataclass
class SweepPlan:
    """What one sweep found: the claim rows to insert, and how many queries it took to find them."""

    today: date
    rows: list[dict[str, Any]] = field(default_factory=list)
    open_items: int = 0
    due_stages: int = 0


def _in_force() -> Any:
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
    query = select(*columns)
    if steps:
        query = query.select_from(Step).join(Measure, Measure.id == Step.measure_id)
    else:
        query = query.select_from(Measure)
    return query.join(Plan, Plan.id == Measure.plan_id).where(
        Measure.deleted_at.is_(None),
        Measure.status.not_in(closed),
        owner.status.not_in(closed),
        _in_force(),
        or_(
            owner.deadline_kind.in_(periodic),
            and_(owner.due_on.is_not(None), owner.due_on <= horizon),
        ),
    )


def _chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


@dataclass
class _People:
    """Who can receive what, per organization, loaded once per sweep."""

    unit_users: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    heads: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    directors: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    controllers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    units_of_org: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    parent: dict[int, int | None] = field(default_factory=dict)

    def head_of(self, unit_id: int) -> list[int]:
        """Heads of the unit, or of the nearest unit above it that has one."""
        seen: set[int] = set()
        node: int | None = unit_id
        while node is not None and node not in seen:
            if self.heads.get(node):
                return self.heads[node]
            seen.add(node)
            node = self.parent.get(node)
        return []


def _load_people(organization_ids: set[int]) -> _People:
    from tracker.auth.models import User, UserRole

    people = _People()
    if not organization_ids:
        return people
    for unit_id, parent_id, org_id in db.session.execute(
        select(Unit.id, Unit.parent_id, Unit.organization_id).where(
            Unit.organization_id.in_(organization_ids)
        )
    ):
        people.parent[unit_id] = parent_id
        people.units_of_org[org_id].append(unit_id)
    wanted = [Role.EXECUTOR, Role.UNIT_HEAD, Role.DIRECTOR, Role.CONTROLLER]
    rows = db.session.execute(
        select(User.id, User.unit_id, User.organization_id, UserRole.role)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.is_active, User.organization_id.in_(organization_ids), UserRole.role.in_(wanted))
        .order_by(User.id)
    )
    for user_id, unit_id, org_id, role in rows:
        role = Role(role)
        if role in _UNIT_ROLES and unit_id is not None and user_id not in people.unit_users[unit_id]:
            people.unit_users[unit_id].append(user_id)
        if role == Role.UNIT_HEAD and unit_id is not None:
            people.heads[unit_id].append(user_id)
        elif role == Role.DIRECTOR:
            people.directors[org_id].append(user_id)
        elif role == Role.CONTROLLER:
            people.controllers[org_id].append(user_id)
    return people


@dataclass
class _Responsibility:
    unit_ids: list[int] = field(default_factory=list)
    lead_unit_ids: list[int] = field(default_factory=list)
    is_all_units: bool = False


def plan_sweep(now: datetime) -> SweepPlan:
    """Every reminder due at ``now`` and not yet claimed, as rows for :func:`claim_reminders`.

    The number of queries does not depend on the number of measures: open items come in two
    queries, and everything else is loaded in bulk for the items that owe a reminder.
    """
    today = local_today(now)
    plan = SweepPlan(today=today)
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
    calendars: dict[int, WorkingCalendar] = {}

    # 1. Which open items owe which reminder stage today.
    due: list[tuple[OpenItem, date, Any]] = []
    lookback = today - timedelta(days=RECURRING_LOOKBACK_DAYS)
    for steps in (False, True):
        for row in db.session.execute(_open_items_query(horizon, steps=steps)):
            item = OpenItem(*row)
            plan.open_items += 1
            rules = rules_by_org.get(item.organization_id, DEFAULT_RULES)
            calendar = calendars.get(item.organization_id)
            if calendar is None:
                calendar = calendars[item.organization_id] = WorkingCalendar(holidays[item.organization_id])
            window_start = (
                max(lookback, item.added_on) if is_periodic(item.kind) and item.added_on else lookback
            )
            occurrences = occurrence_dates(
                kind=item.kind,
                start_on=item.start_on,
                due_on=item.due_on,
                recurrence=item.recurrence,
                plan_start=item.plan_start,
                plan_end=item.plan_end,
                rules=rules,
                window_start=window_start if is_periodic(item.kind) else date.min,
                window_end=horizon,
            )
            is_review = item.status == Status.DONE_CLAIMED
            for occurrence in occurrences:
                for stage in due_stages(occurrence, rules, calendar, today, is_review=is_review):
                    due.append((item, occurrence, stage))
    if not due:
        return plan

    # 2. Periods already reported on owe nothing.
    periodic_dates = sorted({occ for item, occ, _s in due if is_periodic(item.kind)})
    if periodic_dates:
        reported = {
            (f"s{step_id}" if step_id is not None else f"m{measure_id}", on)
            for measure_id, step_id, on in db.session.execute(
                select(StatusUpdate.measure_id, StatusUpdate.step_id, StatusUpdate.period_due_on).where(
                    StatusUpdate.period_due_on.in_(periodic_dates)
                )
            )
        }
        due = [d for d in due if not (is_periodic(d[0].kind) and (d[0].key, d[1]) in reported)]
    plan.due_stages = len(due)

    # 3. Who receives them, minus what was claimed already.
    claimed = {
        tuple(row)
        for row in db.session.execute(
            select(
                Reminder.recipient_id,
                Reminder.item_key,
                Reminder.occurrence_on,
                Reminder.kind,
                Reminder.offset_days,
            ).where(Reminder.send_on >= today - timedelta(days=CATCH_UP_DAYS + 1))
        )
    }
    measure_ids = sorted({item.measure_id for item, _o, _s in due})
    responsibility: dict[int, _Responsibility] = defaultdict(_Responsibility)
    for chunk in _chunks(measure_ids):
        for measure_id, unit_id, is_all_units, is_lead in db.session.execute(
            select(Responsible.measure_id, Responsible.unit_id, Responsible.is_all_units, Responsible.is_lead)
            .where(Responsible.measure_id.in_(chunk))
            .order_by(Responsible.measure_id, Responsible.position)
        ):
            entry = responsibility[measure_id]
            entry.is_all_units = entry.is_all_units or is_all_units
            if unit_id is not None:
                entry.unit_ids.append(unit_id)
                if is_lead:
                    entry.lead_unit_ids.append(unit_id)
    people = _load_people({item.organization_id for item, _o, _s in due})

    for item, occurrence, stage in due:
        org = item.organization_id
        duty = responsibility[item.measure_id]
        if stage.kind == ReminderKind.REVIEW:
            recipients = people.controllers[org]
        elif stage.kind == ReminderKind.ESCALATION_DIRECTOR:
            recipients = people.directors[org]
        elif stage.kind == ReminderKind.ESCALATION_HEAD:
            recipients = []
            for unit_id in duty.lead_unit_ids or duty.unit_ids:
                recipients += [u for u in people.head_of(unit_id) if u not in recipients]
        else:
            units = people.units_of_org[org] if duty.is_all_units else duty.unit_ids
            recipients = []
            for unit_id in units:
                recipients += [u for u in people.unit_users.get(unit_id, ()) if u not in recipients]
        for recipient_id in recipients:
            key = (recipient_id, item.key, occurrence, stage.kind.value, stage.offset_days)
            if key in claimed:
                continue
            claimed.add(key)
            plan.rows.append(
                {
                    "organization_id": org,
                    "recipient_id": recipient_id,
                    "measure_id": item.measure_id,
                    "step_id": item.step_id,
                    "item_key": item.key,
                    "occurrence_on": occurrence,
                    "kind": stage.kind.value,
                    "offset_days": stage.offset_days,
                    "send_on": stage.send_on,
                    "created_at": None,
                }
            )
    return plan


def _insert_ignoring_conflicts(table: Any, rows: list[dict[str, Any]], conflict: list[str]) -> Any:
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).values(rows).on_conflict_do_nothing(index_elements=conflict)


def claim_reminders(rows: list[dict[str, Any]], now: datetime) -> list[int]:
    """Insert the claim rows; those another process inserted first are skipped. Returns new ids."""
    if not rows:
        return []
    rows = [{**row, "created_at": now} for row in rows]
    statement = _insert_ignoring_conflicts(
        Reminder.__table__,
        rows,
        ["recipient_id", "item_key", "occurrence_on", "kind", "offset_days"],
    ).returning(Reminder.__table__.c.id)
    return list(db.session.scalars(statement))


# -- describing a reminder to people (inside the recipient's locale) ------------------------------


def describe(kind: str, occurrence: date, as_of: date) -> str:
    """What a reminder says, as of a day: "Due in 3 days", "Overdue by 4 days", …"""
    days = (occurrence - as_of).days
    if days > 0:
        state = ngettext("due in %(num)s day", "due in %(num)s days", days)
    elif days == 0:
        state = _("due today")
    else:
        state = ngettext("overdue by %(num)s day", "overdue by %(num)s days", -days)
    if kind == ReminderKind.REVIEW:
        return _("Waiting for your review; the item is %(state)s", state=state)
    if kind in (ReminderKind.ESCALATION_HEAD, ReminderKind.ESCALATION_DIRECTOR):
        return _("Escalated to you: %(state)s", state=state)
    return _("Reminder: %(state)s", state=state)


KIND_SECTIONS = {
    ReminderKind.ESCALATION_DIRECTOR: "escalated",
    ReminderKind.ESCALATION_HEAD: "escalated",
    ReminderKind.REVIEW: "review",
    ReminderKind.OVERDUE: "overdue",
    ReminderKind.DUE: "soon",
    ReminderKind.BEFORE: "soon",
}


def section_titles() -> dict[str, str]:
    return {
        "events": _("What happened"),
        "escalated": _("Escalated to you"),
        "overdue": _("Overdue"),
        "soon": _("Due soon"),
        "review": _("Waiting for your review"),
    }


# -- digests and summaries (rendered in the recipient's language) -------------------------------


def digest_key(today: date, user_id: int) -> str:
    return f"digest:{today.isoformat()}:{user_id}"


def weekly_key(today: date, user_id: int) -> str:
    year, week, _day = today.isocalendar()
    return f"weekly:{year}-W{week:02d}:{user_id}"


def pending_digests(now: datetime) -> dict[int, list[int]]:
    """Reminder ids not yet e-mailed, per recipient who wants e-mail (one query)."""
    from tracker.auth.models import User

    today = local_today(now)
    grouped: dict[int, list[int]] = defaultdict(list)
    for reminder_id, user_id in db.session.execute(
        select(Reminder.id, Reminder.recipient_id)
        .join(User, User.id == Reminder.recipient_id)
        .where(
            Reminder.email_id.is_(None),
            Reminder.send_on >= today - timedelta(days=CATCH_UP_DAYS),
            Reminder.created_at <= now,
            User.is_active,
            User.wants_email,
        )
        .order_by(Reminder.recipient_id, Reminder.id)
    ):
        grouped[user_id].append(reminder_id)
    return grouped


def _claim_outbox_row(user: User, kind: EmailKind, key: str, now: datetime) -> int | None:
    statement = _insert_ignoring_conflicts(
        OutboundEmail.__table__,
        [
            {
                "organization_id": user.organization_id,
                "recipient_id": user.id,
                "kind": kind.value,
                "key": key,
                "to_address": user.email,
                "subject": "",
                "body_text": "",
                "body_html": "",
                "state": EmailState.QUEUED.value,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
        ],
        ["key"],
    ).returning(OutboundEmail.__table__.c.id)
    return db.session.scalar(statement)


def queue_digest(user: User, reminder_ids: list[int], now: datetime) -> OutboundEmail | None:
    """Claim today's digest for ``user`` and the reminders it carries; None when there is nothing.

    A second run the same day finds the key taken and queues nothing; a reminder already carried
    by another digest is left out, and a digest left with nothing is not queued (never empty).
    """
    today = local_today(now)
    email_id = _claim_outbox_row(user, EmailKind.DIGEST, digest_key(today, user.id), now)
    if email_id is None:
        return None
    taken = list(
        db.session.scalars(
            update(Reminder)
            .where(Reminder.id.in_(reminder_ids), Reminder.email_id.is_(None))
            .values(email_id=email_id)
            .returning(Reminder.id)
        )
    )
    if not taken:
        db.session.execute(delete(OutboundEmail).where(OutboundEmail.id == email_id))
        return None
    email = db.session.get(OutboundEmail, email_id)
    assert email is not None
    reminders = list(
        db.session.scalars(select(Reminder).where(Reminder.id.in_(taken)).order_by(Reminder.occurrence_on))
    )
    email.subject, email.body_text, email.body_html = render_digest(user, reminders, today)
    db.session.flush()
    return email


def _item_view(
    measure: Measure, step: Step | None, occurrence: date, text: str, base_url: str
) -> dict[str, Any]:
    """One item of a digest, its content in the reader's script (inside their locale)."""
    from flask import url_for

    from tracker.core.templating import doc_date
    from tracker.notifications.text import in_script

    url = url_for("plans.measure", measure_id=measure.id, _external=True)
    if step is not None:
        url += f"#s{step.id}"
    return {
        "plan": in_script(measure.plan.title),
        "number": measure.number,
        "title": in_script(measure.title),
        "step": step.number if step is not None else None,
        "step_text": in_script(step.text) if step is not None else None,
        "deadline": doc_date(occurrence),
        "deadline_text": (step.deadline_text if step is not None else measure.deadline_text) or "",
        "state": text,
        "url": url,
    }


def _render_email(user: User, template: str, context_builder: Any) -> tuple[str, str, str]:
    """Render ``reminders/email/<template>.txt|.html`` in the recipient's language, with absolute links."""
    from flask import render_template
    from flask_babel import force_locale

    from tracker.core.i18n import DEFAULT_LOCALE

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    base_url = app.config.get("TRACKER_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    locale = user.locale or app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    with app.test_request_context("/", base_url=base_url), force_locale(locale):
        context = context_builder(base_url)
        subject = context["subject"]
        text = render_template(f"reminders/email/{template}.txt", user=user, **context)
        html = render_template(
            f"reminders/email/{template}.html", user=user, html_lang=locale.replace("_", "-"), **context
        )
    return subject[:300], text, html


def _event_view(notification: Reminder, base_url: str) -> dict[str, Any]:
    """A workflow event in the digest: what happened, and the item or plan it concerns."""
    from tracker.notifications.delivery import link_of
    from tracker.notifications.text import describe as describe_notification

    said = describe_notification(notification)
    return {
        "plan": said.plan,
        "event": said.headline,
        "item": said.item,
        "unit": said.unit,
        "url": base_url + link_of(notification),
    }


def render_digest(user: User, reminders: list[Reminder], today: date) -> tuple[str, str, str]:
    def build(base_url: str) -> dict[str, Any]:
        titles = section_titles()
        sections: dict[str, list[dict[str, Any]]] = {key: [] for key in titles}
        for reminder in reminders:
            if reminder.event_id is not None:
                sections["events"].append(_event_view(reminder, base_url))
                continue
            text = describe(reminder.kind, reminder.occurrence_on, today)
            sections[KIND_SECTIONS[ReminderKind(reminder.kind)]].append(
                _item_view(reminder.measure, reminder.step, reminder.occurrence_on, text, base_url)
            )
        count = len(reminders)
        return {
            "subject": ngettext("Plan tracker: %(num)s reminder", "Plan tracker: %(num)s reminders", count),
            "sections": [(titles[key], items) for key, items in sections.items() if items],
            "count": count,
            "notifications_url": base_url + "/notifications",
        }

    return _render_email(user, "digest", build)


def _overdue_items(organization_id: int, today: date) -> list[tuple[Measure, Step | None, date]]:
    """Open one-off measures and steps of plans in force whose due date has passed, oldest first."""
    from sqlalchemy.orm import joinedload

    closed = [s.value for s in CLOSED_STATUSES]
    items: list[tuple[Measure, Step | None, date]] = []
    measures = db.session.scalars(
        select(Measure)
        .join(Plan, Plan.id == Measure.plan_id)
        .options(joinedload(Measure.plan))
        .where(
            Plan.organization_id == organization_id,
            _in_force(),
            Measure.deleted_at.is_(None),
            Measure.status.not_in(closed),
            Measure.due_on < today,
            or_(Measure.deadline_kind.is_(None), Measure.deadline_kind.not_in(["recurring", "continuous"])),
        )
        .order_by(Measure.due_on, Measure.position)
    )
    items += [(m, None, m.due_on) for m in measures if m.due_on is not None]
    steps = db.session.scalars(
        select(Step)
        .join(Measure, Measure.id == Step.measure_id)
        .join(Plan, Plan.id == Measure.plan_id)
        .options(joinedload(Step.measure).joinedload(Measure.plan))
        .where(
            Plan.organization_id == organization_id,
            _in_force(),
            Measure.deleted_at.is_(None),
            Measure.status.not_in(closed),
            Step.status.not_in(closed),
            Step.due_on < today,
            or_(Step.deadline_kind.is_(None), Step.deadline_kind.not_in(["recurring", "continuous"])),
        )
        .order_by(Step.due_on, Step.position)
    )
    items += [(s.measure, s, s.due_on) for s in steps if s.due_on is not None]
    return sorted(items, key=lambda i: (i[2], i[0].id, i[1].id if i[1] else 0))


def weekly_recipients() -> list[User]:
    from tracker.auth.models import User, UserRole

    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.DIRECTOR.value, User.is_active, User.wants_email)
            .order_by(User.organization_id, User.id)
        )
    )


def queue_weekly_summary(
    user: User, now: datetime, overdue: list[tuple[Measure, Step | None, date]]
) -> OutboundEmail | None:
    """The director's Monday summary of overdue items; nothing is queued when nothing is overdue."""
    if not overdue:
        return None
    today = local_today(now)
    email_id = _claim_outbox_row(user, EmailKind.WEEKLY_SUMMARY, weekly_key(today, user.id), now)
    if email_id is None:
        return None
    email = db.session.get(OutboundEmail, email_id)
    assert email is not None
    email.subject, email.body_text, email.body_html = render_weekly(user, overdue, today)
    db.session.flush()
    return email


#: The summary lists this many items; the counts cover all of them.
WEEKLY_LIST_LIMIT = 100


def render_weekly(
    user: User, overdue: list[tuple[Measure, Step | None, date]], today: date
) -> tuple[str, str, str]:
    def build(base_url: str) -> dict[str, Any]:
        by_unit: dict[str, int] = defaultdict(int)
        for measure, _step, _due in overdue:
            lead = measure.lead
            by_unit[lead.display_name if lead else _("No responsible unit")] += 1
        items = [
            _item_view(m, s, due, describe(ReminderKind.OVERDUE, due, today), base_url)
            for m, s, due in overdue[:WEEKLY_LIST_LIMIT]
        ]
        count = len(overdue)
        return {
            "subject": ngettext(
                "Plan tracker: %(num)s overdue item this week",
                "Plan tracker: %(num)s overdue items this week",
                count,
            ),
            "count": count,
            "by_unit": sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0])),
            "items": items,
            "more": max(0, count - WEEKLY_LIST_LIMIT),
            "notifications_url": base_url + "/notifications",
        }

    return _render_email(user, "weekly", build)


# -- delivery bookkeeping -----------------------------------------------------------------------


def _deliverable(now: datetime) -> Any:
    return or_(
        and_(
            OutboundEmail.state.in_([EmailState.QUEUED.value, EmailState.RETRYING.value]),
            OutboundEmail.next_attempt_at <= now,
        ),
        and_(OutboundEmail.state == EmailState.SENDING.value, OutboundEmail.lease_until < now),
    )


def claim_deliveries(now: datetime, limit: int = 50, *, only: list[int] | None = None) -> list[int]:
    """Lease up to ``limit`` messages that are due for an attempt (among ``only``, when given);
    returns their ids.

    On PostgreSQL the candidates are locked with ``FOR UPDATE SKIP LOCKED``, so concurrent runs
    take different messages; the condition is repeated in the UPDATE, so a message leased by
    another run meanwhile (SQLite, or a lease that just changed hands) is never taken twice.
    """
    candidates = (
        select(OutboundEmail.id)
        .where(_deliverable(now))
        .order_by(OutboundEmail.next_attempt_at, OutboundEmail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if only is not None:
        candidates = candidates.where(OutboundEmail.id.in_(only))
    return list(
        db.session.scalars(
            update(OutboundEmail)
            .where(OutboundEmail.id.in_(candidates.scalar_subquery()), _deliverable(now))
            .values(state=EmailState.SENDING.value, lease_until=now + LEASE)
            .returning(OutboundEmail.id)
            .execution_options(synchronize_session=False)
        )
    )


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after the 1st, 2nd, 3rd … failure, at most 6 hours."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 6 * 3600))


def record_attempt(email: OutboundEmail, now: datetime, error: str | None) -> None:
    """Write the outcome of one attempt: sent, retrying later, or failed for good."""
    email.attempts += 1
    email.lease_until = None
    db.session.add(
        DeliveryAttempt(email_id=email.id, attempted_at=now, is_success=error is None, error=error)
    )
    if error is None:
        email.state = EmailState.SENT
        email.sent_at = now
        email.last_error = None
    else:
        email.last_error = error
        if email.attempts >= MAX_ATTEMPTS:
            email.state = EmailState.FAILED
        else:
            email.state = EmailState.RETRYING
            email.next_attempt_at = now + backoff(email.attempts)
    db.session.flush()


def requeue(email: OutboundEmail, *, actor: User, now: datetime | None = None) -> None:
    """An admin sends a failed (or retrying) message again now."""
    if email.state not in (EmailState.FAILED, EmailState.RETRYING):
        raise InvalidInput(_("Only failed or retrying messages can be sent again."))
    email.state = EmailState.QUEUED
    email.next_attempt_at = now or utcnow()
    db.session.flush()
    audit.record(actor, "outbound_email", email.id, "requeue", after={"to": email.to_address})


# -- compliance of periodic obligations (the measure page) --------------------------------------


@dataclass(frozen=True)
class PeriodCompliance:
    occurrence: date
    #: "on_time", "late", "missing", "due" (within the reminder horizon), "upcoming".
    state: str
    reported_on: date | None


def occurrences_of(target: Measure | Step, today: date) -> list[date]:
    """All due dates of a measure or step within its plan's period (or a year around today)."""
    measure = target.measure if isinstance(target, Step) else target
    plan = measure.plan
    rules = rules_for(plan.organization_id)
    start = plan.period_start or today - timedelta(days=RECURRING_LOOKBACK_DAYS)
    end = plan.period_end or today + timedelta(days=RECURRING_LOOKBACK_DAYS)
    return occurrence_dates(
        kind=target.deadline_kind,
        start_on=target.start_on,
        due_on=target.due_on,
        recurrence=target.deadline_recurrence,
        plan_start=plan.period_start,
        plan_end=plan.period_end,
        rules=rules,
        window_start=min(start, target.start_on or start),
        window_end=max(end, target.due_on or end),
    )


def period_compliance(target: Measure | Step, today: date) -> list[PeriodCompliance]:
    """Period by period, whether the unit reported for each occurrence, and when."""
    if not is_periodic(target.deadline_kind):
        return []
    if isinstance(target, Step):
        condition = StatusUpdate.step_id == target.id
    else:
        condition = (StatusUpdate.measure_id == target.id) & StatusUpdate.step_id.is_(None)
    first_report: dict[date, date] = {}
    for on, effective in db.session.execute(
        select(StatusUpdate.period_due_on, StatusUpdate.effective_on).where(
            condition, StatusUpdate.period_due_on.is_not(None)
        )
    ):
        first_report[on] = min(effective, first_report.get(on, effective))
    soon = today + timedelta(
        days=rules_for(
            (target.measure if isinstance(target, Step) else target).plan.organization_id
        ).max_days_before
    )
    result = []
    for occurrence in occurrences_of(target, today):
        reported = first_report.get(occurrence)
        if reported is not None:
            state = "on_time" if reported <= occurrence else "late"
        elif occurrence < today:
            state = "missing"
        elif occurrence <= soon:
            state = "due"
        else:
            state = "upcoming"
        result.append(PeriodCompliance(occurrence, state, reported))
    return result
