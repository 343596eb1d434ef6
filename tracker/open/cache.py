"""Public pages cached by content: a cheap fingerprint of "what changed last" keys every output.

A request costs one small query (:func:`plan_fingerprint`); the ETag is made from the
fingerprint and the request's choices, so a client holding it gets 304 without anything being
rendered, and an unchanged page is served from this process's memory. Any status update,
review, edit of the plan or change of what is published changes the fingerprint, and with it
every key: nothing is ever invalidated by hand.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from sqlalchemy import func, select, true

from tracker import ROOT
from tracker.core.time import as_utc
from tracker.execution.models import StatusUpdate
from tracker.extensions import db
from tracker.open.models import PlanPublication, PublicAttachment
from tracker.plans.models import Measure, Plan, PlanVersion, Step

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Fingerprint:
    """What identifies a plan's public content, and when it last changed."""

    key: str
    last_modified: datetime


def _latest(*values: datetime | None) -> datetime:
    return max((as_utc(v) for v in values if v is not None), default=EPOCH)


def plan_fingerprint(plan_id: int) -> Fingerprint | None:
    """One query: None unless the plan is public; else its fingerprint and last change.

    Status updates are append-only and reviewed once, so their count, newest id and newest
    review time say whether anything was reported; lock versions catch edits of the plan,
    its measures and steps (approval and revision included); the publication's own time
    catches changes of what is public.
    """
    on_plan = Measure.plan_id == plan_id
    updates = (
        select(
            func.count(StatusUpdate.id).label("updates"),
            func.max(StatusUpdate.id).label("last_update_id"),
            func.max(StatusUpdate.created_at).label("last_update_at"),
            func.max(StatusUpdate.reviewed_at).label("last_review_at"),
        )
        .join(Measure, Measure.id == StatusUpdate.measure_id)
        .where(on_plan)
        .subquery()
    )
    measures = (
        select(
            func.count(Measure.id).label("measures"),
            func.sum(Measure.lock_version).label("measure_versions"),
            func.max(Measure.updated_at).label("measure_change_at"),
        )
        .where(on_plan)
        .subquery()
    )
    steps = select(func.sum(Step.lock_version)).join(Measure, Measure.id == Step.measure_id).where(on_plan)
    files = select(func.count(PublicAttachment.id)).where(
        PublicAttachment.publication_id == PlanPublication.id
    )
    versions = select(func.count(PlanVersion.id)).where(PlanVersion.plan_id == plan_id)
    row = (
        db.session.execute(
            select(
                Plan.lock_version,
                Plan.state,
                Plan.updated_at.label("plan_change_at"),
                PlanPublication.updated_at.label("publication_change_at"),
                updates,
                measures,
                steps.scalar_subquery().label("step_versions"),
                files.scalar_subquery().label("public_files"),
                versions.scalar_subquery().label("versions"),
            )
            .join(PlanPublication, PlanPublication.plan_id == Plan.id)
            .join(updates, true())  # one-row aggregates
            .join(measures, true())
            .where(Plan.id == plan_id, PlanPublication.is_public.is_(True))
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    last = _latest(
        row["plan_change_at"],
        row["publication_change_at"],
        row["last_update_at"],
        row["last_review_at"],
        row["measure_change_at"],
    )
    key = "|".join(f"{k}={v}" for k, v in sorted(row.items()))
    return Fingerprint(hashlib.sha256(key.encode()).hexdigest()[:24], last)


def catalogue_fingerprint() -> Fingerprint:
    """Which plans are public and the newest change among them (for /open/ and the catalogue)."""
    rows = db.session.execute(
        select(PlanPublication.plan_id, PlanPublication.updated_at)
        .where(PlanPublication.is_public.is_(True))
        .order_by(PlanPublication.plan_id)
    ).all()
    parts, last = [], EPOCH
    for plan_id, _updated in rows:
        fingerprint = plan_fingerprint(plan_id)
        if fingerprint is not None:
            parts.append(f"{plan_id}:{fingerprint.key}")
            last = max(last, fingerprint.last_modified)
    return Fingerprint(hashlib.sha256(",".join(parts).encode()).hexdigest()[:24], last)


@cache
def render_salt() -> str:
    """Changes when the public templates, catalogs or styles change (same in every worker)."""
    digest = hashlib.sha256()
    patterns = ("templates/open/*.html", "templates/reports/*.html", "translations/*/LC_MESSAGES/*.mo")
    for pattern in patterns:
        for path in sorted(Path(ROOT).glob(pattern)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    for path in sorted((Path(ROOT) / "tracker" / "open").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def make_etag(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in (render_salt(), *parts)).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Cached:
    body: bytes
    mimetype: str
    download_name: str | None = None


class ContentCache:
    """A small thread-safe LRU of rendered outputs by ETag, per process."""

    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[str, Cached] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_make(self, key: str, make: Callable[[], Cached]) -> Cached:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        made = make()  # outside the lock: a slow PDF must not hold up other pages
        with self._lock:
            self._items[key] = made
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)
        return made

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
