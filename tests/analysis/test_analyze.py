"""analyze_case on a small case built in the test, and on the flagship as of 2025-09-10."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from accord.analysis import (
    Analysis,
    InputError,
    Scenario,
    ScenarioError,
    analyze_case,
    get_model,
    model_names,
)
from accord.cli.main import app


def test_small_case_contract(small_case):
    r = analyze_case(small_case, draws=300)
    assert isinstance(r, Analysis)
    data = json.loads(json.dumps(r.json_dict()))  # plain JSON all the way down
    assert Analysis.model_validate(data) == r  # and back: the JSON is the contract, nothing lost
    for key in ("as_of", "positions", "zopa", "settlement", "forecast", "contradictions", "volatility", "risks",
                "montecarlo", "default_model", "model_accuracy"):
        assert key in data
    assert data["settlement"]["min_concession"]["steps"][0]["from"] is not None  # the JSON key is "from"
    assert r.default_model == "compromise"
    assert set(r.forecast) == set(model_names()) >= {"compromise", "median", "nash", "eum", "smp"}
    z = {x.issue: x for x in r.zopa}
    assert z["land"].exists is False and z["land"].gap == pytest.approx(20)  # AAA ≤ 40, BBB ≥ 60
    assert z["money"].exists is True and z["money"].zone == (50, 70)
    s = r.settlement
    assert s.feasible is False and s.blocking_issues == ["land"]
    # BBB cares less about land (40 vs 90): it is the cheaper one to close the 20-point gap.
    assert s.min_concession.total_points == pytest.approx(20)
    assert s.min_concession.steps[0].actor == "BBB"
    # Trading land for money makes a package both accept.
    assert s.package.feasible is True
    nash = s.package.nash.package
    assert nash["land"] < 50 < nash["money"]
    assert r.volatility[0].actor == "MED" and r.volatility[0].issue == "money"
    assert r.volatility[0].reversals == 2
    mc = r.montecarlo.models["compromise"]["money"]
    assert mc.p5 <= r.forecast["compromise"]["money"] <= mc.p95
    assert r.risks[0].effect >= r.risks[-1].effect


def test_scenario_changes_and_errors(small_case, tmp_path):
    scen = Scenario.from_dict({"changes": [{"set_fallback": {"actor": "BBB", "issue": "land", "value": 40}},
                                           {"set_capability": {"actor": "AAA", "value": 100}},
                                           {"remove_actor": "MED"}]})
    r = analyze_case(small_case, scenario=scen, draws=0)
    d = r.scenario.diff
    assert d.settlement.baseline_feasible is False and d.settlement.scenario_feasible is True
    assert d.zopa[0].scenario_gap == 0
    assert d.forecast["compromise"]["land"].delta < 0  # AAA (at 0) weighs more
    with pytest.raises(ScenarioError, match="change 1"):
        analyze_case(small_case, scenario=Scenario.from_dict({"changes": [{"remove_actor": "ZZZ"}]}), draws=0)
    f = tmp_path / "bad.yaml"
    f.write_text("changes: [{fly_to_moon: 1}]")
    with pytest.raises(ScenarioError, match="must be one of"):
        Scenario.load(f)


def test_flagship_zopa_volatility_and_risk(flagship_dir):
    from accord.case.folder import read_case

    r = analyze_case(read_case(flagship_dir), "2025-09-10", draws=500)
    terr = next(z for z in r.zopa if z.issue == "territory" and set(z.between) == {"UKR", "RUS"})
    assert terr.fallback["UKR"] == 50 and terr.fallback["RUS"] == 70
    assert terr.exists is False and terr.gap == pytest.approx(20)
    assert r.settlement.feasible is False and "territory" in r.settlement.blocking_issues
    top = {(v.actor, v.issue) for v in r.volatility[:2]}
    assert top == {("USA", "sanctions"), ("USA", "ceasefire")}
    assert r.risks[0].actor == "USA"


def test_tornado_runs_the_model_asked_for_or_refuses(small_case):
    from accord.analysis import risk
    from accord.analysis.analyze import table_from_positions
    from accord.positions import derive_positions

    table, _ = table_from_positions(small_case, derive_positions(small_case))
    comp, med = risk.tornado(table, "compromise"), risk.tornado(table, "median")
    assert {r.model for r in med} == {"median"}
    # Each bar's baseline is the asked model's own forecast, not the compromise's under another label.
    fc = {m: {i: f.value for i, f in get_model(m).forecast(table).items()} for m in ("compromise", "median")}
    assert all(r.baseline == pytest.approx(fc["median"][r.issue], abs=0.01) for r in med)
    assert all(r.baseline == pytest.approx(fc["compromise"][r.issue], abs=0.01) for r in comp)
    assert fc["median"] != fc["compromise"]
    assert {r.model for r in risk.tornado(table, "eum")} == {"eum"}
    with pytest.raises(InputError, match="jointly"):
        risk.tornado(table, "smp")
    with pytest.raises(InputError, match="unknown model 'nope': choose one of compromise"):
        risk.tornado(table, "nope")


def test_registry_takes_a_new_model_with_one_call(small_case):
    from accord.analysis import forecast
    from accord.analysis.forecast import ForecastModel

    model = ForecastModel("lowest", "the lowest position wins (a test model)",
                          lambda x, c, s, b: {"value": float(min(x)), "rounds": 0})
    forecast.register(model)
    try:
        r = analyze_case(small_case, draws=0)
        assert r.forecast["lowest"]["land"] == min(p.ideal for p in r.positions if p.issue == "land")
        assert r.models["lowest"] == model.note
        with pytest.raises(ValueError, match="already registered"):
            forecast.register(model)
    finally:
        del forecast.REGISTRY["lowest"]


def test_analyze_cli_json_and_table(flagship_dir, tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["analyze", str(flagship_dir), "--as-of", "2025-09-10", "--format", "json", "--draws", "100"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["as_of"] == "2025-09-10" and data["zopa"]
    res = runner.invoke(app, ["analyze", str(flagship_dir), "--as-of", "2025-09-10", "--draws", "0"])
    assert res.exit_code == 0 and "22.99" in res.stdout and "territory" in res.stdout
    scen = tmp_path / "s.yaml"
    scen.write_text("changes:\n  - set_fallback: {actor: RUS, issue: territory, value: 50}\n")
    res = runner.invoke(app, ["analyze", str(flagship_dir), "--as-of", "2025-09-10", "--draws", "0", "--scenario", str(scen)])
    assert res.exit_code == 0 and "gap 20.0 → 0.0" in res.stdout


def test_the_documented_json_keys_are_the_contract():
    """docs/analysis.md lists every top-level key of Analysis and every field of a position: no more, no less."""
    import re
    from pathlib import Path

    from accord.positions import Position

    doc = (Path(__file__).resolve().parents[2] / "docs" / "analysis.md").read_text(encoding="utf-8")
    section = doc[doc.index("## The result"):doc.index("**Honest uncertainty**")]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    documented = {k for line in rows for k in re.findall(r"`([a-z_]+)`", line.split("|")[1])}
    assert documented == set(Analysis.model_fields)
    positions = next(line for line in rows if line.startswith("| `positions`"))
    assert set(re.findall(r"[a-z_]+", positions.split("|")[2])) == set(Position.model_fields)
