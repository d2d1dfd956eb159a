"""Backtest: forecast a closed negotiation as of earlier dates and score each model against the outcome.

A case folder with `outcomes.csv` (docs/case-format.md) says where each issue was settled. For each
date, :func:`backtest` runs the analysis (accord.analysis.analyze_case, every model in the forecast
registry) on the evidence dated up to that day and reports each model's absolute error per issue.
An issue a model does not forecast as of a date (too little evidence) is counted as not forecast,
never as an error of zero. The midpoint (50 on every issue) is scored beside the models, on the
issues some model forecast, as the baseline any model must beat.

The outcome is known to whoever codes such a case; the scores measure the models on inputs coded
with hindsight, not a forecast made at the time (README, "JCPOA backtest").

Run: ``accord case backtest examples/iran-nuclear-2015`` (``--format markdown`` for the README table).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel

from ..analysis import analyze_case, model_names
from .folder import CaseError, CaseProblem, check_folder
from .models import date_floor

BASELINE = "midpoint"
DEFAULT_DATES = ("2014-07-01", "2014-11-24", "2015-04-01", "2015-07-01", "2015-07-13")


class IssueScore(BaseModel):
    issue: str
    outcome: float
    actors: int  # actors with a position on the issue as of the date
    forecast: dict[str, float | None]  # model → forecast (None: not forecast)
    error: dict[str, float | None]


class DateScore(BaseModel):
    as_of: str
    issues: list[IssueScore]
    mae: dict[str, float | None]  # model → mean absolute error over the issues it forecast
    forecast_count: dict[str, int]


class Backtest(BaseModel):
    case: str
    outcome_date: str
    models: list[str]
    dates: list[DateScore]


def backtest(folder: str | Path, dates: tuple[str, ...] = DEFAULT_DATES, *, draws: int = 100) -> Backtest:
    """Score every registered model on the case's outcomes as of each date (before the outcome)."""
    checked = check_folder(folder)
    if not checked.outcomes:
        raise CaseError([CaseProblem("outcomes.csv", None, None, "no outcomes: nothing to score against",
                                     "A backtest needs outcomes.csv (docs/case-format.md).")])
    outcome_date = min((o.date for o in checked.outcomes), key=date_floor)
    bad = []
    for d in dates:
        try:
            dt.date.fromisoformat(d)
        except ValueError:
            bad.append(CaseProblem("--as-of", None, None, f"{d!r} is not a date", "Write dates as YYYY-MM-DD."))
    if bad:
        raise CaseError(bad)
    late = [d for d in dates if dt.date.fromisoformat(d) >= date_floor(outcome_date)]
    if late:
        raise CaseError([CaseProblem("--as-of", None, None, f"{', '.join(late)} is on or after the outcome ({outcome_date})",
                                     "Backtest dates must come before the outcome they are scored on.")])
    models = list(model_names())
    out = []
    for day in dates:
        analysis = analyze_case(checked.case, day, draws=draws)
        holders: dict[str, int] = {}
        for p in analysis.positions:
            holders[p.issue] = holders.get(p.issue, 0) + 1
        issues = []
        for o in checked.outcomes:
            forecast = {m: analysis.forecast.get(m, {}).get(o.issue) for m in models}
            forecast[BASELINE] = 50.0
            error = {m: None if v is None else round(abs(v - o.outcome), 1) for m, v in forecast.items()}
            issues.append(IssueScore(issue=o.issue, outcome=o.outcome, actors=holders.get(o.issue, 0),
                                     forecast={m: None if v is None else round(v, 1) for m, v in forecast.items()},
                                     error=error))
        # The baseline is scored on the issues some model forecast, so the columns compare.
        scored = {i.issue for i in issues if any(i.forecast[m] is not None for m in models)}
        mae, count = {}, {}
        for m in [*models, BASELINE]:
            errs = [e for i in issues if (e := i.error[m]) is not None and (m != BASELINE or i.issue in scored)]
            count[m] = len(errs)
            mae[m] = round(sum(errs) / len(errs), 1) if errs else None
        out.append(DateScore(as_of=day, issues=issues, mae=mae, forecast_count=count))
    return Backtest(case=checked.case.meta.id, outcome_date=outcome_date, models=[*models, BASELINE], dates=out)


def _cell(mae: float | None, n: int, total: int) -> str:
    return "—" if mae is None else f"{mae:g} ({n}/{total})"


def markdown(result: Backtest) -> str:
    """Two tables: MAE per model and date, and each issue's forecasts on the last date."""
    total = len(result.dates[0].issues) if result.dates else 0
    lines = ["| as of | " + " | ".join(result.models) + " |", "|---" * (len(result.models) + 1) + "|"]
    for d in result.dates:
        lines.append(f"| {d.as_of} | " + " | ".join(_cell(d.mae[m], d.forecast_count[m], total) for m in result.models) + " |")
    last = result.dates[-1]
    lines += ["", f"Forecasts as of {last.as_of} against the outcome ({result.outcome_date}):", "",
              "| issue | outcome | actors | " + " | ".join(result.models) + " |",
              "|---" * (len(result.models) + 3) + "|"]
    for i in last.issues:
        cells = ["—" if i.forecast[m] is None else f"{i.forecast[m]:g}" for m in result.models]
        lines.append(f"| {i.issue} | {i.outcome:g} | {i.actors} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
