"""Hardening (issue 12): audit entries belong to an organization, server-side sign-out,
report job leases, and one plan per confirmed import.

- ``audit_entries.organization_id``: filled for existing entries from the actor, or else from
  the entity the entry names (users, units, plans, measures, steps, status updates, report jobs,
  reminder settings, tokens, feeds). Entries whose owner cannot be found stay NULL and are shown
  to nobody (before, entries without an actor were shown to every organization).
- ``users.session_epoch`` (0): raised at sign-out so the old session cookie stops working.
- ``report_jobs.lease_expires_at``: a running job's worker holds it until then.
- ``import_confirmations``: one row per upload turned into a plan (a second "Confirm" finds it).

Self-contained: no application code is imported.

Revision ID: 0007
Revises: 0010
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0010'
branch_labels = None
depends_on = None

#: entity_type → SQL giving the organization of entity :id (the same rules as tracker.core.audit).
OWNER_SQL = {
    'organization': "SELECT id FROM organizations WHERE id = :id",
    'user': "SELECT organization_id FROM users WHERE id = :id",
    'unit': "SELECT organization_id FROM units WHERE id = :id",
    'plan': "SELECT organization_id FROM plans WHERE id = :id",
    'measure': "SELECT p.organization_id FROM measures m JOIN plans p ON p.id = m.plan_id WHERE m.id = :id",
    'step': (
        "SELECT p.organization_id FROM steps s JOIN measures m ON m.id = s.measure_id "
        "JOIN plans p ON p.id = m.plan_id WHERE s.id = :id"
    ),
    'status_update': (
        "SELECT p.organization_id FROM status_updates u JOIN measures m ON m.id = u.measure_id "
        "JOIN plans p ON p.id = m.plan_id WHERE u.id = :id"
    ),
    'report_job': "SELECT organization_id FROM report_jobs WHERE id = :id",
    'meeting': "SELECT organization_id FROM meetings WHERE id = :id",
    'obligation_period': (
        "SELECT p.organization_id FROM obligation_periods o JOIN measures m ON m.id = o.measure_id "
        "JOIN plans p ON p.id = m.plan_id WHERE o.id = :id"
    ),
    'reminder_policy': "SELECT organization_id FROM reminder_policies WHERE id = :id",
    'holiday': "SELECT organization_id FROM reminder_holidays WHERE id = :id",
    'outbound_email': "SELECT organization_id FROM outbound_emails WHERE id = :id",
    'api_token': "SELECT u.organization_id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = :id",
    'calendar_feed': (
        "SELECT u.organization_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE f.id = :id"
    ),
}


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_entries_organization_id'), ['organization_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_audit_entries_organization_id_organizations'),
            'organizations', ['organization_id'], ['id'], ondelete='CASCADE',
        )
    # Plain ADD COLUMN: a batch rebuild of users would DROP a table other rows point at, which
    # SQLite refuses once the database holds data (foreign keys are on).
    op.add_column('users', sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))
    op.add_column('report_jobs', sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('import_confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=100), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_import_confirmations_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_import_confirmations_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_confirmations')),
    sa.UniqueConstraint('token', name=op.f('uq_import_confirmations_token'))
    )
    with op.batch_alter_table('import_confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_confirmations_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_confirmations_plan_id'), ['plan_id'], unique=False)
    _fill_audit_organizations()


def _fill_audit_organizations():
    connection = op.get_bind()
    connection.execute(sa.text(
        "UPDATE audit_entries SET organization_id = "
        "(SELECT u.organization_id FROM users u WHERE u.id = audit_entries.actor_id) "
        "WHERE actor_id IS NOT NULL"
    ))
    rows = connection.execute(sa.text(
        "SELECT id, entity_type, entity_id FROM audit_entries "
        "WHERE organization_id IS NULL AND entity_id IS NOT NULL"
    )).all()
    for entry_id, entity_type, entity_id in rows:
        sql = OWNER_SQL.get(entity_type)
        if sql is None:
            continue
        owner = connection.execute(sa.text(sql), {'id': entity_id}).scalar()
        if owner is not None:
            connection.execute(
                sa.text("UPDATE audit_entries SET organization_id = :org WHERE id = :id"),
                {'org': owner, 'id': entry_id},
            )


def downgrade():
    op.drop_table('import_confirmations')
    # plain DROP COLUMN (SQLite 3.35 and later), for the same reason
    op.drop_column('report_jobs', 'lease_expires_at')
    op.drop_column('users', 'session_epoch')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_entries_organization_id_organizations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_audit_entries_organization_id'))
        batch_op.drop_column('organization_id')
