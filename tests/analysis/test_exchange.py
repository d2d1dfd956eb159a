"""Stokman's exchange model: a hand-computed exchange, and decide-exchange-model's own run on
COP15 and COP21 (../shared anchors; the oracle is GPL and optional, see tests/analysis/decide_oracle.py).

The oracle runs in-process where ``decide`` is importable, or with the interpreter named by
ACCORD_DECIDE_PYTHON (decide pins numpy 1.23, so it usually lives in a venv of its own):
``python -m venv /tmp/oracle && /tmp/oracle/bin/pip install decide-exchange-model``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from accord.analysis import Table, exchange, forecast_table, read_table

ORACLE = Path(__file__).with_name("decide_oracle.py")


def two_actors():
    # Actor 1 cares for p (0.8) and sits at 100 on both; actor 2 cares for q (0.8) and sits at 0.
    return Table(["A1", "A2"], ["p", "q"], [1.0, 1.0], np.array([[100.0, 100.0], [0.0, 0.0]]),
                 np.array([[0.8, 0.2], [0.2, 0.8]]))


def test_equal_gain_exchange_by_hand():
    # O_p = 80, O_q = 20: A1 is right of both outcomes, A2 left of both, so they can trade; A1
    # (s_p/s_q = 4 > 1/4) demands p. A2 moving all the way on p shifts O_p by 100·0.2 = 20; equal
    # gains need δ_q = 20 (0.8 + 0.2)/(0.2 + 0.8) = 20, i.e. A1 moves 20·1.0/0.2 = 100 on q.
    # Each gains 20·0.8 − 20·0.2 = 12.
    res = exchange.run(two_actors(), rounds=1)
    assert res.outcome[0] == pytest.approx([80.0, 20.0])
    assert res.outcome[1] == pytest.approx([100.0, 0.0])
    [t] = exchange.trades(two_actors(), rounds=1)
    assert t.gain == pytest.approx(12.0)
    a1, a2 = t.sides
    assert (a1.actor, a1.moves_on, a1.start, a1.to, a1.for_issue) == ("A1", "q", 100.0, 0.0, "p")
    assert (a2.actor, a2.moves_on, a2.start, a2.to, a2.for_issue) == ("A2", "p", 0.0, 100.0, "q")
    assert "A1 moves on q (100.0 → 0.0)" in t.text()


def test_next_round_starts_between_start_and_vote():
    # x' = (0.1 + 0.4 (1 − s)) y + (0.9 − 0.4 (1 − s)) x: A1 on q (s 0.2) from 100 voting 0 → 58.
    res = exchange.run(two_actors(), rounds=2)
    # Round 2 starts at A1 q = 58, A2 p = 42: O_p = 0.8·100 + 0.2·42 = 88.4, O_q = 0.2·58 = 11.6;
    # both still on opposite sides, so they trade again and the votes are the same.
    assert res.outcome[2] == pytest.approx([100.0, 0.0])
    assert list(res.round) == [1, 2]


def test_exchange_degenerate_and_registered():
    one = Table(["A"], ["p", "q"], [1.0], np.array([[30.0, 70.0]]), np.array([[0.5, 0.5]]))
    assert forecast_table(one, "exchange") == {"p": {"value": 30.0, "rounds": 0}, "q": {"value": 70.0, "rounds": 0}}
    zero = Table(["A", "B"], ["p"], [1.0, 1.0], np.array([[30.0], [70.0]]), np.array([[0.0], [0.0]]))
    with pytest.raises(Exception, match="nothing to exchange"):
        exchange.run(zero)


def _oracle(path: Path, rounds: int) -> dict:
    try:
        import decide  # noqa: F401
    except ImportError:
        python = os.environ.get("ACCORD_DECIDE_PYTHON")
        if not python:
            pytest.skip("decide-exchange-model is not installed (the GPL test oracle: `pip install accord[oracle]` "
                        "in a venv of its own and point ACCORD_DECIDE_PYTHON at its python)")
        out = subprocess.run([python, str(ORACLE), str(path), str(rounds)], capture_output=True, text=True, check=True)
        return json.loads(out.stdout)
    sys.path.insert(0, str(ORACLE.parent))
    import decide_oracle

    return decide_oracle.run(str(path), rounds)


@pytest.mark.parametrize("name", ["copenhagen.csv", "cop21.csv"])
def test_exchange_reproduces_decide(shared_dir, name):
    path = shared_dir / "data/anchors/decide-exchange-model" / name
    ref = _oracle(path, 10)
    t = read_table(path)
    res = exchange.run(t, rounds=10)
    trades = exchange.trades(t, rounds=10)
    assert res.rounds == 10
    for r in range(11):  # the outcome of every round, on every issue
        assert res.outcome[r] == pytest.approx([ref["outcome"][r][i] for i in t.issues], abs=1e-9), r
    for r in range(1, 11):  # the same exchanges, in the same order, with the same votes and gains
        ours = [x for x in trades if x.round == r]
        theirs = ref["rounds"][r - 1]
        assert len(ours) == len(theirs), r
        for a, b in zip(ours, theirs):
            assert a.gain == pytest.approx(b["gain"], rel=1e-9)
            assert [(s.actor, s.moves_on) for s in a.sides] == [(s["actor"], s["moves_on"]) for s in b["sides"]]
            assert [s.to for s in a.sides] == pytest.approx([s["to"] for s in b["sides"]], abs=1e-9)
