"""A small two-party case built from the pydantic models, independent of the flagship."""

from __future__ import annotations

import pytest

from accord.case.models import Actor, Case, CaseMeta, Issue, Salience, Source, Statement


def _st(sid, date, actor, issue, role, position, conf=1.0):
    return Statement(id=sid, date=date, actor=actor, issue=issue, stance="REQUEST", role=role,
                     position=position, source="src1", summary=f"{actor} on {issue}", confidence=conf)


@pytest.fixture
def small_case() -> Case:
    scale = {0: "A's way", 50: "middle", 100: "B's way"}
    return Case(
        meta=CaseMeta(id="small", title="Small test case", as_of="2025-06-30", parties=["AAA", "BBB"]),
        actors=[
            Actor(id="AAA", name="A", kind="state", capability=60, capability_reason="test"),
            Actor(id="BBB", name="B", kind="state", capability=40, capability_reason="test"),
            Actor(id="MED", name="Mediator", kind="state", capability=20, capability_reason="test"),
        ],
        issues=[Issue(id="land", name="Land", scale=scale), Issue(id="money", name="Money", scale=scale)],
        sources=[Source(id="src1", outlet="Test Wire")],
        statements=[
            _st("s1", "2025-01-10", "AAA", "land", "ideal", 0), _st("s2", "2025-01-10", "AAA", "land", "fallback", 40),
            _st("s3", "2025-01-12", "BBB", "land", "ideal", 100), _st("s4", "2025-01-12", "BBB", "land", "fallback", 60),
            _st("s5", "2025-02-01", "AAA", "money", "ideal", 10), _st("s6", "2025-02-01", "AAA", "money", "fallback", 70),
            _st("s7", "2025-02-01", "BBB", "money", "ideal", 90), _st("s8", "2025-02-01", "BBB", "money", "fallback", 50),
            _st("m1", "2025-03-01", "MED", "money", "ideal", 50),
            _st("m2", "2025-04-01", "MED", "money", "ideal", 20),
            _st("m3", "2025-05-01", "MED", "money", "ideal", 80),
            _st("m4", "2025-06-01", "MED", "money", "ideal", 30),
            _st("m5", "2025-03-01", "MED", "land", "ideal", 50),
        ],
        saliences=[
            Salience(actor="AAA", issue="land", salience=90, reason="t"),
            Salience(actor="AAA", issue="money", salience=30, reason="t"),
            Salience(actor="BBB", issue="land", salience=40, reason="t"),
            Salience(actor="BBB", issue="money", salience=80, reason="t"),
            Salience(actor="MED", issue="land", salience=50, reason="t"),
            Salience(actor="MED", issue="money", salience=50, reason="t"),
        ],
    )
