"""Zones of possible agreement, package search across issues, and the least concession to a deal.

**ZOPA on one issue** (Raiffa 1982, *The Art and Science of Negotiation*). Preferences are
single-peaked at the ideal x_A; the fallback f_A (the least the actor says it would accept)
sets the radius r_A = |f_A − x_A| of the outcomes A prefers to no deal::

    acceptable_A = [x_A − r_A, x_A + r_A] ∩ scale
    ZOPA = acceptable_A ∩ acceptable_B,   gap = distance between the two intervals (0 if they meet)

An actor with no stated fallback is read as conceding nothing (r = 0) and flagged
``fallback_stated: false``.

**Package search.** On the issues both parties hold positions on, party P's utility of a
package x is salience-weighted and linear in distance::

    U_P(x) = Σ_k ŝ_Pk (1 − |x_k − x_Pk| / W_k),   ŝ_Pk = s_Pk / Σ_k s_Pk

and its reservation utility is that of its own fallbacks, r_P = U_P(f_P). Efficient packages
lie between the two ideals on every issue; the Pareto frontier is traced by handing issues
from B's ideal to A's in decreasing order of ŝ_Ak / ŝ_Bk (each side gives way first where it
cares least relative to the other: logrolling, Raiffa 1982 ch. 11). On it:

* the **Nash bargaining solution** (Nash 1950) maximises (U_A − r_A)(U_B − r_B) with both
  factors ≥ 0;
* the **Kalai–Smorodinsky solution** (Kalai & Smorodinsky 1975, Econometrica 43:513–518) is the
  frontier point where both parties get the same share of their best feasible gain:
  (U_A − r_A)/(U*_A − r_A) = (U_B − r_B)/(U*_B − r_B), U*_P the most P can get while the other
  keeps its reservation utility.

**Feasibility and the least concession.** ``feasible`` (the contract of docs/design.md, "The analysis JSON") asks whether
one package satisfies both parties' fallbacks on every issue, i.e. every ZOPA exists. Where not,
the smallest total concession (in scale points) that makes one feasible is the sum of the gaps;
each gap is assigned to the party for whom the issue is less salient, the concession that
costs least utility (ties go to both, half each).

**Stated and assumed limits.** Where a party has stated no fallback, its ideal is used as its
limit: the arithmetic has to put the limit somewhere, but nothing in the evidence says the party
would not go further. Each step therefore carries ``fallback_stated: {A, B}`` (a fallback, or a
red line drawn at the limit used, was stated) and ``basis``: ``"stated"`` when both limits of
the gap were stated, else ``"assumed"``; ``min_concession.stated`` and ``min_concession.assumed``
split the total accordingly (``stated.total_points + assumed.total_points == total_points``). A red line
elsewhere bounds the limit without stating it: it is reported as the step's ``red_line`` and
``crosses_red_line`` is true when the step would take the mover past it. ``package.feasible`` is the weaker,
trade-across-issues test: some package gives both at least their reservation utility; where
none does, ``package.shortfall`` is the least total utility the two would have to give up.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from .contracts import (
    ConcessionSplit,
    ConcessionStep,
    MinConcession,
    Package,
    PackagePoint,
    Settlement,
    Zopa,
)
from .table import Array, Table

Basis = Literal["stated", "assumed"]


def acceptable(ideal: float, fallback: float | None, lo: float = 0.0, hi: float = 100.0) -> tuple[float, float]:
    r = 0.0 if fallback is None or np.isnan(fallback) else abs(fallback - ideal)
    return max(lo, ideal - r), min(hi, ideal + r)


def zopa_issue(issue: str, a: str, b: str, ia: float, fa: float | None, ib: float, fb: float | None,
               lo: float = 0.0, hi: float = 100.0) -> Zopa:
    fa = None if fa is None or np.isnan(fa) else float(fa)
    fb = None if fb is None or np.isnan(fb) else float(fb)
    za, zb = acceptable(ia, fa, lo, hi), acceptable(ib, fb, lo, hi)
    low, high = max(za[0], zb[0]), min(za[1], zb[1])
    exists = low <= high + 1e-9
    # Who has to move to close the gap: the party whose acceptable zone lies lower moves up, and vice versa.
    return Zopa(
        issue=issue, between=[a, b], exists=bool(exists), gap=round(max(0.0, low - high), 3),
        zone=(round(low, 3), round(high, 3)) if exists else None,
        acceptable={a: (round(za[0], 3), round(za[1], 3)), b: (round(zb[0], 3), round(zb[1], 3))},
        ideal={a: ia, b: ib}, fallback={a: fa, b: fb},
        fallback_stated={a: fa is not None, b: fb is not None},
    )


def zopa(table: Table, a: str, b: str) -> list[Zopa]:
    """ZOPA on every issue where both actors hold a position."""
    if a not in table.actors or b not in table.actors:
        return []
    i, j = table.actors.index(a), table.actors.index(b)
    out = []
    for k, issue in enumerate(table.issues):
        if table.present[i, k] and table.present[j, k]:
            lo, hi = table.bounds[k]
            out.append(zopa_issue(issue, a, b, float(table.position[i, k]), table.fallback[i, k],
                                  float(table.position[j, k]), table.fallback[j, k], lo, hi))
    return out


def _limit_stated(z: Zopa, actor: str, red_line: float | None) -> bool:
    """Is the limit used for `actor` on this ZOPA stated: a fallback, or a red line drawn at the ideal used?"""
    if z.fallback_stated[actor]:
        return True
    return red_line is not None and abs(red_line - z.ideal[actor]) < 0.5


def _frontier(xa: Array, xb: Array, sa: Array, sb: Array, width: Array,
              per_segment: int = 200) -> tuple[Array, Array, Array]:
    """Sampled Pareto frontier: packages (P, m) and utilities (P,), (P,)."""
    m = len(xa)
    order = np.argsort(-(sa / np.maximum(sb, 1e-12)), kind="stable")
    # t_k = share of the way from B's ideal to A's on issue k; the frontier sets them one at a time.
    verts = np.zeros((m + 1, m))
    for step, k in enumerate(order, start=1):
        verts[step:, k] = 1.0
    tau = np.linspace(0.0, 1.0, per_segment, endpoint=False)
    t = (verts[:-1, None, :] * (1 - tau[None, :, None]) + verts[1:, None, :] * tau[None, :, None]).reshape(-1, m)
    t = np.vstack([t, verts[-1:]])
    x = xb + t * (xa - xb)
    ua = (sa * (1 - np.abs(x - xa) / width)).sum(axis=1)
    ub = (sb * (1 - np.abs(x - xb) / width)).sum(axis=1)
    return x, ua, ub


def _most(totals: dict[str, float]) -> str:
    return max(totals, key=lambda k: totals[k])


def settlement(table: Table, a: str, b: str, zopas: list[Zopa] | None = None,
               red_lines: dict[tuple[str, str], float] | None = None) -> Settlement:
    """Issue-by-issue feasibility, the package frontier, Nash and Kalai–Smorodinsky, least concession.

    ``red_lines`` maps (actor, issue) to the point the actor has said it will not go past (its
    latest red-line statement); it only labels the least-concession steps, never moves a limit.
    """
    red_lines = red_lines or {}
    if a not in table.actors or b not in table.actors:
        return Settlement(parties=[a, b], feasible=False, issues=[],
                          note=f"{a if a not in table.actors else b} holds no position: no settlement to assess")
    i, j = table.actors.index(a), table.actors.index(b)
    ks = [k for k in range(table.m) if table.present[i, k] and table.present[j, k]]
    zopas = zopas if zopas is not None else zopa(table, a, b)
    by_issue = {z.issue: z for z in zopas}
    issues = [table.issues[k] for k in ks]
    if not ks:
        return Settlement(parties=[a, b], feasible=False, issues=issues, note="the parties share no issue")
    gaps = [by_issue[table.issues[k]] for k in ks if not by_issue[table.issues[k]].exists]

    # Least concession, issue by issue: the less-salient side closes each gap.
    steps: list[ConcessionStep] = []
    by_actor = {a: 0.0, b: 0.0}
    bases: tuple[Basis, Basis] = ("stated", "assumed")
    basis_points = {basis: 0.0 for basis in bases}
    basis_actor = {basis: {a: 0.0, b: 0.0} for basis in bases}
    basis_issues: dict[str, list[str]] = {basis: [] for basis in bases}
    for z in gaps:
        limit_stated = {x: _limit_stated(z, x, red_lines.get((x, z.issue))) for x in (a, b)}
        basis: Basis = "stated" if all(limit_stated.values()) else "assumed"
        basis_points[basis] += z.gap
        basis_issues[basis].append(z.issue)
        k = table.issues.index(z.issue)
        sa, sb = table.salience[i, k], table.salience[j, k]
        a_below = z.acceptable[a][1] < z.acceptable[b][0]
        movers = [a] if sa < sb else [b] if sb < sa else [a, b]
        for who in movers:
            share = z.gap / len(movers)
            limit = z.fallback[who]
            frm = limit if limit is not None else z.ideal[who]
            up = (who == a) == a_below  # the party whose acceptable zone lies lower moves up
            to = frm + share if up else frm - share
            by_actor[who] += share
            basis_actor[basis][who] += share
            red = red_lines.get((who, z.issue))
            own_ideal = z.ideal[who]
            # Past the red line: on the far side of it from the mover's own ideal.
            crosses = red is not None and ((to - red) * (red - own_ideal) > 1e-9 if abs(red - own_ideal) >= 0.5
                                           else abs(to - red) >= 0.5)
            steps.append(ConcessionStep(
                issue=z.issue, actor=who, from_=round(frm, 3), to=round(to, 3), points=round(share, 3),
                salience=float((sa if who == a else sb) * 100), fallback_stated=limit_stated, basis=basis,
                red_line=None if red is None else float(red), crosses_red_line=bool(crosses)))
    total = round(sum(z.gap for z in gaps), 3)

    def split(basis: Basis) -> ConcessionSplit:
        points = basis_points[basis]
        return ConcessionSplit(total_points=round(points, 3),
                               by_actor={k: round(x, 3) for k, x in basis_actor[basis].items()},
                               who=_most(basis_actor[basis]) if points > 0 else None, issues=basis_issues[basis])

    min_concession = MinConcession(
        total_points=total, by_actor={k: round(v, 3) for k, v in by_actor.items()},
        who=_most(by_actor) if total > 0 else None, steps=steps, if_only={a: total, b: total},
        stated=split("stated"), assumed=split("assumed"))

    # Package search across the shared issues.
    xa, xb = table.position[i, ks], table.position[j, ks]
    fa = np.where(np.isnan(table.fallback[i, ks]), xa, table.fallback[i, ks])
    fb = np.where(np.isnan(table.fallback[j, ks]), xb, table.fallback[j, ks])
    sa_raw, sb_raw = table.salience[i, ks], table.salience[j, ks]
    sa = sa_raw / sa_raw.sum() if sa_raw.sum() > 0 else np.full(len(ks), 1 / len(ks))
    sb = sb_raw / sb_raw.sum() if sb_raw.sum() > 0 else np.full(len(ks), 1 / len(ks))
    width = np.maximum(table.bounds[ks, 1] - table.bounds[ks, 0], 1e-9)
    ra = float((sa * (1 - np.abs(fa - xa) / width)).sum())
    rb = float((sb * (1 - np.abs(fb - xb) / width)).sum())
    x, ua, ub = _frontier(xa, xb, sa, sb, width)
    ga, gb = ua - ra, ub - rb
    ok = (ga >= -1e-9) & (gb >= -1e-9)

    def pkg(idx: int) -> PackagePoint:
        return PackagePoint(package={iss: round(float(v), 2) for iss, v in zip(issues, x[idx])},
                            utility={a: round(float(ua[idx]), 4), b: round(float(ub[idx]), 4)})

    stride = max(1, len(x) // 60)
    frontier = [(round(float(ua[p]), 4), round(float(ub[p]), 4)) for p in range(0, len(x), stride)]
    reservation = {a: round(ra, 4), b: round(rb, 4)}
    if ok.any():
        prod = np.where(ok, ga * gb, -np.inf)
        best_a, best_b = ga[ok].max(), gb[ok].max()
        ks_gap = np.where(ok, np.abs(ga / max(best_a, 1e-12) - gb / max(best_b, 1e-12)), np.inf)
        package = Package(reservation_utility=reservation, feasible=True, frontier=frontier,
                          nash=pkg(int(np.argmax(prod))), kalai_smorodinsky=pkg(int(np.argmin(ks_gap))),
                          shortfall=0.0)
    else:
        short = np.maximum(0, -ga) + np.maximum(0, -gb)
        p = int(np.argmin(short))
        package = Package(reservation_utility=reservation, feasible=False, frontier=frontier,
                          shortfall=round(float(short[p]), 4), closest=pkg(p),
                          shortfall_by_actor={a: round(float(max(0, -ga[p])), 4), b: round(float(max(0, -gb[p])), 4)})
    return Settlement(parties=[a, b], feasible=not gaps, issues=issues, blocking_issues=[z.issue for z in gaps],
                      blocking_stated=basis_issues["stated"], blocking_assumed=basis_issues["assumed"],
                      min_concession=min_concession, package=package)
