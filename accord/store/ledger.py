"""Tables of the forecast ledger (accord/ledger.py), on the store's MetaData.

A forecast row is what one model said about one issue of one case, as of a date, from inputs
identified by their digest; an outcome row is what happened on that issue (a position on the
issue's scale, or 0/1 for a yes/no question). Scoring joins them (accord/ledger.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Date, DateTime, Engine, Float, Index, Integer, String, Table, Text, func, insert, select

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


FORECAST_KEY = ("case_id", "issue", "model", "as_of", "digest", "kind", "source")
OUTCOME_KEY = ("case_id", "issue", "kind", "observed", "source", "value")


class LedgerTables:
    """The store's reads and writes of the ledger (`Store.ledger`): rows in, rows out, one transaction each."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def add_forecasts(self, rows: list[dict[str, Any]]) -> int:
        """Insert the forecasts not already there (same case, issue, model, date, inputs, kind, source)."""
        return self._insert_new(ledger_forecasts, rows, FORECAST_KEY)

    def add_outcomes(self, rows: list[dict[str, Any]]) -> int:
        """Insert the outcomes not already there (same case, issue, kind, date, source, value)."""
        return self._insert_new(ledger_outcomes, rows, OUTCOME_KEY)

    def forecasts(self, case_id: str | None = None) -> list[dict[str, Any]]:
        return self._rows(ledger_forecasts, case_id)

    def outcomes(self, case_id: str | None = None) -> list[dict[str, Any]]:
        return self._rows(ledger_outcomes, case_id)

    def _rows(self, table: Table, case_id: str | None) -> list[dict[str, Any]]:
        q = select(table).order_by(table.c.id)
        if case_id:
            q = q.where(table.c.case_id == case_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def _insert_new(self, table: Table, rows: list[dict[str, Any]], key: tuple[str, ...]) -> int:
        if not rows:
            return 0
        cases = {r["case_id"] for r in rows}
        with self.engine.begin() as conn:
            seen = {tuple(r._mapping[k] for k in key)
                    for r in conn.execute(select(*[table.c[k] for k in key]).where(table.c.case_id.in_(cases)))}
            new = []
            for r in rows:
                k = tuple(r[c] for c in key)
                if k not in seen:
                    seen.add(k)
                    new.append(r)
            if new:
                conn.execute(insert(table), new)
        return len(new)
