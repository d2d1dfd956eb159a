"""The forecast ledger: what each model said, when, on which inputs, and how it scored.

A forecast is recorded with its case, issue, model, as-of date, the SHA-256 digest of the inputs
the model ran on, its value and range (:meth:`Ledger.record_forecast`; every model of an
analysis at once with :func:`record_analysis`, or of a model table with :func:`record_forecasts`). Outcomes are recorded as they become known
(:meth:`Ledger.record_outcome`, ``accord outcome add``). :meth:`Ledger.scores` scores each model:
a position forecast against the first outcome observed at or after its as-of date (absolute
error on the issue's scale); a probability forecast of a yes/no question against its event
(Brier score, (p − o)²). Forecasts with no as-of date (published forecasts taken over as they
are) meet the first outcome recorded.

:func:`seed_from_anchors` fills a ledger with the real outcomes in ../shared/data/anchors
(China SOE reform, Efird, Lester & Wise 2016; DEU III, Arregui & Perarnaud 2021), read at run
time and never copied into the repository.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from .store import Store

ACCORD = "accord"


class ForecastEntry(BaseModel):
    case_id: str = Field(min_length=1)
    issue: str = Field(min_length=1)
    model: str = Field(min_length=1)
    as_of: date | None
    digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    kind: Literal["position", "probability"] = "position"
    value: float | None
    low: float | None = None
    high: float | None = None
    source: str = ACCORD

    @model_validator(mode="after")
    def _check(self) -> ForecastEntry:
        if self.kind == "probability" and self.value is not None and not 0 <= self.value <= 1:
            raise ValueError(f"a probability forecast is between 0 and 1, not {self.value}")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"range low {self.low} is above high {self.high}")
        return self


class OutcomeEntry(BaseModel):
    case_id: str = Field(min_length=1)
    issue: str = Field(min_length=1)
    kind: Literal["position", "event"] = "position"
    value: float
    observed: date | None
    note: str = ""
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> OutcomeEntry:
        if self.kind == "event" and self.value not in (0.0, 1.0):
            raise ValueError(f"an event outcome is 1 (it happened) or 0 (it did not), not {self.value}")
        return self


class Score(BaseModel):
    """One model's track record: mean absolute error over its scored position forecasts, and
    the Brier score over its scored probability forecasts (None where there are none)."""

    model: str
    source: str
    scored: int
    mae: float | None
    brier_scored: int
    brier: float | None
    cases: list[str]


def digest(inputs: Any) -> str:
    """SHA-256 of the inputs as canonical JSON (sorted keys; numpy arrays as lists)."""
    def default(o: Any) -> Any:
        if hasattr(o, "tolist"):
            return o.tolist()
        if isinstance(o, date):
            return o.isoformat()
        raise TypeError(f"cannot digest {type(o).__name__}")
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=default).encode()).hexdigest()


def table_digest(table: Any) -> str:
    """The digest of a model table's inputs (accord.analysis.Table): who, what, where, how much."""
    return digest({"actors": table.actors, "issues": table.issues, "capability": table.capability,
                   "position": [[None if v != v else v for v in row] for row in table.position.tolist()],
                   "salience": table.salience, "bounds": table.bounds})


