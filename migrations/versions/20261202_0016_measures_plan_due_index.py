"""A plan's measures by deadline as an index: ``measures (plan_id, due_on)`` (issue 17).

"Overdue" and "due soon" of one organization's plans (a unit's inbox, the dashboard's late units
and plans, the overdue list) asked PostgreSQL for the plan's measures and for every measure of
the country due before the day, and intersected the two (a bitmap of 65,000 entries for 160 rows
at 200,000 measures); with the deadline beside the plan in one index it reads the 160 rows (the
executor's inbox: its overdue statement 5.2 → 1.7–2.2 ms). The new index serves every query the
plan's own index did (same leading column; the table's order has ``ix_measures_plan_order``), so
it replaces ``ix_measures_plan_id``: one index on the table, as before.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02

"""
from alembic import op


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_measures_plan_due', 'measures', ['plan_id', 'due_on'], unique=False)
    op.drop_index('ix_measures_plan_id', table_name='measures')


def downgrade():
    op.create_index('ix_measures_plan_id', 'measures', ['plan_id'], unique=False)
    op.drop_index('ix_measures_plan_due', table_name='measures')
