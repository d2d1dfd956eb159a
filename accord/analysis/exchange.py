"""Stokman's exchange model of collective decision making (the Equal Gain model).

Source model: F. N. Stokman & R. Van Oosten (1994), "The exchange of voting positions: an
object-oriented model of policy networks", in Bueno de Mesquita & Stokman (eds.), *European
Community Decision Making*, 105–127; the Equal Gain variant as implemented by Stokman's group in
decide-exchange-model (Draaijer; GPL, used only as a test oracle, never imported here). This
module follows that implementation's rules so that its output can be checked against it
(tests/analysis/test_exchange.py); it shares no code with it.

Actors i hold positions x_id (0–100), saliences s_id and power c_i on issues d. One round:

1. **Outcome.** The decision on d is the weighted mean (the "NBS" of decide):
   O_d = Σ_i c_i s_id x_id / Σ_i c_i s_id.
2. **Candidates.** For each pair of issues (p, q), actors right of O on both (group A) can trade
   with those left of it on both (D), and those left on p only (B) with those left on q only
   (C). Of a pair, the actor with the larger s_p/s_q *demands* p and *supplies* q: it moves on q
   towards the other, who moves on p towards it.
3. **Equal gain.** Moving actor j on p by Δx shifts O_p by δ_p = Δx c_j s_jp / Σ_p c s. The
   demander of p gains δ_p s_ip − δ_q s_iq, the supplier δ_q s_jq − δ_p s_jp; equal gains give
   δ_q = δ_p (s_ip + s_jp) / (s_iq + s_jq). The supplier of p moves all the way to the
   demander's position unless the other's matching move would overshoot the supplier's
   position on q, in which case the roles of the full move swap. A move that would carry the
   outcome past the demander's own position is cut to land the outcome on it (and the other
   move recomputed for equal gains).
4. **Validity.** A move must be non-zero, stay in [0, 100], keep an actor moving one way on an
   issue within the round, and the gain must exceed 10⁻¹⁰.
5. **Realisation.** The exchange with the largest gain is realised; every remaining exchange
   of the same actor on the same issue is recomputed from the moved positions (and its
   outcome check takes the partner's realised move into account), invalid ones dropped;
   repeat until none is left.
6. **Next round.** Realised actors vote their new positions y (the round's outcome is O on
   those); each then starts the next round from
   x' = (0.1 + 0.4 (1 − s)) y + (0.9 − 0.4 (1 − s)) x (salience weight 0.4, fixed weight 0.1).

The forecast after R rounds (decide's default 10) is O on the last round's voting positions.
The candidate exchanges of a round are formed as arrays (numpy); their realisation is sequential
(each realised exchange changes the gains of those sharing an actor and issue with it), so it
runs as a compiled loop (numba) that recomputes only those. Two equalities decide leaves to its
28-digit decimals are settled explicitly (docs/analysis.md, "Matching decide"): gains equal to
12 decimals are ties, resolved by decide's list order; an outcome within 1e-9 of a position is on it.
:func:`trades` lists the realised exchanges (who moves on what, from where to where, the gain).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from numba import njit
from numba.typed import List as NumbaList
from pydantic import BaseModel

from .table import InputError, Table

ROUNDS = 10  # decide's default number of iterations
SALIENCE_WEIGHT, FIXED_WEIGHT = 0.4, 0.1  # decide's new-start-position weights
MIN_GAIN = 1e-10
MIN_MOVE = 1e-10
EDGE = 1e-9  # a move may end on the scale's end despite rounding


class TradeSide(BaseModel):
    actor: str
    moves_on: str  # the issue this actor supplies
    start: float  # its position on that issue before the exchange
    to: float  # the position it votes after the exchange
    for_issue: str  # the issue it demands (the partner moves on it)


class Trade(BaseModel):
    """One realised exchange: each side moves on the issue it cares less about."""

    round: int
    gain: float  # the equal utility gain of each side
    sides: tuple[TradeSide, TradeSide]

    def text(self) -> str:
        a, b = self.sides
        return (f"{a.actor} moves on {a.moves_on} ({a.start:.1f} → {a.to:.1f}) in return for "
                f"{b.actor} moving on {b.moves_on} ({b.start:.1f} → {b.to:.1f}); gain {self.gain:.3g} each")


# Per-exchange columns. Static (fixed within a round): side "i" demands p and supplies q, "j" the
# reverse. S / SD = each side's salience on the issue it supplies / demands, W = its own position on
# the issue it demands, X0 its round-start position on the
# one it supplies; per side: K = Σ c s of its supplied issue / (c s) (a move shifting the outcome by
# δ is δ K), G = 1 / K, B = Σ c s x and D = Σ c s of that issue; R = the equal-gain rate of the other
# side's outcome shift per unit of its own.
SI, SJ, SDI, SDJ, X0I, X0J, WI, WJ, KI, KJ, GI, GJ, BI, BJ, RI, RJ, DI, DJ = range(18)
# Dynamic, as (i, j) column pairs: current supply positions, proposed moves and votes, the kept
# move history (sum, min, max: decide's moves list less its last entry), partners' realised moves
# on the supplied issue (Σ c s (u − x0) / D) and the side's own realised position among them
# (NaN: none); then the gain.
XI, XJ, MI, MJ, YI, YJ, SUMI, SUMJ, MINI, MINJ, MAXI, MAXJ, SHI, SHJ, OWNI, OWNJ, GAIN = range(17)


@njit(cache=True)
def _valid(dy: np.ndarray, e: int, side: int) -> bool:
    """decide's is_move_valid: non-zero, inside [0, 100], one direction within the round,
    history sum ≤ 100."""
    move = dy[e, MI + side]
    a = abs(move)
    to = dy[e, XI + side] + move
    if a > 100 or a <= MIN_MOVE or to < -EDGE or to > 100 + EDGE or dy[e, SUMI + side] + move > 100:
        return False
    ok: bool = max(dy[e, MAXI + side], move) < 0 or min(dy[e, MINI + side], move) > 0  # numba: no typing.cast
    return ok


@njit(cache=True)
def _check_outcome(st: np.ndarray, dy: np.ndarray, e: int, x: int) -> None:
    """decide's check_nbs for side x (0 = i, 1 = j; y the other) of exchange e: cut x's move where
    it would carry the outcome on the issue x supplies past y's position there, and recompute
    y's move for equal gains."""
    y = 1 - x
    tgt = st[e, WI + y]
    base = st[e, BI + x] / st[e, DI + x] + dy[e, SHI + x]  # the outcome less x's own term
    g = st[e, GI + x]
    x0, pos = st[e, X0I + x], dy[e, XI + x]
    a0 = tgt - (base + g * (pos - x0))
    a1 = tgt - (base + g * (dy[e, YI + x] - x0))
    # An outcome on y's position counts as on its side whichever way it then moves (decide's
    # test in exact arithmetic: its decimals decide equality by their last digit; here 1e-9).
    if abs(a0) <= 1e-9:
        a0 = 0.0
    if abs(a1) <= 1e-9:
        a1 = 0.0
    if (a0 >= 0 and a1 >= 0) or (a0 <= 0 and a1 <= 0):
        return
    own = dy[e, OWNI + x]
    if np.isnan(own):
        own = pos
    delta = abs((tgt - base) / g - (own - x0))  # x's move that lands the outcome on tgt
    shift_y = st[e, RI + x] * delta * g  # y's outcome shift for equal gains
    move_y = shift_y * st[e, KI + y]
    py = dy[e, XI + y]
    dy[e, MI + y] = -move_y if py > st[e, WI + x] else move_y
    dy[e, MI + x] = -delta if pos > tgt else delta
    dy[e, YI + y] = py + dy[e, MI + y]
    dy[e, YI + x] = pos + dy[e, MI + x]
    dy[e, GAIN] = abs(shift_y * st[e, SI + y] - delta * g * st[e, SDI + y])


