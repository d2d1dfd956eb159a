"""The closed-form forecasts: the compromise model, the weighted median, the Nash bargaining solution.

All three work issue by issue on the actors that hold a position there, with weight
w_i = c_i · s_i (capability × salience), the "exercised power" of the DEU literature.

**Compromise model** (Achen 2006, "Evaluating political decision-making models", in Thomson,
Stokman, Achen & König (eds.) *The European Union Decides*; van den Bos 1991)::

    x* = Σ_i w_i x_i / Σ_i w_i

It is the Nash bargaining solution of actors with quadratic loss −s_i (x − x_i)² weighted by
capability, and on DEU III (351 EU decisions) it beat the challenge (expected-utility) model:
mean absolute error 22.99 against 26.83 (Arregui & Perarnaud 2021 data; see docs/analysis.md).
It is the briefing's default model for that reason.

**Weighted median** (Black 1948, "On the rationale of group decision-making", JPE 56:23–34):
the position x_k at which the cumulative weight of actors sorted by position first reaches
half of the total. With single-peaked preferences and votes weighted w_i it is the Condorcet
winner among the actors' positions (the median voter), and the starting point of BDM's model.
Ties (cumulative weight exactly half) take the midpoint of the two positions.

**Nash bargaining solution** (Nash 1950, "The bargaining problem", Econometrica 18:155–162;
the asymmetric form of Kalai 1977 / Roth 1979)::

    x* = argmax_x Σ_i w_i · log(u_i(x) − d_i),   u_i(x) = 1 − |x − x_i| / R

with R the scale's width and the disagreement utility d_i the utility of the reference point
when one is given (the status quo), otherwise of the scale end farthest from x_i (the worst
outcome for i: no agreement leaves everything open). The objective is concave in x, so the
argmax is found on a fine grid of the scale then refined by golden-section search.
"""

from __future__ import annotations

import numpy as np

from .table import Array, InputError


def _weights(cap: Array, sal: Array) -> Array:
    w: Array = np.asarray(cap, float) * np.asarray(sal, float)
    if w.sum(axis=-1).min() <= 0:
        raise InputError("no actor has weight on this issue (capability × salience is zero for all): "
                         "nothing to forecast")
    return w


def compromise(pos: Array, cap: Array, sal: Array) -> Array:
    """Capability × salience weighted mean; works on (..., n) arrays (the last axis is actors)."""
    w = _weights(cap, sal)
    return np.asarray((w * pos).sum(axis=-1) / w.sum(axis=-1))


def weighted_median(pos: Array, cap: Array, sal: Array) -> Array:
    """Black's median on (..., n) arrays, vectorised over leading axes (Monte Carlo draws)."""
    pos = np.asarray(pos, float)
    w = np.broadcast_to(_weights(cap, sal), pos.shape)
    order = np.argsort(pos, axis=-1, kind="stable")
    p = np.take_along_axis(pos, order, -1)
    cw = np.cumsum(np.take_along_axis(w, order, -1), axis=-1)
    half = cw[..., -1:] / 2.0
    k = np.argmax(cw >= half - 1e-12 * cw[..., -1:], axis=-1)[..., None]
    value = np.take_along_axis(p, k, -1)[..., 0]
    # Exactly half the weight at or below p_k: every point up to the next position ties; take the midpoint.
    exact = np.isclose(np.take_along_axis(cw, k, -1)[..., 0], half[..., 0])
    nxt = np.take_along_axis(p, np.minimum(k + 1, p.shape[-1] - 1), -1)[..., 0]
    return np.where(exact, (value + nxt) / 2.0, value)


def nash(pos: Array, cap: Array, sal: Array, bounds: tuple[float, float] = (0.0, 100.0),
         reference: float | None = None) -> float:
    """Asymmetric Nash bargaining solution on one issue (see the module docstring)."""
    pos = np.asarray(pos, float)
    w = _weights(cap, sal)
    lo, hi = float(bounds[0]), float(bounds[1])
    lo, hi = min(lo, pos.min()), max(hi, pos.max())
    width = hi - lo
    if width <= 0 or np.ptp(pos) == 0:
        return float(pos[0])
    if reference is None:
        d = 1.0 - np.maximum(np.abs(pos - lo), np.abs(pos - hi)) / width
    else:
        d = 1.0 - np.abs(pos - reference) / width

    def objective(x: Array) -> Array:
        gain = 1.0 - np.abs(x[:, None] - pos[None, :]) / width - d[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            val = np.where(gain > 0, np.log(np.maximum(gain, 1e-300)), -np.inf)
        return np.asarray((val * w[None, :]).sum(axis=1))

    grid = np.linspace(lo, hi, 2001)
    vals = objective(grid)
    if not np.isfinite(vals.max()):
        # Some actor gains nothing anywhere (a reference point at its ideal): no bargaining surplus.
        raise InputError("no outcome gives every actor more than its disagreement point: the Nash solution is undefined")
    k = int(np.argmax(vals))
    a, b = grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)]
    g = (np.sqrt(5) - 1) / 2
    for _ in range(40):  # golden section inside the bracketing grid cell (objective concave)
        c, e = b - g * (b - a), a + g * (b - a)
        if objective(np.array([c]))[0] >= objective(np.array([e]))[0]:
            b = e
        else:
            a = c
    return float((a + b) / 2)
