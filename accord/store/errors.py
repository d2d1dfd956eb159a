"""What the store raises: a missing case, a stale write, a refused value."""

from __future__ import annotations


class CaseNotFound(LookupError):
    pass


class StaleWrite(RuntimeError):
    """The record changed since it was read: someone else saved first."""


class Refused(ValueError):
    """The store will not hold this: each problem is (field, message), the message says which.

    Raised before anything is written, identically on SQLite and PostgreSQL.
    """

    def __init__(self, what: str, problems: list[tuple[str, str]]):
        self.what = what
        self.problems = problems
        super().__init__(f"{what}: " + "; ".join(f"[{f}] {m}" if f else m for f, m in problems))
