"""Searching what the user may see: measures, steps, status notes and plans, whatever the script.

Matching is the same on both engines: the query goes through ``search_tokens`` (the language
engine folds Cyrillic and Latin spellings to one form) and every token must occur in the
entry's stored key — a token with a digit as a whole token ("pf-200": not pf-2000), a word as a
word prefix ("ochik…": Uzbek words take suffixes). PostgreSQL matches with a tsquery on the
generated ``tokens`` tsvector (GIN index); SQLite with an FTS5 query on ``search_entries_fts``.

Ranking (on a capped candidate set, see docs/search.md): entries whose key starts with the
query (a title equal to, or starting with, the query) first; then more query tokens matched
as whole words; then measures before steps, notes and plans; then shorter texts (the match is
a larger part of them); then newest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    cast,
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    union,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import aliased, lazyload, selectinload

from tracker.auth.models import User
from tracker.core.params import MAX_INT, MAX_YEAR, MIN_YEAR
from tracker.core.status import CLOSED_STATUSES, Status
from tracker.execution.models import StatusUpdate
from tracker.extensions import db
from tracker.plans.access import visible_plans_query
from tracker.plans.models import Measure, Plan, Responsible, Step
from tracker.search.index import MAX_TOKEN_CHARS
from tracker.search.models import FTS_TABLE, EntryKind, SearchEntry
from tracker.uzbek import DeadlineKind, search_tokens

#: Pseudo-status for the filters: anything not done nor cancelled (what is still owed).
OPEN = "open"
MAX_TOKENS = 12
#: How many matches each tier hands to the ranking (see docs/search.md, "Speed").
CANDIDATES = 1000


@dataclass(frozen=True)
class SearchFilters:
    plan_id: int | None = None
    unit_id: int | None = None
    #: A :class:`Status` value or ``OPEN``.
    status: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    overdue: bool = False
    #: Only items whose deadline text could not be read (no machine deadline, so no reminders).
    unreadable: bool = False

    @property
    def is_empty(self) -> bool:
        return self == SearchFilters()

    def as_args(self) -> dict[str, str]:
        """The query-string form (the inverse of :func:`filters_from_args`)."""
        args = {
            "plan": self.plan_id,
            "unit": self.unit_id,
            "status": self.status,
            "due_from": self.due_from.isoformat() if self.due_from else None,
            "due_to": self.due_to.isoformat() if self.due_to else None,
            "overdue": "1" if self.overdue else None,
            "unreadable": "1" if self.unreadable else None,
        }
        return {k: str(v) for k, v in args.items() if v}


def _int(value: Any) -> int | None:
    try:
        number = int(str(value)[:12])
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_INT else None  # beyond an integer column: no such row


def _date(value: Any) -> date | None:
    try:
        day = date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
    return day if day is None or MIN_YEAR <= day.year <= MAX_YEAR else None


def filters_from_args(args: Mapping[str, Any]) -> SearchFilters:
    """Filters from a query string; unknown or malformed values are ignored rather than refused."""
    status = args.get("status") or None
    return SearchFilters(
        plan_id=_int(args.get("plan")),
        unit_id=_int(args.get("unit")),
        status=status if status == OPEN or status in set(Status) else None,
        due_from=_date(args.get("due_from")),
        due_to=_date(args.get("due_to")),
        overdue=str(args.get("overdue", "")).lower() in ("1", "true", "yes", "overdue"),
        unreadable=str(args.get("unreadable", "")).lower() in ("1", "true", "yes"),
    )


@dataclass
class Hit:
    kind: EntryKind
    plan: Plan
    measure: Measure | None = None
    step: Step | None = None
    note: StatusUpdate | None = None

    @property
    def item(self) -> Measure | Step | None:
        """What the hit is about: the step when there is one, else the measure."""
        return self.step or self.measure


@dataclass
class SearchResult:
    query: str
    tokens: list[str]
    filters: SearchFilters
    total: int = 0
    #: How many of the ``total`` matches were ranked (the candidates); pages go that far.
    ranked: int = 0
    hits: list[Hit] = field(default_factory=list)


def has_digit(token: str) -> bool:
    return any(ch.isdigit() for ch in token)


def token_condition(token: str) -> ColumnElement[bool]:
    """The same rule as the index, as a LIKE on the stored key (used for ranking, not matching)."""
    if has_digit(token):
        return SearchEntry.search_key.like(f"% {token} %")
    return SearchEntry.search_key.like(f"% {token}%")


def _tsquery(tokens: list[str], *, whole: bool) -> str:
    """PostgreSQL: every token as a quoted lexeme (taken as is), words as prefixes unless ``whole``."""
    parts = []
    for token in tokens:
        lexeme = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
        parts.append(lexeme if whole or has_digit(token) else f"{lexeme}:*")
    return " & ".join(parts)


def _fts_query(tokens: list[str], *, whole: bool) -> str:
    """SQLite FTS5: every token as a quoted string (implicit AND), words as prefixes unless ``whole``."""
    parts = []
    for token in tokens:
        string = '"' + token.replace('"', '""') + '"'
        parts.append(string if whole or has_digit(token) else f"{string}*")
    return " ".join(parts)


_FTS = table(FTS_TABLE, column("rowid"))


def match_condition(tokens: list[str], *, whole: bool, dialect: str) -> ColumnElement[bool]:
    """Every token matches: from the GIN index (PostgreSQL) or the FTS5 table (SQLite)."""
    if dialect == "postgresql":
        return SearchEntry.tokens.op("@@")(cast(literal(_tsquery(tokens, whole=whole)), TSQUERY))
    return SearchEntry.id.in_(
        select(_FTS.c.rowid).where(literal_column(FTS_TABLE).op("MATCH")(_fts_query(tokens, whole=whole)))
    )


def _item_filters(filters: SearchFilters, today: date, status: Any, due: Any, measure_id: Any) -> list[Any]:
    conditions: list[Any] = []
    if filters.plan_id:
        conditions.append(Measure.plan_id == filters.plan_id)
    if filters.unit_id:
        conditions.append(
            exists().where(
                Responsible.measure_id == measure_id,
                or_(Responsible.unit_id == filters.unit_id, Responsible.is_all_units.is_(True)),
            )
        )
    closed = [s.value for s in CLOSED_STATUSES]
    if filters.status == OPEN:
        conditions.append(status.not_in(closed))
    elif filters.status:
        conditions.append(status == filters.status)
    if filters.due_from:
        conditions.append(due >= filters.due_from)
    if filters.due_to:
        conditions.append(due <= filters.due_to)
    if filters.overdue:
        conditions.append(and_(due < today, status.not_in(closed)))
    if filters.unreadable:
        unknown = DeadlineKind.UNKNOWN.value
        # An alias: the text search joins Step itself, and exists() would correlate to that join.
        any_step = aliased(Step)
        conditions.append(
            or_(
                Measure.deadline_kind == unknown,
                exists().where(any_step.measure_id == measure_id, any_step.deadline_kind == unknown),
            )
        )
    return conditions


def _visible_plan_ids(user: User) -> Select[Any]:
    return visible_plans_query(user).with_only_columns(Plan.id)


def _entry_conditions(
    user: User, filters: SearchFilters, today: date, kinds: frozenset[EntryKind]
) -> tuple[list[Any], bool]:
    """The conditions on index entries besides the match, and whether they need the measures
    and steps joined (entries of removed measures are not in the index, tracker/search/index.py,
    so only the item filters do)."""
    status = func.coalesce(Step.status, Measure.status)
    due = func.coalesce(Step.due_on, Measure.due_on)
    conditions: list[Any] = [
        SearchEntry.plan_id.in_(_visible_plan_ids(user)),
        SearchEntry.kind.in_([k.value for k in kinds]),
    ]
    if filters.plan_id:
        conditions.append(SearchEntry.plan_id == filters.plan_id)
    item_filters = _item_filters(
        SearchFilters(**{**filters.__dict__, "plan_id": None}), today, status, due, SearchEntry.measure_id
    )
    if item_filters:
        conditions.append(SearchEntry.measure_id.is_not(None))
        conditions.extend(item_filters)
    return conditions, bool(item_filters)


def _matching(
    match: ColumnElement[bool], conditions: list[Any], join_items: bool, *columns: Any
) -> Select[Any]:
    query = select(*columns).select_from(SearchEntry).where(match, *conditions)
    if join_items:
        query = query.outerjoin(Measure, Measure.id == SearchEntry.measure_id).outerjoin(
            Step, Step.id == SearchEntry.step_id
        )
    return query


def _newest(match: ColumnElement[bool], conditions: list[Any], join_items: bool, cap: int) -> Select[Any]:
    return _matching(match, conditions, join_items, SearchEntry.id).order_by(SearchEntry.id.desc()).limit(cap)


def _ranked_page(candidates: Any, total: Any, tokens: list[str], limit: int, offset: int) -> Sequence[Any]:
    """One page of the candidates, best first, each row with the total and the number ranked."""
    return db.session.execute(
        select(
            SearchEntry.id,
            total.label("total"),
            func.count().over().label("ranked"),
            SearchEntry.kind,
            SearchEntry.plan_id,
            SearchEntry.measure_id,
            SearchEntry.step_id,
            SearchEntry.status_update_id,
        )
        .where(SearchEntry.id.in_(candidates))
        .order_by(*_ranking(tokens))
        .limit(limit)
        .offset(offset)
    ).all()


def _ranking(tokens: list[str]) -> tuple[Any, ...]:
    """Best first: the phrase at the start, more whole words, measures before steps before notes,
    shorter text, newer."""
    phrase_first = case((SearchEntry.search_key.like(f" {' '.join(tokens)} %"), 1), else_=0)
    whole_words = sum(
        (case((SearchEntry.search_key.like(f"% {t} %"), 1), else_=0) for t in tokens), literal(0)
    )
    kind_rank = case(
        {EntryKind.MEASURE.value: 0, EntryKind.STEP.value: 1, EntryKind.NOTE.value: 2},
        value=SearchEntry.kind,
        else_=3,
    )
    return (
        phrase_first.desc(),
        whole_words.desc(),
        kind_rank,
        func.length(SearchEntry.search_key),
        SearchEntry.id.desc(),
    )


def search(
    user: User,
    query: str,
    filters: SearchFilters,
    today: date,
    *,
    kinds: frozenset[EntryKind] = frozenset(EntryKind),
    limit: int = 50,
    offset: int = 0,
) -> SearchResult:
    """Entries matching every token of ``query`` in plans ``user`` may see, best first.

    With no tokens but some filters, lists the measures matching the filters (by deadline):
    the list behind each dashboard number. With neither, returns nothing. A fixed number of
    queries whatever the data: the page (total included), then one load per kind.
    """
    tokens = list(dict.fromkeys(t[:MAX_TOKEN_CHARS] for t in search_tokens(query or "")))[:MAX_TOKENS]
    result = SearchResult(query=query or "", tokens=tokens, filters=filters)
    if not tokens:
        if not filters.is_empty:
            _list_measures(user, filters, today, result, limit, offset)
        return result

    conditions, join_items = _entry_conditions(user, filters, today, kinds)
    dialect = db.session.get_bind().dialect.name
    everything = match_condition(tokens, whole=False, dialect=dialect)
    # The candidates: the newest matches where every token is a whole token, and the newest
    # matches at all, CANDIDATES of each (index-friendly; see docs/search.md). Only they are ranked.
    cap = max(CANDIDATES, offset + limit)
    tiers = [_newest(everything, conditions, join_items, cap)]
    if any(not has_digit(t) for t in tokens):
        whole = match_condition(tokens, whole=True, dialect=dialect)
        tiers.append(_newest(whole, conditions, join_items, cap))
    candidates = union(*(t.subquery().select() for t in tiers)) if len(tiers) > 1 else tiers[0]
    total = _matching(everything, conditions, join_items, func.count()).scalar_subquery()

    rows = _ranked_page(candidates, total, tokens, limit, offset)
    if rows:
        result.total, result.ranked = rows[0].total, rows[0].ranked
    elif offset:  # a page past the end: still say how many there are
        result.total = db.session.scalar(select(total)) or 0
    result.hits = _load_hits(rows)
    return result


def _load_hits(rows: Sequence[Any]) -> list[Hit]:
    """The plans, measures, steps and notes the page's hits name: one statement per kind the
    page has (a page of measures sends none for steps or notes)."""
    plan_ids = {r.plan_id for r in rows}
    measure_ids = {r.measure_id for r in rows if r.measure_id}
    step_ids = {r.step_id for r in rows if r.step_id}
    note_ids = {r.status_update_id for r in rows if r.status_update_id}
    plans = _by_id(select(Plan).where(Plan.id.in_(plan_ids)), plan_ids)
    measures = _by_id(
        select(Measure).where(Measure.id.in_(measure_ids)).options(selectinload(Measure.responsibles)),
        measure_ids,
    )
    steps = _by_id(select(Step).where(Step.id.in_(step_ids)), step_ids)
    # A note shows its author, never its reviewer (joined by default).
    notes = _by_id(
        select(StatusUpdate).where(StatusUpdate.id.in_(note_ids)).options(lazyload(StatusUpdate.reviewer)),
        note_ids,
    )
    return [
        Hit(
            kind=EntryKind(r.kind),
            plan=plans[r.plan_id],
            measure=measures.get(r.measure_id) if r.measure_id else None,
            step=steps.get(r.step_id) if r.step_id else None,
            note=notes.get(r.status_update_id) if r.status_update_id else None,
        )
        for r in rows
    ]


def _by_id(query: Select[Any], ids: set[int]) -> dict[int, Any]:
    return {item.id: item for item in db.session.scalars(query)} if ids else {}


def _list_measures(
    user: User, filters: SearchFilters, today: date, result: SearchResult, limit: int, offset: int
) -> None:
    conditions = [
        Measure.plan_id.in_(_visible_plan_ids(user)),
        Measure.deleted_at.is_(None),
        *_item_filters(filters, today, Measure.status, Measure.due_on, Measure.id),
    ]
    result.total = db.session.scalar(select(func.count(Measure.id)).where(*conditions)) or 0
    if not result.total:
        return
    measures = list(
        db.session.scalars(
            select(Measure)
            .where(*conditions)
            .options(selectinload(Measure.responsibles))
            .order_by(Measure.due_on.asc().nulls_last(), Measure.plan_id, Measure.position)
            .limit(limit)
            .offset(offset)
        )
    )
    plans = {
        p.id: p for p in db.session.scalars(select(Plan).where(Plan.id.in_({m.plan_id for m in measures})))
    }
    result.hits = [Hit(kind=EntryKind.MEASURE, plan=plans[m.plan_id], measure=m) for m in measures]
