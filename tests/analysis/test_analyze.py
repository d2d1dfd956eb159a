"""analyze_case on a small case built in the test, and on the flagship as of 2025-09-10."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from accord.analysis import Scenario, ScenarioError, analyze_case
from accord.cli.main import app


def test_small_case_contract(small_case):
    r = analyze_case(small_case, draws=300)
    json.dumps(r)  # plain JSON all the way down
    for key in ("as_of", "positions", "zopa", "settlement", "forecast", "contradictions", "volatility", "risks",
                "montecarlo", "default_model", "model_accuracy"):
        assert key in r
    assert r["default_model"] == "compromise"
    assert set(r["forecast"]) == {"compromise", "median", "nash", "eum", "smp"}
    z = {x["issue"]: x for x in r["zopa"]}
    assert z["land"]["exists"] is False and z["land"]["gap"] == pytest.approx(20)  # AAA ≤ 40, BBB ≥ 60
    assert z["money"]["exists"] is True and z["money"]["zone"] == [50, 70]
    s = r["settlement"]
    assert s["feasible"] is False and s["blocking_issues"] == ["land"]
    # BBB cares less about land (40 vs 90): it is the cheaper one to close the 20-point gap.
    assert s["min_concession"]["total_points"] == pytest.approx(20)
    assert s["min_concession"]["steps"][0]["actor"] == "BBB"
    # Trading land for money makes a package both accept.
    assert s["package"]["feasible"] is True
    nash = s["package"]["nash"]["package"]
    assert nash["land"] < 50 < nash["money"]
    assert r["volatility"][0]["actor"] == "MED" and r["volatility"][0]["issue"] == "money"
    assert r["volatility"][0]["reversals"] == 2
    mc = r["montecarlo"]["models"]["compromise"]["money"]
    assert mc["p5"] <= r["forecast"]["compromise"]["money"] <= mc["p95"]
    assert r["risks"][0]["effect"] >= r["risks"][-1]["effect"]


def test_scenario_changes_and_errors(small_case, tmp_path):
    scen = Scenario.from_dict({"changes": [{"set_fallback": {"actor": "BBB", "issue": "land", "value": 40}},
                                           {"set_capability": {"actor": "AAA", "value": 100}},
                                           {"remove_actor": "MED"}]})
    r = analyze_case(small_case, scenario=scen, draws=0)
    d = r["scenario"]["diff"]
    assert d["settlement"] == {**d["settlement"], "baseline_feasible": False, "scenario_feasible": True}
    assert d["zopa"][0]["scenario_gap"] == 0
    assert d["forecast"]["compromise"]["land"]["delta"] < 0  # AAA (at 0) weighs more
    with pytest.raises(ScenarioError, match="change 1"):
        analyze_case(small_case, scenario=Scenario.from_dict({"changes": [{"remove_actor": "ZZZ"}]}), draws=0)
    f = tmp_path / "bad.yaml"
    f.write_text("changes: [{fly_to_moon: 1}]")
    with pytest.raises(ScenarioError, match="must be one of"):
        Scenario.load(f)


def test_flagship_zopa_volatility_and_risk(flagship_dir):
    from accord.case.folder import read_case

    r = analyze_case(read_case(flagship_dir), "2025-09-10", draws=500)
    terr = next(z for z in r["zopa"] if z["issue"] == "territory" and set(z["between"]) == {"UKR", "RUS"})
    assert terr["fallback"]["UKR"] == 50 and terr["fallback"]["RUS"] == 70
    assert terr["exists"] is False and terr["gap"] == pytest.approx(20)
    assert r["settlement"]["feasible"] is False and "territory" in r["settlement"]["blocking_issues"]
    top = {(v["actor"], v["issue"]) for v in r["volatility"][:2]}
    assert top == {("USA", "sanctions"), ("USA", "ceasefire")}
    assert r["risks"][0]["actor"] == "USA"


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
