"""Positions as of a date: latest accepted statement, partial dates, fallbacks, pending ignored."""

from pathlib import Path

from accord.case.folder import read_case
from accord.positions import derive_positions, position_history

TINY = read_case(Path(__file__).parent / "data" / "tiny-case")


def cell(positions, actor, issue):
    return next(p for p in positions if p.actor == actor and p.issue == issue)


def test_position_moves_with_as_of():
    may = cell(derive_positions(TINY, "2025-06-30"), "AAA", "border")
    sep = cell(derive_positions(TINY, "2025-09-10"), "AAA", "border")
    assert (may.ideal, may.evidence) == (100, ["s1"])
    assert sep.ideal == 80 and sep.fallback == 70
    assert set(sep.evidence) == {"s2", "s3"}


def test_month_precision_counts_from_its_first_day():
    # s2 is dated 2025-08: in force from 2025-08-01, not before
    assert cell(derive_positions(TINY, "2025-07-31"), "AAA", "border").ideal == 100
    assert cell(derive_positions(TINY, "2025-08-01"), "AAA", "border").ideal == 80


def test_salience_and_capability_come_from_the_case():
    p = cell(derive_positions(TINY, "2025-09-10"), "BBB", "border")
    assert (p.salience, p.salience_assumed, p.capability) == (80, False, 40)
    assert p.fallback == 50


def test_pending_statements_do_not_count():
    assert not [p for p in derive_positions(TINY, "2025-09-10") if p.issue == "sanctions"]
    accepted = TINY.model_copy(update={"statements": [
        s.model_copy(update={"status": "accepted"}) if s.id == "s6" else s for s in TINY.statements]})
    p = cell(derive_positions(accepted, "2025-09-10"), "AAA", "sanctions")
    assert p.ideal == 100 and p.salience_assumed


def test_nothing_before_the_first_statement():
    assert derive_positions(TINY, "2025-01-01") == []


def test_history_is_dated_and_ordered():
    hist = position_history(TINY, "2025-09-10")[("AAA", "border")]
    assert [v for _, v, _ in hist] == [100, 80]


def test_overlapping_periods_are_conflicting_evidence_but_earlier_ones_are_history():
    from accord.case.models import Statement

    base = {"actor": "BBB", "issue": "sanctions", "stance": "REQUEST", "role": "ideal", "source": "wire-1",
            "summary": "x"}
    extra = [Statement(id="q1", date="2025-08-20", position=50, **base),
             Statement(id="q2", date="2025-09", position=10, **base),
             Statement(id="q3", date="2025-09-05", position=30, **base)]
    case = TINY.model_copy(update={"statements": TINY.statements + extra})
    p = cell(derive_positions(case, "2025-09-10"), "BBB", "sanctions")
    assert p.ideal == 20 and p.ideal_range == (10, 30)
    assert set(p.evidence) == {"q2", "q3"}
