"""Risk: Monte Carlo over uncertain inputs, and a tornado of what moves each forecast most.

**Monte Carlo.** Positions drawn from conflicting evidence are ranges (``ideal_range``,
``fallback_range`` of accord.positions), an ideal's range widened to every position the actor
stated on the issue in the volatility window (analyze.table_from_positions: an erratic actor may
swing back). Each draw takes, independently,

* every ideal and fallback uniformly within its range (a point where the evidence agrees),
  widened to at least ``Table.spread`` points either side where the evidence is thin (one
  statement) or stale (older than the case's horizon): less evidence, wider bands;
* every capability × U(1 − 0.2, 1 + 0.2) and every salience × U(1 − 0.2, 1 + 0.2), clipped
  to 0–1: capability and salience are expert judgements, and ±20% is the spread DEU-style
  expert codings show between coders (Thomson et al. 2006, ch. 2);

and recomputes the compromise and median forecasts on every issue, the two parties' ZOPA gap
on every issue and whether a settlement is feasible issue by issue. All draws are computed at
once as (draws × actors) arrays. Reported: p5/p50/p95, mean and sd per model and issue, and the
probability that each ZOPA exists and that the settlement is feasible.

**Tornado** (one-at-a-time sensitivity, Howard 1988, "Decision analysis: practice and
promise", Management Science 34:679–695). For each actor, issue and parameter the model asked
for (any registered model with an issue-by-issue form; others are refused) is rerun with the
parameter at its low and its high value, everything else at its central value:

* ``position``: the evidence range, widened to at least ±5 points around the ideal;
* ``capability``, ``salience``: ×0.8 and ×1.2.

``effect`` = |forecast(high) − forecast(low)| in scale points. The risks list is all of them
ranked by effect, biggest first: "the biggest risk" of the briefing is its head.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import simple
from .contracts import Band, MonteCarlo, Risk
from .forecast import get_model
from .table import Array, InputError, Table

SPREAD = 0.2
MIN_POSITION_SWING = 5.0


# The Monte Carlo recomputes these two on every draw at once: both are closed forms over (draws × actors) arrays.
MC_MODELS = {"compromise": simple.compromise, "median": simple.weighted_median}


def montecarlo(table: Table, draws: int = 2000, seed: int = 0, parties: list[str] | None = None,
               skip: set[str] | None = None) -> MonteCarlo:
    """The draws described in the module docstring; issues in `skip` (not forecast) get no band."""
    rng = np.random.default_rng(seed)
    n, m = table.n, table.m
    draws = int(max(draws, 1))
    u = rng.random((draws, n, m))
    lo, hi = _widened(table.position_range, table.position, table.spread, table.bounds)
    pos = lo + u * (hi - lo)
    cap = table.capability * rng.uniform(1 - SPREAD, 1 + SPREAD, (draws, n))
    sal = np.clip(table.salience * rng.uniform(1 - SPREAD, 1 + SPREAD, (draws, n, m)), 0, 1)
    out: dict[str, Any] = {"draws": draws, "seed": seed, "spread": {"capability": SPREAD, "salience": SPREAD},
                 "models": {}, "zopa": {}, "settlement": None}
    for model, fn in MC_MODELS.items():
        res = {}
        for j, issue in enumerate(table.issues):
            if skip and issue in skip:
                continue
            idx = np.flatnonzero(table.present[:, j])
            w = cap[:, idx] * sal[:, idx, j]
            ok = w.sum(axis=1) > 0
            if not ok.any():
                continue
            vals = fn(pos[ok][:, idx, j], cap[ok][:, idx], sal[ok][:, idx, j])
            res[issue] = _summary(vals)
        out["models"][model] = res
    if parties and len(parties) == 2 and all(p in table.actors for p in parties):
        a, b = (table.actors.index(p) for p in parties)
        fa = _draw_fallback(table, a, pos, rng)
        fb = _draw_fallback(table, b, pos, rng)
        feasible = np.ones(draws, bool)
        for j, issue in enumerate(table.issues):
            if not (table.present[a, j] and table.present[b, j]):
                continue
            lo_b, hi_b = table.bounds[j]
            ra, rb = np.abs(fa[:, j] - pos[:, a, j]), np.abs(fb[:, j] - pos[:, b, j])
            low = np.maximum(np.maximum(pos[:, a, j] - ra, lo_b), np.maximum(pos[:, b, j] - rb, lo_b))
            high = np.minimum(np.minimum(pos[:, a, j] + ra, hi_b), np.minimum(pos[:, b, j] + rb, hi_b))
            gap = np.maximum(0.0, low - high)
            exists = low <= high + 1e-9
            feasible &= exists
            out["zopa"][issue] = {"p_exists": round(float(exists.mean()), 4), "gap": _summary(gap)}
        out["settlement"] = {"parties": list(parties), "p_feasible": round(float(feasible.mean()), 4)}
    return MonteCarlo.model_validate(out)


def _draw_fallback(table: Table, i: int, pos: Array, rng: np.random.Generator) -> Array:
    """Fallbacks within their evidence range; where none is stated, the drawn ideal (no concession)."""
    flo, fhi = _widened(table.fallback_range, table.fallback, table.spread, table.bounds)
    flo, fhi = flo[i], fhi[i]
    u = rng.random((pos.shape[0], table.m))
    drawn = flo + u * (fhi - flo)
    return np.asarray(np.where(np.isnan(drawn), pos[:, i, :], drawn))


def _widened(rng: Array, centre: Array, spread: Array, bounds: Array) -> tuple[Array, Array]:
    """(low, high) of an (n, m, 2) range, at least `spread` either side of `centre`, within the scale."""
    lo = np.minimum(rng[..., 0], centre - spread)
    hi = np.maximum(rng[..., 1], centre + spread)
    return np.maximum(lo, bounds[None, :, 0]), np.minimum(hi, bounds[None, :, 1])


def _summary(vals: np.ndarray) -> Band:
    p5, p50, p95 = np.percentile(vals, [5, 50, 95])
    return Band(p5=round(float(p5), 2), p50=round(float(p50), 2), p95=round(float(p95), 2),
                mean=round(float(vals.mean()), 2), sd=round(float(vals.std()), 3))


def tornado(table: Table, model: str = "compromise", limit: int | None = None) -> list[Risk]:
    """One-at-a-time swings of every actor's parameters; ranked by effect on `model`'s forecast.

    Raises InputError for an unknown model or one that only forecasts all issues jointly.
    """
    spec = get_model(model)
    if spec.issue_value is None:
        raise InputError(f"the tornado swings one issue at a time; model {model!r} forecasts all issues jointly "
                         f"and has no issue-by-issue form")
    value = spec.issue_value
    out = []
    for j, issue in enumerate(table.issues):
        idx = np.flatnonzero(table.present[:, j])
        if idx.size == 0:
            continue
        c, x, s = table.capability[idx], table.position[idx, j], table.salience[idx, j]
        if (c * s).sum() <= 0:
            continue
        bounds = (float(table.bounds[j][0]), float(table.bounds[j][1]))
        base = value(x, c, s, bounds)
        lo_b, hi_b = bounds
        for k, i in enumerate(idx):
            rlo, rhi = table.position_range[i, j]
            plo = max(lo_b, min(rlo, x[k] - MIN_POSITION_SWING))
            phi = min(hi_b, max(rhi, x[k] + MIN_POSITION_SWING))
            swings = {
                "position": (plo, phi, _with(x, k, plo), _with(x, k, phi), c, c, s, s),
                "capability": (c[k] * (1 - SPREAD), c[k] * (1 + SPREAD), x, x,
                               _with(c, k, c[k] * (1 - SPREAD)), _with(c, k, c[k] * (1 + SPREAD)), s, s),
                "salience": (s[k] * (1 - SPREAD), min(1.0, s[k] * (1 + SPREAD)), x, x, c, c,
                             _with(s, k, s[k] * (1 - SPREAD)), _with(s, k, min(1.0, s[k] * (1 + SPREAD)))),
            }
            for param, (vlo, vhi, xl, xh, cl, ch, sl, sh) in swings.items():
                try:
                    flo, fhi = value(xl, cl, sl, bounds), value(xh, ch, sh, bounds)
                except ValueError:
                    continue
                out.append(Risk.model_validate({
                    "actor": table.actors[i], "issue": issue, "parameter": param, "model": model,
                    "effect": round(abs(fhi - flo), 3), "baseline": round(base, 2),
                    "input": {"low": round(float(vlo), 3), "high": round(float(vhi), 3)},
                    "forecast": {"low": round(flo, 2), "high": round(fhi, 2)},
                }))
    out.sort(key=lambda r: (-r.effect, r.actor, r.issue, r.parameter))
    return out[:limit] if limit else out


def _with(arr: np.ndarray, k: int, value: float) -> np.ndarray:
    out = np.array(arr, dtype=float, copy=True)
    out[k] = value
    return out
