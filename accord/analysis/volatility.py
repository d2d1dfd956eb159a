"""Volatility index per actor and issue from the dated statement history.

A position history is the sequence of an actor's stated ideal points on an issue, oldest
first (accord.positions.position_history). Every change between consecutive statements is a
**shift** of |Δ| scale points; a shift that goes the opposite way to the previous one is also a
**reversal** (the actor walks back what it had moved towards) and counts twice::

    index = Σ_{shifts t in window} |Δ_t| · (1 + reversal_t) / months(window)

The window is the 12 months up to the as-of date, the same for every actor, so the index
ranks actors against each other on their recent behaviour: 10 means ten points of shifting a
month. A one-off concession (a single shift) scores, but less than going back and forth over
the same ground. ``reversals``, ``shifts`` and ``movement`` (all shifts ever) are reported
beside it. This follows the flip-flop counts of event-data work (stance reversals per unit
time, as in the PLOVER/CAMEO tradition) made specific to a bargaining scale.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from .contracts import Volatility

DAYS_PER_MONTH = 30.44
WINDOW_DAYS = 365


def volatility(history: dict[tuple[str, str], list[tuple[dt.date, float, str]]], as_of: dt.date,
               window_days: int = WINDOW_DAYS) -> list[Volatility]:
    """Ranked list of {actor, issue, index, reversals, ...}, most erratic first."""
    start = as_of - dt.timedelta(days=window_days)
    months = window_days / DAYS_PER_MONTH
    out = []
    for (actor, issue), hist in history.items():
        prev_move = 0.0
        score, movement, shifts, reversals, evidence = 0.0, 0.0, 0, 0, []
        for (_, p0, _), (d1, p1, sid) in pairwise(hist):
            move = p1 - p0
            if move == 0:
                continue
            movement += abs(move)
            flip = bool(prev_move) and (move > 0) != (prev_move > 0)
            prev_move = move
            if d1 < start:
                continue
            shifts += 1
            reversals += flip
            score += abs(move) * (2 if flip else 1)
            evidence.append(sid)
        out.append(Volatility(
            actor=actor, issue=issue, index=round(score / months, 3),
            reversals=reversals, shifts=shifts, movement=round(movement, 3),
            statements=len(hist), first=hist[0][0].isoformat(), last=hist[-1][0].isoformat(),
            window=(start.isoformat(), as_of.isoformat()), evidence=evidence,
            history=[(d.isoformat(), p) for d, p, _ in hist],
        ))
    return sorted(out, key=lambda v: (-v.index, -v.movement, v.actor, v.issue))
