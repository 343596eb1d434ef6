"""Proposals, meeting minutes and standing obligations (issue 15).

- ``measures.content``: a proposal's "Мазмуни" with its other labelled parts;
- plan kind ``obligations`` (the CHECK on ``plans.kind`` widened);
- ``meetings``: the record of a meeting whose decisions are a plan;
- ``duty_checklist_items`` and ``obligation_periods``: a standing duty's checklist and the
  periods it owes a report for.

Widening the CHECK on SQLite rewrites the table's stored definition (SQLite's documented way for
a change that leaves every stored row valid) instead of rebuilding ``plans``: with foreign keys on,
dropping the old table would cascade-delete every measure.

Revision ID: 0010
Revises: 0004
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0004'
branch_labels = None
depends_on = None

OLD_KINDS = "'work_plan', 'roadmap', 'programme', 'decisions'"
NEW_KINDS = "'work_plan', 'roadmap', 'programme', 'decisions', 'obligations'"


def _set_plan_kinds(old: str, new: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        version = bind.exec_driver_sql('PRAGMA schema_version').scalar()
        bind.exec_driver_sql('PRAGMA writable_schema = ON')
        bind.exec_driver_sql(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'plans'",
            (f'kind IN ({old})', f'kind IN ({new})'),
        )
        bind.exec_driver_sql(f'PRAGMA schema_version = {int(version) + 1}')
        bind.exec_driver_sql('PRAGMA writable_schema = OFF')
    else:
        op.drop_constraint(op.f('ck_plans_kind'), 'plans', type_='check')
        op.create_check_constraint(op.f('ck_plans_kind'), 'plans', f'kind IN ({new})')


def upgrade():
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content', sa.Text(), nullable=True))
    _set_plan_kinds(OLD_KINDS, NEW_KINDS)

    op.create_table(
        'meetings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('number', sa.String(length=50), nullable=True),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('place', sa.String(length=300), nullable=True),
        sa.Column('chair', sa.String(length=300), nullable=True),
        sa.Column('secretary', sa.String(length=300), nullable=True),
        sa.Column('attendees', sa.JSON(), nullable=False),
        sa.Column('agenda', sa.JSON(), nullable=False),
        sa.Column('source_name', sa.String(length=255), nullable=True),
        sa.Column('source_sha256', sa.String(length=64), nullable=True),
        sa.Column('source_mime_type', sa.String(length=100), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_meetings_organization_id_organizations')),
        sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_meetings_plan_id_plans'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings')),
        sa.UniqueConstraint('plan_id', name=op.f('uq_meetings_plan_id')),
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_organization_id'), ['organization_id'], unique=False)

    op.create_table(
        'duty_checklist_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('measure_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('label', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_duty_checklist_items_measure_id_measures'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_duty_checklist_items')),
    )
    with op.batch_alter_table('duty_checklist_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_checklist_items_measure_id'), ['measure_id'], unique=False)

    op.create_table(
        'obligation_periods',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('measure_id', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('reported_on', sa.Date(), nullable=True),
        sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reported_by_id', sa.Integer(), nullable=True),
        sa.Column('evidence_url', sa.String(length=1000), nullable=True),
        sa.Column('letter_number', sa.String(length=100), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('checked_item_ids', sa.JSON(), nullable=False),
        sa.Column('status_update_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('starts_on <= due_on', name=op.f('ck_obligation_periods_period_order')),
        sa.CheckConstraint('reported_on IS NULL OR reported_at IS NOT NULL', name=op.f('ck_obligation_periods_reported_has_time')),
        sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_obligation_periods_measure_id_measures'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_obligation_periods_reported_by_id_users')),
        sa.ForeignKeyConstraint(['status_update_id'], ['status_updates.id'], name=op.f('fk_obligation_periods_status_update_id_status_updates'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_obligation_periods')),
        sa.UniqueConstraint('measure_id', 'due_on', name='uq_obligation_periods_measure_due'),
    )
    with op.batch_alter_table('obligation_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_obligation_periods_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_obligation_periods_measure_id'), ['measure_id'], unique=False)


def downgrade():
    op.drop_table('obligation_periods')
    op.drop_table('duty_checklist_items')
    op.drop_table('meetings')
    op.execute("DELETE FROM plans WHERE kind = 'obligations'")
    _set_plan_kinds(NEW_KINDS, OLD_KINDS)
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.drop_column('content')
