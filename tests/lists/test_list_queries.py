"""Every list sends the same number of SQL statements whatever the number of rows (issue 17).

Each list is read once on a small world and again after the world has grown by many plans,
measures, claims, notifications and audit entries; the statement count must not change.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import login
from tests.query_count import counting_statements
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.execution import services as execution
from tracker.extensions import db as _db
from tracker.plans.models import PlanState

LISTS = [
    ("/plans", Role.ADMIN),
    ("/plans/{plan_id}", Role.ADMIN),
    ("/plans/{plan_id}?status=done_claimed", Role.ADMIN),
    ("/search?q=tadbir", Role.ADMIN),
    ("/inbox", Role.EXECUTOR),
    ("/inbox/overdue", Role.EXECUTOR),
    ("/notifications", Role.UNIT_HEAD),
    ("/admin/audit", Role.ADMIN),
    ("/reviews", Role.CONTROLLER),
    ("/dashboard", Role.ADMIN),
]


def _plan_with(make_plan, unit, count: int, tag: str):
    measures = [
        {
            "number": str(n),
            "title": f"{tag} tadbir {n}",
            "lead_unit_id": unit.id,
            "due_on": None,
            "steps": [{"number": "1", "text": f"{tag} step {n}"}],
        }
        for n in range(1, count + 1)
    ]
    plan = make_plan(title=f"{tag} plan", measures=measures)
    for measure in plan.measures[: max(count // 2, 1)]:
        execution.submit_status_update(measure, status=Status.DONE_CLAIMED, note=f"{tag} note", actor=None)
    return plan


def _statements(client, url: str) -> tuple[list[str], int]:
    """The statements one request for ``url`` sends, and the size of the page it returns."""
    client.get(url)  # warm: first-use caches (units, settings) are not what we count
    with counting_statements(_db.engine) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return statements, len(response.get_data())


def _repeated(statements: list[str]) -> list[str]:
    counts = Counter(" ".join(s.split())[:160] for s in statements)
    return [f"{n}× {text}" for text, n in counts.most_common(3) if n > 1]


@pytest.mark.parametrize(("url", "role"), LISTS, ids=[u for u, _r in LISTS])
def test_a_list_sends_as_many_statements_for_many_rows_as_for_few(
    url, role, client, db, make_unit, make_user, make_plan
):
    unit = make_unit("Tadbirlar boshqarmasi")
    user = make_user(role, unit=unit if role in (Role.UNIT_HEAD, Role.EXECUTOR) else None)
    plan = _plan_with(make_plan, unit, 2, "small")
    make_plan(title="draft", state=PlanState.DRAFT)
    db.session.commit()
    login(client, user)
    few, few_size = _statements(client, url.format(plan_id=plan.id))
    grown = [_plan_with(make_plan, unit, 40, f"grown {n}") for n in range(3)]
    db.session.commit()
    many, many_size = _statements(client, url.format(plan_id=grown[-1].id))
    assert many_size > few_size, f"{url}: the list did not grow ({few_size} bytes, then {many_size})"
    assert len(many) == len(few), f"{url}: {len(few)} statements, then {len(many)}: {_repeated(many)}"
