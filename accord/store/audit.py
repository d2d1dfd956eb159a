"""The audit log: who changed what, when, with the record before and after. Append-only.

The store writes one row per write, on the write's own connection, so the row commits or rolls
back with the change it describes (a CLI write is audited exactly like a web write). Nothing
updates or deletes rows, and the database refuses it too: the migration (0001) adds triggers
that abort UPDATE and DELETE (and TRUNCATE on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.engine import Connection

from . import schema
from .checks import bounded, findable


class AuditEntry(BaseModel):
    id: int
    at: str | None
    username: str
    action: str
    case_id: str | None = None
    kind: str | None = None
    record_id: str | None = None
    before: Any = None
    after: Any = None


def jsonable(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return json.loads(json.dumps(value, default=lambda v: v.model_dump(mode="json") if isinstance(v, BaseModel)
                                 else v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else str(v)))


def append(conn: Connection, actor: str, action: str, *, case_id: str | None = None, kind: str | None = None,
           record_id: str | None = None, before: Any = None, after: Any = None) -> None:
    """Append one row on `conn` (the write's own transaction)."""
    conn.execute(insert(schema.audit_log).values(
        username=actor[:100], action=action[:50], case_id=case_id, kind=kind, record_id=record_id,
        before=jsonable(before), after=jsonable(after)))


class AuditLog:
    """Reading the log (writing happens inside each store write)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def entries(self, *, case_id: str | None = None, action: str | None = None, limit: int = 200,
                offset: int = 0) -> tuple[list[AuditEntry], int]:
        """Newest first, and the total count matching."""
        if not findable(case_id or "", action or ""):
            return [], 0
        limit, offset = bounded(limit) or 0, bounded(offset) or 0
        t = schema.audit_log
        q, n = select(t), select(func.count()).select_from(t)
        if case_id:
            q, n = q.where(t.c.case_id == case_id), n.where(t.c.case_id == case_id)
        if action:
            q, n = q.where(t.c.action == action), n.where(t.c.action == action)
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(t.c.id.desc()).limit(limit).offset(offset)).mappings().all()
            total = conn.execute(n).scalar() or 0
        return [AuditEntry.model_validate(dict(r) | {"at": r["at"].isoformat() if r["at"] else None})
                for r in rows], total
