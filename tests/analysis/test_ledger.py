"""The forecast ledger: recording, scoring (absolute error; Brier for yes/no), the CLI, and the
seed from the shared anchors (China SOE, DEU III), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from accord.ledger import ForecastEntry, Ledger, OutcomeEntry, digest, record_analysis, seed_from_anchors

D = digest({"inputs": 1})


def _f(issue, model, value, as_of=date(2025, 1, 1), kind="position"):
    return ForecastEntry(case_id="c", issue=issue, model=model, as_of=as_of, digest=D, kind=kind, value=value)


def test_scores_by_hand(db_url):
    book = Ledger(db_url)
    assert book.record_forecasts([_f("x", "m1", 40), _f("y", "m1", 70), _f("x", "m2", 55),
                                  _f("deal", "m1", 0.8, kind="probability"), _f("deal", "m2", 0.3, kind="probability")]) == 5
    assert book.record_forecast(_f("x", "m1", 40)) is False  # recorded once
    book.record_outcome(OutcomeEntry(case_id="c", issue="x", value=50, observed=date(2025, 6, 1), source="s"))
    book.record_outcome(OutcomeEntry(case_id="c", issue="x", value=90, observed=date(2026, 6, 1), source="s"))
    book.record_outcome(OutcomeEntry(case_id="c", issue="y", value=60, observed=date(2024, 6, 1), source="s"))
    book.record_outcome(OutcomeEntry(case_id="c", issue="deal", kind="event", value=1, observed=date(2025, 3, 1), source="s"))
    s = {x.model: x for x in book.scores()}
    # m1: x scored against the first outcome after its as-of (50): |40 − 50| = 10; y's outcome came
    # before the forecast, so it is not scored; Brier (0.8 − 1)² = 0.04.
    assert (s["m1"].scored, s["m1"].mae, s["m1"].brier_scored) == (1, 10.0, 1)
    assert s["m1"].brier == pytest.approx(0.04)
    assert (s["m2"].mae, s["m2"].brier) == (5.0, pytest.approx(0.49))


def test_bad_entries_are_refused():
    with pytest.raises(ValidationError, match="between 0 and 1"):
        _f("deal", "m", 1.5, kind="probability")
    with pytest.raises(ValidationError, match="1 \\(it happened\\) or 0"):
        OutcomeEntry(case_id="c", issue="deal", kind="event", value=0.5, observed=None, source="s")
    with pytest.raises(ValidationError):
        ForecastEntry(case_id="c", issue="x", model="m", as_of=None, digest="not-a-digest", value=1)


def test_record_analysis_of_the_flagship(flagship_dir, tmp_path):
    from accord.analysis import analyze_case
    from accord.case.folder import read_case

    book = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    analysis = analyze_case(read_case(flagship_dir), "2025-09-10", draws=200, models=("compromise", "median"))
    n = record_analysis(book, analysis)
    assert n == sum(1 for m in analysis.forecast.values() for _ in m)
    assert record_analysis(book, analysis) == 0  # same case, date, inputs: not recorded twice
    f = next(x for x in book.forecasts() if x.model == "compromise" and x.issue == "territory")
    assert (f.case_id, f.as_of, f.value) == (analysis.case.id, analysis.as_of, analysis.forecast["compromise"]["territory"])
    assert f.low <= f.value <= f.high  # the Monte Carlo's 5th–95th percentile


def test_seed_reproduces_deu_and_scores_china(shared_dir, tmp_path):
    book = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    counts = seed_from_anchors(book, shared_dir / "data/anchors")
    assert counts["outcomes"] == 351 + 4
    assert seed_from_anchors(book, shared_dir / "data/anchors") == {"forecasts": 0, "outcomes": 0}
    s = {(x.model, x.source == "accord"): x for x in book.scores()}
    assert s[("compromise", False)].mae == pytest.approx(22.99, abs=0.005)  # DEU III, published forecasts
    assert s[("challenge", False)].mae == pytest.approx(26.83, abs=0.005)
    # China SOE: each accord model scored on both cases against the near-term (2017) reading.
    assert s[("median", True)].scored == 2 and s[("median", True)].mae == pytest.approx(10.0)  # |30−25|, |40−25|


def test_cli_outcome_add_and_ledger(tmp_path):
    from accord.cli.main import app

    db = f"sqlite:///{tmp_path / 'l.db'}"
    Ledger(db).record_forecast(_f("x", "m1", 40))
    run = CliRunner().invoke
    res = run(app, ["outcome", "add", "c", "x", "45", "--observed", "2025-05-01", "--source", "wire", "--db", db])
    assert res.exit_code == 0 and "recorded" in res.stdout
    res = run(app, ["ledger", "--format", "json", "--db", db])
    assert res.exit_code == 0, res.output
    assert [(r["model"], r["scored"], r["mae"]) for r in json.loads(res.stdout)] == [("m1", 1, 5.0)]
    res = run(app, ["outcome", "add", "c", "x", "45", "--observed", "May 2025", "--source", "w", "--db", db])
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.output
