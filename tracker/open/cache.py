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
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from sqlalchemy import select, text

from tracker.core.models import UTCDateTime
from tracker.core.paths import ROOT
from tracker.core.time import as_utc
from tracker.extensions import db
from tracker.open.models import PlanPublication

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Fingerprint:
    """What identifies a plan's public content, and when it last changed."""

    key: str
    last_modified: datetime


def _latest(*values: datetime | None) -> datetime:
    return max((as_utc(v) for v in values if v is not None), default=EPOCH)


#: One statement, written out: it runs on every public request, so it is built once, not per call.
FINGERPRINT_SQL = text(
    """
    SELECT p.lock_version, p.state, p.updated_at AS plan_change_at,
           pp.updated_at AS publication_change_at,
           u.updates, u.last_update_id, u.last_update_at, u.last_review_at,
           ms.measures, ms.measure_versions, ms.measure_change_at,
           (SELECT sum(s.lock_version) FROM steps s JOIN measures m ON m.id = s.measure_id
             WHERE m.plan_id = p.id) AS step_versions,
           (SELECT count(*) FROM public_attachments pa WHERE pa.publication_id = pp.id) AS public_files,
           (SELECT count(*) FROM plan_versions v WHERE v.plan_id = p.id) AS versions
      FROM plans p
      JOIN plan_publications pp ON pp.plan_id = p.id
     CROSS JOIN (SELECT count(su.id) AS updates, max(su.id) AS last_update_id,
                        max(su.created_at) AS last_update_at, max(su.reviewed_at) AS last_review_at
                   FROM status_updates su JOIN measures m ON m.id = su.measure_id
                  WHERE m.plan_id = :plan_id) u
     CROSS JOIN (SELECT count(*) AS measures, sum(lock_version) AS measure_versions,
                        max(updated_at) AS measure_change_at
                   FROM measures WHERE plan_id = :plan_id) ms
     WHERE p.id = :plan_id AND pp.is_public = :public
    """
).columns(
    plan_change_at=UTCDateTime,
    publication_change_at=UTCDateTime,
    last_update_at=UTCDateTime,
    last_review_at=UTCDateTime,
    measure_change_at=UTCDateTime,
)


def plan_fingerprint(plan_id: int) -> Fingerprint | None:
    """One query: None unless the plan is public; else its fingerprint and last change.

    Status updates are append-only and reviewed once, so their count, newest id and newest
    review time say whether anything was reported; lock versions catch edits of the plan,
    its measures and steps (approval and revision included); the publication's own time
    catches changes of what is public.
    """
    row = db.session.execute(FINGERPRINT_SQL, {"plan_id": plan_id, "public": True}).mappings().first()
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


class FingerprintMemo:
    """Fingerprints remembered for ``ttl`` seconds, so that a busy worker asks the database at
    most once per plan per ``ttl``: a change shows on the public pages within ``ttl`` seconds
    (``OPEN_FINGERPRINT_TTL``, default 1; 0 asks every time)."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._items: dict[object, tuple[float, Fingerprint | None]] = {}
        self._lock = threading.Lock()

    def get(self, key: object, compute: Callable[[], Fingerprint | None]) -> Fingerprint | None:
        if self.ttl <= 0:
            return compute()
        now = self.clock()
        with self._lock:
            found = self._items.get(key)
        if found is not None and found[0] > now:
            return found[1]
        value = compute()
        with self._lock:
            if len(self._items) > 10_000:  # unknown ids asked for by a crawler
                self._items.clear()
            self._items[key] = (now + self.ttl, value)
        return value


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
