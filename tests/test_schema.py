"""The migrations build exactly the schema the models describe, and the database enforces the rules."""

from __future__ import annotations

from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from tracker.execution.models import StatusUpdate
from tracker.extensions import db as _db
from tracker.notifications.models import Notification, NotificationKind
from tracker.orgs.models import Organization
from tracker.plans.models import Measure, Plan, PlanKind, PlanState

#: SQLite only: the FTS5 table of the search index (migration 0004) and the shadow tables FTS5
#: keeps its data in. They are no models (a virtual table cannot be declared in the metadata), so
#: the comparison would list them as tables to drop; they are left out by name, and nothing else.
FTS5_TABLES = {
    "search_entries_fts",
    "search_entries_fts_data",
    "search_entries_fts_idx",
    "search_entries_fts_docsize",
    "search_entries_fts_config",
}


def _not_fts5(name, type_, _parent_names):
    return not (type_ == "table" and name in FTS5_TABLES)


def test_migrations_match_the_models(db):
    with _db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": _not_fts5}
        )
        differences = compare_metadata(context, _db.metadata)
    assert differences == []


@pytest.mark.parametrize(
    "make_bad",
    [
        lambda org: Plan(organization=org, kind="wish_list", title="x", state=PlanState.DRAFT),
        lambda org: Plan(organization=org, kind=PlanKind.WORK_PLAN, title="x", state="forgotten"),
        lambda org: Plan(organization=org, kind=PlanKind.WORK_PLAN, title="x", state=PlanState.APPROVED),
        lambda org: Plan(
            organization=org,
            kind=PlanKind.WORK_PLAN,
            title="x",
            period_start=date(2024, 6, 1),
            period_end=date(2024, 1, 1),
        ),
    ],
    ids=["unknown kind", "unknown state", "approved without approval block", "period backwards"],
)
def test_database_refuses_invalid_plans(db, organization, make_bad):
    db.session.add(make_bad(organization))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_database_refuses_a_claim_without_review_state(db, make_plan):
    plan = make_plan()
    measure = plan.measures[0]
    db.session.add(
        StatusUpdate(measure_id=measure.id, status="done_claimed", note="x", effective_on=date.today())
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_database_refuses_a_returned_claim_without_reason(db, make_plan):
    plan = make_plan()
    update = StatusUpdate(
        measure_id=plan.measures[0].id,
        status="done_claimed",
        note="x",
        effective_on=date.today(),
        review_state="returned",
    )
    db.session.add(update)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def _reminder(org, recipient, measure):
    return Notification(
        organization_id=org.id,
        recipient_id=recipient.id,
        kind=NotificationKind.OVERDUE,
        measure_id=measure.id,
        item_key=f"m{measure.id}",
        occurrence_on=date(2024, 3, 31),
        send_on=date(2024, 4, 1),
    )


def test_database_refuses_a_notification_across_organizations(db, organization, make_user, make_plan):
    """A reminder of one agency's measure for a person of another agency: the composite key
    (recipient, organization) refuses it, and still takes the same reminder for its own people."""
    measure = make_plan().measures[0]
    other = Organization(name="Another agency")
    db.session.add(other)
    db.session.flush()
    outsider, insider = make_user("executor", org=other), make_user("executor")
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(_reminder(organization, outsider, measure))

    db.session.add(_reminder(organization, insider, measure))
    db.session.flush()
    assert db.session.query(Notification).filter_by(recipient_id=insider.id).count() == 1


def test_each_test_starts_from_an_empty_database(db):
    assert db.session.query(Measure).count() == 0
