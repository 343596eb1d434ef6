"""Search index and calendar feeds (issue 7).

Tables ``search_entries`` (one folded search key per measure, step, status note and plan) and
``calendar_feeds`` (private iCalendar URLs), exactly as ``tracker/search/models.py`` and
``tracker/dashboard/models.py`` describe them.

Dialect-specific, and self-contained (no application code is imported here: it changes
later and would break this migration):

- PostgreSQL: ``search_entries.tokens`` is a stored generated ``tsvector`` of the key's tokens
  (``array_to_tsvector``: one lexeme per token, as written), with a GIN index.
- SQLite: ``tokens`` is a virtual NULL column (so that the table matches the model), and the
  search runs on an FTS5 table ``search_entries_fts`` over ``search_key`` (external content,
  rowid = ``search_entries.id``, tokenizer ``unicode61`` with ``-``, ``/`` and ``.`` as token
  characters, so "pf-200" and "27.11.2023" stay one token), kept current by three triggers.
  tests/test_schema.py leaves that table and its shadow tables out of the comparison.

The index starts empty. Rows are written by the ORM listener (tracker/search/index.py) as data
is added; data that existed before this migration is indexed with ``flask search rebuild``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


FTS_TABLE = 'search_entries_fts'
TOKENS_SQL = "array_to_tsvector(array_remove(string_to_array(btrim(search_key), ' '::text), ''::text))"


def upgrade():
    is_postgresql = op.get_bind().dialect.name == "postgresql"
    if is_postgresql:
        tokens = sa.Column('tokens', postgresql.TSVECTOR(), sa.Computed(sa.text(TOKENS_SQL), persisted=True), nullable=True)
    else:
        tokens = sa.Column('tokens', sa.Text(), sa.Computed(sa.text('NULL')), nullable=True)

    op.create_table('search_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('status_update_id', sa.Integer(), nullable=True),
    sa.Column('search_key', sa.Text(), nullable=False),
    tokens,
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
        batch_op.create_index('ix_search_entries_tokens', ['tokens'], unique=False, postgresql_using='gin')

    if not is_postgresql:
        op.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(search_key, content='search_entries', "
            "content_rowid='id', tokenize=\"unicode61 tokenchars '-/.'\")"
        )
        op.execute(
            f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON search_entries BEGIN "
            f"INSERT INTO {FTS_TABLE}(rowid, search_key) VALUES (new.id, new.search_key); END"
        )
        op.execute(
            f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON search_entries BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_key) VALUES ('delete', old.id, old.search_key); END"
        )
        op.execute(
            f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF search_key ON search_entries BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_key) VALUES ('delete', old.id, old.search_key); "
            f"INSERT INTO {FTS_TABLE}(rowid, search_key) VALUES (new.id, new.search_key); END"
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


def downgrade():
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feeds_user_id'))
        batch_op.drop_index(batch_op.f('ix_calendar_feeds_unit_id'))
    op.drop_table('calendar_feeds')
    if op.get_bind().dialect.name != "postgresql":
        for suffix in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_search_entries_tokens')
        batch_op.drop_index(batch_op.f('ix_search_entries_step_id'))
        batch_op.drop_index(batch_op.f('ix_search_entries_status_update_id'))
        batch_op.drop_index(batch_op.f('ix_search_entries_plan_id'))
        batch_op.drop_index(batch_op.f('ix_search_entries_measure_id'))
    op.drop_table('search_entries')
