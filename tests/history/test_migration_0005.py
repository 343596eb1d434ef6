"""Migration 0005 on a database filled by schema 0004: existing rows carried over, imported
"done" statuses marked as having no known finishing day."""

from __future__ import annotations

import os
from pathlib import Path

import flask_migrate
from sqlalchemy import text

from config import normalise_database_url
from tests.conftest import make_test_app, reset_database, sibling_database
from tracker.extensions import db as _db


def _migration_database(tmp_path: Path) -> str:
    """A database of its own: SQLite in a temporary folder, or ``<test database>_migration``."""
    url = os.environ.get("TRACKER_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'migration.sqlite'}"
    migration_url = sibling_database(normalise_database_url(url), "migration")
    reset_database(migration_url)
    return migration_url


ROWS = [
    "INSERT INTO organizations (id, name, created_at) VALUES (1, 'Агентлик', '2024-01-01 00:00:00+00')",
    "INSERT INTO users (id, email, name, password_hash, organization_id, locale, created_at)"
    " VALUES (1, 'c@x.uz', 'Д. Каримова', 'x', 1, 'uz_Cyrl', '2024-01-01 00:00:00+00')",
    "INSERT INTO plans (id, organization_id, kind, title, state, version, approval_name, approval_date,"
    " created_at, updated_at, lock_version) VALUES (1, 1, 'roadmap', 'Йўл харитаси', 'approved', 1, 'А. Б.',"
    " '2021-01-01', '2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', 1)",
    "INSERT INTO measures (id, plan_id, number, position, title, deadline_text, due_on, status, added_on,"
    " created_at, updated_at, lock_version) VALUES (1, 1, '1', 1, 'Тадбир', '2021 йил январь', '2021-01-31',"
    " 'done', '2021-01-01', '2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', 1)",
    # imported from "(2022 йил 4 октябрь ҳолатига)": recorded by the system
    "INSERT INTO status_updates (id, measure_id, status, note, author_id, created_at, effective_on)"
    " VALUES (1, 1, 'done', 'Бажарилди.', NULL, '2024-01-01 00:00:00+00', '2022-10-04')",
    # reported by a person
    "INSERT INTO status_updates (id, measure_id, status, note, author_id, created_at, effective_on)"
    " VALUES (2, 1, 'done', 'Тайёр', 1, '2024-01-02 00:00:00+00', '2024-01-02')",
    "INSERT INTO status_updates (id, measure_id, status, note, author_id, created_at, effective_on)"
    " VALUES (3, 1, 'in_progress', 'Бошланди', NULL, '2024-01-01 00:00:00+00', '2022-10-04')",
]


def test_0005_carries_existing_rows_over(tmp_path: Path) -> None:
    url = _migration_database(tmp_path)
    app = make_test_app(url, tmp_path)
    with app.app_context():
        flask_migrate.upgrade(revision="0004")
        with _db.engine.begin() as connection:
            for statement in ROWS:
                connection.execute(text(statement))
        flask_migrate.upgrade(revision="0005")
        with _db.engine.connect() as connection:
            updates = connection.execute(
                text("SELECT id, completion_unknown, effective_reason FROM status_updates ORDER BY id")
            ).all()
            measure = connection.execute(
                text("SELECT title, deadline_on_measure, due_on FROM measures")
            ).one()
            organization = connection.execute(
                text("SELECT extension_decider, print_signature_lines FROM organizations")
            ).one()
            changes = connection.scalar(text("SELECT count(*) FROM item_changes"))
        # the system's "done" (an as-of import) has no known finishing day; a person's has
        assert [(u[0], bool(u[1]), u[2]) for u in updates] == [
            (1, True, None),
            (2, False, None),
            (3, False, None),
        ]
        assert (measure[0], bool(measure[1]), str(measure[2])) == ("Тадбир", False, "2021-01-31")
        assert (organization[0], bool(organization[1])) == ("controller", False)
        assert changes == 0
        flask_migrate.downgrade(revision="0004")
        with _db.engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM status_updates")) == 3
        _db.engine.dispose()
