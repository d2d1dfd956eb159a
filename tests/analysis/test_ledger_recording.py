"""Forecasts are recorded where they are computed: `accord analyze` and `accord forecast` (once per
case, date and inputs; never a scenario; a failed write warns and the analysis stands), and a closed
case's backtest seeds the ledger with real outcomes (the JCPOA), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.ledger import Ledger, seed_from_case

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny-case"
JCPOA = Path(__file__).resolve().parents[2] / "examples" / "iran-nuclear-2015"
run = CliRunner().invoke


def test_analyze_records_each_forecast_once(db_url, tmp_path):
    res = run(app, ["analyze", str(TINY), "--db", db_url, "--draws", "50", "--format", "json"])
    assert res.exit_code == 0, res.output
    analysis = json.loads(res.stdout)  # the JSON on stdout is untouched by the ledger's note
    recorded = Ledger(db_url).forecasts()
    assert {(f.case_id, f.model, f.issue, f.value) for f in recorded} == {
        (analysis["case"]["id"], m, i, v) for m, issues in analysis["forecast"].items() for i, v in issues.items()}
    assert all(f.as_of == dt.date.fromisoformat(analysis["as_of"]) for f in recorded)
    assert any(f.low is not None and f.low <= f.value <= f.high for f in recorded if f.value is not None)
    res = run(app, ["analyze", str(TINY), "--db", db_url, "--draws", "50", "--format", "json"])
    assert res.exit_code == 0 and len(Ledger(db_url).forecasts()) == len(recorded)
    scen = tmp_path / "s.yaml"
    scen.write_text("name: x\nchanges:\n  - set_position: {actor: AAA, issue: border, value: 20}\n")
    res = run(app, ["analyze", str(TINY), "--db", db_url, "--draws", "0", "--scenario", str(scen)])
    assert res.exit_code == 0, res.output
    res = run(app, ["analyze", str(TINY), "--db", db_url, "--draws", "0", "--as-of", "2025-09-08", "--no-record"])
    assert res.exit_code == 0, res.output
    assert len(Ledger(db_url).forecasts()) == len(recorded)  # neither a scenario nor --no-record wrote


def test_forecast_records_the_tables_run(db_url, tmp_path):
    f = tmp_path / "talks.csv"
    f.write_text("actor,capability,position,salience,issue\nA,2,0,1,x\nB,1,90,1,x\n")
    res = run(app, ["forecast", "--csv", str(f), "--db", db_url, "--as-of", "2024-03-01", "--format", "json"])
    assert res.exit_code == 0, res.output
    [entry] = Ledger(db_url).forecasts()
    assert (entry.case_id, entry.issue, entry.model, entry.as_of, entry.value) == (
        "talks", "x", "compromise", dt.date(2024, 3, 1), 30.0)
    res = run(app, ["forecast", "--csv", str(f), "--db", db_url, "--case", "other", "--as-of", "March"])
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.output
    assert len(Ledger(db_url).forecasts()) == 1


def test_a_failed_ledger_write_warns_and_the_analysis_stands(tmp_path):
    bad = f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}"  # cannot be created
    res = run(app, ["analyze", str(TINY), "--db", bad, "--draws", "0", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["forecast"]
    assert "could not record" in res.stderr


def test_the_jcpoa_backtest_seeds_real_outcomes(db_url):
    book = Ledger(db_url)
    counts = seed_from_case(book, JCPOA, dates=("2015-04-01", "2015-07-01"), draws=0)
    assert counts["outcomes"] == len(JCPOA.joinpath("outcomes.csv").read_text().strip().splitlines()) - 1
    assert seed_from_case(book, JCPOA, dates=("2015-04-01", "2015-07-01"), draws=0) == {"forecasts": 0, "outcomes": 0}
    outcomes = {o.issue: o for o in book.outcomes("iran-nuclear-2015")}
    assert outcomes["enrichment_level"].value == 75 and outcomes["enrichment_level"].observed == dt.date(2015, 7, 14)
    assert "wnn-2015-07-15" in outcomes["enrichment_level"].source
    scored = book.scored("iran-nuclear-2015")
    assert scored and all(f.as_of < o.observed for f, o, _ in scored)
    for f, o, err in scored:  # each score is the forecast's own error against the deal's terms
        assert err == pytest.approx(abs(f.value - o.value))
    with pytest.raises(ValueError, match="on or after the outcome"):
        seed_from_case(book, JCPOA, dates=("2015-07-14",))


def test_a_case_without_outcomes_cannot_seed(tmp_path):
    from accord.case.folder import CaseError

    with pytest.raises(CaseError, match="no outcomes"):
        seed_from_case(Ledger(f"sqlite:///{tmp_path / 'l.db'}"), TINY)


def test_cli_seed_without_the_anchors_still_seeds_the_jcpoa(db_url, tmp_path):
    res = run(app, ["ledger", "--seed", "--anchors", str(tmp_path / "absent"), "--db", db_url, "--format", "markdown"])
    assert res.exit_code == 0, res.output
    assert "skipped the anchors" in res.stderr and "seeded iran-nuclear-2015: 10 new outcomes" in res.stderr
    header, rule, *rows = res.stdout.strip().splitlines()
    assert header == "| model | forecasts | iran-nuclear-2015 |" and rows
    book = Ledger(db_url)
    for s in book.scores("iran-nuclear-2015"):  # each cell is the ledger's own score of that model
        assert f"| {s.model} | accord | {s.mae:.2f} ({s.scored}) |" in rows
    res = run(app, ["ledger", "--seed-case", str(TINY), "--db", db_url])
    assert res.exit_code == 2 and "no outcomes" in res.output
