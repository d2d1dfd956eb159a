"""Each actor's position on each issue as of a date, derived from accepted, dated statements.

Rules (docs/positions.md explains them for users):

* Only `accepted` statements count, and only those made by the as-of date. A partial date
  counts from the first day of its period ("2025-09" from 2025-09-01): sources often give only
  the month, and a brief written on 10 September uses what was said that month.
* The **ideal** is the position of the latest `ideal` statement; the **fallback** that of the
  latest `fallback` statement (a stated concession or red line), or none.
* Statements on the same actor, issue and role whose date periods overlap the latest one's
  ("2025-09" overlaps "2025-09-05") are evidence about the same moment: where they disagree the
  position is their confidence-weighted mean and `ideal_range` spans them. This is the
  uncertainty the risk analysis samples. Earlier statements are history, not conflict.
* Salience comes from the case's salience table; where the case has none, 50 is assumed and
  flagged.
* A position whose latest evidence is older than the case's horizon (`stale_after_days`,
  365 by default) before the as-of date is **stale** (`stale`, `evidence_date`): the analysis
  weighs it down and widens its uncertainty, and the briefing says so (docs/design.md §6).
* A position resting on statements review accepted automatically (`reviewed: false`: the
  extractor placed them and no person confirmed them) counts them in `unreviewed`; the briefing
  marks it "extracted, not yet reviewed" and never states it as fact (docs/design.md §6).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from pydantic import BaseModel

from .case.models import Case, Statement, check_partial_date, date_ceiling, date_floor

DEFAULT_SALIENCE = 50.0


class Position(BaseModel):
    actor: str
    issue: str
    ideal: float
    fallback: float | None = None
    salience: float
    salience_assumed: bool = False
    capability: float | None = None
    ideal_range: tuple[float, float]
    fallback_range: tuple[float, float] | None = None
    as_of_statement: str
    evidence: list[str]
    evidence_date: str  # the date of the latest statement behind the position
    stale: bool = False  # that date is older than the case's stale_after_days before the as-of date
    statements: int = 1  # statements on this actor and issue by the as-of date: 1 is thin evidence
    unreviewed: int = 0  # of the statements behind the position, those no person confirmed (auto-accepted)


def parse_as_of(value: str | dt.date | None, case: Case) -> dt.date:
    """The analysis date: the given one, else the case's `as_of`, else today.

    The one parser of an as-of date for the CLI, the web and the analysis. A partial date means
    the last day of its period ("2025-09" → 2025-09-30): everything said that month is known.
    """
    if isinstance(value, dt.date):
        return value
    value = value or case.meta.as_of
    if not value:
        return dt.date.today()
    try:
        return date_ceiling(check_partial_date(value))
    except ValueError:
        raise ValueError(f"as_of must be a date written YYYY-MM-DD (or YYYY-MM, YYYY), not {str(value)[:40]!r}") from None


def statements_as_of(case: Case, as_of: dt.date) -> list[Statement]:
    """Accepted statements known by `as_of`, oldest first."""
    known = [s for s in case.statements if s.status == "accepted" and date_floor(s.date) <= as_of]
    return sorted(known, key=lambda s: (date_floor(s.date), s.id))


def _overlaps(a: Statement, b: Statement) -> bool:
    return date_floor(a.date) <= date_ceiling(b.date) and date_floor(b.date) <= date_ceiling(a.date)


def _latest(group: list[Statement]) -> tuple[float, tuple[float, float], list[Statement]]:
    # Only statements with a position are grouped (ideal and fallback statements carry one: models.py).
    recent = [s for s in group if _overlaps(s, group[-1]) and s.position is not None]
    weights = [s.confidence or 1e-9 for s in recent]
    positions = [float(s.position) for s in recent if s.position is not None]
    value = sum(w * p for w, p in zip(weights, positions)) / sum(weights)
    return round(value, 2), (min(positions), max(positions)), recent


def derive_positions(case: Case, as_of: str | dt.date | None = None) -> list[Position]:
    """The actor × issue position table as of a date (see the module docstring for the rules)."""
    day = parse_as_of(as_of, case)
    grouped: dict[tuple[str, str, str], list[Statement]] = defaultdict(list)
    for s in statements_as_of(case, day):
        if s.role in ("ideal", "fallback") and s.issue:
            grouped[(case.principal(s.actor), s.issue, s.role)].append(s)
    salience = {(x.actor, x.issue): x.salience for x in case.saliences}
    capability = {a.id: a.capability for a in case.actors}
    out = []
    for actor, issue in sorted({(a, i) for a, i, _ in grouped}):
        fallback: float | None = None
        fallback_range: tuple[float, float] | None = None
        used: list[Statement] = []
        fb_group = grouped.get((actor, issue, "fallback"))
        if fb_group:
            fallback, fallback_range, used = _latest(fb_group)
        ideal_group = grouped.get((actor, issue, "ideal"))
        if ideal_group:
            ideal, ideal_range, ideal_used = _latest(ideal_group)
            used = ideal_used + used
        else:  # a fallback without any stated ideal still tells where the actor stands
            assert fallback is not None and fallback_range is not None  # grouped for one of the two
            ideal, ideal_range = fallback, fallback_range
        sal = salience.get((actor, issue))
        latest = max((ideal_group or []) + (fb_group or []), key=lambda st: (date_ceiling(st.date), st.id))
        out.append(Position(
            actor=actor, issue=issue, ideal=ideal, fallback=fallback,
            salience=DEFAULT_SALIENCE if sal is None else sal, salience_assumed=sal is None,
            capability=capability.get(actor), ideal_range=ideal_range, fallback_range=fallback_range,
            as_of_statement=(ideal_group or fb_group or [latest])[-1].id, evidence=[s.id for s in used],
            evidence_date=latest.date, stale=is_stale(latest.date, day, case.meta.stale_after_days),
            statements=len(ideal_group or []) + len(fb_group or []),
            unreviewed=sum(not s.reviewed for s in used),
        ))
    return sorted(out, key=lambda p: (p.actor, p.issue))


def is_stale(date: str, as_of: dt.date, horizon_days: int) -> bool:
    """Is evidence dated `date` older than the horizon? A partial date counts from its last day (benefit of the doubt)."""
    return (as_of - date_ceiling(date)).days > horizon_days


def position_history(case: Case, as_of: str | dt.date | None = None) -> dict[tuple[str, str], list[tuple[dt.date, float, str]]]:
    """Every dated ideal position per (actor, issue) up to `as_of`: the input of the volatility index."""
    day = parse_as_of(as_of, case)
    hist: dict[tuple[str, str], list[tuple[dt.date, float, str]]] = defaultdict(list)
    for s in statements_as_of(case, day):
        if s.role == "ideal" and s.issue and s.position is not None:
            hist[(case.principal(s.actor), s.issue)].append((date_floor(s.date), s.position, s.id))
    return dict(hist)
