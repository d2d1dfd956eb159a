"""Bargaining analysis: zones of agreement, package deals, forecasts, risk and volatility.

Entry points: :func:`analyze_case` (the DESIGN.md §4 object for a case as of a date),
:func:`forecast_table` (one model on a table read by :func:`read_table`). docs/analysis.md
explains every model with its equations and paper; each module's docstring repeats them.
"""

from .analyze import analyze_case, analyze_table, table_from_positions
from .forecast import DEFAULT_MODEL, DEU_FINDING, MODELS, forecast_table
from .scenario import Scenario, ScenarioError
from .table import InputError, Table, read_table

__all__ = [
    "analyze_case", "analyze_table", "table_from_positions", "forecast_table", "read_table",
    "Table", "InputError", "Scenario", "ScenarioError", "MODELS", "DEFAULT_MODEL", "DEU_FINDING",
]
