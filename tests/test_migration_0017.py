"""Migration 0017 puts a notification's recipient and organization under one key: existing
notifications survive it, and a notification written for a person of another organization stops
it with a message that says which, before anything is changed."""

from __future__ import annotations

import flask_migrate
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.conftest import make_test_app
from tracker.extensions import db


def _insert_world() -> None:
    for statement in (
        "INSERT INTO organizations (id, name, created_at) VALUES (1, 'A', CURRENT_TIMESTAMP), "
        "(2, 'B', CURRENT_TIMESTAMP)",
        "INSERT INTO users (id, email, name, password_hash, organization_id, created_at) VALUES "
        "(1, 'a@example.uz', 'A', 'x', 1, CURRENT_TIMESTAMP), "
        "(2, 'b@example.uz', 'B', 'x', 2, CURRENT_TIMESTAMP)",
        "INSERT INTO plans (id, organization_id, kind, title, state, version, created_at, updated_at, "
        "lock_version) VALUES (1, 1, 'work_plan', 'P', 'draft', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)",
        "INSERT INTO measures (id, plan_id, number, position, title, status, added_on, created_at, "
        "updated_at, lock_version) VALUES (1, 1, '1', 1, 'M', 'not_started', '2024-01-01', "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)",
    ):
        db.session.execute(text(statement))


def _notify(notification_id: int, organization_id: int, recipient_id: int) -> None:
    db.session.execute(
        text(
            "INSERT INTO notifications (id, organization_id, recipient_id, kind, measure_id, item_key, "
            "occurrence_on, offset_days, send_on, created_at) VALUES (:id, :org, :user, 'overdue', 1, "
            "'m1', '2024-03-31', 3, '2024-04-03', CURRENT_TIMESTAMP)"
        ),
        {"id": notification_id, "org": organization_id, "user": recipient_id},
    )


def test_notifications_survive_and_the_database_keeps_them_in_their_organization(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'm.sqlite'}", tmp_path)
    with app.app_context():
        flask_migrate.upgrade(revision="0016")
        _insert_world()
        _notify(1, 1, 1)
        db.session.commit()

        flask_migrate.upgrade()
        rows = db.session.execute(text("SELECT id, organization_id, recipient_id FROM notifications"))
        assert rows.all() == [(1, 1, 1)]
        with pytest.raises(IntegrityError):
            _notify(2, 1, 2)  # organization A's reminder for a person of B
        db.session.rollback()

        flask_migrate.downgrade(revision="0016")
        _notify(2, 1, 2)  # the old keys accepted it
        db.session.commit()
        db.engine.dispose()


def test_a_notification_across_organizations_stops_the_upgrade_and_changes_nothing(tmp_path, capfd):
    app = make_test_app(f"sqlite:///{tmp_path / 'm.sqlite'}", tmp_path)
    with app.app_context():
        flask_migrate.upgrade(revision="0016")
        _insert_world()
        _notify(1, 1, 1)
        _notify(7, 1, 2)
        db.session.commit()

        with pytest.raises(SystemExit):  # flask db upgrade: the message, then exit status 1
            flask_migrate.upgrade()
        db.session.rollback()
        message = capfd.readouterr().err
        assert "1 notification(s) were written for a person of another organization (ids 7)" in message
        assert db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0016"
        assert db.session.execute(text("SELECT count(*) FROM notifications")).scalar_one() == 2

        db.session.execute(text("DELETE FROM notifications WHERE id = 7"))
        db.session.commit()
        flask_migrate.upgrade()
        assert db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0017"
        db.engine.dispose()
