"""Per-user reading script; a "done" claim can be withdrawn by its unit (issue 13).

- ``users.reading_script``: NULL (as written), 'latn' or 'cyrl' — plan content is shown in
  that script on screen; the stored text never changes.
- ``status_updates.review_state`` gains 'withdrawn' (the unit took its claim back before review).

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None

OLD_STATES = "review_state IS NULL OR review_state IN ('submitted', 'accepted', 'returned')"
NEW_STATES = "review_state IS NULL OR review_state IN ('submitted', 'accepted', 'returned', 'withdrawn')"


READING_SCRIPT = "reading_script IS NULL OR reading_script IN ('latn', 'cyrl')"


def _rewrite_sqlite_table(table: str, old: str, new: str) -> None:
    """Replace a CHECK in SQLite's stored table definition (as 0006 and 0010 do): a batch rebuild
    would DROP a table other rows point at, and SQLite's implicit DELETE would cascade from it."""
    bind = op.get_bind()
    version = bind.exec_driver_sql('PRAGMA schema_version').scalar()
    bind.exec_driver_sql('PRAGMA writable_schema = ON')
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ?", (old, new, table)
    )
    bind.exec_driver_sql(f'PRAGMA schema_version = {int(version) + 1}')
    bind.exec_driver_sql('PRAGMA writable_schema = OFF')


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(
            "ALTER TABLE users ADD COLUMN reading_script VARCHAR(4) "
            f"CONSTRAINT ck_users_reading_script CHECK ({READING_SCRIPT})"
        )
        _rewrite_sqlite_table('status_updates', OLD_STATES, NEW_STATES)
        return
    op.add_column('users', sa.Column('reading_script', sa.String(length=4), nullable=True))
    op.create_check_constraint(op.f('ck_users_reading_script'), 'users', READING_SCRIPT)
    op.drop_constraint(op.f('ck_status_updates_review_state'), 'status_updates', type_='check')
    op.create_check_constraint(op.f('ck_status_updates_review_state'), 'status_updates', NEW_STATES)


def downgrade():
    op.execute("UPDATE status_updates SET review_state = 'returned', "
               "review_comment = COALESCE(review_comment, 'withdrawn') WHERE review_state = 'withdrawn'")
    if op.get_bind().dialect.name == 'sqlite':
        _rewrite_sqlite_table('status_updates', NEW_STATES, OLD_STATES)
        op.execute("ALTER TABLE users DROP COLUMN reading_script")
        return
    op.drop_constraint(op.f('ck_status_updates_review_state'), 'status_updates', type_='check')
    op.create_check_constraint(op.f('ck_status_updates_review_state'), 'status_updates', OLD_STATES)
    op.drop_constraint(op.f('ck_users_reading_script'), 'users', type_='check')
    op.drop_column('users', 'reading_script')
