"""The audit log: who changed what, when, with the record before and after. Append-only.

Nothing in accord updates or deletes audit rows, and the database refuses it too: triggers on
SQLite and PostgreSQL abort any UPDATE or DELETE (and TRUNCATE on PostgreSQL). The triggers are
created by the Alembic migration (accord/store/migrations), which every store runs on opening.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.engine import Connection

from ..store import schema

def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return json.loads(json.dumps(value, default=str))


def record(conn: Connection | Engine, username: str, action: str, *, case_id: str | None = None,
           kind: str | None = None, record_id: str | None = None, before: Any = None, after: Any = None) -> None:
    """Append one entry; pass the caller's connection to commit it with the change it describes."""
    values = dict(username=username, action=action, case_id=case_id, kind=kind, record_id=record_id,
                  before=_jsonable(before), after=_jsonable(after))
    if isinstance(conn, Connection):
        conn.execute(insert(schema.audit_log).values(**values))
    else:
        with conn.begin() as c:
            c.execute(insert(schema.audit_log).values(**values))


def entries(engine: Engine, *, case_id: str | None = None, limit: int = 200, offset: int = 0) -> tuple[list[dict], int]:
    t = schema.audit_log
    q = select(t)
    n = select(func.count()).select_from(t)
    if case_id:
        q, n = q.where(t.c.case_id == case_id), n.where(t.c.case_id == case_id)
    with engine.connect() as conn:
        rows = conn.execute(q.order_by(t.c.id.desc()).limit(limit).offset(offset)).mappings().all()
        total = conn.execute(n).scalar()
    return [dict(r) | {"at": r["at"].isoformat() if r["at"] else None} for r in rows], total