@njit(cache=True)
def _calculate(st: np.ndarray, dy: np.ndarray, e: int) -> bool:
    """decide's EqualGainExchange.calculate (p = 0: no randomisation) for exchange e, in place;
    returns its validity."""
    xi, xj = dy[e, XI], dy[e, XJ]
    # j moves all the way to i's position on p; i's equal-gain move on q follows, unless it would
    # overshoot j's position on q: then i moves all the way and j's move follows.
    gap_p, gap_q = abs(st[e, WI] - xj), abs(st[e, WJ] - xi)
    dp = gap_p * st[e, GJ]
    dq = st[e, RJ] * dp
    mi, mj = dq * st[e, KI], gap_p
    if mi > gap_q:
        dq = gap_q * st[e, GI]
        dp = st[e, RI] * dq
        mi, mj = gap_q, dp * st[e, KJ]
    dy[e, MI] = -mi if xi > st[e, WJ] else mi
    dy[e, MJ] = -mj if xj > st[e, WI] else mj
    dy[e, YI] = xi + dy[e, MI]
    dy[e, YJ] = xj + dy[e, MJ]
    dy[e, GAIN] = abs(dq * st[e, SI] - dp * st[e, SDI])
    if not (_valid(dy, e, 0) and _valid(dy, e, 1) and dy[e, GAIN] >= MIN_GAIN):
        return False
    _check_outcome(st, dy, e, 0)
    _check_outcome(st, dy, e, 1)
    return _valid(dy, e, 0) and _valid(dy, e, 1)


