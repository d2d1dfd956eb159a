"""Tables of the forecast ledger (accord/ledger.py), on the store's MetaData.

A forecast row is what one model said about one issue of one case, as of a date, from inputs
identified by their digest; an outcome row is what happened on that issue (a position on the
issue's scale, or 0/1 for a yes/no question). Scoring joins them (accord/ledger.py).
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Float, Index, Integer, String, Table, Text, func

from .schema import metadata

KINDS = ("position", "probability")  # a forecast's value: a point on the issue's scale, or P(yes)

ledger_forecasts = Table(
    "ledger_forecasts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(200), nullable=False),
    Column("issue", String(200), nullable=False),
    Column("model", String(100), nullable=False),
    Column("as_of", Date, nullable=True),  # unknown for published forecasts taken over as they are
    Column("digest", String(64), nullable=False),  # SHA-256 of the inputs the model ran on
    Column("kind", String(20), nullable=False),
    Column("value", Float, nullable=True),
    Column("low", Float, nullable=True),
    Column("high", Float, nullable=True),
    Column("source", String(300), nullable=False),  # "accord" or where a published forecast comes from
    Column("recorded_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)
Index("ix_ledger_forecasts_case_issue", ledger_forecasts.c.case_id, ledger_forecasts.c.issue)

ledger_outcomes = Table(
    "ledger_outcomes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(200), nullable=False),
    Column("issue", String(200), nullable=False),
    Column("kind", String(20), nullable=False),  # position (on the issue's scale) or event (1 happened, 0 not)
    Column("value", Float, nullable=False),
    Column("observed", Date, nullable=True),  # when it was observed (None: unknown)
    Column("note", Text, nullable=False, server_default=""),
    Column("source", String(300), nullable=False),
    Column("recorded_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)
Index("ix_ledger_outcomes_case_issue", ledger_outcomes.c.case_id, ledger_outcomes.c.issue)
