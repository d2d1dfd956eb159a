"""The analysis result as typed models: what `analyze_case` returns and every reader relies on.

`Analysis.model_dump(mode="json")` is the JSON of `accord analyze --format json` and of the web
API; the briefing, the web views and the CLI's tables read these fields directly. docs/analysis.md
documents each field, docs/design.md says which are a stable contract. Key names are the ones
the JSON always had (``from`` in a concession step, ``p5``/``p50``/``p95`` in a Monte Carlo band).

A section the analysis did not compute is ``None`` (the Monte Carlo with ``draws=0``); readers
render it as "not computed" rather than guessing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from ..positions import Position


class Contract(BaseModel):
    """Base of every analysis model: unknown keys are an error, so a renamed field cannot go unnoticed."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True,
                              serialize_by_alias=True)


class CaseRef(Contract):
    id: str
    title: str
    parties: list[str]


# ---------------------------------------------------------------- bargaining

class Zopa(Contract):
    """The zone of possible agreement of two parties on one issue (analysis.bargaining.zopa_issue)."""

    issue: str
    between: list[str]
    exists: bool
    gap: float
    zone: tuple[float, float] | None
    acceptable: dict[str, tuple[float, float]]
    ideal: dict[str, float]
    fallback: dict[str, float | None]
    fallback_stated: dict[str, bool]


class ConcessionStep(Contract):
    """One party closing (its share of) one issue's gap: from its limit `from_` to `to`."""

    issue: str
    actor: str
    from_: float = Field(serialization_alias="from", validation_alias=AliasChoices("from", "from_"))
    to: float
    points: float
    salience: float
    fallback_stated: dict[str, bool]
    basis: Literal["stated", "assumed"]
    red_line: float | None = None
    crosses_red_line: bool = False


class ConcessionSplit(Contract):
    """The part of the least concession whose limits were all stated, or at least one assumed."""

    total_points: float
    by_actor: dict[str, float]
    who: str | None
    issues: list[str]


class MinConcession(Contract):
    total_points: float
    by_actor: dict[str, float]
    who: str | None
    steps: list[ConcessionStep]
    if_only: dict[str, float]
    stated: ConcessionSplit
    assumed: ConcessionSplit


class PackagePoint(Contract):
    package: dict[str, float]
    utility: dict[str, float]


class Package(Contract):
    reservation_utility: dict[str, float]
    feasible: bool
    frontier: list[tuple[float, float]]
    nash: PackagePoint | None = None
    kalai_smorodinsky: PackagePoint | None = None
    shortfall: float
    closest: PackagePoint | None = None
    shortfall_by_actor: dict[str, float] | None = None


class Settlement(Contract):
    """Can one package satisfy both parties' fallbacks on every shared issue (analysis.bargaining.settlement)."""

    parties: list[str]
    feasible: bool
    note: str | None = None
    issues: list[str] = []
    blocking_issues: list[str] = []
    blocking_stated: list[str] = []
    blocking_assumed: list[str] = []
    min_concession: MinConcession | None = None
    package: Package | None = None


# ---------------------------------------------------------------- forecasts

class IssueForecast(Contract):
    """One model's forecast on one issue; `value` None with `error` where the model had nothing to work on.

    The optional fields are a model's own diagnostics: the expected-utility model's round-by-round
    medians, its final mean and convergence; SMP's final positions of each actor.
    """

    value: float | None
    rounds: int = 0
    error: str | None = None
    median_history: list[float] | None = None
    mean: float | None = None
    converged: bool | None = None
    final_positions: dict[str, float] | None = None


class ModelAccuracy(Contract):
    """The published accuracy the default model rests on (DEU III; see analysis.forecast)."""

    decisions: int
    compromise_mae: float
    challenge_mae: float
    text: str


class TradeSideView(Contract):
    """One side of an exchange: `actor` moves on `moves_on` from `start` to `to` (the issue's scale) to get `for_issue`."""

    actor: str
    moves_on: str
    start: float
    to: float
    for_issue: str


