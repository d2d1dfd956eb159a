"""KTAB's spatial model of politics (SMP), re-implemented with numpy.

Source model: B. Wise, L. Lester, B. Efird et al., KAPSARC Toolkit for Behavioral Analysis
(KTAB), `smp` ("Spatial Model of Politics"; Wise, Efird & Lester, "An introduction to KTAB",
KAPSARC 2015; Efird, Lester & Wise 2016, J. East Asian Studies 16:117–145). Actors hold
positions on m dimensions (0–100 scaled to 0–1), an influence c_i and saliences s_id.

State: ideals I (fixed, the actors' stated positions) and current positions X. One step:

1. **Utility of a position** (KTAB's ``bsUtil``) with salience-weighted distance::

       D_ij = sqrt(Σ_d σ_id (I_id − X_jd)²),  σ_id = s_id / max(1, Σ_d s_id)
       u_i(X_j) = (1 − D_ij)(1 + R_i D_ij)

   R_i is i's risk attitude: first all R = 0, then R_i = −½ + 1.5 (P_i − P_min)/(P_max − P_min)
   from the win probabilities P below (likely winners are risk-averse, KTAB's ``bigRfromProb``
   on its middle range [−½, 1]).
2. **Probabilistic Condorcet election** among the current positions (KTAB ``Model::probCE``
   with the Proportional voting rule, linear VPModel and the conditional PCE model): actor k's
   vote for X_a over X_b is v_k(a, b) = c_k (u_k(X_a) − u_k(X_b)); coalition strengths
   C_ab = Σ_k max(v_k(a, b), 0); p(a ≻ b) = C_ab / (C_ab + C_ba) (½ when both are 0);
   P_a ∝ Π_{b≠a} p(a ≻ b). These are the "win probabilities" KTAB prints.
3. **Bargains** (KTAB ``interpBrgnSnPm`` with n = m = 1): the pair (i, j) would meet at
   B_ij,d = (p_ij s_id X_id + p_ji s_jd X_jd) / (p_ij s_id + p_ji s_jd): each side pulls in
   proportion to its chance of prevailing and to how much the dimension matters to it.
4. **Challenges.** Actor k values the bargain (i, j) by the change in expected utility it
   brings, holding the win probabilities fixed (the first-order term of KTAB's
   ``probEduChlg``): G_k(i, j) = P_i (u_k(B_ij) − u_k(X_i)) + P_j (u_k(B_ij) − u_k(X_j)).
   Each initiator i proposes to the target j that maximises G_i(i, j) > 0.
5. **Selection.** Every actor k has a queue: the bargains it proposed or received, and the
   status quo. All actors vote on the queue (votes c_v (G_v(o) − G_v(o′)), the same
   probabilistic Condorcet election), and k moves to its position in the most probable
   bargain (KTAB's deterministic state transition).

Steps repeat until the total movement falls below 2% of the first step's (KTAB's stopping
rule, "fractional change compared to first step … target=0.0200") or 100 steps. The forecast
is the win-probability-weighted mean of the final positions.

**Cost.** The election needs the votes of n actors on n² pairs: O(n³) per step, as (n × chunk
× n) array operations (memory O(n² · chunk)). The bargains cost O(n² m): only the initiators'
own valuations of all n² bargains and every voter's valuation of the ≤ n proposals are formed,
as matrix products. KTAB's C++ evaluates a full election for every candidate bargain from
every actor's perspective, which is where its n³·⁵–n⁴ per step comes from; step 4 here keeps
the probabilities of step 2 fixed instead (the gap this leaves is measured against KTAB's own
run in docs/analysis.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .table import InputError, Table

R_LOW, R_HIGH = -0.5, 1.0
STOP_FRACTION = 0.02


@dataclass
class SMPResult:
    positions: np.ndarray  # (n, m) final, on the table's scale
    probabilities: np.ndarray  # (n,)
    steps: int
    forecast: np.ndarray  # (m,)
    position_history: list = field(default_factory=list)  # per step (n, m) on the table's scale
    probability_history: list = field(default_factory=list)


def _dist(ideal: np.ndarray, sigma: np.ndarray, X: np.ndarray) -> np.ndarray:
    """D[i, j] = sqrt(Σ_d σ_id (I_id − X_jd)²) for X of shape (..., m): returns (n, ...)."""
    diff = ideal.reshape((ideal.shape[0],) + (1,) * (X.ndim - 1) + (ideal.shape[1],)) - X[None]
    sq = (diff * diff * sigma.reshape((sigma.shape[0],) + (1,) * (X.ndim - 1) + (sigma.shape[1],))).sum(-1)
    return np.sqrt(np.clip(sq, 0.0, 1.0))


def _util(D: np.ndarray, R: np.ndarray) -> np.ndarray:
    r = R.reshape((-1,) + (1,) * (D.ndim - 1))
    return (1.0 - D) * (1.0 + r * D)


def _pairwise(U: np.ndarray, w: np.ndarray, chunk: int = 64) -> np.ndarray:
    """p[a, b] = p(a ≻ b) from utilities U (voters × options), votes w_k (u_k(a) − u_k(b))."""
    n_opt = U.shape[1]
    C = np.empty((n_opt, n_opt))
    wU = w[:, None] * U
    for start in range(0, n_opt, chunk):  # chunks keep the (voters × chunk × options) array small
        stop = min(start + chunk, n_opt)
        v = wU[:, start:stop, None] - wU[:, None, :]
        np.maximum(v, 0.0, out=v)
        C[start:stop] = v.sum(axis=0)
    tot = C + C.T
    return np.divide(C, tot, out=np.full_like(C, 0.5), where=tot > 0)


def _condorcet(p: np.ndarray) -> np.ndarray:
    """Conditional PCE: P_a ∝ Π_{b≠a} p(a ≻ b), in logs to avoid underflow."""
    with np.errstate(divide="ignore"):
        lp = np.log(p)
    np.fill_diagonal(lp, 0.0)
    s = lp.sum(axis=1)
    if not np.isfinite(s.max()):
        return np.full(len(s), 1.0 / len(s))
    e = np.exp(s - s.max())
    return e / e.sum()


def run(position: np.ndarray, capability: np.ndarray, salience: np.ndarray, *,
        max_steps: int = 100, stop_fraction: float = STOP_FRACTION, history: bool = True) -> SMPResult:
    """SMP on positions already scaled to 0–1 (n, m), influence (n,), saliences 0–1 (n, m)."""
    ideal = np.asarray(position, float)
    n, m = ideal.shape
    w = np.asarray(capability, float)
    s = np.asarray(salience, float)
    sigma = s / np.maximum(1.0, s.sum(axis=1, keepdims=True))
    X = ideal.copy()
    pos_hist, prob_hist = [X.copy()], []
    first = None
    steps = 0
    P = None
    for steps in range(1, max_steps + 1):
        D = _dist(ideal, sigma, X)
        P0 = _condorcet(_pairwise(1.0 - D, w))
        span = P0.max() - P0.min()
        R = R_LOW + (R_HIGH - R_LOW) * ((P0 - P0.min()) / span if span > 0 else np.full(n, 0.5))
        U = _util(D, R)
        pw = _pairwise(U, w)
        P = _condorcet(pw)
        prob_hist.append(P.copy())
        # Bargains B[i, j] (n, n, m): each side weighted by its chance and its salience.
        wi = pw[:, :, None] * s[:, None, :]
        wj = pw.T[:, :, None] * s[None, :, :]
        den = wi + wj
        B = np.where(den > 0, (wi * X[:, None, :] + wj * X[None, :, :]) / np.where(den > 0, den, 1.0),
                     (X[:, None, :] + X[None, :, :]) / 2)
        # G_k(i, j): k's expected gain from the bargain (i, j). Only two slices are needed: the
        # initiators' own gains G_i(i, ·) (n² values) and every voter's gain on the n proposals.
        sq_i = (sigma * ideal * ideal).sum(axis=1)
        Bi = B  # (n, n, m): B[i, j]
        d_own = sq_i[:, None] - 2 * np.einsum("id,ijd->ij", sigma * ideal, Bi) + np.einsum("id,ijd->ij", sigma, Bi * Bi)
        u_own = _util(np.sqrt(np.clip(d_own, 0, 1)), R)  # u_i(B_ij)
        Ui = np.diag(U)  # u_i(X_i)
        own = P[:, None] * (u_own - Ui[:, None]) + P[None, :] * (u_own - U)
        np.fill_diagonal(own, -np.inf)
        target = np.argmax(own, axis=1)
        proposes = own[np.arange(n), target] > 1e-12
        initiators = np.flatnonzero(proposes)
        props = B[initiators, target[initiators]]  # (q, m): the proposed bargains
        d_prop = sq_i[:, None] - 2 * (sigma * ideal) @ props.T + sigma @ (props * props).T
        u_prop = _util(np.sqrt(np.clip(d_prop, 0, 1)), R)  # (voters, q)
        gain = P[initiators] * (u_prop - U[:, initiators]) + P[target[initiators]] * (u_prop - U[:, target[initiators]])
        newX = X.copy()
        # Each actor's queue: the proposals it made or received, plus the status quo. Queues of
        # equal length are elected together as one (queues × voters × options × options) array.
        owner = np.concatenate([initiators, target[initiators]])
        prop_id = np.concatenate([np.arange(initiators.size)] * 2)
        order = np.argsort(owner, kind="stable")
        movers, starts = np.unique(owner[order], return_index=True)
        queues = np.split(prop_id[order], starts[1:]) if owner.size else []
        lengths = np.array([len(q) for q in queues], dtype=int)
        for L in np.unique(lengths):
            sel = np.flatnonzero(lengths == L)
            idx = np.stack([queues[k] for k in sel])  # (b, L)
            g = np.concatenate([np.zeros((n, len(sel), 1)), gain[:, idx]], axis=2)  # status quo first
            wg = w[:, None, None] * g
            v = wg[:, :, :, None] - wg[:, :, None, :]
            np.maximum(v, 0.0, out=v)
            C = v.sum(axis=0)
            tot = C + C.transpose(0, 2, 1)
            pq = np.divide(C, tot, out=np.full_like(C, 0.5), where=tot > 0)
            with np.errstate(divide="ignore"):
                lp = np.log(pq)
            lp[:, np.arange(L + 1), np.arange(L + 1)] = 0.0
            win = np.argmax(lp.sum(axis=2), axis=1)  # the most probable option of each queue
            for b, k in enumerate(movers[sel]):
                if win[b] > 0:
                    newX[k] = props[idx[b, win[b] - 1]]
        change = np.abs(newX - X).sum()
        X = newX
        if history:
            pos_hist.append(X.copy())
        if first is None:
            first = change
        if change <= 0 or (first > 0 and change < stop_fraction * first and steps > 1):
            break
    D = _dist(ideal, sigma, X)
    P = _condorcet(_pairwise(1.0 - D, w))
    span = P.max() - P.min()
    R = R_LOW + (R_HIGH - R_LOW) * ((P - P.min()) / span if span > 0 else np.full(n, 0.5))
    P = _condorcet(_pairwise(_util(D, R), w))
    prob_hist.append(P.copy())
    return SMPResult(X, P, steps, P @ X, pos_hist, prob_hist)


def forecast(table: Table, **options) -> dict:
    """SMP on every issue of the table at once; absent actors have zero salience there."""
    present = table.present
    if not present.any():
        raise InputError("no positions to model")
    lo, hi = table.bounds[:, 0], table.bounds[:, 1]
    width = np.where(hi > lo, hi - lo, 1.0)
    # Placeholder for absent cells: the centre of the scale (salience 0 makes it irrelevant).
    pos = np.where(present, table.position, (lo + hi) / 2)
    scaled = (pos - lo) / width
    sal = np.where(present, table.salience, 0.0)
    out: dict = {}
    keep = []
    for j, issue in enumerate(table.issues):
        idx = np.flatnonzero(present[:, j])
        w = table.capability[idx] * sal[idx, j]
        if w.sum() <= 0:
            out[issue] = {"value": None, "rounds": 0,
                          "error": f"no actor has weight on issue {issue!r} (capability × salience is zero for all)"}
        elif idx.size == 1 or np.ptp(table.position[idx, j]) == 0:
            out[issue] = {"value": float(table.position[idx[0], j]), "rounds": 0}
        else:
            keep.append(j)
    if not keep:
        return out
    active = np.flatnonzero(present[:, keep].any(axis=1) & (table.capability > 0))
    if active.size < 2:
        for j in keep:
            idx = np.flatnonzero(present[:, j])
            out[table.issues[j]] = {"value": float(table.position[idx[0], j]), "rounds": 0}
        return out
    res = run(scaled[np.ix_(active, keep)], table.capability[active], sal[np.ix_(active, keep)], **options)
    for col, j in enumerate(keep):
        # The forecast on an issue weighs only the actors present on it.
        on = present[active, j]
        p = res.probabilities * on
        value = float((p @ res.positions[:, col]) / p.sum()) if p.sum() > 0 else float(res.positions[on, col].mean())
        out[table.issues[j]] = {"value": lo[j] + value * width[j], "rounds": res.steps,
                                "final_positions": {table.actors[a]: round(float(lo[j] + res.positions[k, col] * width[j]), 3)
                                                    for k, a in enumerate(active) if present[a, j]}}
    return {issue: out[issue] for issue in table.issues if issue in out}
