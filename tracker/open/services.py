"""Publishing rules: who may publish which plan, what of it is public, and the audit entries.

Services flush and never commit; the view or the command line commits at its edge.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.core import audit
from tracker.core.errors import InvalidInput, InvalidTransition, PermissionDenied
from tracker.core.time import utcnow
from tracker.execution.models import Attachment, StatusUpdate
from tracker.extensions import db
from tracker.open.models import PlanPublication, PublicAttachment
from tracker.plans.models import Measure, Plan, PlanState

if TYPE_CHECKING:
    from tracker.auth.models import User

logger = logging.getLogger(__name__)

#: The choices recorded in the audit trail.
_CHOICES = ("is_public", "show_statuses", "show_steps", "show_evidence")


@dataclass(frozen=True)
class PublicationChoices:
    """What of a plan is public."""

    show_statuses: bool = True
    show_steps: bool = True
    show_evidence: bool = False
    #: Evidence files chosen to be public (ids of :class:`Attachment`); used only with ``show_evidence``.
    attachment_ids: frozenset[int] = frozenset()


def can_publish(user: User, plan: Plan) -> bool:
    """Controllers and directors of the plan's own organization."""
    return (
        user.is_active
        and user.has_permission("plan.publish")
        and plan.organization_id == user.organization_id
    )


def is_publishable(plan: Plan) -> bool:
    """Only plans in force are shown: approved, closed after approval, or revised after an approval."""
    return plan.state in (PlanState.APPROVED, PlanState.CLOSED) or plan.has_approved_version


def publication_of(plan: Plan) -> PlanPublication | None:
    return db.session.scalar(select(PlanPublication).where(PlanPublication.plan_id == plan.id))


def _check(actor: User | None, plan: Plan) -> None:
    if actor is not None and not can_publish(actor, plan):
        raise PermissionDenied(_("Only the secretariat or the director may publish this plan."))


def _state(publication: PlanPublication) -> dict[str, object]:
    return {
        **audit.snapshot(publication, _CHOICES),
        "public_files": sorted(publication.public_attachment_ids),
    }


def publish_plan(plan: Plan, *, actor: User | None) -> PlanPublication:
    """Make an approved plan public (with the choices made before, or the defaults).

    ``actor`` None is the command line. Raises :class:`PermissionDenied` and, for a plan never
    approved, :class:`InvalidTransition`.
    """
    _check(actor, plan)
    if not is_publishable(plan):
        raise InvalidTransition(_("Only an approved plan can be published."))
    publication = publication_of(plan) or PlanPublication(plan_id=plan.id)
    if publication.id is None:
        db.session.add(publication)
    before = _state(publication) if publication.id else None
    now = utcnow()
    publication.is_public = True
    publication.published_at = now
    publication.published_by_id = actor.id if actor else None
    publication.withdrawn_at = None
    publication.updated_at = now
    db.session.flush()
    audit.record(actor, "plan", plan.id, "publish", before=before, after=_state(publication))
    logger.info("plan %s published", plan.id)
    return publication


def unpublish_plan(plan: Plan, *, actor: User | None) -> PlanPublication:
    """Withdraw a plan from the public pages; its choices are kept for a later publication.

    Raises :class:`PermissionDenied`, or :class:`InvalidTransition` when it is not public.
    """
    _check(actor, plan)
    publication = publication_of(plan)
    if publication is None or not publication.is_public:
        raise InvalidTransition(_("This plan is not public."))
    now = utcnow()
    publication.is_public = False
    publication.withdrawn_at = now
    publication.updated_at = now
    db.session.flush()
    audit.record(actor, "plan", plan.id, "unpublish", before={"is_public": True}, after={"is_public": False})
    logger.info("plan %s withdrawn from the public pages", plan.id)
    return publication


def plan_files(plan: Plan) -> list[Attachment]:
    """The plan's evidence files that may be made public: those of notes that are not internal."""
    return list(
        db.session.scalars(
            select(Attachment)
            .join(StatusUpdate, StatusUpdate.id == Attachment.status_update_id)
            .join(Measure, Measure.id == StatusUpdate.measure_id)
            .where(Measure.plan_id == plan.id, StatusUpdate.is_internal.is_(False))
            .order_by(Measure.position, StatusUpdate.created_at, Attachment.id)
        )
    )


def set_choices(plan: Plan, choices: PublicationChoices, *, actor: User | None) -> PlanPublication:
    """Record what of the plan is public; files must be the plan's own, of notes that are not internal.

    Raises :class:`PermissionDenied` or :class:`InvalidInput` (a file that is not the plan's or
    belongs to an internal note).
    """
    _check(actor, plan)
    allowed = {a.id for a in plan_files(plan)}
    unknown = set(choices.attachment_ids) - allowed
    if unknown:
        raise InvalidInput(_("Only evidence files of this plan's notes that are not internal can be public."))
    publication = publication_of(plan) or PlanPublication(plan_id=plan.id)
    if publication.id is None:
        db.session.add(publication)
        db.session.flush()
    before = _state(publication)
    publication.show_statuses = choices.show_statuses
    publication.show_steps = choices.show_steps
    publication.show_evidence = choices.show_evidence
    _replace_files(publication, choices.attachment_ids)
    publication.updated_at = utcnow()
    db.session.flush()
    old, new = audit.changed(before, _state(publication))
    if new:
        audit.record(actor, "plan", plan.id, "publication_choices", before=old, after=new)
    return publication


def _replace_files(publication: PlanPublication, wanted: Iterable[int]) -> None:
    wanted = set(wanted)
    for item in list(publication.public_files):
        if item.attachment_id not in wanted:
            publication.public_files.remove(item)
    for attachment_id in sorted(wanted - publication.public_attachment_ids):
        publication.public_files.append(PublicAttachment(attachment_id=attachment_id))


def published_plans() -> list[tuple[Plan, PlanPublication]]:
    """Every public plan with its choices, by organization then period."""
    rows = db.session.execute(
        select(Plan, PlanPublication)
        .join(PlanPublication, PlanPublication.plan_id == Plan.id)
        .where(PlanPublication.is_public.is_(True))
        .order_by(Plan.organization_id, Plan.period_start.desc(), Plan.id)
    )
    return [(plan, publication) for plan, publication in rows if is_publishable(plan)]


def public_plan(plan_id: int) -> tuple[Plan, PlanPublication] | None:
    """The plan and its choices when it is public, else None (the pages answer 404)."""
    row = db.session.execute(
        select(Plan, PlanPublication)
        .join(PlanPublication, PlanPublication.plan_id == Plan.id)
        .where(Plan.id == plan_id, PlanPublication.is_public.is_(True))
    ).first()
    if row is None or not is_publishable(row[0]):
        return None
    return row[0], row[1]


def public_file(publication: PlanPublication, attachment_id: int) -> Attachment | None:
    """The attachment when the publisher chose it, evidence is shown and its note is not internal."""
    if not (publication.is_public and publication.show_evidence and publication.show_statuses):
        return None
    if attachment_id not in publication.public_attachment_ids:
        return None
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.status_update.is_internal:
        return None
    return attachment