@njit(cache=True)
def _q(g: float) -> float:
    """Gains compared to 12 decimals: decide computes in 28-digit decimals, this module in doubles,
    and mathematically equal gains reached by different paths differ in their last digits in both."""
    r: float = np.rint(g * 1e12) / 1e12  # numba: no typing.cast
    return r


@njit(cache=True)
def _realise(st: np.ndarray, dy: np.ndarray, I: np.ndarray, J: np.ndarray, P: np.ndarray,  # noqa: E741 (I, J: the two sides)
             Q: np.ndarray, X0: np.ndarray, S: np.ndarray, C: np.ndarray, den: np.ndarray, starts: NumbaList,
             rows_by_key: NumbaList) -> np.ndarray:
    """Realise exchanges as decide does; returns their rows in order.

    decide re-sorts its list (stably, by gain) before each pick, so among equal gains the order of
    the previous sorts holds: the list is kept here as `order` (rows by gain, ties by their
    previous place), merged after each realisation with the recomputed rows.
    `starts`/`rows_by_key`: for key kind t (0: i's actor×supplied issue, 1: j's, 2: i's actor ×
    demanded issue, 3: j's), the rows with key κ are rows_by_key[t][starts[t][κ]:starts[t][κ+1]]."""
    n = dy.shape[0]
    m = X0.shape[1]
    alive = np.zeros(n, dtype=np.bool_)
    q = np.empty(n)
    for e in range(n):
        alive[e] = _calculate(st, dy, e)
        q[e] = _q(dy[e, GAIN])
    valid_rows = np.flatnonzero(alive)
    order = valid_rows[np.argsort(-q[valid_rows], kind="mergesort")]
    size = order.size
    place = np.full(n, -1)
    for k in range(size):
        place[order[k]] = k
    book = np.full((X0.shape[0] * m, X0.shape[0]), np.nan)  # (demander×issue, partner) → position
    mark = np.zeros(n, dtype=np.bool_)
    touched = np.empty(n, dtype=np.int64)
    done = np.empty(n, dtype=np.int64)
    n_done = 0
    head = 0
    while head < size:
        k = order[head]
        head += 1
        alive[k] = False
        done[n_done] = k
        n_done += 1
        n_t = 0
        key_i, key_j = I[k] * m + Q[k], J[k] * m + P[k]
        # Exchanges of an actor on the issue the realised exchange moved it on: its position
        # there is the realised one, and its own proposed move there joins its history.
        for side in range(2):
            for key in (key_i, key_j):
                for r in rows_by_key[side][starts[side][key]:starts[side][key + 1]]:
                    if alive[r]:
                        mv = dy[r, MI + side]
                        dy[r, SUMI + side] += mv
                        dy[r, MINI + side] = min(dy[r, MINI + side], mv)
                        dy[r, MAXI + side] = max(dy[r, MAXI + side], mv)
                        dy[r, XI + side] = dy[k, YI] if key == key_i else dy[k, YJ]
                        if not mark[r]:
                            mark[r] = True
                            touched[n_t] = r
                            n_t += 1
        # Exchanges in which a side demands the issue a realised side moved on: that move counts
        # in the outcome check of their other side, who supplies it (decide's update_updates).
        for r_side in range(2):
            partner = I[k] if r_side == 0 else J[k]
            u = Q[k] if r_side == 0 else P[k]
            key = (J[k] if r_side == 0 else I[k]) * m + u
            start, y = st[k, X0I + r_side], dy[k, YI + r_side]
            old = book[key, partner]
            if np.isnan(old):
                new = y
                before = X0[partner, u]
            else:
                new = min(old, y) if start <= old else max(old, y)
                before = old
            book[key, partner] = new
            for e_side in range(2):
                sup_side = 1 - e_side
                for r in rows_by_key[2 + e_side][starts[2 + e_side][key]:starts[2 + e_side][key + 1]]:
                    if alive[r]:
                        actor = I[r] if sup_side == 0 else J[r]
                        if actor == partner:
                            dy[r, OWNI + sup_side] = new
                        else:
                            dy[r, SHI + sup_side] += C[partner] * S[partner, u] * (new - before) / den[u]
                        if not mark[r]:
                            mark[r] = True
                            touched[n_t] = r
                            n_t += 1
        if n_t == 0:
            continue
        # Recompute the touched exchanges; merge the valid ones back into the sorted list.
        redo = touched[:n_t].copy()
        keep = 0
        for t in range(n_t):
            r = redo[t]
            alive[r] = _calculate(st, dy, r)
            q[r] = _q(dy[r, GAIN])
            if alive[r]:
                redo[keep] = r
                keep += 1
        redo = redo[:keep]
        # sort the recomputed rows by (gain desc, previous place)
        key2 = np.empty(keep)
        for t in range(keep):
            key2[t] = place[redo[t]]
        redo = redo[np.argsort(key2, kind="mergesort")]
        redo = redo[np.argsort(-q[redo], kind="mergesort")]
        merged = np.empty(size - head, dtype=np.int64)
        a_i, b_i, w = head, 0, 0
        while a_i < size or b_i < keep:
            while a_i < size and (mark[order[a_i]] or not alive[order[a_i]]):  # recomputed or gone
                a_i += 1
            if a_i >= size and b_i >= keep:
                break
            if b_i >= keep:
                take_b = False
            elif a_i >= size:
                take_b = True
            else:
                ra, rb = order[a_i], redo[b_i]
                take_b = q[rb] > q[ra] or (q[rb] == q[ra] and place[rb] < place[ra])
            if take_b:
                merged[w] = redo[b_i]
                b_i += 1
            else:
                merged[w] = order[a_i]
                a_i += 1
            w += 1
        order = merged[:w]
        size, head = w, 0
        for t in range(n_t):
            mark[touched[t]] = False
        for t in range(size):
            place[order[t]] = t
    return done[:n_done]


