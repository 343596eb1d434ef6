"""``core.sql.rows_among``: the rows whose column is one of many ids, in a bounded number of
statements on either engine, and none at all when there are no ids."""

from __future__ import annotations

from sqlalchemy import select

from tests.query_count import counting_statements
from tracker.core.sql import IN_CHUNK, rows_among
from tracker.plans.models import Measure


def test_rows_among_many_ids_and_none(db, make_plan):
    plan = make_plan(measures=[{"number": str(n), "title": f"Chora {n}"} for n in range(1, 4)])
    ids = [m.id for m in plan.measures]
    query = select(Measure.id, Measure.number).order_by(Measure.id)

    with counting_statements(db.engine) as statements:
        found = list(rows_among(query, Measure.id, [*ids, *range(10**6, 10**6 + IN_CHUNK)]))
    assert [(row.id, row.number) for row in found] == [(m.id, m.number) for m in plan.measures]
    # one statement on PostgreSQL (an array), one per IN_CHUNK ids elsewhere
    assert 1 <= len(statements) <= 2

    with counting_statements(db.engine) as statements:
        assert list(rows_among(query, Measure.id, [])) == []
    assert statements == []
