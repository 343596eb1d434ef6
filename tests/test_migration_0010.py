"""Migration 0010 widens the plan kinds without touching existing plans (SQLite rewrites the
stored CHECK instead of rebuilding ``plans``, which would cascade-delete every measure)."""

from __future__ import annotations

import flask_migrate
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.conftest import make_test_app
from tracker.extensions import db


def _count(table: str) -> int:
    return db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608


def test_existing_plans_survive_and_obligations_become_allowed(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'm.sqlite'}", tmp_path)
    with app.app_context():
        flask_migrate.upgrade(revision="0004")
        db.session.execute(
            text("INSERT INTO organizations (id, name, created_at) VALUES (1, 'A', CURRENT_TIMESTAMP)")
        )
        db.session.execute(
            text(
                "INSERT INTO plans (id, organization_id, kind, title, state, version, created_at, "
                "updated_at, lock_version) "
                "VALUES (1, 1, 'work_plan', 'P', 'draft', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO measures (id, plan_id, number, position, title, status, added_on, created_at, "
                "updated_at, lock_version) VALUES (1, 1, '1', 1, 'M', 'not_started', '2024-01-01', "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            )
        )
        db.session.commit()

        flask_migrate.upgrade()
        assert (_count("plans"), _count("measures")) == (1, 1)
        assert db.session.execute(text("SELECT content FROM measures")).scalar_one() is None
        db.session.execute(text("UPDATE plans SET kind = 'obligations' WHERE id = 1"))
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.execute(text("UPDATE plans SET kind = 'wish_list' WHERE id = 1"))
        db.session.rollback()

        db.session.execute(text("UPDATE plans SET kind = 'work_plan' WHERE id = 1"))
        db.session.commit()
        flask_migrate.downgrade(revision="0004")
        assert (_count("plans"), _count("measures")) == (1, 1)
        db.engine.dispose()
