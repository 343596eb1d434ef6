"""Reminders: policy, holidays, claimed reminders, the e-mail outbox and its attempts;
status_updates.period_due_on (the occurrence a report is for).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('status_updates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period_due_on', sa.Date(), nullable=True))

    op.create_table('reminder_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('days_before', sa.String(length=60), nullable=False),
    sa.Column('remind_on_due_day', sa.Boolean(), nullable=False),
    sa.Column('overdue_every_days', sa.Integer(), nullable=False),
    sa.Column('escalate_head_after_days', sa.Integer(), nullable=False),
    sa.Column('escalate_director_after_days', sa.Integer(), nullable=False),
    sa.Column('continuous_period', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("continuous_period IN ('monthly', 'quarterly', 'half_yearly', 'yearly')", name=op.f('ck_reminder_policies_continuous_period')),
    sa.CheckConstraint('escalate_head_after_days >= 0 AND escalate_director_after_days >= 0', name=op.f('ck_reminder_policies_escalation_days')),
    sa.CheckConstraint('overdue_every_days >= 1', name=op.f('ck_reminder_policies_overdue_every_positive')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_reminder_policies_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_reminder_policies_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_policies')),
    sa.UniqueConstraint('organization_id', name='uq_reminder_policies_organization')
    )

    op.create_table('reminder_holidays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_reminder_holidays_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_holidays')),
    sa.UniqueConstraint('organization_id', 'day', name='uq_reminder_holidays_organization_day')
    )

    op.create_table('outbound_emails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('digest', 'weekly_summary')", name=op.f('ck_outbound_emails_kind')),
    sa.CheckConstraint("state <> 'sending' OR lease_until IS NOT NULL", name=op.f('ck_outbound_emails_sending_has_lease')),
    sa.CheckConstraint("state <> 'sent' OR sent_at IS NOT NULL", name=op.f('ck_outbound_emails_sent_has_time')),
    sa.CheckConstraint("state IN ('queued', 'sending', 'sent', 'retrying', 'failed')", name=op.f('ck_outbound_emails_state')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_outbound_emails_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_outbound_emails_recipient_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_emails')),
    sa.UniqueConstraint('key', name='uq_outbound_emails_key')
    )
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbound_emails_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('ix_outbound_emails_state_next', ['state', 'next_attempt_at'], unique=False)

    op.create_table('delivery_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email_id', sa.Integer(), nullable=False),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_success', sa.Boolean(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['email_id'], ['outbound_emails.id'], name=op.f('fk_delivery_attempts_email_id_outbound_emails'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_attempts'))
    )
    with op.batch_alter_table('delivery_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_attempts_email_id'), ['email_id'], unique=False)

    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('item_key', sa.String(length=24), nullable=False),
    sa.Column('occurrence_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('offset_days', sa.Integer(), nullable=False),
    sa.Column('send_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('before', 'due', 'overdue', 'escalation_head', 'escalation_director', 'review')", name=op.f('ck_reminders_kind')),
    sa.ForeignKeyConstraint(['email_id'], ['outbound_emails.id'], name=op.f('fk_reminders_email_id_outbound_emails'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_reminders_measure_id_measures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_reminders_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_reminders_recipient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['step_id'], ['steps.id'], name=op.f('fk_reminders_step_id_steps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('recipient_id', 'item_key', 'occurrence_on', 'kind', 'offset_days', name='uq_reminders_claim')
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_email_id'), ['email_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('ix_reminders_recipient_unread', ['recipient_id', 'read_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_send_on'), ['send_on'], unique=False)


def downgrade():
    op.drop_table('reminders')
    op.drop_table('delivery_attempts')
    op.drop_table('outbound_emails')
    op.drop_table('reminder_holidays')
    op.drop_table('reminder_policies')
    with op.batch_alter_table('status_updates', schema=None) as batch_op:
        batch_op.drop_column('period_due_on')