class Ledger:
    """The ledger in a store (SQLite or PostgreSQL; the tables come with the store's migrations)."""

    def __init__(self, store: Store | str | None = None):
        self.store = store if isinstance(store, Store) else Store(store)

    def record_forecast(self, entry: ForecastEntry) -> bool:
        """Record one forecast; False (and nothing written) if the same one is already there."""
        return self.record_forecasts([entry]) == 1

    def record_outcome(self, entry: OutcomeEntry) -> bool:
        """Record one outcome; False if the same one is already there."""
        return self.record_outcomes([entry]) == 1

    def record_forecasts(self, entries: list[ForecastEntry]) -> int:
        """Record forecasts in one transaction, skipping any already there; returns how many were new."""
        return self.store.ledger.add_forecasts([e.model_dump() for e in entries])

    def record_outcomes(self, entries: list[OutcomeEntry]) -> int:
        """Record outcomes in one transaction, skipping any already there; returns how many were new."""
        return self.store.ledger.add_outcomes([e.model_dump() for e in entries])

    def forecasts(self, case_id: str | None = None) -> list[ForecastEntry]:
        return [ForecastEntry.model_validate({k: r[k] for k in ForecastEntry.model_fields})
                for r in self.store.ledger.forecasts(case_id)]

    def outcomes(self, case_id: str | None = None) -> list[OutcomeEntry]:
        return [OutcomeEntry.model_validate({k: r[k] for k in OutcomeEntry.model_fields})
                for r in self.store.ledger.outcomes(case_id)]

    def scored(self, case_id: str | None = None) -> list[tuple[ForecastEntry, OutcomeEntry, float]]:
        """Each forecast with the outcome it is scored against and its score (error or Brier)."""
        by_issue: dict[tuple[str, str, str], list[OutcomeEntry]] = {}
        for o in self.outcomes(case_id):
            by_issue.setdefault((o.case_id, o.issue, "probability" if o.kind == "event" else "position"), []).append(o)
        for outs in by_issue.values():  # first observed first; unknown dates last, in recorded order
            outs.sort(key=lambda o: (o.observed is None, o.observed or date.min))
        out = []
        for f in self.forecasts(case_id):
            if f.value is None:
                continue
            outs = by_issue.get((f.case_id, f.issue, f.kind), [])
            hit = next((o for o in outs if f.as_of is None or o.observed is None or o.observed >= f.as_of), None)
            if hit is not None:
                out.append((f, hit, abs(f.value - hit.value) if f.kind == "position" else (f.value - hit.value) ** 2))
        return out

    def scores(self, case_id: str | None = None, *, besides: str | None = None) -> list[Score]:
        """Per model and source: MAE over position forecasts, Brier over probability forecasts;
        of one case, of all, or (`besides`) of every case but one."""
        groups: dict[tuple[str, str], list[tuple[ForecastEntry, float]]] = {}
        for f, _, s in self.scored(case_id):
            if f.case_id != besides:
                groups.setdefault((f.model, f.source), []).append((f, s))
        rows = []
        for (model, source), items in sorted(groups.items()):
            pos = [s for f, s in items if f.kind == "position"]
            prob = [s for f, s in items if f.kind == "probability"]
            rows.append(Score(model=model, source=source, scored=len(pos),
                              mae=sum(pos) / len(pos) if pos else None, brier_scored=len(prob),
                              brier=sum(prob) / len(prob) if prob else None,
                              cases=sorted({f.case_id for f, _ in items})))
        return rows


class TrackRecord(BaseModel):
    """What the briefing and the ledger page show: each model's scores on one case, and elsewhere."""

    case_id: str
    case: list[Score]
    elsewhere: list[Score]


def track_record(ledger: Ledger, case_id: str) -> TrackRecord:
    return TrackRecord(case_id=case_id, case=ledger.scores(case_id), elsewhere=ledger.scores(besides=case_id))


def markdown_table(ledger: Ledger) -> str:
    """Each model's track record per case as a Markdown table (the README's): MAE over the scored
    position forecasts (their number), and the Brier score where a yes/no question was scored."""
    cases = sorted({f.case_id for f, _, _ in ledger.scored()})
    cells: dict[tuple[str, str], dict[str, str]] = {}
    for case in cases:
        for s in ledger.scores(case):
            text = ", ".join(x for x in (f"{s.mae:.2f} ({s.scored})" if s.mae is not None else "",
                                         f"Brier {s.brier:.3f} ({s.brier_scored})" if s.brier is not None else "") if x)
            cells.setdefault((s.model, "accord" if s.source == ACCORD else "published"), {})[case] = text
    lines = ["| model | forecasts | " + " | ".join(cases) + " |", "|---|---|" + "---|" * len(cases)]
    for (model, kind), row in sorted(cells.items()):
        lines.append(f"| {model} | {kind} | " + " | ".join(row.get(c, "—") for c in cases) + " |")
    return "\n".join(lines) + "\n"


