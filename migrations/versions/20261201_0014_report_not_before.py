"""Report jobs can wait: ``report_jobs.not_before`` (issue 17, reports built before people ask).

A plan's status report "as of today" is rebuilt in the background after its changes settle;
the job is queued at once and waits until ``not_before``, which each further change pushes
later (a debounce kept in the database, so the scheduler finds it after a restart).

Revision ID: 0014
Revises: 0008
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # add_column, not a batch rebuild: on SQLite a rebuild would drop a table others reference
    op.add_column('report_jobs', sa.Column('not_before', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column('report_jobs', 'not_before')
