"""KTAB's spatial model of politics (SMP), re-implemented with numpy as KTAB's ``smpc`` runs it.

Source model: B. Wise, L. Lester, B. Efird et al., KAPSARC Toolkit for Behavioral Analysis
(KTAB), ``smp`` (Wise, Efird & Lester, "An introduction to KTAB", KAPSARC 2015; Efird, Lester &
Wise 2016, J. East Asian Studies 16:117–145). This follows KTAB's source (smp.cpp, smpbcn.cpp,
kmodel.cpp at KAPSARC PR #341) with ``smpc``'s defaults: proportional voting, linear victory
probabilities, conditional PCE, risk range "Mid", one-third risk adjustment, semi-committed third
parties, S2P2 interpolation, initiator-only bargains, deterministic state transitions, identity
accommodation (ideals follow positions). Validated against KTAB's own run in
tests/analysis/test_smp_ktab.py.

Actors hold positions X (n × m, on 0–1), capabilities c_i and saliences s_id (0–1, each actor's
total at most 1). One step, from state X:

1. **Distance and utility.** D_ij = sqrt(Σ_d (s_id (X_id − X_jd))² / Σ_d s_id²) (``bvDiff``;
   an actor's ideal is its current position); u(D, R) = (1 − D)(1 + R D) (``bsUtil``).
2. **Risk attitudes.** A probabilistic Condorcet election among all n positions with
   risk-neutral utilities 1 − D: coalition C_ab = 10⁻⁸ + Σ_k max(c_k (u_ka − u_kb), 0),
   p(a ≻ b) = C_ab / (C_ab + C_ba), P_a ∝ Π_b p(a ≻ b). Then
   R_i = (3 P_i − P_max − 2 P_min) / (2 (P_max − P_min)) ∈ [−½, 1] (``bigRfromProb``, Mid).
   Actor h's estimate of i's utility: u_h(i, j) = u(D_ij, (2 R_h + R_i)/3).
3. **Challenges** (``probEduChlg(i, i, i, j)``): i's estimate that it beats j. The principals
   contribute s_i c_i (u_ii − u_ij) and s_j c_j (u_ji − u_jj); each third party n weighs in on the
   little contest (i:j) it would join — p_in from the principals' coalitions plus its own vote —
   with vote s_n c_n (p_in (1 − u_ni) + (1 − p_in)(u_nj − 1)) (semi-commitment). With
   φ = p(i ≻ j): ΔEU = (1 − s_j) 2 u_ii + s_j (φ 2 u_ii + (1 − φ) 2 u_ij) − (u_ii + u_ij), s_j the
   target's total salience (its chance to resist). i targets the j with the largest ΔEU > 10⁻⁵.
4. **Bargain** (``interpBrgnSnPm`` with n = m = 2, rounded to 4 decimals as KTAB does):
   w_i = s_id² φ², w_j = s_jd² (1 − φ)²; i is offered ((w_i + 10⁻⁶) X_id + w_j X_jd)/(w_i + 10⁻⁶ + w_j),
   j the same with the 10⁻⁶ on its side. The bargain joins both actors' queues.
5. **Selection** (``updateBestBrgnPositions``). Each actor k's queue holds its status quo and
   the bargains it made or received; every actor v values the state each would produce (the mean
   over actors of v's utility of their positions, the two bargainers' replaced) and the queue is
   elected as in step 2; k takes its side of the most probable bargain.

Steps repeat until a step's movement Σ_i ‖ΔX_i‖ is below 2% of (the first step's + 10⁻⁴), from
the second step on, or 100 steps (``smpStopFn``). The win probabilities KTAB reports (and the
forecast weights) come from an election among the unique positions (equal within 10⁻³) with
each actor's own utilities.

**Cost.** Two terms are n³ a step: the election's votes (n voters on n² pairs) and the third
parties of the n² challenges. They run as compiled loops (numba) in KTAB's own loop order, so
their sums are KTAB's bit for bit; as numpy arrays the same arithmetic took 3–5× longer, most of
it moving temporaries through memory. Everything else is array code: distances and utilities
n² m, bargains n m, queue elections n q² for q bargains. KTAB's C++ computes the same
quantities with scalar loops over threads (and its SQL logging); the speed-up is measured in
benchmarks/bench_models.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from numba import njit

from .table import InputError, Table

STOP_FRACTION = 0.02
MIN_COALITION = 1e-8  # KTAB's minC in Model::coalitions
MIN_PRINCIPAL = 1e-10  # KTAB's minCltn in probEduChlg
MIN_GAIN = 1e-5  # KTAB's minSigEDU: smaller expected gains are not worth a challenge
MIN_WEIGHT = 1e-6  # KTAB's minW in the bargain interpolation
POS_TOL = 1e-3  # KTAB's posTol: positions closer than this are one option
MIN_DELTA = 1e-4  # KTAB's minSigDelta, added to the first step's movement


@dataclass
class SMPResult:
    positions: np.ndarray  # (n, m) final, on the scale given to run()
    probabilities: np.ndarray  # (n,) each actor's position's win probability (shared positions repeat it)
    steps: int
    forecast: np.ndarray  # (m,) Σ over unique positions of P_u x_u
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (n,) P_u split among its holders
    position_history: list[np.ndarray] = field(default_factory=list)  # per state (n, m)
    probability_history: list[np.ndarray] = field(default_factory=list)  # per state (n,), as KTAB prints them


# Arithmetic follows KTAB's own order (sums accumulated in actor order from the same starting
# constant, products and quotients grouped as in its C++): on files with near-ties, such as
# SOE-Competitive, a different rounding order flips a choice and changes the run.


def _distance(X: np.ndarray, s: np.ndarray) -> np.ndarray:
    """D[i, j] = sqrt(Σ_d (s_id (X_id − X_jd))² / Σ_d s_id²), KTAB's bvDiff from i's ideal X_i."""
    n, m = X.shape
    ds_sq = np.zeros((n, n))
    ss_sq = np.zeros(n)
    for d in range(m):
        ds = (X[:, d, None] - X[None, :, d]) * s[:, d, None]
        ds_sq += ds * ds
        ss_sq += s[:, d] * s[:, d]
    return np.sqrt(ds_sq / ss_sq[:, None])


def _util(D: np.ndarray, R: float | np.ndarray) -> np.ndarray:
    """KTAB's bsUtil: (1 − D)(1 + D R)."""
    return cast(np.ndarray, (1.0 - D) * (1.0 + D * R))


