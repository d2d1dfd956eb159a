"""Stokman's exchange model of collective decision making (the Equal Gain model), with numpy.

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
The candidate exchanges of a round are computed as arrays; after a realisation only the
exchanges sharing one of its actor–issue pairs are recomputed, again as arrays.
:func:`trades` lists the realised exchanges (who moves on what, from where to where, the gain).
"""

from __future__ import annotations

import numpy as np
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


# Per-exchange columns. Static: fixed within a round. Side "i" demands p and supplies q, "j" the
# reverse; w = the side's own position on the issue it demands, x0 its round-start position on the
# issue it supplies, den/W = Σ c s and Σ c s x of an issue at the round's start.
SI, SIP, SJ, SJQ, CI, CJ, X0I, X0J, WI, WJ, DENP, DENQ, WP, WQ = range(14)
# Dynamic: current supply positions, proposed moves and votes, the kept move history (sum, min, max;
# decide's moves list less its last entry), partners' realised moves on the supplied issue
# (Σ c s (u − x0)) and the side's own realised position among them (NaN: none), the gain.
XI, XJ, MI, MJ, YI, YJ, SUMI, MINI, MAXI, SUMJ, MINJ, MAXJ, SHI, SHJ, OWNI, OWNJ, GAIN = range(17)


def _valid(x, move, pre_sum, pre_min, pre_max):
    """decide's is_move_valid: non-zero, inside [0, 100], one direction, history sum ≤ 100."""
    a = np.abs(move)
    to = x + move
    return ((a <= 100) & (a > MIN_MOVE) & (to >= -EDGE) & (to <= 100 + EDGE) & (pre_sum + move <= 100)
            & ((np.maximum(pre_max, move) < 0) | (np.minimum(pre_min, move) > 0)))


def _check_outcome(st, dy, ok, x_side):
    """decide's check_nbs for one side X (Y the other) of the rows where ok: cut X's move where it
    would carry the outcome on X's supplied issue past Y's position there."""
    if x_side == "i":
        sx, sxd, cx, x0, den, W, tgt, wx = st[:, SI], st[:, SIP], st[:, CI], st[:, X0I], st[:, DENQ], st[:, WQ], st[:, WJ], st[:, WI]
        sy, syd, cy, deny = st[:, SJ], st[:, SJQ], st[:, CJ], st[:, DENP]
        X, M, Y, SH, OWN, XY, MY, YY = XI, MI, YI, SHI, OWNI, XJ, MJ, YJ
    else:
        sx, sxd, cx, x0, den, W, tgt, wx = st[:, SJ], st[:, SJQ], st[:, CJ], st[:, X0J], st[:, DENP], st[:, WP], st[:, WI], st[:, WJ]
        sy, syd, cy, deny = st[:, SI], st[:, SIP], st[:, CI], st[:, DENQ]
        X, M, Y, SH, OWN, XY, MY, YY = XJ, MJ, YJ, SHJ, OWNJ, XI, MI, YI
    x = dy[:, X]
    base = W + dy[:, SH]
    n0 = (base + cx * sx * (x - x0)) / den
    n1 = (base + cx * sx * (dy[:, Y] - x0)) / den
    # An outcome on Y's position counts as on its side whichever way it then moves (decide's
    # test, in exact arithmetic: its decimals decide equality by their last digit, here 1e-9).
    a0, a1 = tgt - n0, tgt - n1
    a0 = np.where(np.abs(a0) <= 1e-9, 0.0, a0)
    a1 = np.where(np.abs(a1) <= 1e-9, 0.0, a1)
    cut = ok & ~(((a0 >= 0) & (a1 >= 0)) | ((a0 <= 0) & (a1 <= 0)))
    if not cut.any():
        return
    c = cut
    own = np.where(np.isnan(dy[c, OWN]), x[c], dy[c, OWN])
    delta = np.abs((tgt[c] * den[c] - (base[c] + cx[c] * sx[c] * (own - x0[c]))) / (sx[c] * cx[c]))
    dx = delta * sx[c] * cx[c] / den[c]
    dyy = (sx[c] + syd[c]) / (sxd[c] + sy[c]) * dx
    my = np.abs(dyy * deny[c] / (cy[c] * sy[c]))
    xy = dy[c, XY]
    dy[c, MY] = np.where(xy > wx[c], -my, my)
    dy[c, M] = np.where(x[c] > tgt[c], -delta, delta)
    dy[c, YY] = xy + dy[c, MY]
    dy[c, Y] = x[c] + dy[c, M]
    dy[c, GAIN] = np.abs(dyy * sy[c] - dx * syd[c])


