"""Bargaining analysis: zones of agreement, package deals, forecasts, risk and volatility.

Entry points: :func:`analyze_case` (a case as of a date → :class:`Analysis`, the typed contract of
accord.analysis.contracts), :func:`forecast_table` (one registered model on a table read by
:func:`read_table`). docs/analysis.md explains every model with its equations and paper; each
module's docstring repeats them; docs/design.md says which fields are a stable contract.
"""

from .analyze import analyze_case, analyze_table, table_from_positions
from .contracts import Analysis
from .forecast import (
    DEFAULT_MODEL,
    DEU_FINDING,
    REGISTRY,
    forecast_table,
    get_model,
    model_names,
    register,
)
from .scenario import Scenario, ScenarioError
from .table import InputError, Table, read_table

__all__ = [
    "DEFAULT_MODEL",
    "DEU_FINDING",
    "REGISTRY",
    "Analysis",
    "InputError",
    "Scenario",
    "ScenarioError",
    "Table",
    "analyze_case",
    "analyze_table",
    "forecast_table",
    "get_model",
    "model_names",
    "read_table",
    "register",
    "table_from_positions",
]