@njit(cache=True)
def _coalitions_kernel(U: np.ndarray, c: np.ndarray, C: np.ndarray) -> None:
    """C[b, a, a'] += Σ_k max(c_k (U[b, k, a] − U[b, k, a']), 0), voter by voter as KTAB adds them."""
    for q in range(U.shape[0]):
        for k in range(U.shape[1]):
            for a in range(U.shape[2]):
                for b in range(U.shape[2]):
                    v = (U[q, k, a] - U[q, k, b]) * c[k]
                    if v > 0.0:
                        C[q, a, b] += v


def _coalitions(U: np.ndarray, c: np.ndarray) -> np.ndarray:
    """C[..., a, b] = minC + Σ_k max(c_k (U[..., k, a] − U[..., k, b]), 0), voters k in order."""
    n_opt = U.shape[-1]
    U3 = np.ascontiguousarray(U.reshape((-1,) + U.shape[-2:]))
    C = np.full((U3.shape[0], n_opt, n_opt), MIN_COALITION)
    _coalitions_kernel(U3, np.ascontiguousarray(c, dtype=float), C)
    return C.reshape(U.shape[:-2] + (n_opt, n_opt))


def _pce(C: np.ndarray) -> np.ndarray:
    """Conditional PCE from coalition strengths (..., a, b): P_a ∝ Π_b C_ab / (C_ab + C_ba).

    The product is KTAB's; where every option's product underflows, logs give the same ranking."""
    p = C / (C + np.swapaxes(C, -1, -2))
    idx = np.arange(C.shape[-1])
    p[..., idx, idx] = 0.5
    prod = np.multiply.reduce(p, axis=-1)
    tot = prod.sum(axis=-1, keepdims=True)
    if (tot > 0).all():
        return cast(np.ndarray, prod / tot)
    s = np.log(p).sum(axis=-1)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return cast(np.ndarray, e / e.sum(axis=-1, keepdims=True))


