"""SMP against KTAB's own runs (../shared/data/anchors/ktab/, skipped without it).

SOE-Pol-Comp: KTAB's smpc position and win-probability histories, state by state. dummyData
a040/a080/a160: the anchors keep only KTAB's step counts and timings (SOURCE.txt), so those files
check the step count, which depends on every state of the run through the stopping rule.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from accord.analysis import read_table, smp


def _ktab_histories(path):
    pos, prob = {}, {}
    for line in path.read_text().splitlines():
        m = re.match(r"(\w+), (\w+) Position:(.*)", line)
        if m:
            pos[(m[1], m[2])] = [float(v) for v in m[3].split()]
        m = re.match(r"(\w+), prob :(.*)", line)
        if m:
            prob[m[1]] = [float(v) for v in m[2].split()]
    return pos, prob


def test_smp_reproduces_ktab_soe_pol_comp_run(shared_dir):
    anchors = shared_dir / "data/anchors/ktab"
    t = read_table(anchors / "SOE-Pol-Comp.csv")
    pos, prob = _ktab_histories(anchors / "smpc_SOE-Pol-Comp_reference_histories.txt")
    res = smp.run(t.position / 100, t.capability, t.salience)
    states = len(pos[("XJ", "Policy")])
    assert res.steps == states - 1 == 27
    for step in range(states):
        ref = np.array([[pos[(a, d)][step] for d in ("Policy", "Competitive")] for a in t.actors])
        ref_p = np.array([prob[a][step] for a in t.actors])
        # KTAB prints positions to 0.1 and probabilities to 0.0001: agreement to the printed digit.
        assert np.abs(res.position_history[step] * 100 - ref).max() <= 0.05 + 1e-9, step
        assert np.abs(res.probability_history[step] - ref_p).max() <= 0.00005 + 1e-9, step
    final = np.array([[pos[(a, d)][-1] for d in ("Policy", "Competitive")] for a in t.actors])
    assert np.abs(res.positions * 100 - final).max() <= 3  # the bar, per actor


@pytest.mark.parametrize("name,steps", [("a040", 20), ("a080", 17), ("a160", 13)])
def test_smp_takes_ktabs_steps_on_dummy_data(shared_dir, name, steps):
    t = read_table(shared_dir / f"data/anchors/ktab/dummyData-{name}.csv")
    res = smp.run(t.position / 100, t.capability, t.salience, history=False)
    assert res.steps == steps  # KTAB smpc's step count, ktab/SOURCE.txt
    assert 0 <= res.forecast[0] <= 1