def _calculate(st, dy):
    """decide's EqualGainExchange.calculate (p = 0: no randomisation) on rows of static and
    dynamic columns; updates dy in place and returns the rows' validity."""
    si, sip, sj, sjq, ci, cj = st[:, SI], st[:, SIP], st[:, SJ], st[:, SJQ], st[:, CI], st[:, CJ]
    dP, dQ, wi, wj = st[:, DENP], st[:, DENQ], st[:, WI], st[:, WJ]
    xi, xj = dy[:, XI], dy[:, XJ]
    # j moves all the way to i's position on p; i's equal-gain move on q follows, unless it would
    # overshoot j's position on q: then i moves all the way and j's move follows.
    gap_p, gap_q = np.abs(wi - xj), np.abs(wj - xi)
    dp = gap_p * sj * cj / dP
    dq = (sj + sip) / (sjq + si) * dp
    mi = dq * dQ / (ci * si)
    mj = gap_p
    full_i = np.abs(mi) > gap_q
    if full_i.any():
        dq = np.where(full_i, gap_q * si * ci / dQ, dq)
        dp = np.where(full_i, (si + sjq) / (sip + sj) * dq, dp)
        mi = np.where(full_i, gap_q, mi)
        mj = np.where(full_i, dp * dP / (cj * sj), mj)
    mi = np.where(xi > wj, -mi, mi)
    mj = np.where(xj > wi, -mj, mj)
    dy[:, MI], dy[:, MJ] = mi, mj
    dy[:, YI], dy[:, YJ] = xi + mi, xj + mj
    dy[:, GAIN] = np.abs(dq * si - dp * sip)
    ok = (_valid(xi, mi, dy[:, SUMI], dy[:, MINI], dy[:, MAXI]) & _valid(xj, mj, dy[:, SUMJ], dy[:, MINJ], dy[:, MAXJ])
          & (dy[:, GAIN] >= MIN_GAIN))
    if ok.any():
        _check_outcome(st, dy, ok, "i")
        _check_outcome(st, dy, ok, "j")
        ok &= (_valid(dy[:, XI], dy[:, MI], dy[:, SUMI], dy[:, MINI], dy[:, MAXI])
               & _valid(dy[:, XJ], dy[:, MJ], dy[:, SUMJ], dy[:, MINJ], dy[:, MAXJ]))
    return ok


def _index(keys: np.ndarray) -> dict[int, np.ndarray]:
    """{key: the rows holding it}."""
    order = np.argsort(keys, kind="stable")
    uniq, starts = np.unique(keys[order], return_index=True)
    return dict(zip(uniq.tolist(), np.split(order, starts[1:])))


