"""The store's boundary: what either database cannot hold, and references a case must keep.

Two layers, both raising `Refused` (field-level messages) before anything is written:

* `row_problems` checks values against the columns they go to — a NUL character in text or
  JSON, text longer than its VARCHAR, a non-finite float, an integer past the 32-bit column —
  the same way on SQLite (which would take them) and PostgreSQL (which would fail mid-write).
  The rules for case records are `accord.case.limits`; this applies them to every table.
* `reference_problems` checks a case record against the case: the actors, issues, sources and
  evidence it names must exist, and its id must not be used by another kind, so whatever the
  store holds exports as a folder `case validate` accepts.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import JSON, Float, Integer, String, Table, Text

from ..case.limits import record_problems, value_problems
from .errors import Refused
from .kinds import KIND_MODELS

INT_MIN, INT_MAX = -(2 ** 31), 2 ** 31 - 1  # INTEGER on PostgreSQL


# A key a caller looks something up by (an id from a URL, a form, a file). One with a NUL cannot
# name anything stored, and PostgreSQL would fail on it where SQLite answers "not found":
# the store answers "not found" on both without asking the database.
def findable(*keys: str | None) -> bool:
    return all(isinstance(k, str) and "\x00" not in k for k in keys)


def only_findable(keys: list[str]) -> list[str]:
    return [k for k in keys if findable(k)]


MAX_OFFSET = 2 ** 62  # past it PostgreSQL's BIGINT LIMIT/OFFSET would fail; nothing is there anyway


def bounded(n: int | None) -> int | None:
    return None if n is None else max(0, min(int(n), MAX_OFFSET))


def row_problems(table: Table, values: dict[str, Any]) -> list[tuple[str, str]]:
    """(column, problem) for every value its column could not hold on one of the two stores."""
    out: list[tuple[str, str]] = []
    for name, value in values.items():
        if value is None or name not in table.c:
            continue
        col_type = table.c[name].type
        if isinstance(col_type, JSON):
            out += [(f"{name}.{w}" if w else name, p) for w, p in value_problems(value)]
        elif isinstance(col_type, (String, Text)) and isinstance(value, str):
            out += [(name, p) for _, p in value_problems(value)]  # NUL, lone surrogate: the case rules' words
            length = getattr(col_type, "length", None)
            if length and len(value) > length:
                out.append((name, f"is {len(value)} characters; the store holds at most {length}"))
        elif isinstance(col_type, Float) and isinstance(value, float) and not math.isfinite(value):
            out.append((name, f"{value} is not a finite number"))
        elif isinstance(col_type, Integer) and isinstance(value, int) and not isinstance(value, bool) \
                and not INT_MIN <= value <= INT_MAX:
            out.append((name, f"{value} is outside the range the store holds ({INT_MIN} to {INT_MAX})"))
    return out


def check_row(table: Table, values: dict[str, Any], what: str) -> None:
    problems = row_problems(table, values)
    if problems:
        raise Refused(what, problems)


def validated(kind: str, item: Any) -> BaseModel:
    """The record as its model validates it, so one built with `model_construct` (or a plain
    mapping) meets the same rules as one read from a folder; `Refused` field by field if not."""
    model = KIND_MODELS[kind]
    try:
        data = item.model_dump(mode="python", warnings=False) if isinstance(item, BaseModel) else item
        return model.model_validate(data)
    except ValidationError as exc:
        label = str(getattr(item, "id", "") if not isinstance(item, dict) else item.get("id", ""))[:80]
        raise Refused(f"{kind} {label!r}", [(".".join(map(str, e["loc"])) or "record",
                                             e["msg"].removeprefix("Value error, ")) for e in exc.errors()]) from None


def check_record(kind: str, item: BaseModel, record_id: str) -> None:
    """A case record: the case model's rules (also for a record built with `model_construct`)."""
    problems = record_problems(item)
    if len(record_id) > 200:
        problems.append(("id", f"is {len(record_id)} characters; the store holds at most 200"))
    if problems:
        raise Refused(f"{kind} {record_id[:80]!r}", sorted(set(problems)))


# What each kind refers to: (field, kinds the referenced id may have, what to call it).
_EVIDENCE = ("statement", "event", "figure")


def references(kind: str, item: Any) -> list[tuple[str, str, tuple[str, ...]]]:
    """(field, referenced id, kinds it must be one of) for every reference the record makes."""
    refs: list[tuple[str, str, tuple[str, ...]]] = []
    if kind == "actor":
        if item.speaks_for:
            refs.append(("speaks_for", item.speaks_for, ("actor",)))
        refs += [("members", m, ("actor",)) for m in item.members]
    elif kind == "statement":
        refs += [(f, getattr(item, f), ("actor",)) for f in ("actor", "speaker", "reported_by") if getattr(item, f)]
        if item.issue:
            refs.append(("issue", item.issue, ("issue",)))
        refs.append(("source", item.source, ("source",)))
    elif kind == "event":
        refs += [("actors", a, ("actor",)) for a in item.actors]
        refs.append(("source", item.source, ("source",)))
    elif kind == "figure":
        refs.append(("source", item.source, ("source",)))
    elif kind == "salience":
        refs += [("actor", item.actor, ("actor",)), ("issue", item.issue, ("issue",))]
    elif kind == "contradiction":
        refs += [("items", x, _EVIDENCE) for x in item.items]
    return refs


# lookup(ids) -> {id: (kind, actor kind or None)} for the ids that exist in the case.
Lookup = Callable[[list[str]], dict[str, tuple[str, str | None]]]


def reference_problems(kind: str, item: Any, record_id: str, lookup: Lookup) -> list[tuple[str, str]]:
    """Unknown references, a person as a statement's actor, an id another kind already uses."""
    refs = references(kind, item)
    ids = sorted({r for _, r, _ in refs} | ({record_id} if kind != "salience" else set()))
    found = lookup(ids)
    out: list[tuple[str, str]] = []
    for field, ref, kinds in refs:
        hit = found.get(ref)
        if hit is None or hit[0] not in kinds:
            what = "evidence id" if kinds == _EVIDENCE else kinds[0]
            out.append((field, f"unknown {what} {ref!r}: use an id of this case's {what}s"))
        elif kind == "statement" and field == "actor" and hit[1] == "person":
            out.append((field, (f"{ref!r} is a person: put the person in `speaker` and the actor they "
                                "speak for in `actor`")))
    if kind != "salience" and record_id in found and found[record_id][0] != kind:
        out.append(("id", f"{record_id!r} is already the id of {a(found[record_id][0])} in this case"))
    return out


def a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind
