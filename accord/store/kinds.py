"""The kinds of case record the store holds, and how a record becomes a `records` row."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..case.models import (
    Actor,
    Contradiction,
    Event,
    Figure,
    Issue,
    Salience,
    Source,
    Statement,
)

KIND_MODELS: dict[str, type[BaseModel]] = {
    "actor": Actor, "issue": Issue, "source": Source, "statement": Statement, "event": Event,
    "figure": Figure, "salience": Salience, "contradiction": Contradiction,
}
# Case attribute holding each kind's list.
KIND_FIELDS = {
    "actor": "actors", "issue": "issues", "source": "sources", "statement": "statements",
    "event": "events", "figure": "figures", "salience": "saliences", "contradiction": "contradictions",
}


def record_id(kind: str, item: Any) -> str:
    return f"{item.actor}:{item.issue}" if kind == "salience" else item.id


def record_row(case_id: str, kind: str, seq: int, item: Any) -> dict[str, Any]:
    """The columns of a `records` row (version and origin are the writer's)."""
    return {
        "case_id": case_id, "kind": kind, "id": record_id(kind, item), "seq": seq,
        "date": getattr(item, "date", None), "actor": getattr(item, "actor", None),
        "issue": getattr(item, "issue", None), "status": getattr(item, "status", None),
        "data": item.model_dump(mode="json"),
    }