class _Round:
    """One round: the candidate exchanges, then their realisation, largest gain first."""

    def __init__(self, X, S, C, active):
        self.X, self.S, self.C = X, S, C
        cs = C[:, None] * S * active
        den = cs.sum(axis=0)
        W = (cs * X).sum(axis=0)
        nbs = W / np.where(den > 0, den, 1.0)
        left = X <= nbs[None, :]
        rows = []
        m = X.shape[1]
        for p in range(m):  # decide's order: issue pairs, then A×D and B×C, initiators first
            for q in range(p + 1, m):
                both = active[:, p] & active[:, q]
                group = np.where(both, left[:, p] * 1 + left[:, q] * 2, -1)
                for g_i, g_j in ((0, 3), (1, 2)):
                    a, b = np.nonzero((group == g_i)[:, None] & (group == g_j)[None, :])
                    if a.size:
                        rows.append((a, b, np.full(a.size, p), np.full(a.size, q)))
        a, b, p, q = (np.concatenate(c) if rows else np.zeros(0, dtype=int) for c in zip(*rows)) if rows else \
            (np.zeros(0, dtype=int),) * 4
        # The actor with the larger s_p / s_q demands p and supplies q (side "i").
        swap = S[a, p] / S[a, q] < S[b, p] / S[b, q]
        I, J = np.where(swap, b, a), np.where(swap, a, b)
        self.I, self.J, self.P, self.Q = I, J, p, q
        st = np.empty((len(a), 14))
        st[:, SI], st[:, SIP], st[:, SJ], st[:, SJQ] = S[I, q], S[I, p], S[J, p], S[J, q]
        st[:, CI], st[:, CJ] = C[I], C[J]
        st[:, X0I], st[:, X0J], st[:, WI], st[:, WJ] = X[I, q], X[J, p], X[I, p], X[J, q]
        st[:, DENP], st[:, DENQ], st[:, WP], st[:, WQ] = den[p], den[q], W[p], W[q]
        dy = np.zeros((len(a), 17))
        dy[:, XI], dy[:, XJ] = st[:, X0I], st[:, X0J]
        dy[:, [MINI, MINJ]] = np.inf
        dy[:, [MAXI, MAXJ]] = -np.inf
        dy[:, [OWNI, OWNJ]] = np.nan
        self.st, self.dy = st, dy
        self.updates: dict[tuple[int, int], np.ndarray] = {}  # (side, partner) → its position, per row

    def _update(self, rows, side, partner, start, y):
        """decide's update_updates on `rows` for `side` (0 = i, 1 = j): the partner's realised
        position on the issue the side supplies, as these exchanges see it."""
        book = self.updates.setdefault((side, partner), np.full(len(self.dy), np.nan))
        old = book[rows]
        new = np.where(np.isnan(old), y,
                       np.where(start <= old, np.minimum(old, y), np.maximum(old, y)))
        book[rows] = new
        actor, supply = (self.I, self.Q) if side == 0 else (self.J, self.P)
        own = actor[rows] == partner
        if own.any():
            self.dy[rows[own], OWNJ if side else OWNI] = new[own]
        rest = rows[~own]
        if rest.size:
            u = supply[rest]
            before = np.where(np.isnan(old[~own]), self.X[partner, u], old[~own])
            self.dy[rest, SHJ if side else SHI] += self.C[partner] * self.S[partner, u] * (new[~own] - before)

    def run(self) -> list[int]:
        """Realise exchanges, largest gain first; returns their rows in order."""
        n = len(self.dy)
        if n == 0:
            return []
        st, dy = self.st, self.dy
        alive = _calculate(st, dy)
        m = self.X.shape[1]
        sup = (self.I * m + self.Q, self.J * m + self.P)
        dem = (self.I * m + self.P, self.J * m + self.Q)
        idx_sup = (_index(sup[0]), _index(sup[1]))
        idx_dem = (_index(dem[0]), _index(dem[1]))
        empty = np.zeros(0, dtype=int)
        ties = _Ties(dy[:, GAIN])
        done = []
        step = 0
        while alive.any():
            step += 1
            k = ties.best(alive, dy[:, GAIN], step)
            alive[k] = False
            done.append(k)
            rs = (sup[0][k], sup[1][k])
            rd = (dem[0][k], dem[1][k])
            redo = []
            for side in (0, 1):  # exchanges of an actor on the issue the realised one moved it on
                rows = np.concatenate([idx_sup[side].get(int(key), empty) for key in rs])
                rows = rows[alive[rows]]
                if rows.size:
                    col = (SUMJ, MINJ, MAXJ, MJ, XJ) if side else (SUMI, MINI, MAXI, MI, XI)
                    mv = dy[rows, col[3]]
                    dy[rows, col[0]] += mv
                    dy[rows, col[1]] = np.minimum(dy[rows, col[1]], mv)
                    dy[rows, col[2]] = np.maximum(dy[rows, col[2]], mv)
                    dy[rows, col[4]] = np.where(sup[side][rows] == rs[0], dy[k, YI], dy[k, YJ])
                    redo.append(rows)
            # exchanges in which a side demands the issue the realised partner moved on: that
            # partner's move counts in the outcome check of the other side, who supplies it
            for r_side, partner, start, y in ((1, self.I[k], st[k, X0I], dy[k, YI]), (0, self.J[k], st[k, X0J], dy[k, YJ])):
                for e_side in (0, 1):
                    rows = idx_dem[e_side].get(int(rd[r_side]), empty)
                    rows = rows[alive[rows]]
                    if rows.size:
                        self._update(rows, 1 - e_side, int(partner), float(start), float(y))
                        redo.append(rows)
            if redo:
                rows = np.unique(np.concatenate(redo))
                sub = dy[rows]
                ok = _calculate(st[rows], sub)
                dy[rows] = sub
                alive[rows] = ok
                ties.changed(rows, dy[rows, GAIN], step)
        return done


