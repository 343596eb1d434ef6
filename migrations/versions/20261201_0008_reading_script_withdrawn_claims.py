"""Per-user reading script; a "done" claim can be withdrawn by its unit (issue 13).

- ``users.reading_script``: NULL (as written), 'latn' or 'cyrl' — plan content is shown in
  that script on screen; the stored text never changes.
- ``status_updates.review_state`` gains 'withdrawn' (the unit took its claim back before review).

Revision ID: 0008
Revises: 0010
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0010'
branch_labels = None
depends_on = None

OLD_STATES = "review_state IS NULL OR review_state IN ('submitted', 'accepted', 'returned')"
NEW_STATES = "review_state IS NULL OR review_state IN ('submitted', 'accepted', 'returned', 'withdrawn')"


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reading_script', sa.String(length=4), nullable=True))
        batch_op.create_check_constraint(
            'reading_script', "reading_script IS NULL OR reading_script IN ('latn', 'cyrl')"
        )
    with op.batch_alter_table('status_updates', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_status_updates_review_state'), type_='check')
        batch_op.create_check_constraint('review_state', NEW_STATES)


def downgrade():
    op.execute("UPDATE status_updates SET review_state = 'returned', "
               "review_comment = COALESCE(review_comment, 'withdrawn') WHERE review_state = 'withdrawn'")
    with op.batch_alter_table('status_updates', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_status_updates_review_state'), type_='check')
        batch_op.create_check_constraint('review_state', OLD_STATES)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_reading_script'), type_='check')
        batch_op.drop_column('reading_script')