def record_forecasts(ledger: Ledger, case_id: str, as_of: date | None, table: Any,
                     forecasts: dict[str, dict[str, dict[str, Any]]],
                     ranges: dict[str, dict[str, tuple[float, float]]] | None = None) -> int:
    """Record every model's forecast of every issue of one run ({model: {issue: {"value", …}}});
    `ranges` ({model: {issue: (low, high)}}, e.g. the Monte Carlo's p5–p95) where known.
    Returns how many were new."""
    d = table_digest(table)
    return ledger.record_forecasts([
        ForecastEntry(case_id=case_id, issue=issue, model=model, as_of=as_of, digest=d, value=f.get("value"),
                      low=(ranges or {}).get(model, {}).get(issue, (None, None))[0],
                      high=(ranges or {}).get(model, {}).get(issue, (None, None))[1])
        for model, issues in forecasts.items() for issue, f in issues.items()])


def record_analysis(ledger: Ledger, analysis: Any) -> int:
    """Record every model's forecast of an analysis (accord.analysis.contracts.Analysis): its case,
    as-of date, the digest of the positions and capabilities the models ran on, and, where the
    analysis ran a Monte Carlo, each model's 5th–95th percentile as the range. The one call the
    CLI, the API and the web make after an analysis. Returns how many were new."""
    inputs = digest({"positions": [p.model_dump(mode="json") for p in analysis.positions],
                     "capability": analysis.capability})
    bands = analysis.montecarlo.models if analysis.montecarlo else {}
    return ledger.record_forecasts([
        ForecastEntry(case_id=analysis.case.id, issue=issue, model=model, as_of=analysis.as_of, digest=inputs,
                      value=value, low=bands[model][issue].p5 if issue in bands.get(model, {}) else None,
                      high=bands[model][issue].p95 if issue in bands.get(model, {}) else None)
        for model, issues in analysis.forecast.items() for issue, value in issues.items()])


def record_quietly(ledger: Ledger | Store | str | None, analysis: Any) -> int | None:
    """:func:`record_analysis`, but a failed write (a read-only store, a lost connection) is logged
    and None returned: the ledger records analyses, it must never stop one from being shown."""
    try:
        return record_analysis(ledger if isinstance(ledger, Ledger) else Ledger(ledger), analysis)
    except Exception:
        logging.getLogger("accord.ledger").warning("the forecast ledger could not record %s as of %s",
                                                   analysis.case.id, analysis.as_of, exc_info=True)
        return None


def record_forecasts_quietly(ledger: Ledger | Store | str | None, case_id: str, as_of: date | None, table: Any,
                             forecasts: dict[str, dict[str, dict[str, Any]]]) -> int | None:
    """:func:`record_forecasts` of a model table's run, logged rather than raised on failure."""
    try:
        return record_forecasts(ledger if isinstance(ledger, Ledger) else Ledger(ledger), case_id, as_of, table,
                                forecasts)
    except Exception:
        logging.getLogger("accord.ledger").warning("the forecast ledger could not record %s", case_id, exc_info=True)
        return None