class _Ties:
    """decide picks the largest gain from a list it re-sorts (stably) before every pick, so equal
    gains fall to the order of the previous sorts: the latest sort at which the two differed
    (higher first), else the order in which the exchanges were formed. Gains are compared to
    12 decimals: decide computes in 28-digit decimals, this module in doubles, and mathematically
    equal gains reached by different paths differ in their last digits in both."""

    def __init__(self, gain):
        self.log: dict[int, list[tuple[int, float]]] = {}  # row → [(first sort using it, gain)]
        self.initial = np.round(gain, 12)

    def changed(self, rows, gains, step):
        for r, g in zip(rows.tolist(), np.round(gains, 12).tolist()):
            self.log.setdefault(r, []).append((step + 1, g))

    def _gain_at(self, r, t):
        g = self.initial[r]
        for s, v in self.log.get(r, ()):
            if s > t:
                break
            g = v
        return g

    def best(self, alive, gain, step):
        g = np.where(alive, np.round(gain, 12), -np.inf)
        tied = np.flatnonzero(g == g.max())
        best = int(tied[0])
        for r in tied[1:].tolist():
            if self._before(r, best, step):
                best = r
        return best

    def _before(self, a, b, step):
        times = {s for s, _ in self.log.get(a, ())} | {s for s, _ in self.log.get(b, ())} | {1}
        for t in sorted((t for t in times if t < step), reverse=True):  # gains hold between changes
            ga, gb = self._gain_at(a, t), self._gain_at(b, t)
            if ga != gb:
                return ga > gb
        return a < b


class ExchangeResult(BaseModel):
    issues: list[str]
    outcome: list[dict[str, float]]  # per round, starting with round 0: {issue: O_d}
    trades: list[Trade]
    rounds: int


def _prepare(table: Table):
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

    def outcome(pos):
        with np.errstate(invalid="ignore", divide="ignore"):
            o = (cs * pos).sum(axis=0) / den
        return {iss: float(lo[d] + o[d] / 100.0 * width[d]) for d, iss in enumerate(table.issues) if den[d] > 0}

    history = [outcome(X)]
    trades: list[Trade] = []
    for r in range(1, rounds + 1):
        rnd = _Round(X, S, C, active)
        done = rnd.run()
        voted, start = X.copy(), X.copy()
        st, dy = rnd.st, rnd.dy
        for k in done:
            ends = []
            for actor, supply, demand, s, x0, y in ((rnd.I[k], rnd.Q[k], rnd.P[k], st[k, SI], st[k, X0I], dy[k, YI]),
                                                    (rnd.J[k], rnd.P[k], rnd.Q[k], st[k, SJ], st[k, X0J], dy[k, YJ])):
                voted[actor, supply] = y
                keep = 1 - (1 - s) * SALIENCE_WEIGHT - FIXED_WEIGHT
                start[actor, supply] = (1 - s) * SALIENCE_WEIGHT * y + FIXED_WEIGHT * y + keep * x0
                ends.append(TradeSide(actor=table.actors[actor], moves_on=table.issues[supply],
                                      start=float(lo[supply] + x0 / 100 * width[supply]),
                                      to=float(lo[supply] + y / 100 * width[supply]), for_issue=table.issues[demand]))
            trades.append(Trade(round=r, gain=float(dy[k, GAIN]), sides=tuple(ends)))
        history.append(outcome(voted))
        X = start
        if not done:
            break
    return ExchangeResult(issues=list(table.issues), outcome=history, trades=trades, rounds=len(history) - 1)


def trades(table: Table, rounds: int = 1) -> list[Trade]:
    """Who trades what with whom: the exchanges realised in the first `rounds` rounds, in order
    (largest gain first within a round). For the briefing's "who trades what" section."""
    return run(table, rounds).trades


def forecast(table: Table, rounds: int = ROUNDS) -> dict:
    """{issue: {"value", "rounds", "start", "trades"}}: the outcome after `rounds` rounds."""
    res = run(table, rounds)
    out = {}
    for d, issue in enumerate(table.issues):
        if issue not in res.outcome[0]:
            out[issue] = {"value": None, "rounds": 0,
                          "error": f"no actor has weight on issue {issue!r} (capability × salience is zero for all)"}
            continue
        n_trades = sum(1 for t in res.trades for s in t.sides if s.moves_on == issue)
        out[issue] = {"value": res.outcome[-1][issue], "rounds": res.rounds, "start": res.outcome[0][issue],
                      "trades": n_trades}
    return out
