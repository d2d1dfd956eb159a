"""What both stores can hold: the rules every way into accord checks (folder, upload, API, ingest).

SQLite would take almost anything; PostgreSQL refuses a NUL character in text and in JSON, an id
longer than its VARCHAR(200) column, and JSON has no inf or nan. Neither can encode a lone
surrogate (U+D800–U+DFFF) as UTF-8. A value one store takes and the
other refuses would make the two backends disagree, so both refuse it here, before any write.

The case models apply these rules to every field (accord/case/models.py); the store calls
:func:`record_problems` on what it is handed, so a record built without validation
(``model_construct``) is still refused with the same words.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel

# The store's id and reference columns are String(200) (accord/store/schema.py).
MAX_ID_LENGTH = 200
NUL = "\x00"
# Fields that hold an id or a reference to one, each stored in (or beside) a String(200) column.
ID_FIELDS = ("id", "actor", "issue", "source", "speaker", "reported_by", "speaks_for")


def _text_problem(value: str) -> str | None:
    if NUL in value:
        return f"contains a NUL character at position {value.index(NUL)}"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate (U+D800–U+DFFF): no UTF-8 store can hold it
        return f"contains a lone surrogate (U+{ord(value[exc.start]):04X}) at position {exc.start}"
    return None


def check_text(value: str) -> str:
    """Refuse a NUL character (PostgreSQL cannot store one) and a lone surrogate (neither store can)."""
    problem = _text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def check_finite(value: float) -> float:
    """Refuse inf and nan: JSON cannot hold them and no scale or count means them."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    return value


def check_id(value: str) -> str:
    """An id or a reference to one: it must fit the store's 200-character column."""
    if len(value) > MAX_ID_LENGTH:
        raise ValueError(f"id is {len(value)} characters; the store holds at most {MAX_ID_LENGTH}")
    return check_text(value)


def value_problems(value: Any, path: str = "") -> list[tuple[str, str]]:
    """(field path, problem) for every NUL or non-finite number anywhere inside `value`."""
    out: list[tuple[str, str]] = []
    # Iterative walk: a hostile, deeply nested value must not exhaust the Python stack.
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, BaseModel):
            item = dict(item)
        if isinstance(item, str):
            problem = _text_problem(item)
            if problem:
                out.append((where, problem.split(" at position")[0]))
        elif isinstance(item, float):
            if not math.isfinite(item):
                out.append((where, f"{item} is not a finite number"))
        elif isinstance(item, dict):
            for key, sub in item.items():
                name = f"{where}.{key}" if where else str(key)
                key_problem = _text_problem(key) if isinstance(key, str) else None
                if key_problem:
                    out.append((name, key_problem.split(" at position")[0]))
                stack.append((name, sub))
        elif isinstance(item, (list, tuple)):
            stack.extend((f"{where}.{i}" if where else str(i), sub) for i, sub in enumerate(item))
    return sorted(out)


def record_problems(record: BaseModel) -> list[tuple[str, str]]:
    """Everything in a case record that one of the stores could not hold, as (field, problem)."""
    out = value_problems(record)
    for field in ID_FIELDS:
        value = getattr(record, field, None)
        if isinstance(value, str) and len(value) > MAX_ID_LENGTH:
            out.append((field, f"id is {len(value)} characters; the store holds at most {MAX_ID_LENGTH}"))
    return sorted(out)
