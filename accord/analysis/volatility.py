"""Volatility index per actor and issue from the dated statement history.

A position history is the sequence of an actor's stated ideal points on an issue, oldest
first (accord.positions.position_history). Its moves are the non-zero differences between
consecutive statements; a move is a **reversal** when it goes the opposite way to the
previous move (the actor walks back what it had moved towards). The index is the size of the
reversals per month of the analysis window::

    index = Σ_{reversals t} |p_t − p_{t−1}| / months(window)

The window is the same for every actor (first dated statement of the case to the as-of date),
so the indices rank actors against each other: 30 means thirty scale points of walked-back
position a month. ``movement`` (all moves, reversing or not) is reported beside it: a single
large shift is a change of position, not volatility. The idea follows the "flip-flop" counts
of event-data work (e.g. Goldstein-scale volatility in Schrodt's KEDS/PLOVER tradition) made
specific to a bargaining scale.
"""

from __future__ import annotations

import datetime as dt

DAYS_PER_MONTH = 30.44


def volatility(history: dict[tuple[str, str], list[tuple[dt.date, float, str]]], as_of: dt.date) -> list[dict]:
    """Ranked list of {actor, issue, index, reversals, ...}, most erratic first."""
    if not history:
        return []
    start = min(h[0][0] for h in history.values() if h)
    months = max((as_of - start).days / DAYS_PER_MONTH, 1.0)
    out = []
    for (actor, issue), hist in history.items():
        prev_move = 0.0
        rev_points, movement, reversals, evidence = 0.0, 0.0, 0, []
        for (d0, p0, _), (d1, p1, sid) in zip(hist, hist[1:]):
            move = p1 - p0
            if move == 0:
                continue
            movement += abs(move)
            if prev_move and (move > 0) != (prev_move > 0):
                reversals += 1
                rev_points += abs(move)
                evidence.append(sid)
            prev_move = move
        out.append({
            "actor": actor, "issue": issue, "index": round(rev_points / months, 3),
            "reversals": reversals, "reversal_points": round(rev_points, 3), "movement": round(movement, 3),
            "statements": len(hist), "first": hist[0][0].isoformat(), "last": hist[-1][0].isoformat(),
            "window_months": round(months, 2), "evidence": evidence,
            "history": [[d.isoformat(), p] for d, p, _ in hist],
        })
    return sorted(out, key=lambda v: (-v["index"], -v["movement"], v["actor"], v["issue"]))
