"""Search index and calendar feeds (issue 7).

Tables ``search_entries`` (one folded search key per measure, step, status note and plan) and
``calendar_feeds`` (private iCalendar URLs), exactly as ``tracker/search/models.py`` and
``tracker/dashboard/models.py`` describe them.

Dialect-specific: on PostgreSQL the key is served by a pg_trgm GIN index (the extension is
created here; it needs a superuser or a database owner with the extension allowed). The index
is declared in the model with ``postgresql_using``/``postgresql_ops``, so on SQLite the same
declaration is a plain index. No object outside the models' metadata is created: an SQLite
FTS5 table was left out on purpose, because Alembic's comparison (tests/test_schema.py) lists
a virtual table and its shadow tables as differences.

The index is filled from the existing rows at the end of the upgrade, with the language
engine (``tracker.search.index.rebuild_index``); afterwards the ORM listener keeps it current.

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    is_postgresql = op.get_bind().dialect.name == "postgresql"
    if is_postgresql:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")

    op.create_table('search_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('status_update_id', sa.Integer(), nullable=True),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('measure', 'step', 'note', 'plan')", name=op.f('ck_search_entries_kind')),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_search_entries_measure_id_measures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_search_entries_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['status_update_id'], ['status_updates.id'], name=op.f('fk_search_entries_status_update_id_status_updates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['step_id'], ['steps.id'], name=op.f('fk_search_entries_step_id_steps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entries'))
    )
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_entries_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_entries_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_entries_status_update_id'), ['status_update_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_entries_step_id'), ['step_id'], unique=False)
        batch_op.create_index(
            'ix_search_entries_search_key_trgm', ['search_key'], unique=False,
            postgresql_using='gin', postgresql_ops={'search_key': 'gin_trgm_ops'},
        )

    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_calendar_feeds_unit_id_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash'))
    )
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feeds_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_feeds_user_id'), ['user_id'], unique=False)

    from tracker.search.index import rebuild_index

    rebuild_index(op.get_bind())


def downgrade():
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feeds_user_id'))
        batch_op.drop_index(batch_op.f('ix_calendar_feeds_unit_id'))
    op.drop_table('calendar_feeds')
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_search_entries_search_key_trgm')
        batch_op.drop_index(batch_op.f('ix_search_entries_step_id'))
        batch_op.drop_index(batch_op.f('ix_search_entries_status_update_id'))
        batch_op.drop_index(batch_op.f('ix_search_entries_plan_id'))
        batch_op.drop_index(batch_op.f('ix_search_entries_measure_id'))
    op.drop_table('search_entries')
    # pg_trgm stays: other objects may use it, and dropping an extension needs a superuser.