def _index(keys: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR index: rows with key κ are rows[starts[κ]:starts[κ + 1]], in row order."""
    rows = np.argsort(keys, kind="stable")
    starts = np.searchsorted(keys[rows], np.arange(n_keys + 1))
    return starts, rows


class _Round:
    """One round: the candidate exchanges (as arrays), then their realisation."""

    def __init__(self, X0: np.ndarray, S: np.ndarray, C: np.ndarray, active: np.ndarray) -> None:
        self.X, self.S, self.C = X0, S, C
        cs = C[:, None] * S * active
        den = cs.sum(axis=0)
        W = (cs * X0).sum(axis=0)
        self.den = den
        nbs = W / np.where(den > 0, den, 1.0)
        left = X0 <= nbs[None, :]
        # decide's order: issue pairs (p, q) in order, A×D before B×C, then the A (or B) actor.
        m = X0.shape[1]
        p_of, q_of = np.triu_indices(m, 1)
        both = active[:, p_of] & active[:, q_of]  # (n, pairs)
        group = np.where(both, left[:, p_of] * 1 + left[:, q_of] * 2, -1)
        parts = []
        for block, (g_i, g_j) in enumerate(((0, 3), (1, 2))):
            pair, a, b = np.nonzero((group == g_i).T[:, :, None] & (group == g_j).T[:, None, :])
            parts.append((pair * 2 + block, a, b, pair))
        key, a, b, pair = (np.concatenate(c) for c in zip(*parts))
        order = np.argsort(key, kind="stable")
        a, b, pair = a[order], b[order], pair[order]
        p, q = p_of[pair], q_of[pair]
        # The actor with the larger s_p / s_q demands p and supplies q (side "i").
        swap = S[a, p] / S[a, q] < S[b, p] / S[b, q]
        I, J = np.where(swap, b, a), np.where(swap, a, b)  # noqa: E741 (I, J: the two sides, as above)
        self.I, self.J, self.P, self.Q = I, J, p, q
        si, sip, sj, sjq = S[I, q], S[I, p], S[J, p], S[J, q]
        st = np.empty((len(a), 18))
        st[:, SI], st[:, SJ], st[:, SDI], st[:, SDJ] = si, sj, sip, sjq
        st[:, X0I], st[:, X0J], st[:, WI], st[:, WJ] = X0[I, q], X0[J, p], X0[I, p], X0[J, q]
        st[:, KI], st[:, KJ] = den[q] / (C[I] * si), den[p] / (C[J] * sj)
        st[:, GI], st[:, GJ] = 1 / st[:, KI], 1 / st[:, KJ]
        st[:, BI], st[:, BJ] = W[q], W[p]
        st[:, DI], st[:, DJ] = den[q], den[p]
        st[:, RI], st[:, RJ] = (si + sjq) / (sip + sj), (sj + sip) / (sjq + si)
        dy = np.zeros((len(a), 17))
        dy[:, XI], dy[:, XJ] = st[:, X0I], st[:, X0J]
        dy[:, [MINI, MINJ]] = np.inf
        dy[:, [MAXI, MAXJ]] = -np.inf
        dy[:, [OWNI, OWNJ]] = np.nan
        self.st, self.dy = st, dy

    def run(self) -> np.ndarray:
        """Realise exchanges, largest gain first; returns their rows in order."""
        if len(self.dy) == 0:
            return np.zeros(0, dtype=np.int64)
        n_keys = self.X.shape[0] * self.X.shape[1]
        m = self.X.shape[1]
        index = [_index(k, n_keys) for k in (self.I * m + self.Q, self.J * m + self.P,
                                              self.I * m + self.P, self.J * m + self.Q)]
        starts = NumbaList([ix[0].astype(np.int64) for ix in index])
        rows = NumbaList([ix[1].astype(np.int64) for ix in index])
        return _realise(self.st, self.dy, self.I.astype(np.int64), self.J.astype(np.int64),
                        self.P.astype(np.int64), self.Q.astype(np.int64), self.X, self.S, self.C,
                        self.den, starts, rows)


@dataclass
class ExchangeResult:
    """Per round r = 0…rounds the outcome on every issue (round 0: the start), and the realised
    exchanges as rows: round, gain, and per side (0: demander of p, 1: of q) the actor, the issue
    it moves on, the issue it demands, its start and its vote (on the issues' scales)."""

    issues: list[str]
    outcome: np.ndarray  # (rounds + 1, m); NaN where no actor has weight on an issue
    round: np.ndarray  # (trades,)
    gain: np.ndarray
    actor: np.ndarray  # (trades, 2)
    moves_on: np.ndarray
    demands: np.ndarray
    start: np.ndarray
    to: np.ndarray

    @property
    def rounds(self) -> int:
        return len(self.outcome) - 1


def _prepare(table: Table) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    present = table.present
    lo, hi = table.bounds[:, 0], table.bounds[:, 1]
    width = np.where(hi > lo, hi - lo, 1.0)
    X = np.where(present, (table.position - lo) / width * 100.0, 0.0)
    S = np.where(present, table.salience, 0.0)
    C = table.capability.astype(float)
    # Only actor–issue cells with salience and power trade (the equal-gain ratios divide by both).
    active = present & (S > 0) & (C[:, None] > 0)
    return X, S, C, active, lo, width


def run(table: Table, rounds: int = ROUNDS) -> ExchangeResult:
    """The exchange model on every issue of `table` for `rounds` rounds."""
    if rounds < 1:
        raise InputError("the exchange model needs at least one round")
    X, S, C, active, lo, width = _prepare(table)
    if not active.any():
        raise InputError("no actor has both salience and power on any issue: nothing to exchange")
    cs = C[:, None] * S * active
    den = cs.sum(axis=0)

    def outcome(pos: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return cast(np.ndarray, lo + (cs * pos).sum(axis=0) / den / 100.0 * width)

    history = [outcome(X)]
    rows = []
    for r in range(1, rounds + 1):
        rnd = _Round(X, S, C, active)
        done = rnd.run()
        if done.size == 0:
            break
        st, dy = rnd.st, rnd.dy
        actor = np.stack([rnd.I[done], rnd.J[done]], axis=1)
        supply = np.stack([rnd.Q[done], rnd.P[done]], axis=1)
        s = st[done][:, [SI, SJ]]
        x0 = st[done][:, [X0I, X0J]]
        y = dy[done][:, [YI, YJ]]
        voted, start = X.copy(), X.copy()
        # in order of realisation, so a later exchange of the same actor on the same issue counts
        for t in range(done.size):
            for side in (0, 1):
                voted[actor[t, side], supply[t, side]] = y[t, side]
        keep = 1 - (1 - s) * SALIENCE_WEIGHT - FIXED_WEIGHT
        fresh = (1 - s) * SALIENCE_WEIGHT * y + FIXED_WEIGHT * y + keep * x0
        for t in range(done.size):
            for side in (0, 1):
                start[actor[t, side], supply[t, side]] = fresh[t, side]
        rows.append((np.full(done.size, r), dy[done, GAIN], actor, supply, supply[:, ::-1],
                     lo[supply] + x0 / 100 * width[supply], lo[supply] + y / 100 * width[supply]))
        history.append(outcome(voted))
        X = start
    if rows:
        cols = [np.concatenate(c) for c in zip(*rows)]
    else:
        cols = [np.zeros(0, int), np.zeros(0)] + [np.zeros((0, 2), int)] * 3 + [np.zeros((0, 2))] * 2
    return ExchangeResult(list(table.issues), np.array(history), *cols)


def trades(table: Table, rounds: int = 1) -> list[Trade]:
    """Who trades what with whom: the exchanges realised in the first `rounds` rounds, in order
    (largest gain first within a round). For the briefing's "who trades what" section."""
    res = run(table, rounds)
    return [Trade(round=int(res.round[t]), gain=float(res.gain[t]), sides=cast("tuple[TradeSide, TradeSide]", tuple(
        TradeSide(actor=table.actors[res.actor[t, k]], moves_on=table.issues[res.moves_on[t, k]],
                  start=float(res.start[t, k]), to=float(res.to[t, k]), for_issue=table.issues[res.demands[t, k]])
        for k in (0, 1)))) for t in range(len(res.round))]


def forecast(table: Table, rounds: int = ROUNDS) -> dict[str, dict[str, Any]]:
    """{issue: {"value", "rounds"}}: the outcome after `rounds` rounds (fewer where no exchange is
    left); value None with the reason on an issue where no actor has weight. :func:`run` has the
    rounds' outcomes and the exchanges, :func:`trades` the exchanges."""
    _, S, C, active, _, _ = _prepare(table)
    weighted = (C[:, None] * S * active).sum(axis=0) > 0
    outcome = run(table, rounds) if weighted.any() else None
    out: dict[str, dict[str, Any]] = {}
    for d, issue in enumerate(table.issues):
        if not weighted[d]:
            out[issue] = {"value": None, "rounds": 0,
                          "error": f"no actor has weight on issue {issue!r} (capability × salience is zero for all)"}
        else:
            res = cast(ExchangeResult, outcome)  # not None: weighted[d] implies weighted.any()
            out[issue] = {"value": float(res.outcome[-1, d]), "rounds": res.rounds}
    return out
