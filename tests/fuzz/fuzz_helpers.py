"""What every fuzz test checks: a verdict per store, the two verdicts equal, nothing written on a refusal.

A *verdict* is what one call did, reduced to what must match between SQLite and PostgreSQL:
("ok", summary) or ("refused", exception type, message). A clear refusal is one of the project's
own error types (`CLEAR_ERRORS`); any other exception is a finding and fails the example with its
traceback. A *dump* is the store's content for one case (every table that holds case data, minus
clocks), so "unchanged after a refusal" and "the same on both stores" are plain comparisons.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import select

from accord.case.folder import CaseError
from accord.store import schema
from accord.store.errors import CaseNotFound, Refused, StaleWrite

# The project's own "this input is refused" exceptions: anything else escaping is a traceback.
CLEAR_ERRORS: tuple[type[BaseException], ...] = (CaseError, Refused, StaleWrite, CaseNotFound)

# Columns that differ by clock or by the autoincrement of a shared table, never by content.
_VOLATILE = {"at", "updated_at", "ingested_at", "reviewed_at", "created_at"}


def new_case_id(prefix: str = "fz") -> str:
    """A case id no other example (or parallel test) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def verdict(fn: Callable[[], Any], allowed: tuple[type[BaseException], ...] = CLEAR_ERRORS) -> tuple:
    """Run `fn`; ("ok", result) or ("refused", type, message). Other exceptions propagate."""
    try:
        return ("ok", fn())
    except allowed as exc:
        return ("refused", type(exc).__name__, str(exc))


def _rows(conn, table, case_id: str, drop: set[str]) -> list[tuple]:
    cols = [c for c in table.c if c.name not in drop]
    key = table.c.case_id if "case_id" in table.c else table.c.id
    rows = conn.execute(select(*cols).where(key == case_id)).all()
    return sorted((tuple(_plain(v) for v in r) for r in rows), key=repr)


def _plain(v: Any) -> Any:
    # JSON columns come back as dicts on both dialects; make them hashable and order-free for sorting.
    if isinstance(v, dict):
        return tuple(sorted((k, _plain(x)) for k, x in v.items()))
    if isinstance(v, list):
        return tuple(_plain(x) for x in v)
    return v


def dump(store, case_id: str) -> dict[str, list[tuple]]:
    """Everything the store holds about one case (records, documents, candidates, fingerprints,
    audit rows), without clocks: equal dumps mean nothing about the case changed."""
    out = {}
    with store.engine.connect() as conn:
        out["cases"] = _rows(conn, schema.cases, case_id, {"updated_at"})
        for t in (schema.records, schema.documents, schema.candidates, schema.document_bands,
                  schema.document_signatures):
            out[t.name] = _rows(conn, t, case_id, _VOLATILE)
        out["audit_log"] = _rows(conn, schema.audit_log, case_id, {"id", "at"})
    return out


@dataclass
class Stores:
    """The same store API on both backends, by name."""

    by_name: dict[str, Any]

    def items(self):
        return self.by_name.items()

    def __getitem__(self, name: str):
        return self.by_name[name]

    def both(self, fn: Callable[[Any], Any], case_id: str, *,
             allowed: tuple[type[BaseException], ...] = CLEAR_ERRORS) -> tuple:
        """Run `fn(store)` on each store; assert the same verdict, and nothing written where refused.

        Returns the (common) verdict."""
        verdicts = {}
        for name, store in self.items():
            before = dump(store, case_id)
            v = verdict(lambda: fn(store), allowed)
            if v[0] == "refused":
                assert dump(store, case_id) == before, f"{name}: the store changed although the write was refused: {v}"
            verdicts[name] = v
        sq, pg = verdicts["sqlite"], verdicts["postgresql"]
        # What an accepted write returns may hold clocks: the verdict is "ok" on both. A refusal
        # must be the same exception with the same message.
        assert sq[0] == pg[0] and (sq[0] == "ok" or sq[1:] == pg[1:]), \
            f"SQLite and PostgreSQL disagree:\n  sqlite: {sq!r:.2000}\n  postgresql: {pg!r:.2000}"
        return sq

    def assert_same_content(self, case_id: str) -> None:
        """Both stores hold the same thing for the case (parity), audit rows' usernames aside."""
        dumps = {n: dump(s, case_id) for n, s in self.items()}
        for table in dumps["sqlite"]:
            if table == "audit_log":
                continue
            assert dumps["sqlite"][table] == dumps["postgresql"][table], f"{table} differs between the stores"
