"""Status updates, done claims and their review."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import Row, func, select

from tracker.core import audit
from tracker.core.errors import InvalidInput, InvalidTransition, PermissionDenied
from tracker.core.events import plan_changed
from tracker.core.locking import check_version, flush_or_stale
from tracker.core.status import CLOSED_STATUSES, UNIT_STATUSES, ReviewState, Status
from tracker.core.time import today, utcnow
from tracker.execution import files
from tracker.execution.history import derive_status
from tracker.execution.models import Attachment, StatusUpdate
from tracker.extensions import db
from tracker.notifications import workflow as notify
from tracker.plans import inforce
from tracker.plans.access import can_review, can_update_status
from tracker.plans.models import Measure, Step

if TYPE_CHECKING:
    from tracker.auth.models import User

logger = logging.getLogger(__name__)

MAX_NOTE_LENGTH = 20_000


def _updates_of(target: Measure | Step) -> list[StatusUpdate]:
    if isinstance(target, Step):
        condition = StatusUpdate.step_id == target.id
    else:
        condition = (StatusUpdate.measure_id == target.id) & StatusUpdate.step_id.is_(None)
    return list(db.session.scalars(select(StatusUpdate).where(condition)))


def history_of(target: Measure | Step) -> list[StatusUpdate]:
    """The target's updates, newest first (for the timeline)."""
    from tracker.execution.history import history_order

    return sorted(_updates_of(target), key=history_order, reverse=True)


def measure_timeline(measure: Measure) -> list[StatusUpdate]:
    """Every update of the measure and of its steps, newest first: one history for the page."""
    from tracker.execution.history import history_order

    updates = db.session.scalars(select(StatusUpdate).where(StatusUpdate.measure_id == measure.id))
    return sorted(updates, key=history_order, reverse=True)


def refresh_status(target: Measure | Step, *, actor: User | None) -> None:
    """Rewrite the cached status columns from the history (the only writer of those columns)."""
    derived = derive_status(_updates_of(target))
    target.status = derived.status
    target.status_note = derived.note
    target.status_changed_at = derived.changed_at
    target.updated_by_id = actor.id if actor else None
    target.updated_at = utcnow()
    measure = _measure_of(target)
    if measure.steps:
        _apply_step_rule(measure)
    plan_changed.send(plan_id=measure.plan_id)


def _apply_step_rule(measure: Measure) -> None:
    """A measure made of steps caches the status the rule of :mod:`tracker.plans.inforce` gives."""
    updates = list(db.session.scalars(select(StatusUpdate).where(StatusUpdate.measure_id == measure.id)))
    own = [u for u in updates if u.step_id is None]
    own_state = derive_status(own)
    own_recorded = next(((u.created_at, u.id) for u in own if u.id == own_state.update_id), None)
    step_recorded = [(u.created_at, u.id) for u in updates if u.step_id is not None]
    if inforce.own_status_wins(own_recorded, step_recorded):
        measure.status = own_state.status
    else:
        measure.status = inforce.status_from_steps([s.status for s in measure.steps])


def pending_claim(target: Measure | Step) -> StatusUpdate | None:
    return next((u for u in _updates_of(target) if u.review_state == ReviewState.SUBMITTED), None)


def _measure_of(target: Measure | Step) -> Measure:
    return target.measure if isinstance(target, Step) else target


def _check_may_report(target: Measure | Step, measure: Measure, status: Status, *, actor: User) -> None:
    """Raise unless ``actor`` may report ``status`` on ``target`` now (unit scope, plan in force,
    a status units may set, the item not closed nor waiting for review of a claim)."""
    if not can_update_status(actor, measure):
        raise PermissionDenied(_("You may not report on this measure: your unit is not responsible for it."))
    is_controller = actor.has_permission("status.review")
    if status not in UNIT_STATUSES and not is_controller:
        raise PermissionDenied(_("Only the secretariat can set this status."))
    if Status(target.status) in CLOSED_STATUSES and not is_controller:
        raise InvalidTransition(
            _(
                "This item is already %(status)s. Ask the secretariat to reopen it.",
                status=_status_word(target.status),
            )
        )
    if pending_claim(target) is not None and not is_controller:
        raise InvalidTransition(
            _(
                "A report that this item is done is waiting for review. "
                "The secretariat must accept or return it first."
            )
        )


def _store_attachments(update: StatusUpdate, checked: list[files.CheckedFile]) -> None:
    for item in checked:
        files.store(item)
        db.session.add(
            Attachment(
                status_update_id=update.id,
                original_name=item.original_name,
                size=item.size,
                sha256=item.sha256,
                mime_type=item.mime_type,
            )
        )


