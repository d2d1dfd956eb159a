"""Honest uncertainty: thin issues are not forecast, old evidence is stale, ranges widen, pending is not fact."""

from __future__ import annotations

import pytest

from accord.analysis import analyze_case
from accord.analysis.analyze import STALE_WEIGHT, table_from_positions
from accord.case.models import Issue, Statement
from accord.positions import derive_positions
from accord.report import build_briefing


def _st(sid, date, actor, issue, role, position, status="accepted", summary=None):
    return Statement(id=sid, date=date, actor=actor, issue=issue, stance="REQUEST", role=role, position=position,
                     source="src1", summary=summary or f"{actor} on {issue}", status=status)


def _with(case, *statements, issues=()):
    return case.model_copy(update={"statements": case.statements + list(statements),
                                   "issues": case.issues + list(issues)})


def test_an_issue_held_by_one_actor_is_not_forecast_and_the_briefing_says_why(small_case):
    case = _with(small_case, _st("w1", "2025-05-01", "AAA", "water", "ideal", 20),
                 issues=[Issue(id="water", name="Water rights", scale={0: "A's way", 100: "B's way"})])
    r = analyze_case(case, draws=200)
    assert "water" in r.not_forecast and "only A has stated a position" in r.not_forecast["water"]
    assert all(r.forecast[m]["water"] is None for m in r.forecast)
    assert all(r.forecast_detail[m]["water"].error == r.not_forecast["water"] for m in r.forecast)
    assert "water" not in r.montecarlo.models["compromise"] and all(x.issue != "water" for x in r.risks)
    assert r.forecast["compromise"]["land"] is not None  # two or more actors: forecast as before
    b = build_briefing(case, r)
    assert {"name": "Water rights", "why": r.not_forecast["water"]} in b.forecast["not_forecast"]
    row = next(x for x in b.forecast["rows"] if x["issue"] == "water")
    assert row["default"] == "not forecast (see below)" and set(row["vals"]) == {"—"}


def test_old_evidence_is_stale_weighed_down_and_shown(small_case):
    # MED's latest word on land is from 2021: more than a year before the as-of date (2025-06-30).
    old = small_case.model_copy(update={"statements": [
        s.model_copy(update={"date": "2021-03-01"}) if s.id == "m5" else s for s in small_case.statements]})
    pos = {(p.actor, p.issue): p for p in derive_positions(old)}
    assert pos[("MED", "land")].stale and pos[("MED", "land")].evidence_date == "2021-03-01"
    assert not pos[("AAA", "land")].stale
    table, notes = table_from_positions(old, list(pos.values()))
    i, j = table.actors.index("MED"), table.issues.index("land")
    assert table.salience[i, j] == pytest.approx(0.5 * STALE_WEIGHT)
    assert any("older than 365 days" in n and "MED on land, 2021-03-01" in n for n in notes)
    b = build_briefing(old, analyze_case(old, draws=0))
    cell = next(c for row in b.matrix["rows"] if row["issue"] == "land" for c in row["cells"] if c and c["actor"] == "MED")
    assert cell["stale"] == "1 March 2021"
    # The horizon is the case's: with a longer one the same evidence is not stale.
    patient = old.model_copy(update={"meta": old.meta.model_copy(update={"stale_after_days": 2000})})
    assert not {(p.actor, p.issue): p for p in derive_positions(patient)}[("MED", "land")].stale


def test_monte_carlo_ranges_widen_with_thin_or_old_evidence(small_case):
    def band(case):
        return analyze_case(case, draws=2000, seed=1).montecarlo.models["compromise"]["land"]

    def width(b):
        return b.p95 - b.p5

    # MED holds land on one statement (thin); a second, agreeing statement makes the evidence firmer.
    firmer = _with(small_case, _st("m6", "2025-06-01", "MED", "land", "ideal", 50))
    stale = small_case.model_copy(update={"statements": [
        s.model_copy(update={"date": "2021-03-01"}) if s.id == "m5" else s for s in small_case.statements]})
    assert width(band(firmer)) < width(band(small_case)) < width(band(stale))


def test_a_position_no_reviewer_accepted_is_never_shown_as_fact(small_case):
    pending = _with(small_case, _st("x1", "2025-06-01", "MED", "land", "ideal", 97, status="pending",
                                    summary="Mediator reportedly demands everything"))
    assert {(p.actor, p.issue): p.ideal for p in derive_positions(pending)}[("MED", "land")] == 50
    r = analyze_case(pending, draws=0)
    assert all("x1" not in p.evidence for p in r.positions)
    b = build_briefing(pending, r)
    assert "x1" not in [e["id"] for e in b.evidence]
    text = " ".join(s.text for a in b.answers for s in a.sentences)
    assert "97" not in text and "demands everything" not in text
