"""TRANSITIONAL: the audit log moved to the store (accord/store/audit.py), which writes one row
per write in the write's own transaction. These two calls remain only until accord/web/app.py
and routes.py stop writing rows of their own and read `store.audit.entries`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from ..store import audit as store_audit


def record(conn: Connection | Engine, username: str, action: str, **fields: Any) -> None:
    if isinstance(conn, Connection):
        store_audit.append(conn, username, action, **fields)
    else:
        with conn.begin() as c:
            store_audit.append(c, username, action, **fields)


def entries(engine: Engine, *, case_id: str | None = None, limit: int = 200, offset: int = 0) -> tuple[list[dict], int]:
    rows, total = store_audit.AuditLog(engine).entries(case_id=case_id, limit=limit, offset=offset)
    return [r.model_dump() for r in rows], total