def _risk(P: np.ndarray) -> np.ndarray:
    """KTAB's bigRfromProb on the Mid range [−½, 1]; all-equal probabilities leave everyone neutral."""
    p_min, p_max = P.min(), P.max()
    if p_max <= p_min:
        return np.zeros_like(P)
    return cast(np.ndarray, (3 * P - (p_max + 2 * p_min)) / (2 * (p_max - p_min)))


def _unique(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """KTAB's ueIndices: first appearances of positions (norm < posTol), and each actor's option.

    An actor's option is the first representative close to it; the first actor not yet placed is
    always a new representative, so one pass per representative places them all."""
    close = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)) < POS_TOL
    option = np.full(len(X), -1)
    reps: list[int] = []
    free = np.ones(len(X), dtype=bool)
    while free.any():
        i = int(np.argmax(free))
        take = free & close[i]
        take[i] = True
        option[take] = len(reps)
        free &= ~take
        reps.append(i)
    return np.array(reps), option


def _state(X: np.ndarray, s: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distances, risk attitudes, own utilities and the reported win probabilities of one state."""
    D = _distance(X, s)
    R = _risk(_pce(_coalitions(_util(D, 0.0), c)))
    own = _util(D, R[:, None])  # u_i(i, j): each actor's true utilities
    reps, option = _unique(X)
    Pu = _pce(_coalitions(own[:, reps], c))
    return D, R, own, Pu, option


@njit(cache=True)
def _challenge_kernel(D: np.ndarray, R: np.ndarray, own: np.ndarray, w: np.ndarray, S: np.ndarray,
                      phi: np.ndarray, gain: np.ndarray) -> None:
    """KTAB's probEduChlg(i, i, i, j) for every pair, in its loop order: i's estimate that it
    beats j (phi) and its expected gain from the challenge (gain)."""
    n = len(w)
    for i in range(n):
        for j in range(n):
            if i == j:
                phi[i, j] = 0.5
                gain[i, j] = -np.inf
                continue
            u_ij = own[i, j]  # u_i(i, j)
            rho_ij = ((2.0 * R[i]) + R[j]) / 3.0
            u_ji = (1.0 - D[j, i]) * (1.0 + D[j, i] * rho_ij)  # u_i(j, i)
            con_i = w[i] * (1.0 - u_ij)  # i's vote for its own position (u_ii = 1)
            con_j = w[j] * (u_ji - 1.0)  # j's vote, ≤ 0 (u_jj = 1)
            c_ij = MIN_PRINCIPAL + max(con_i, 0.0) + max(con_j, 0.0)
            c_ji = MIN_PRINCIPAL + max(-con_i, 0.0) + max(-con_j, 0.0)
            p_ij, p_ji = c_ij, c_ji  # each third party joins the principals' little contest
            for k in range(n):
                if k == i or k == j:
                    continue
                rho_ik = ((2.0 * R[i]) + R[k]) / 3.0
                uni = (1.0 - D[k, i]) * (1.0 + D[k, i] * rho_ik)
                unj = (1.0 - D[k, j]) * (1.0 + D[k, j] * rho_ik)
                cn = w[k] * (uni - unj)
                cni = p_ij + max(cn, 0.0)
                pin = cni / (cni + (p_ji - min(cn, 0.0)))
                pjn = 1.0 - pin
                v = w[k] * ((pin * (uni + uni + 1.0) + pjn * (unj + unj + unj))
                            - (pin * (uni + uni + uni) + pjn * (unj + unj + 1.0)))
                if v > 0.0:
                    c_ij += v
                elif v < 0.0:
                    c_ji -= v
            p = c_ij / (c_ij + c_ji)
            q = c_ji / (c_ij + c_ji)
            phi[i, j] = p
            gain[i, j] = ((1 - S[j]) * 2.0 + S[j] * (p * 2.0 + q * (u_ij + u_ij))) - (1.0 + u_ij)


def _challenges(D: np.ndarray, R: np.ndarray, own: np.ndarray, c: np.ndarray,
                S: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """probEduChlg(i, i, i, j) for all pairs: i's best target j, p(i ≻ j) in i's estimate, the gain."""
    n = len(c)
    phi, gain = np.empty((n, n)), np.empty((n, n))
    _challenge_kernel(D, R, own, S * c, S, phi, gain)
    ok = gain > MIN_GAIN
    best = np.argmax(np.where(ok, gain, -np.inf), axis=1)
    rows = np.arange(n)
    return best, phi[rows, best], np.where(ok.any(axis=1), gain[rows, best], -1.0)


def _round4(x: np.ndarray) -> np.ndarray:
    return np.floor(0.5 + x * 10000.0) / 10000.0  # KTAB's round4 (positions are ≥ 0)


def _step(X: np.ndarray, s: np.ndarray, S: np.ndarray, c: np.ndarray,
          state: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    D, R, own, _, _ = state
    n = len(c)
    target, phi, gain = _challenges(D, R, own, c, S)
    init = np.flatnonzero(gain > 0)
    if init.size == 0:
        return X.copy()
    rcvr = target[init]
    p_i, p_j = phi[init, None], 1.0 - phi[init, None]
    wi = s[init] ** 2 * p_i ** 2
    wj = s[rcvr] ** 2 * p_j ** 2
    xi, xj = X[init], X[rcvr]
    b_init = _round4(((wi + MIN_WEIGHT) * xi + wj * xj) / (wi + MIN_WEIGHT + wj))
    b_rcvr = _round4((wi * xi + (MIN_WEIGHT + wj) * xj) / (wi + MIN_WEIGHT + wj))
    # v's value of the state after bargain q: its utilities of all positions, the two bargainers'
    # replaced by their bargained ones, summed in actor order and divided by n (KTAB's brgnUtil).

    def util_of(P: np.ndarray) -> np.ndarray:  # (voters, q): u_v(P_q) from v's ideal X_v with v's own R
        ds_sq = np.zeros((n, len(P)))
        ss_sq = np.zeros(n)
        for d in range(X.shape[1]):
            ds = (X[:, d, None] - P[None, :, d]) * s[:, d, None]
            ds_sq += ds * ds
            ss_sq += s[:, d] * s[:, d]
        return _util(np.sqrt(ds_sq / ss_sq[:, None]), R[:, None])

    q = init.size
    u_b = util_of(b_init) + util_of(b_rcvr)
    u_sq = np.zeros(n)
    for k in range(n):
        u_sq += own[:, k]
        keep = (init != k) & (rcvr != k)
        u_b += own[:, k, None] * keep[None, :]
    u_b /= n
    u_sq /= n
    # Queues: k's status quo first, then the bargains naming k, by initiator.
    owner = np.concatenate([init, rcvr])
    bid = np.concatenate([np.arange(q)] * 2)
    order = np.lexsort((init[bid], owner))
    owner, bid = owner[order], bid[order]
    movers, starts = np.unique(owner, return_index=True)
    queues = np.split(bid, starts[1:])
    lengths = np.array([len(x) for x in queues])
    newX = X.copy()
    for L in np.unique(lengths):
        sel = np.flatnonzero(lengths == L)
        idx = np.stack([queues[k] for k in sel])  # (b, L)
        U = np.concatenate([np.broadcast_to(u_sq[None, :, None], (len(sel), n, 1)),
                            np.transpose(u_b[:, idx], (1, 0, 2))], axis=2)  # (b, voters, 1 + L)
        win = np.argmax(_pce(_coalitions(U, c)), axis=1)
        for b, k in enumerate(movers[sel]):
            if win[b] > 0:
                qq = idx[b, win[b] - 1]
                newX[k] = b_init[qq] if init[qq] == k else b_rcvr[qq]
    return newX


def run(position: np.ndarray, capability: np.ndarray, salience: np.ndarray, *,
        max_steps: int = 100, stop_fraction: float = STOP_FRACTION, history: bool = True) -> SMPResult:
    """SMP on positions scaled to 0–1 (n, m), capabilities > 0 (n,), saliences 0–1 (n, m).

    Each actor needs some salience; an actor's saliences totalling more than 1 (KTAB refuses
    those) are scaled down to total 1, which keeps its priorities and its distances."""
    X = np.array(position, float)
    c = np.asarray(capability, float)
    s = np.asarray(salience, float)
    if X.ndim != 2 or s.shape != X.shape or c.shape != (X.shape[0],):
        raise InputError("smp.run needs positions and saliences of one shape (actors × issues) and one capability per actor")
    if (c <= 0).any() or ((s > 0).sum(axis=1) == 0).any():
        raise InputError("smp.run needs every actor to have capability > 0 and some salience")
    s = s / np.maximum(1.0, s.sum(axis=1, keepdims=True))
    S = s.sum(axis=1)
    states = [X]
    state = _state(X, s, c)
    probs = [state[3][state[4]]]
    first = None
    steps = 0
    for steps in range(1, max_steps + 1):
        newX = _step(X, s, S, c, state)
        moved = float(np.linalg.norm(newX - X, axis=1).sum())
        X = newX
        state = _state(X, s, c)
        if history:
            states.append(X)
            probs.append(state[3][state[4]])
        if first is None:
            first = moved + MIN_DELTA
        if steps >= 2 and moved / first < stop_fraction:
            break
    Pu, option = state[3], state[4]
    weights = Pu[option] / np.bincount(option)[option]
    return SMPResult(X, Pu[option], steps, weights @ X, weights,
                     states if history else [], probs if history else [])


def forecast(table: Table, **options: Any) -> dict[str, dict[str, Any]]:
    """SMP on every issue of the table at once; absent actors have zero salience there."""
    present = table.present
    if not present.any():
        raise InputError("no positions to model")
    lo, hi = table.bounds[:, 0], table.bounds[:, 1]
    width = np.where(hi > lo, hi - lo, 1.0)
    # Placeholder for absent cells: the centre of the scale (salience 0 makes it irrelevant to them).
    pos = np.where(present, table.position, (lo + hi) / 2)
    scaled = (pos - lo) / width
    sal = np.where(present, table.salience, 0.0)
    out: dict[str, dict[str, Any]] = {}
    keep: list[int] = []
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
    # KTAB needs a positive capability and some salience from every actor it models.
    active = np.flatnonzero((sal[:, keep] > 0).any(axis=1) & (table.capability > 0))
    if active.size < 2:
        for j in keep:
            idx = np.flatnonzero(present[:, j])
            out[table.issues[j]] = {"value": float(table.position[idx[0], j]), "rounds": 0}
        return out
    # numpy's stubs type ix_ for integer arrays only; a list of ints is what it takes at run time too
    res = run(scaled[np.ix_(active, keep)], table.capability[active],  # type: ignore[arg-type]
              sal[np.ix_(active, keep)], **options)  # type: ignore[arg-type]
    for col, j in enumerate(keep):
        # The forecast on an issue weighs only the actors present on it.
        on = present[active, j]
        p = res.weights * on
        value = float((p @ res.positions[:, col]) / p.sum()) if p.sum() > 0 else float(res.positions[on, col].mean())
        out[table.issues[j]] = {"value": lo[j] + value * width[j], "rounds": res.steps,
                                "final_positions": {table.actors[a]: round(float(lo[j] + res.positions[k, col] * width[j]), 3)
                                                    for k, a in enumerate(active) if present[a, j]}}
    return {issue: out[issue] for issue in table.issues if issue in out}