class TradeView(Contract):
    """One exchange the exchange model realises in its first round (analysis.exchange.trades)."""

    round: int
    gain: float
    sides: tuple[TradeSideView, TradeSideView]


# ---------------------------------------------------------------- risk

class Band(Contract):
    """A Monte Carlo distribution: 5th, 50th and 95th percentile, mean and standard deviation."""

    p5: float
    p50: float
    p95: float
    mean: float
    sd: float


class ZopaChance(Contract):
    p_exists: float
    gap: Band


class SettlementChance(Contract):
    parties: list[str]
    p_feasible: float


class MonteCarlo(Contract):
    draws: int
    seed: int
    spread: dict[str, float]
    models: dict[str, dict[str, Band]]
    zopa: dict[str, ZopaChance] = {}
    settlement: SettlementChance | None = None


class Span(Contract):
    low: float
    high: float


class Risk(Contract):
    """One tornado bar: how far `model`'s forecast of `issue` moves across `parameter`'s plausible range."""

    actor: str
    issue: str
    parameter: Literal["position", "capability", "salience"]
    model: str
    effect: float
    baseline: float
    input: Span
    forecast: Span


class Volatility(Contract):
    actor: str
    issue: str
    index: float
    reversals: int
    shifts: int
    movement: float
    statements: int
    first: str
    last: str
    window: tuple[str, str]
    evidence: list[str]
    history: list[tuple[str, float]]


# ---------------------------------------------------------------- evidence checks

class ContradictionItem(Contract):
    """A record a contradiction points at, with the fields it has (statement, event or figure)."""

    id: str
    kind: Literal["statement", "event", "figure"] | None
    date: str | None = None
    actor: str | None = None
    issue: str | None = None
    position: float | None = None
    summary: str | None = None
    source: str | None = None
    quantity: str | None = None
    value: float | None = None
    unit: str | None = None
    type: str | None = None


class Contradiction(Contract):
    id: str
    why: str
    items: list[ContradictionItem]


# ---------------------------------------------------------------- scenarios

class ForecastChange(Contract):
    baseline: float | None
    scenario: float | None
    delta: float | None


class ZopaChange(Contract):
    issue: str
    baseline_gap: float | None
    scenario_gap: float
    baseline_exists: bool | None
    scenario_exists: bool


class SettlementChange(Contract):
    baseline_feasible: bool
    scenario_feasible: bool
    baseline_min_concession: float | None
    scenario_min_concession: float | None


class RiskChange(Contract):
    baseline: Risk | None
    scenario: Risk | None


class ScenarioDiff(Contract):
    forecast: dict[str, dict[str, ForecastChange]]
    zopa: list[ZopaChange]
    settlement: SettlementChange
    biggest_risk: RiskChange


class ScenarioResult(Contract):
    name: str
    description: str | None = None
    changes: list[dict[str, Any]]
    diff: ScenarioDiff


# ---------------------------------------------------------------- the whole

class Analysis(Contract):
    """A case analysed as of a date (analysis.analyze.analyze_case).

    ``forecast`` is the short form {model: {issue: value}} the JSON contract promises;
    ``forecast_detail`` the same forecasts with each model's diagnostics.
    """

    as_of: dt.date
    case: CaseRef
    positions: list[Position]
    default_model: str
    models: dict[str, str]
    model_accuracy: ModelAccuracy
    contradictions: list[Contradiction] = []
    volatility: list[Volatility] = []
    notes: list[str] = []
    capability: dict[str, float] = {}
    zopa: list[Zopa] = []
    settlement: Settlement | None = None
    forecast: dict[str, dict[str, float | None]] = {}
    forecast_detail: dict[str, dict[str, IssueForecast]] = {}
    not_forecast: dict[str, str] = {}  # issue → why it has no forecast (evidence from fewer than two actors)
    risks: list[Risk] = []
    trades: list[TradeView] = []  # the exchange model's first-round exchanges, largest gain first
    montecarlo: MonteCarlo | None = None
    scenario: ScenarioResult | None = None

    def json_dict(self) -> dict[str, Any]:
        """The JSON object of the CLI and the web API."""
        return self.model_dump(mode="json")
