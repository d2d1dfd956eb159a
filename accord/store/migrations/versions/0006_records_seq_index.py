"""An index on `records (case_id, kind, seq)`: adding a record reads max(seq) of its kind, which
without it scanned every record of that kind (one source per ingested document: quadratic ingest).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Only if missing, like the others: a store made by `create_all` already has it.
    if 'ix_records_case_kind_seq' not in {i['name'] for i in sa.inspect(op.get_bind()).get_indexes('records')}:
        op.create_index('ix_records_case_kind_seq', 'records', ['case_id', 'kind', 'seq'])


def downgrade() -> None:
    op.drop_index('ix_records_case_kind_seq', 'records')