def _audit_update(
    update: StatusUpdate, before: dict[str, Any], checked: list[files.CheckedFile], *, actor: User | None
) -> None:
    audit.record(
        actor,
        "status_update",
        update.id,
        "create",
        before=before,
        after={
            "measure_id": update.measure_id,
            "step_id": update.step_id,
            "status": update.status,
            "note": update.note,
            "effective_on": update.effective_on,
            **({"period_due_on": update.period_due_on} if update.period_due_on else {}),
            **({"effective_reason": update.effective_reason} if update.effective_reason else {}),
            **({"completion_unknown": True} if update.completion_unknown else {}),
            **({"is_internal": True} if update.is_internal else {}),
            "attachments": [c.original_name for c in checked],
        },
    )


def submit_status_update(
    target: Measure | Step,
    *,
    status: Status,
    note: str,
    actor: User | None,
    attachments: list[files.IncomingFile] | None = None,
    expected_version: int | None = None,
    effective_on: date | None = None,
    period_due_on: date | None = None,
    effective_reason: str | None = None,
    completion_unknown: bool = False,
    is_internal: bool = False,
) -> StatusUpdate:
    """Report progress on a measure or one of its steps.

    Units report "not started", "in progress" or "done" (a claim, which waits for a
    controller); controllers may also record "done" and "cancelled" directly. ``actor``
    None is the system (demo loader, imports), which may record any status.
    ``period_due_on`` names the occurrence (period end) of a recurring obligation the report is for.
    ``effective_on`` earlier than today is for controllers only and needs ``effective_reason``
    (both dates are kept: the report's own and the day it was recorded). ``completion_unknown``
    marks a status read from an "(… ҳолатига)" report: done by then, finishing day unknown.
    ``is_internal`` keeps the note (and its files) off the public pages and open data.
    Raises :class:`PermissionDenied`, :class:`InvalidTransition`, :class:`InvalidInput`
    or :class:`StaleEdit`; on any error nothing is stored.
    """
    measure = _measure_of(target)
    status = Status(status)
    if actor is not None:
        _check_may_report(target, measure, status, actor=actor)
        check_version(target, expected_version)
        _check_effective_date(actor, effective_on, effective_reason)
    note = _valid_note(note)
    checked = [
        files.check_file(f) for f in attachments or []
    ]  # every file is checked before anything is stored

    update = StatusUpdate(
        measure_id=measure.id,
        step_id=target.id if isinstance(target, Step) else None,
        status=status,
        note=note,
        author_id=actor.id if actor else None,
        effective_on=effective_on or today(),
        review_state=ReviewState.SUBMITTED if status == Status.DONE_CLAIMED else None,
        period_due_on=period_due_on,
        effective_reason=(effective_reason or "").strip() or None,
        completion_unknown=completion_unknown,
        is_internal=is_internal,
    )
    _store_update(update, target, checked, actor=actor)
    return update


def _valid_note(note: str | None) -> str:
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Write a note: what was done, and what remains."))
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(_("The note is too long (at most %(n)s characters).", n=MAX_NOTE_LENGTH))
    return note


def _store_update(
    update: StatusUpdate, target: Measure | Step, checked: list[files.CheckedFile], *, actor: User | None
) -> None:
    """The update with its files; the target's status follows, audited; a claim tells the controllers."""
    db.session.add(update)
    db.session.flush()
    _store_attachments(update, checked)
    before = {"status": target.status}
    refresh_status(target, actor=actor)
    flush_or_stale(target)
    _audit_update(update, before, checked, actor=actor)
    if update.status == Status.DONE_CLAIMED and actor is not None:
        notify.claim_submitted(update, actor=actor)


def _check_effective_date(actor: User, effective_on: date | None, reason: str | None) -> None:
    """Only a controller may date a report other than today, never in the future, and says why."""
    if effective_on is None or effective_on == today():
        return
    if effective_on > today():
        raise InvalidInput(_("A status report cannot speak for a day that has not come yet."))
    if not actor.has_permission("status.review"):
        raise PermissionDenied(_("Only the secretariat can date a status report earlier than today."))
    if not (reason or "").strip():
        raise InvalidInput(_("Say why the report is dated earlier than today."))


def _status_word(status: str) -> str:
    from tracker.core.status import STATUS_LABELS

    return str(STATUS_LABELS[Status(status)]).lower()


def _reviewable(update: StatusUpdate, actor: User) -> Measure | Step:
    measure = db.session.get(Measure, update.measure_id)
    assert measure is not None
    if not can_review(actor, measure.plan):
        raise PermissionDenied(_("Only the secretariat may review reports."))
    if update.review_state != ReviewState.SUBMITTED:
        raise InvalidTransition(_("This report has already been reviewed."))
    return update.step if update.step_id else measure


