"""The least concession separates gaps between stated limits from gaps where a limit is assumed."""

from __future__ import annotations

import pytest

from accord.analysis import analyze_case
from accord.case.models import Issue, Salience, Statement


def _with_unstated_issue(case, red_line_at=None):
    """The small case plus `terms`: AAA states ideal 0 and fallback 30, BBB only its ideal 100."""
    scale = {0: "A's way", 50: "middle", 100: "B's way"}
    st = [Statement(id="t1", date="2025-02-01", actor="AAA", issue="terms", stance="REQUEST", role="ideal",
                    position=0, source="src1", summary="AAA on terms"),
          Statement(id="t2", date="2025-02-01", actor="AAA", issue="terms", stance="CONCEDE", role="fallback",
                    position=30, source="src1", summary="AAA would accept 30"),
          Statement(id="t3", date="2025-02-01", actor="BBB", issue="terms", stance="REQUEST", role="ideal",
                    position=100, source="src1", summary="BBB on terms")]
    if red_line_at is not None:
        st.append(Statement(id="t4", date="2025-02-02", actor="AAA", issue="land", stance="REJECT", role="claim",
                            position=red_line_at, red_line=True, source="src1", summary="AAA's red line on land"))
    return case.model_copy(update={
        "issues": case.issues + [Issue(id="terms", name="Terms", scale=scale)],
        "statements": case.statements + st,
        "saliences": case.saliences + [Salience(actor="AAA", issue="terms", salience=30, reason="t"),
                                       Salience(actor="BBB", issue="terms", salience=70, reason="t")],
    })


def test_min_concession_splits_stated_and_assumed(small_case):
    s = analyze_case(_with_unstated_issue(small_case), draws=0).settlement.model_dump()
    mc = s["min_concession"]
    # land: AAA ≤ 40 vs BBB ≥ 60, both stated (20). terms: AAA ≤ 30 stated, BBB's 100 only its ideal (70).
    assert mc["total_points"] == pytest.approx(90)
    assert mc["stated"]["total_points"] == pytest.approx(20) and mc["stated"]["issues"] == ["land"]
    assert mc["assumed"]["total_points"] == pytest.approx(70) and mc["assumed"]["issues"] == ["terms"]
    assert mc["stated"]["total_points"] + mc["assumed"]["total_points"] == pytest.approx(mc["total_points"])
    assert s["blocking_stated"] == ["land"] and s["blocking_assumed"] == ["terms"]
    steps = {st["issue"]: st for st in mc["steps"]}
    assert steps["land"]["fallback_stated"] == {"AAA": True, "BBB": True} and steps["land"]["basis"] == "stated"
    assert steps["terms"]["fallback_stated"] == {"AAA": True, "BBB": False} and steps["terms"]["basis"] == "assumed"
    # AAA cares less about terms (30 vs 70): it closes that gap, from its fallback 30 up to BBB's 100.
    assert steps["terms"]["actor"] == "AAA" and steps["terms"]["to"] == pytest.approx(100)
    assert mc["assumed"]["by_actor"]["AAA"] == pytest.approx(70)


def test_red_line_labels_the_step_that_would_cross_it(small_case):
    # BBB closes the land gap (it cares less), so AAA's red line there is not crossed ...
    s = analyze_case(_with_unstated_issue(small_case, red_line_at=40), draws=0).settlement.model_dump()
    land = next(st for st in s["min_concession"]["steps"] if st["issue"] == "land")
    assert land["actor"] == "BBB" and land["red_line"] is None and land["crosses_red_line"] is False
    assert land["fallback_stated"] == {"AAA": True, "BBB": True}


def test_step_past_the_movers_red_line_is_flagged():
    from accord.analysis import bargaining
    from accord.analysis.table import Table

    t = Table(["AAA", "BBB"], ["x"], [50, 50], [[0], [100]], [[0.3], [0.9]])
    s = bargaining.settlement(t, "AAA", "BBB", red_lines={("AAA", "x"): 50, ("BBB", "x"): 100}).model_dump()
    (step,) = s["min_concession"]["steps"]
    assert step["actor"] == "AAA" and step["to"] == pytest.approx(100)
    assert step["red_line"] == 50 and step["crosses_red_line"] is True
    # BBB's red line at its ideal states its limit; AAA's (away from its ideal) only bounds it.
    assert step["fallback_stated"] == {"AAA": False, "BBB": True} and step["basis"] == "assumed"
    assert s["min_concession"]["assumed"]["total_points"] == pytest.approx(100)
    assert s["min_concession"]["stated"]["total_points"] == 0
