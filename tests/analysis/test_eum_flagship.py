"""EUM on few-actor issues: the outcome stays within the positions and does not hand the issue to
the weaker side (the two-actor inversion documented in accord/analysis/eum.py, §5 Risk)."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis import eum
from accord.analysis.simple import weighted_median


@pytest.mark.parametrize("strong_at", [0.0, 100.0])
@pytest.mark.parametrize("c, s", [
    ((80, 45), (0.55, 0.50)),   # the flagship's language issue
    ((80, 45), (0.45, 0.55)),   # church
    ((80, 60), (0.70, 0.60)),   # army_limits (Russia stronger)
    ((60, 45), (85, 90)),       # security_guarantees, salience on 0–100
    ((51, 50), (0.5, 0.5)),     # nearly equal
])
def test_two_actors_at_the_extremes_move_toward_the_stronger(strong_at, c, s):
    x = np.array([strong_at, 100.0 - strong_at])  # actor 0 is the stronger (larger c × s)
    c, s = np.array(c, float), np.array(s, float)
    assert c[0] * s[0] > c[1] * s[1]
    res = eum.run(x, c, s)
    assert 0.0 <= res.median <= 100.0
    median = float(weighted_median(x, c, s / 100 if s.max() > 1 else s))
    # toward the stronger actor: no further from it than the weighted median (here its own position)
    assert abs(res.median - strong_at) <= abs(median - strong_at) + 1e-9
    assert res.median == pytest.approx(strong_at)


def test_two_actor_interior_positions_stay_in_range():
    x, c, s = np.array([10.0, 0.0]), np.array([60.0, 45.0]), np.array([0.85, 0.9])
    res = eum.run(x, c, s, R=100.0)  # on the 0–100 scale, not the span of the two positions
    assert 0.0 <= res.median <= 10.0
    assert res.median == pytest.approx(10.0)  # the stronger actor's position, the weighted median


def _flagship(flagship_dir):
    from accord.analysis.analyze import table_from_positions
    from accord.analysis.forecast import forecast_table
    from accord.case.folder import read_case
    from accord.positions import derive_positions, parse_as_of

    case = read_case(flagship_dir)
    table, _ = table_from_positions(case, derive_positions(case, parse_as_of("2025-09-10", case)))
    return table, forecast_table(table, "eum")


def test_flagship_eum_within_positions(flagship_dir):
    table, out = _flagship(flagship_dir)
    for j, issue in enumerate(table.issues):
        _, c, x, s = table.issue_view(j)
        assert x.min() - 1e-9 <= out[issue]["value"] <= x.max() + 1e-9, issue


@pytest.mark.parametrize("issue", ["language", "church", "army_limits", "security_guarantees", "crimea", "nato"])
def test_flagship_eum_not_at_the_weaker_extreme(flagship_dir, issue):
    table, out = _flagship(flagship_dir)
    j = table.issues.index(issue)
    _, c, x, s = table.issue_view(j)
    med = float(weighted_median(x, c, s))
    lo, hi = x.min(), x.max()
    assert med in (lo, hi)
    weak_end = hi if med == lo else lo
    assert out[issue]["value"] != pytest.approx(weak_end), f"{issue}: eum {out[issue]['value']}, median {med}"


def test_flagship_military_aid_low_salience_usa_capitulates(flagship_dir):
    """The mechanism documented in accord/analysis/eum.py ("Low salience invites capitulation"):
    the USA (100, salience 0.5) loses a conflict with Europe (0) in both sides' views, moves to 0
    in round 1 and the median follows; at salience 0.6 it holds and the forecast stays at 100."""
    table, out = _flagship(flagship_dir)
    j = table.issues.index("military_aid")
    idx, c, x, s = table.issue_view(j)
    names = [table.actors[i] for i in idx]
    eur, usa = names.index("EUR"), names.index("USA")
    assert (x[eur], x[usa], s[usa]) == (0.0, 100.0, 0.5)
    R = float(np.ptp(x))
    mu = float(weighted_median(x, c, s))
    P = eum._prob_success(x, c * s, R)
    r = eum._risk(x, s, P, mu, R)
    eu = eum._expected_utility(x, s, P, r, mu, R)  # eu[i, j]: i challenging j, i's exponent
    seen = eum._expected_utility(x, s, P, r, mu, R, rr=np.broadcast_to(r[None, :], eu.shape))  # [j, i] with r_i
    assert P[eur, usa] < 0.5  # Europe's side has fewer votes…
    assert eu[eur, usa] > seen[usa, eur] > 0  # …yet in its view it wins the conflict
    assert seen[eur, usa] > eu[usa, eur] > 0  # and the USA's own view agrees
    res = eum.run(x, c, s)
    assert res.medians[0] == 100.0 and res.positions[1][usa] == 0.0
    assert out["military_aid"]["value"] == pytest.approx(0.0)
    firmer = s.copy()
    firmer[usa] = 0.6
    assert eum.run(x, c, firmer).median == pytest.approx(100.0)
