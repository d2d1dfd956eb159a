"""`cases.changes`: a counter every write to a case moves, in the write's own transaction.

It is the cache key of the web workspace (`Store.case_stamp`): one primary-key read that changes
with any write — records, documents, review candidates — from any worker or the CLI.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Only if missing, like the others: a store made by `create_all` already has it.
    if 'changes' not in {c['name'] for c in sa.inspect(op.get_bind()).get_columns('cases')}:
        with op.batch_alter_table('cases') as batch:
            batch.add_column(sa.Column('changes', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.drop_column('changes')
