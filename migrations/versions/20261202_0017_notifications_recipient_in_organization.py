"""A notification's recipient and organization under one foreign key (issue 17).

``notifications`` pointed at ``users`` (recipient) and at ``organizations`` by two keys, so the
database accepted a notification for a person of another organization, and PostgreSQL checked
two keys for each row: the first national reminder sweep inserts ~500,000. One composite key
``(recipient_id, organization_id) → users (id, organization_id)`` says both things at once: the
recipient exists *and* belongs to the row's organization (the application already only notifies
people of the event's or the plan's organization; now the database refuses anything else). It
needs a unique index on ``users (id, organization_id)`` (an index, not a constraint: SQLite would
otherwise rebuild ``users``, which other tables point at). Deleting a person still deletes
their notifications; an organization cannot be deleted while it has people, as before.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02

"""
import sqlalchemy as sa
from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


#: Notifications whose recipient is a person of another organization: the new key refuses them.
ACROSS_ORGANIZATIONS = (
    "SELECT n.id FROM notifications n JOIN users u ON u.id = n.recipient_id "
    "WHERE u.organization_id <> n.organization_id"
)


def upgrade():
    across = op.get_bind().execute(sa.text(ACROSS_ORGANIZATIONS)).scalars().all()
    if across:
        # Neither deleting them nor moving them to the recipient's organization is ours to decide.
        raise RuntimeError(
            f"{len(across)} notification(s) were written for a person of another organization "
            f"(ids {', '.join(map(str, across[:20]))}{', …' if len(across) > 20 else ''}); "
            f"look at them with: {ACROSS_ORGANIZATIONS}; then delete them, or correct their "
            "organization, and run the upgrade again. Nothing was changed."
        )
    op.create_index('ix_users_id_organization', 'users', ['id', 'organization_id'], unique=True)
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint('fk_notifications_organization_id_organizations', type_='foreignkey')
        batch_op.drop_constraint('fk_notifications_recipient_id_users', type_='foreignkey')
        batch_op.create_foreign_key(
            'fk_notifications_recipient_in_organization', 'users',
            ['recipient_id', 'organization_id'], ['id', 'organization_id'], ondelete='CASCADE',
        )


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint('fk_notifications_recipient_in_organization', type_='foreignkey')
        batch_op.create_foreign_key(
            'fk_notifications_recipient_id_users', 'users', ['recipient_id'], ['id'], ondelete='CASCADE',
        )
        batch_op.create_foreign_key(
            'fk_notifications_organization_id_organizations', 'organizations',
            ['organization_id'], ['id'], ondelete='CASCADE',
        )
    op.drop_index('ix_users_id_organization', table_name='users')
