"""Every outcome model behind one interface, in one registry.

A model is an object with a ``name``, a one-line ``note`` (what it is, with its paper) and
``forecast(table) -> {issue: IssueForecast}``. :data:`REGISTRY` holds them in the order the
briefing and the CLI list them; :func:`register` adds one (a new model is one call at the end of
this module, e.g. ``register(ModuleModel("exchange", NOTE, "accord.analysis.exchange"))`` for a
module exposing ``forecast(table, **options) -> {issue: {"value", "rounds", ...}}``), and
:func:`get_model` looks one up or refuses with the list of known names.

Models that forecast issue by issue (compromise, median, nash, eum) also expose
``issue_value(x, c, s, bounds)``: the tornado (analysis.risk) swings one input of one issue at a
time and needs exactly that. Models that solve all issues jointly (smp) have none, and the
tornado refuses them rather than substituting another model.

Degenerate inputs have defined answers (docs/analysis.md, "Bad input"): one actor, or all
actors at one point, forecast that point in 0 rounds; an issue where capability × salience is
zero for every actor has no forecast (value None, with the reason).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import numpy as np

from . import simple
from .contracts import IssueForecast
from .table import Array, InputError, Table

DEFAULT_MODEL = "compromise"

# DEU III (Arregui & Perarnaud 2021), 351 resolved EU legislative issues, as tabulated in the
# shared anchors' deu-paired-differences.csv; tests/analysis/test_validation.py recomputes it.
DEU_FINDING = {
    "decisions": 351, "compromise_mae": 22.99, "challenge_mae": 26.83,
    "text": ("Across 351 EU decisions (DEU III) the plain compromise model (capability × salience weighted mean) "
             "beat the challenge (expected-utility) model: mean absolute error 22.99 vs 26.83 on a 0–100 scale. "
             "More complex models must earn their place in measured accuracy; compromise is the default."),
}

IssueFn = Callable[[np.ndarray, np.ndarray, np.ndarray, tuple[float, float]], dict[str, Any]]


class ForecastModel:
    """A model that forecasts issue by issue from (positions x, capabilities c, saliences s, bounds)."""

    def __init__(self, name: str, note: str, fn: IssueFn):
        self.name, self.note, self._fn = name, note, fn

    def issue_value(self, x: np.ndarray, c: np.ndarray, s: np.ndarray, bounds: tuple[float, float]) -> float:
        """The forecast of one issue: what the tornado swings."""
        return float(self._fn(x, c, s, bounds)["value"])

    def forecast(self, table: Table) -> dict[str, IssueForecast]:
        out: dict[str, IssueForecast] = {}
        for j, issue in enumerate(table.issues):
            idx, c, x, s = table.issue_view(j)
            if idx.size == 0:
                continue
            try:
                if (c * s).sum() <= 0:
                    raise InputError(f"no actor has weight on issue {issue!r} (capability × salience is zero for all)")
                if idx.size == 1 or np.ptp(x) == 0:
                    out[issue] = IssueForecast(value=float(x[0]), rounds=0)
                    continue
                out[issue] = IssueForecast.model_validate(self._fn(x, c, s, tuple(table.bounds[j])))
            except InputError as exc:
                out[issue] = IssueForecast(value=None, rounds=0, error=str(exc))
        return out


class ModuleModel:
    """A model that solves every issue at once, in its own module's ``forecast(table, **options)``.

    The module is imported on first use, so a heavy model costs nothing until it is asked for.
    """

    issue_value = None  # no issue-by-issue form: the tornado refuses it

    def __init__(self, name: str, note: str, module: str, **options: Any):
        self.name, self.note, self._module, self._options = name, note, module, options

    def forecast(self, table: Table) -> dict[str, IssueForecast]:
        raw = importlib.import_module(self._module).forecast(table, **self._options)
        return {issue: IssueForecast.model_validate(r) for issue, r in raw.items()}


REGISTRY: dict[str, ForecastModel | ModuleModel] = {}


def register(model: ForecastModel | ModuleModel) -> ForecastModel | ModuleModel:
    """Add a model to the registry (a name registered twice is a programming error)."""
    if model.name in REGISTRY:
        raise ValueError(f"a forecast model called {model.name!r} is already registered")
    REGISTRY[model.name] = model
    return model


def model_names() -> tuple[str, ...]:
    return tuple(REGISTRY)


def get_model(name: str) -> ForecastModel | ModuleModel:
    try:
        return REGISTRY[name]
    except KeyError:
        raise InputError(f"unknown model {name!r}: choose one of {', '.join(REGISTRY)}") from None


def forecast_table(table: Table, model: str = DEFAULT_MODEL) -> dict[str, dict[str, Any]]:
    """`model` on every issue of `table`, as JSON: {issue: {"value", "rounds", ...}} (the CLI's form)."""
    return {issue: f.model_dump(exclude_unset=True) for issue, f in get_model(model).forecast(table).items()}


def _eum(x: Array, c: Array, s: Array, bounds: tuple[float, float]) -> dict[str, Any]:
    from . import eum

    res = eum.run(x, c, s)
    return {"value": res.median, "rounds": res.rounds, "median_history": res.medians,
            "mean": res.mean, "converged": res.converged}


register(ForecastModel(
    "compromise", "capability × salience weighted mean (Achen 2006); DEU III MAE 22.99 over 351 EU decisions",
    lambda x, c, s, b: {"value": float(simple.compromise(x, c, s)), "rounds": 0}))
register(ForecastModel(
    "median", "capability × salience weighted median, the median voter (Black 1948)",
    lambda x, c, s, b: {"value": float(simple.weighted_median(x, c, s)), "rounds": 0}))
register(ForecastModel(
    "nash", "asymmetric Nash bargaining solution, disagreement at each actor's worst outcome (Nash 1950)",
    lambda x, c, s, b: {"value": simple.nash(x, c, s, b), "rounds": 0}))
register(ForecastModel(
    "eum", "Bueno de Mesquita's expected-utility challenge model as reconstructed by Scholz et al. (2011); "
           "the challenge family scored MAE 26.83 on DEU III against compromise's 22.99", _eum))
register(ModuleModel(
    "smp", "KTAB's spatial model of politics: probabilistic Condorcet voting, challenges, bargains (Wise et al., KAPSARC)",
    "accord.analysis.smp"))
register(ModuleModel(
    "exchange", "Stokman's exchange model: actors trade moves on the issues they care less about for equal gains "
                "(Stokman & Van Oosten 1994; decide-exchange-model)", "accord.analysis.exchange"))