def _review(
    update: StatusUpdate, target: Measure | Step, *, actor: User, state: ReviewState, comment: str | None
) -> StatusUpdate:
    """Record the one review a claim gets, and rewrite the target's status from its history."""
    update.review_state = state
    update.reviewer_id = actor.id
    update.review_comment = comment
    update.reviewed_at = utcnow()
    db.session.flush()
    refresh_status(target, actor=actor)
    flush_or_stale(target)
    audit.record(
        actor,
        "status_update",
        update.id,
        "accept" if state == ReviewState.ACCEPTED else "return",
        before={"review_state": ReviewState.SUBMITTED},
        after={"review_state": state, "comment": comment},
    )
    notify.claim_reviewed(update, actor=actor)
    return update


def accept_claim(update: StatusUpdate, *, actor: User, comment: str | None = None) -> StatusUpdate:
    """A controller accepts a "done" claim: the item becomes done."""
    target = _reviewable(update, actor)
    return _review(
        update, target, actor=actor, state=ReviewState.ACCEPTED, comment=(comment or "").strip() or None
    )


def return_claim(update: StatusUpdate, *, actor: User, reason: str) -> StatusUpdate:
    """A controller returns a "done" claim with a reason: the item goes back to in progress."""
    target = _reviewable(update, actor)
    if not (reason or "").strip():
        raise InvalidInput(_("Say why the report is returned."))
    return _review(update, target, actor=actor, state=ReviewState.RETURNED, comment=reason.strip())


def can_withdraw(update: StatusUpdate, actor: User) -> bool:
    """Whether ``actor`` may take back this claim: it awaits review and is theirs, or their unit's."""
    if update.review_state != ReviewState.SUBMITTED:
        return False
    if update.author_id == actor.id:
        return True
    measure = db.session.get(Measure, update.measure_id)
    return measure is not None and can_update_status(actor, measure)


def withdraw_claim(update: StatusUpdate, *, actor: User) -> StatusUpdate:
    """The unit takes back a "done" claim nobody has reviewed yet; the status before it stands.

    The claim stays in the history, marked withdrawn (who and when). Raises
    :class:`PermissionDenied` or :class:`InvalidTransition`.
    """
    if update.review_state != ReviewState.SUBMITTED:
        raise InvalidTransition(_("This report has already been reviewed."))
    if not can_withdraw(update, actor):
        raise PermissionDenied(_("Only the unit that sent this report can withdraw it."))
    target = update.step if update.step_id else db.session.get(Measure, update.measure_id)
    assert target is not None
    update.review_state = ReviewState.WITHDRAWN
    update.reviewer_id = actor.id
    update.reviewed_at = utcnow()
    db.session.flush()
    refresh_status(target, actor=actor)
    flush_or_stale()
    audit.record(
        actor,
        "status_update",
        update.id,
        "withdraw",
        before={"review_state": ReviewState.SUBMITTED},
        after={"review_state": ReviewState.WITHDRAWN},
    )
    return update


def claims_awaiting_review(actor: User) -> list[Row[Any]]:
    """Claims of the actor's organization waiting for review, oldest first: one row each with
    what the review list and its spreadsheet show (``plan_title``, ``measure_number``,
    ``step_number``, ``item_text``, ``note``, ``author_name``, ``created_at``, ``files``: the
    number of evidence files), in one query whatever their number (issue 17)."""
    from tracker.auth.models import User
    from tracker.plans.models import Plan

    files_count = (
        select(func.count(Attachment.id))
        .where(Attachment.status_update_id == StatusUpdate.id)
        .correlate(StatusUpdate)
        .scalar_subquery()
    )
    return list(
        db.session.execute(
            select(
                StatusUpdate.id,
                StatusUpdate.measure_id,
                StatusUpdate.step_id,
                StatusUpdate.note,
                StatusUpdate.created_at,
                Plan.title.label("plan_title"),
                Measure.number.label("measure_number"),
                Step.number.label("step_number"),
                func.coalesce(Step.text, Measure.title).label("item_text"),
                User.name.label("author_name"),
                files_count.label("files"),
            )
            .join(Measure, Measure.id == StatusUpdate.measure_id)
            .join(Plan, Plan.id == Measure.plan_id)
            .outerjoin(Step, Step.id == StatusUpdate.step_id)
            .outerjoin(User, User.id == StatusUpdate.author_id)
            .where(
                StatusUpdate.review_state == ReviewState.SUBMITTED,
                Plan.organization_id == actor.organization_id,
            )
            .order_by(StatusUpdate.created_at)
        )
    )
