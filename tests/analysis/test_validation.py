"""Validation against published and peer results in ../shared/data/anchors/ (skipped without it).

Tolerances are stated per test; docs/analysis.md tables the same figures.
"""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from accord.analysis import forecast_table, read_table


def test_eum_ec_emissions_matches_scholz_and_bdm(shared_dir):
    t = read_table(shared_dir / "data/anchors/bdm-scholz-examples/ExampleActors.csv")
    res = forecast_table(t, "eum")["issue"]
    assert res["median_history"][0] == pytest.approx(7.0)  # round-0 weighted median (Scholz Table 2)
    assert abs(res["value"] - 9.9) <= 1.0  # Scholz et al. (2011) steady state
    assert abs(res["value"] - 9.05) <= 1.0  # BDM (1994) stabilised prediction
    same = read_table(shared_dir / "data/anchors/bdm-scholz-examples/ExampleActors_salience01.csv")
    assert forecast_table(same, "eum")["issue"]["value"] == pytest.approx(res["value"])  # salience 0–1 or 0–100


def test_china_soe_errors_reported(shared_dir):
    data = json.loads((shared_dir / "data/anchors/schelling-deu-and-cases/ktab-china-2014.json").read_text())
    errors = {}
    for case in data["cases"]:
        a = case["actors"]
        t_pos = np.array([[x["position"]] for x in a], float)
        from accord.analysis import Table

        t = Table([x["id"] for x in a], [case["case_id"]], [x["capability"] for x in a], t_pos,
                  np.array([[x["salience"] / 100] for x in a]))
        for model in ("compromise", "median", "nash", "eum", "smp", "exchange"):
            v = forecast_table(t, model)[case["case_id"]]["value"]
            for horizon, o in case["outcomes"].items():
                errors[(case["case_id"], model, horizon)] = abs(v - o["proposed_value"])
    assert len(errors) == 2 * 6 * 2
    # The near-term outcome (25) lies in the models' region: every model within 25 points of it.
    assert all(e <= 25 for (c, m, h), e in errors.items() if h == "near_term_by_2017")


@pytest.mark.parametrize("name", ["copenhagen.csv", "cop21.csv"])
def test_cop_data_every_model_runs(shared_dir, name):
    t = read_table(shared_dir / "data/anchors/decide-exchange-model" / name)
    assert (t.n, t.m) == ((11, 7) if name == "copenhagen.csv" else (15, 13))
    for model in ("compromise", "median", "nash", "eum", "smp", "exchange"):
        res = forecast_table(t, model)
        assert set(res) == set(t.issues)
        assert all(0 <= r["value"] <= 100 for r in res.values())


def test_deu_compromise_beats_challenge(shared_dir):
    rows = list(csv.DictReader(open(shared_dir / "data/anchors/schelling-deu-and-cases/deu-paired-differences.csv")))
    assert len(rows) == 351
    comp = np.mean([abs(float(r["outcome"]) - float(r["compromise_forecast"])) for r in rows])
    chal = np.mean([abs(float(r["outcome"]) - float(r["challenge_forecast"])) for r in rows])
    assert comp == pytest.approx(22.99, abs=0.005)
    assert chal == pytest.approx(26.83, abs=0.005)
    from accord.analysis import DEU_FINDING

    assert (DEU_FINDING["compromise_mae"], DEU_FINDING["challenge_mae"]) == (round(comp, 2), round(chal, 2))
