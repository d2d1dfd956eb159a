"""Models on hand-checkable inputs, and the degenerate inputs of the issue's "Bad input" list."""

from __future__ import annotations

import json

import numpy as np
import pytest

from accord.analysis import InputError, Table, forecast_table, read_table, simple, smp
from accord.analysis.eum import _prob_success


def table(pos, cap, sal, issues=("x",)):
    pos = np.asarray(pos, float).reshape(len(cap), -1)
    return Table([f"A{i}" for i in range(len(cap))], list(issues), cap, pos, np.asarray(sal, float).reshape(pos.shape))


def test_compromise_and_median_by_hand():
    # weights 1·1, 1·1, 2·1 → mean (0 + 50 + 2·100)/4 = 62.5; median: cumulative 1, 2, 4 ≥ 2 at 50 → tie → 75
    assert simple.compromise(np.array([0, 50, 100.]), np.array([1, 1, 2.]), np.ones(3)) == pytest.approx(62.5)
    assert simple.weighted_median(np.array([0, 50, 100.]), np.array([1, 1, 2.]), np.ones(3)) == pytest.approx(75)
    assert simple.weighted_median(np.array([0, 50, 100.]), np.array([1, 1, 3.]), np.ones(3)) == pytest.approx(100)


def test_median_vectorised_matches_loop():
    rng = np.random.default_rng(3)
    pos, cap, sal = rng.random((50, 7)) * 100, rng.random((50, 7)), rng.random((50, 7))
    vec = simple.weighted_median(pos, cap, sal)
    for d in range(50):
        assert vec[d] == pytest.approx(float(simple.weighted_median(pos[d], cap[d], sal[d])))


def test_nash_two_symmetric_actors_meet_halfway():
    assert simple.nash(np.array([20., 80.]), np.ones(2), np.ones(2)) == pytest.approx(50, abs=0.01)
    # A stronger actor pulls the solution towards itself.
    assert simple.nash(np.array([20., 80.]), np.array([3., 1.]), np.ones(2)) < 45


def test_eum_probability_prefix_sums_equal_the_vote_cube():
    rng = np.random.default_rng(0)
    x, w = np.round(rng.random(25) * 10), rng.random(25)
    dist = np.abs(x[:, None] - x[None, :])
    v = w[:, None, None] * (dist[:, None, :] - dist[:, :, None]) / np.ptp(x)
    num, den = np.clip(v, 0, None).sum(0), np.abs(v).sum(0)
    cube = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    assert np.allclose(_prob_success(x, w, np.ptp(x)), cube, atol=1e-12)


@pytest.mark.parametrize("model", ["compromise", "median", "nash", "eum", "smp", "exchange"])
def test_degenerate_inputs_have_defined_answers(model):
    one = forecast_table(table([42], [1], [0.5]), model)["x"]
    assert one == {"value": 42.0, "rounds": 0}
    same = forecast_table(table([30, 30, 30], [1, 2, 3], [0.2, 0.5, 1]), model)["x"]
    assert same["value"] == 30.0 and same["rounds"] == 0
    zero = forecast_table(table([10, 60, 90], [1, 2, 3], [0, 0, 0]), model)["x"]
    assert zero["value"] is None and "no actor has weight" in zero["error"]


def test_bad_tables_raise_clear_errors(tmp_path):
    with pytest.raises(InputError, match="negative capability"):
        table([10, 20], [1, -1], [1, 1])
    bad = tmp_path / "nan.csv"
    bad.write_text("actor,capability,position,salience\nA,1,nan,50\nB,1,40,50\n")
    with pytest.raises(InputError, match="nan.csv:2: position is NaN"):
        read_table(bad)
    bad.write_text("actor,capability,position\nA,1,10\n")
    with pytest.raises(InputError, match="lacks salience"):
        read_table(bad)
    bad.write_text("XYZ,desc,3,1,\nActor,Description,Influence,P,S\nA,a,1,10,50\n")
    with pytest.raises(InputError, match="announces 3 actors"):
        read_table(bad)
    bad.write_text("'#D'\t'A'\t'x'\t10\n")
    with pytest.raises(InputError, match="#D row"):
        read_table(bad)
    bad.write_text("")
    with pytest.raises(InputError, match="empty"):
        read_table(bad)


def test_smp_two_actors_converge_between_them():
    res = smp.run(np.array([[0.2], [0.8]]), np.array([1.0, 1.0]), np.array([[0.5], [0.5]]))
    assert 0.2 <= res.forecast[0] <= 0.8
    assert res.steps >= 1


def test_forecast_cli_json(tmp_path):
    from typer.testing import CliRunner

    from accord.cli.main import app

    f = tmp_path / "t.csv"
    f.write_text("actor,capability,position,salience,issue\nA,2,0,1,x\nB,1,90,1,x\nA,2,40,1,y\nB,1,40,1,y\n")
    res = CliRunner().invoke(app, ["forecast", "--csv", str(f), "--model", "compromise", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == {"x": {"compromise": 30.0, "rounds": 0}, "y": {"compromise": 40.0, "rounds": 0}}
    res = CliRunner().invoke(app, ["forecast", "--csv", str(f), "--model", "eum"])
    assert res.exit_code == 0 and "22.99" in res.stdout
    f.write_text("actor,capability,position,salience\nA,1,10,0\nB,1,90,0\n")
    res = CliRunner().invoke(app, ["forecast", "--csv", str(f), "--model", "median"])
    assert res.exit_code == 2