def seed_from_case(ledger: Ledger, folder: Path, dates: tuple[str, ...] | None = None,
                   draws: int = 100) -> dict[str, int]:
    """A closed case's backtest in the ledger: every model's forecasts as of each date before the
    outcome (accord.case.backtest's dates by default) and the outcomes of its outcomes.csv, each
    with its cited source. Raises accord.case.folder.CaseError for a folder that is not a case or
    has no outcomes."""
    from .analysis import analyze_case
    from .case.backtest import DEFAULT_DATES
    from .case.folder import CaseError, CaseProblem, check_folder
    from .case.models import date_floor

    checked = check_folder(folder)
    if not checked.outcomes:
        raise CaseError([CaseProblem("outcomes.csv", None, None, "no outcomes: nothing to score against",
                                     "Seeding the ledger from a case needs outcomes.csv (docs/case-format.md).")])
    case_id = checked.case.meta.id
    counts = {"forecasts": 0, "outcomes": 0}
    first = min(o.date for o in checked.outcomes)
    for day in dates or DEFAULT_DATES:
        if day >= first:  # a forecast made once the outcome was known scores nothing
            raise ValueError(f"{day} is on or after the outcome ({first}): seed with earlier dates")
        counts["forecasts"] += record_analysis(ledger, analyze_case(checked.case, day, draws=draws))
    counts["outcomes"] += ledger.record_outcomes([OutcomeEntry(
        case_id=case_id, issue=o.issue, value=o.outcome, observed=date_floor(o.date), note=o.note or "",
        source=f"{case_id}: {o.source}" + (f" {o.locator}" if o.locator else "")) for o in checked.outcomes])
    return counts


def seed_from_anchors(ledger: Ledger, anchors: Path) -> dict[str, int]:
    """Real outcomes from the shared anchors, with the forecasts they score: China SOE reform
    (every accord model run on the paper's actor table, as of the data's collection, 2014-Q3) and
    DEU III (the compromise and challenge forecasts published with the outcomes). Raises
    FileNotFoundError if the anchors are absent (they live in ../shared, not in the repository)."""
    import numpy as np

    from .analysis import Table, forecast_table, model_names

    china = anchors / "schelling-deu-and-cases" / "ktab-china-2014.json"
    deu = anchors / "schelling-deu-and-cases" / "deu-paired-differences.csv"
    for path in (china, deu):
        if not path.is_file():
            raise FileNotFoundError(f"{path} is absent: the anchors live in ../shared/data/anchors")
    counts = {"forecasts": 0, "outcomes": 0}
    data = json.loads(china.read_text())
    source = "Efird, Lester & Wise (2016), outcome codings in ktab-china-2014.json"
    for case in data["cases"]:
        issue = case["case_id"]
        actors = case["actors"]
        table = Table([a["id"] for a in actors], [issue], np.array([a["capability"] for a in actors], float),
                      np.array([[a["position"]] for a in actors], float),
                      np.array([[a["salience"] / 100] for a in actors], float))
        as_of = date(2014, 9, 30)  # "data_collected": 2014-Q3
        runs = {m: forecast_table(table, m) for m in model_names()}
        counts["forecasts"] += record_forecasts(ledger, "china-soe-2014", as_of, table, runs)
        counts["outcomes"] += ledger.record_outcomes([OutcomeEntry(
            case_id="china-soe-2014", issue=issue, value=o["proposed_value"],
            observed=date(2017 if "2017" in horizon else 2020, 12, 31),
            note=f"{horizon} (the horizon is a scoring convention, not the paper's); range {o.get('range')}",
            source=source) for horizon, o in case["outcomes"].items()])
    deu_source = "DEU III (Arregui & Perarnaud 2021) via deu-paired-differences.csv"
    outcomes, forecasts = [], []
    with deu.open(newline="") as fh:
        for row in csv.DictReader(fh):
            issue = row["issue_id"]
            outcomes.append(OutcomeEntry(case_id="deu-iii", issue=issue, value=float(row["outcome"]), observed=None,
                                         source=deu_source))
            d = digest({"file": deu.name, "row": row})
            forecasts += [ForecastEntry(case_id="deu-iii", issue=issue, model=model, as_of=None, digest=d,
                                        value=float(row[col]), source=deu_source)
                          for model, col in (("compromise", "compromise_forecast"), ("challenge", "challenge_forecast"))]
    counts["outcomes"] += ledger.record_outcomes(outcomes)
    counts["forecasts"] += ledger.record_forecasts(forecasts)
    return counts
