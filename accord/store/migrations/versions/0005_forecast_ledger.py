"""The forecast ledger: `ledger_forecasts` and `ledger_outcomes` (accord/store/ledger.py).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    have = set(sa.inspect(op.get_bind()).get_table_names())
    if 'ledger_forecasts' not in have:
        op.create_table(
            'ledger_forecasts',
            sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column('case_id', sa.String(200), nullable=False),
            sa.Column('issue', sa.String(200), nullable=False),
            sa.Column('model', sa.String(100), nullable=False),
            sa.Column('as_of', sa.Date(), nullable=True),
            sa.Column('digest', sa.String(64), nullable=False),
            sa.Column('kind', sa.String(20), nullable=False),
            sa.Column('value', sa.Float(), nullable=True),
            sa.Column('low', sa.Float(), nullable=True),
            sa.Column('high', sa.Float(), nullable=True),
            sa.Column('source', sa.String(300), nullable=False),
            sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        )
        op.create_index('ix_ledger_forecasts_case_issue', 'ledger_forecasts', ['case_id', 'issue'])
    if 'ledger_outcomes' not in have:
        op.create_table(
            'ledger_outcomes',
            sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column('case_id', sa.String(200), nullable=False),
            sa.Column('issue', sa.String(200), nullable=False),
            sa.Column('kind', sa.String(20), nullable=False),
            sa.Column('value', sa.Float(), nullable=False),
            sa.Column('observed', sa.Date(), nullable=True),
            sa.Column('note', sa.Text(), server_default='', nullable=False),
            sa.Column('source', sa.String(300), nullable=False),
            sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        )
        op.create_index('ix_ledger_outcomes_case_issue', 'ledger_outcomes', ['case_id', 'issue'])


def downgrade() -> None:
    op.drop_index('ix_ledger_outcomes_case_issue', 'ledger_outcomes')
    op.drop_table('ledger_outcomes')
    op.drop_index('ix_ledger_forecasts_case_issue', 'ledger_forecasts')
    op.drop_table('ledger_forecasts')
