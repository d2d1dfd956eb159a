"""`analyze_case`: from a case and a date to the typed `Analysis` (accord.analysis.contracts).

docs/analysis.md documents every field; `Analysis.model_dump(mode="json")` is the JSON of
`accord analyze --format json` and of the web API.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, TypedDict

import numpy as np

from ..case.models import Case, Event, Figure, Statement
from ..positions import (
    Position,
    derive_positions,
    parse_as_of,
    position_history,
    statements_as_of,
)
from . import bargaining, exchange, risk
from .contracts import (
    Analysis,
    CaseRef,
    Contradiction,
    ContradictionItem,
    ForecastChange,
    IssueForecast,
    ModelAccuracy,
    MonteCarlo,
    Risk,
    RiskChange,
    ScenarioDiff,
    ScenarioResult,
    Settlement,
    SettlementChange,
    TradeView,
    Zopa,
    ZopaChange,
)
from .forecast import DEFAULT_MODEL, DEU_FINDING, REGISTRY, get_model, model_names
from .scenario import Scenario
from .table import InputError, Table
from .volatility import WINDOW_DAYS, volatility

DEFAULT_CAPABILITY = 50.0
KINDS: dict[type, Literal["statement", "event", "figure"]] = {Statement: "statement", Event: "event", Figure: "figure"}
History = dict[tuple[str, str], list[tuple[dt.date, float, str]]]


class TableResult(TypedDict):
    """The parts of `Analysis` that depend only on the model table (`analyze_table`)."""

    zopa: list[Zopa]
    settlement: Settlement
    forecast: dict[str, dict[str, float | None]]
    forecast_detail: dict[str, dict[str, IssueForecast]]
    not_forecast: dict[str, str]
    risks: list[Risk]
    trades: list[TradeView]
    montecarlo: MonteCarlo | None

# Honest uncertainty (docs/design.md §6). A stale position counts for less and is less certain; one
# resting on a single statement is less certain than one the record repeats.
STALE_WEIGHT = 0.5  # a stale position's salience in the model table is halved
THIN_SPREAD = 10.0  # Monte Carlo half-width at least ±10 points around a one-statement position
STALE_SPREAD = 20.0  # and a further ±20 around a stale one
MIN_HOLDERS = 2  # an issue held by fewer actors is not forecast: one position is not an outcome


def table_from_positions(case: Case, positions: list[Position],
                         history: History | None = None, as_of: dt.date | None = None) -> tuple[Table, list[str]]:
    """The model input from derived positions; notes say what had to be assumed.

    An ideal's plausible range is the span of conflicting evidence about the present, widened to
    every position the actor stated on the issue within the volatility window before `as_of`:
    an actor that swung between 0 and 100 this year may swing back, and the risk analysis should
    see it (the article's "zigzags"); a steady actor keeps a narrow range.

    A stale position (evidence older than the case's horizon) weighs `STALE_WEIGHT` of its salience;
    the Monte Carlo draws a position on thin (one statement) or stale evidence from a range at least
    `THIN_SPREAD` / `THIN_SPREAD + STALE_SPREAD` points either side (`Table.spread`).
    """
    notes: list[str] = []
    order = {i.id: k for k, i in enumerate(case.issues)}
    issues = sorted({p.issue for p in positions}, key=lambda i: (order.get(i, len(order)), i))
    actors = sorted({p.actor for p in positions})
    n, m = len(actors), len(issues)
    pos = np.full((n, m), np.nan)
    fb = np.full((n, m), np.nan)
    sal = np.zeros((n, m))
    prange = np.full((n, m, 2), np.nan)
    frange = np.full((n, m, 2), np.nan)
    spread = np.zeros((n, m))
    for p in positions:
        i, j = actors.index(p.actor), issues.index(p.issue)
        pos[i, j] = p.ideal
        sal[i, j] = p.salience / 100.0 * (STALE_WEIGHT if p.stale else 1.0)
        spread[i, j] = (THIN_SPREAD if p.statements <= 1 else 0.0) + (STALE_SPREAD if p.stale else 0.0)
        lo, hi = p.ideal_range
        if history and as_of:
            recent = [v for d, v, _ in history.get((p.actor, p.issue), [])
                      if (as_of - d).days <= WINDOW_DAYS]
            lo, hi = min([lo, *recent]), max([hi, *recent])
        prange[i, j] = (lo, hi)
        if p.fallback is not None:
            fb[i, j] = p.fallback
            frange[i, j] = p.fallback_range or (p.fallback, p.fallback)
    by_id = {a.id: a for a in case.actors}
    cap = []
    for a in actors:
        c = by_id[a].capability if a in by_id else None
        if c is None:
            notes.append(f"{a}: no capability in the case; {DEFAULT_CAPABILITY:g} assumed")
            c = DEFAULT_CAPABILITY
        cap.append(c)
    assumed = sorted({(p.actor, p.issue) for p in positions if p.salience_assumed})
    if assumed:
        notes.append(f"salience assumed 50 for {len(assumed)} actor-issue pair(s) the case does not rate")
    stale = [p for p in positions if p.stale]
    if stale:
        notes.append(f"{len(stale)} position(s) rest on evidence older than {case.meta.stale_after_days} days "
                     f"({', '.join(f'{p.actor} on {p.issue}, {p.evidence_date}' for p in stale)}): their salience "
                     f"is halved and their Monte Carlo range widened")
    return Table(actors, issues, np.array(cap, float), pos, sal, fallback=fb, position_range=prange, fallback_range=frange,
                 names={a: by_id[a].name for a in actors if a in by_id}, source=case.meta.id, spread=spread), notes


def _parties(case: Case, table: Table) -> list[str]:
    parties = [p for p in case.meta.parties if p in table.actors]
    if len(parties) >= 2:
        return parties[:2]
    ranked = [table.actors[i] for i in np.argsort(-table.capability, kind="stable")]
    return (parties + [a for a in ranked if a not in parties])[:2]


def red_lines(case: Case, day: dt.date) -> dict[tuple[str, str], float]:
    """(actor, issue) → the point of the actor's latest red-line statement on the issue by `day`."""
    out: dict[tuple[str, str], float] = {}
    for s in statements_as_of(case, day):  # oldest first: a later red line replaces an earlier one
        if s.red_line and s.issue and s.position is not None:
            out[(case.principal(s.actor), s.issue)] = float(s.position)
    return out


def analyze_table(table: Table, parties: list[str], *, draws: int = 2000, seed: int = 0,
                  models: tuple[str, ...] | None = None,
                  red_lines: dict[tuple[str, str], float] | None = None) -> TableResult:
    """Every analysis that depends only on the model table (and the red lines that label its concessions).

    Returns the fields of `Analysis` it computes (zopa, settlement, forecast, forecast_detail, risks,
    trades, montecarlo); `models` defaults to every registered model.
    """
    if len(parties) == 2:
        zopa = bargaining.zopa(table, parties[0], parties[1])
        settlement = bargaining.settlement(table, parties[0], parties[1], zopas=zopa, red_lines=red_lines)
    else:
        zopa, settlement = [], Settlement(parties=parties, feasible=False)
    not_forecast = thin_issues(table)
    held = [j for j, issue in enumerate(table.issues) if issue not in not_forecast]
    detail: dict[str, dict[str, IssueForecast]] = {}
    for m in models or model_names():
        res = get_model(m).forecast(table.subset(issues=held)) if held else {}
        detail[m] = {issue: res.get(issue) or IssueForecast(value=None, error=not_forecast[issue])
                     for issue in table.issues if issue in res or issue in not_forecast}
    forecast = {m: {iss: (None if r.value is None else round(r.value, 2)) for iss, r in res.items()}
                for m, res in detail.items()}
    return {
        "zopa": zopa,
        "settlement": settlement,
        "forecast": forecast,
        "forecast_detail": detail,
        "not_forecast": not_forecast,
        "risks": risk.tornado(table.subset(issues=held), DEFAULT_MODEL) if held else [],
        "trades": first_trades(table.subset(issues=held)) if held else [],
        "montecarlo": risk.montecarlo(table, draws=draws, seed=seed, parties=parties,
                                      skip=set(not_forecast)) if draws else None,
    }


def first_trades(table: Table) -> list[TradeView]:
    """The exchanges Stokman's model realises in its first round on the forecast issues, largest gain
    first; none where no actor has weight on any issue (the model's InputError: nothing to trade)."""
    try:
        found = exchange.trades(table, rounds=1)
    except InputError:
        return []
    return [TradeView.model_validate(t.model_dump()) for t in found]


def thin_issues(table: Table) -> dict[str, str]:
    """Issues fewer than MIN_HOLDERS actors hold a position on → why they are not forecast."""
    out = {}
    for j, issue in enumerate(table.issues):
        holders = [table.names.get(table.actors[i], table.actors[i]) for i in np.flatnonzero(table.present[:, j])]
        if len(holders) < MIN_HOLDERS:
            out[issue] = (f"only {', '.join(holders) or 'no actor'} has stated a position on this issue: "
                          f"one actor's position is not a forecast of the outcome")
    return out


def analyze_case(case: Case, as_of: str | dt.date | None = None, scenario: Scenario | None = None, *,
                 draws: int = 2000, seed: int = 0, models: tuple[str, ...] | None = None) -> Analysis:
    """`case` analysed as of a date, optionally under a scenario (docs/analysis.md)."""
    day = parse_as_of(as_of, case)
    positions = derive_positions(case, day)
    history = position_history(case, day)
    out: dict[str, Any] = {
        "as_of": day,
        "case": CaseRef(id=case.meta.id, title=case.meta.title, parties=list(case.meta.parties)),
        "positions": positions,
        "default_model": DEFAULT_MODEL,
        "models": {m: REGISTRY[m].note for m in (models or model_names())},
        "model_accuracy": ModelAccuracy.model_validate(DEU_FINDING),
        "contradictions": _contradictions(case),
        "volatility": volatility(history, day),
    }
    if not positions:
        return Analysis(**out, settlement=Settlement(parties=list(case.meta.parties), feasible=False,
                                                     note="no positions as of this date"),
                        notes=["no accepted statement with a position is known by this date"])
    table, notes = table_from_positions(case, positions, history, day)
    parties = _parties(case, table)
    reds = red_lines(case, day)
    base = analyze_table(table, parties, draws=draws, seed=seed, models=models, red_lines=reds)
    out["notes"] = notes
    if scenario is None:
        out["capability"] = {a: float(c) for a, c in zip(table.actors, table.capability)}
        return Analysis(**out, **base)
    changed = scenario.apply(table)
    scen_parties = [p for p in parties if p in changed.actors]
    result = analyze_table(changed, scen_parties, draws=draws, seed=seed, models=models, red_lines=reds)
    out["capability"] = {a: float(c) for a, c in zip(changed.actors, changed.capability)}
    out["scenario"] = ScenarioResult(name=scenario.name, description=scenario.description,
                                     changes=scenario.changes, diff=diff(base, result))
    return Analysis(**out, **result)


def diff(base: TableResult, other: TableResult) -> ScenarioDiff:
    """What a scenario changed: forecasts per model and issue, ZOPA gaps, settlement (`analyze_table` outputs)."""
    fc: dict[str, dict[str, ForecastChange]] = {}
    for model, issues in other["forecast"].items():
        for issue, v in issues.items():
            b = base["forecast"].get(model, {}).get(issue)
            if b is None or v is None or abs(v - b) > 1e-9:
                fc.setdefault(model, {})[issue] = ForecastChange(
                    baseline=b, scenario=v, delta=None if b is None or v is None else round(v - b, 2))
    bz = {z.issue: z for z in base["zopa"]}
    zp = []
    for z in other["zopa"]:
        bzopa = bz.get(z.issue)
        if bzopa is None or bzopa.gap != z.gap or bzopa.exists != z.exists:
            zp.append(ZopaChange(issue=z.issue, baseline_gap=None if bzopa is None else bzopa.gap, scenario_gap=z.gap,
                                 baseline_exists=None if bzopa is None else bzopa.exists, scenario_exists=z.exists))
    bs, ss = base["settlement"], other["settlement"]
    return ScenarioDiff(
        forecast=fc, zopa=zp,
        settlement=SettlementChange(
            baseline_feasible=bs.feasible, scenario_feasible=ss.feasible,
            baseline_min_concession=bs.min_concession.total_points if bs.min_concession else None,
            scenario_min_concession=ss.min_concession.total_points if ss.min_concession else None),
        biggest_risk=RiskChange(baseline=base["risks"][0] if base["risks"] else None,
                                scenario=other["risks"][0] if other["risks"] else None),
    )


def _contradictions(case: Case) -> list[Contradiction]:
    by_id: dict[str, Statement | Event | Figure] = {s.id: s for s in case.statements}
    by_id.update({e.id: e for e in case.events})
    by_id.update({f.id: f for f in case.figures})
    out = []
    for c in case.contradictions:
        items = []
        for item in c.items:
            obj = by_id.get(item)
            fields = {} if obj is None else {
                k: getattr(obj, k) for k in ("date", "actor", "issue", "position", "summary", "source",
                                             "quantity", "value", "unit", "type") if hasattr(obj, k)}
            kind = KINDS[type(obj)] if obj is not None else None
            items.append(ContradictionItem(id=item, kind=kind, **fields))
        out.append(Contradiction(id=c.id, why=c.why, items=items))
    return out
