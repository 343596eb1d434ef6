"""Workflow events and notifications (issue 11): one table for hand-overs and reminders.

- ``workflow_events``: what happened (a claim returned, a plan approved, a mention, …).
- ``notifications`` replaces ``reminders``: every existing reminder is carried over with its id,
  read state and e-mail; ``measure_id`` and ``occurrence_on`` become optional (a plan event has
  neither), ``event_id`` and ``plan_id`` are new, and the kinds gain the workflow events.
- ``notification_settings``: e-mail timing per person (immediately or in the daily digest;
  "never" stays ``users.wants_email`` off). No row means the daily digest.
- ``comments``: comment threads on measures and steps.
- ``outbound_emails.kind`` gains ``notification`` (one message per immediate notification).

Self-contained: no application code is imported.

Revision ID: 0006
Revises: 0010
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0011'
branch_labels = None
depends_on = None

REMINDER_KINDS = ('before', 'due', 'overdue', 'escalation_head', 'escalation_director', 'review')
EVENT_KINDS = (
    'claim_submitted', 'claim_accepted', 'claim_returned', 'plan_submitted', 'plan_approved',
    'plan_returned', 'measure_assigned', 'mention', 'extension_requested', 'extension_granted',
    'extension_refused',
)
COPIED = (
    'id, organization_id, recipient_id, kind, measure_id, step_id, item_key, occurrence_on, '
    'offset_days, send_on, created_at, read_at, email_id'
)


def _in(values):
    return ', '.join(f"'{v}'" for v in sorted(values))



OLD_EMAIL_KINDS = "'digest', 'weekly_summary'"
NEW_EMAIL_KINDS = "'digest', 'weekly_summary', 'notification'"


def _set_email_kinds(old: str, new: str) -> None:
    """Widen or narrow the CHECK on outbound_emails.kind.

    On SQLite the stored table definition is rewritten in place (as 0010 does for plans.kind): a
    batch rebuild would DROP outbound_emails, and with foreign keys on SQLite's implicit DELETE
    would cascade to delivery_attempts and clear notifications.email_id.
    """
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        version = bind.exec_driver_sql('PRAGMA schema_version').scalar()
        bind.exec_driver_sql('PRAGMA writable_schema = ON')
        bind.exec_driver_sql(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'outbound_emails'",
            (f'kind IN ({old})', f'kind IN ({new})'),
        )
        bind.exec_driver_sql(f'PRAGMA schema_version = {int(version) + 1}')
        bind.exec_driver_sql('PRAGMA writable_schema = OFF')
    else:
        op.drop_constraint(op.f('ck_outbound_emails_kind'), 'outbound_emails', type_='check')
        op.create_check_constraint(op.f('ck_outbound_emails_kind'), 'outbound_emails', f'kind IN ({new})')


def upgrade():
    op.create_table('workflow_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('status_update_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(f"kind IN ({_in(EVENT_KINDS)})", name=op.f('ck_workflow_events_kind')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_workflow_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_workflow_events_measure_id_measures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_workflow_events_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_workflow_events_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['status_update_id'], ['status_updates.id'], name=op.f('fk_workflow_events_status_update_id_status_updates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['step_id'], ['steps.id'], name=op.f('fk_workflow_events_step_id_steps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_workflow_events_unit_id_units'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_events'))
    )
    with op.batch_alter_table('workflow_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workflow_events_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_workflow_events_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workflow_events_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workflow_events_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index('ix_workflow_events_plan_kind', ['plan_id', 'kind'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('item_key', sa.String(length=24), nullable=False),
    sa.Column('occurrence_on', sa.Date(), nullable=True),
    sa.Column('offset_days', sa.Integer(), server_default='0', nullable=False),
    sa.Column('send_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email_id', sa.Integer(), nullable=True),
    sa.CheckConstraint(f"kind IN ({_in(REMINDER_KINDS + EVENT_KINDS)})", name=op.f('ck_notifications_kind')),
    sa.CheckConstraint('event_id IS NOT NULL OR (measure_id IS NOT NULL AND occurrence_on IS NOT NULL)', name=op.f('ck_notifications_event_or_reminder')),
    sa.ForeignKeyConstraint(['email_id'], ['outbound_emails.id'], name=op.f('fk_notifications_email_id_outbound_emails'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['workflow_events.id'], name=op.f('fk_notifications_event_id_workflow_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_notifications_measure_id_measures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_notifications_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_notifications_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_notifications_recipient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['step_id'], ['steps.id'], name=op.f('fk_notifications_step_id_steps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('recipient_id', 'item_key', 'occurrence_on', 'kind', 'offset_days', name='uq_notifications_claim')
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_email_id'), ['email_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index('ix_notifications_recipient_created', ['recipient_id', 'created_at'], unique=False)
        batch_op.create_index('ix_notifications_recipient_unread', ['recipient_id', 'read_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_send_on'), ['send_on'], unique=False)

    # Every reminder is a notification now: carried over with its id, then plan_id filled in.
    op.execute(f"INSERT INTO notifications ({COPIED}) SELECT {COPIED} FROM reminders")
    op.execute(
        "UPDATE notifications SET plan_id = "
        "(SELECT measures.plan_id FROM measures WHERE measures.id = notifications.measure_id)"
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "SELECT setval(pg_get_serial_sequence('notifications', 'id'), "
            "COALESCE((SELECT MAX(id) FROM notifications), 0) + 1, false)"
        )
    op.drop_table('reminders')

    op.create_table('notification_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('email_timing', sa.String(length=20), server_default='daily', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("email_timing IN ('daily', 'immediate')", name=op.f('ck_notification_settings_email_timing')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_settings'))
    )

    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('mentions', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_comments_measure_id_measures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['step_id'], ['steps.id'], name=op.f('fk_comments_step_id_steps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_step_id'), ['step_id'], unique=False)

    _set_email_kinds(OLD_EMAIL_KINDS, NEW_EMAIL_KINDS)


def downgrade():
    op.execute("DELETE FROM outbound_emails WHERE kind = 'notification'")
    _set_email_kinds(NEW_EMAIL_KINDS, OLD_EMAIL_KINDS)
    op.drop_table('comments')
    op.drop_table('notification_settings')
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
    sa.CheckConstraint(f"kind IN ({_in(REMINDER_KINDS)})", name=op.f('ck_reminders_kind')),
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
    op.execute(
        f"INSERT INTO reminders ({COPIED}) SELECT {COPIED} FROM notifications WHERE event_id IS NULL"
    )
    op.drop_table('notifications')
    op.drop_table('workflow_events')
