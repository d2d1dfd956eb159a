"""Positions only where the text supports them: the hand-written cases in placement_cases.tsv.

An inverted placement (more than half the scale away from the expected point) and a position the
text does not support both fail; every row is checked through the case path the extractor uses
(IssueMatcher.position, which also keeps rejections of an anchor unplaced)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.case.models import Case, CaseMeta, Issue
from accord.extract.issues import IssueMatcher
from accord.extract.placement import place

CASES = Path(__file__).with_name("placement_cases.tsv")


def _rows():
    for n, line in enumerate(CASES.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.startswith("#"):
            scale, ptype, sentence, expected = line.split("\t")
            anchors = {int(k): v for k, v in (a.split("=", 1) for a in scale.split(";"))}
            yield pytest.param(anchors, None if ptype == "-" else ptype, sentence,
                               None if expected == "none" else float(expected), id=f"line{n}")


def _case(scale) -> Case:
    return Case(meta=CaseMeta(id="x", title="a negotiation"),
                issues=[Issue(id="x_issue", name="the issue", scale=scale)])


@pytest.mark.parametrize("scale,ptype,sentence,expected", list(_rows()))
def test_placement(scale, ptype, sentence, expected):
    got, _role = IssueMatcher(_case(scale)).position("x_issue", sentence, ptype)
    if expected is None:
        assert got is None, f"placed at {got} where the text supports no position: {sentence!r}"
    else:
        assert got is not None and abs(got - expected) < 50, f"inverted or missing: {got} for {expected}: {sentence!r}"
        assert got == expected


def test_the_set_has_negated_and_inverted_phrasings():
    rows = list(_rows())
    assert len(rows) >= 20
    assert sum(r.values[3] is None for r in rows) >= 8  # negated, rejected or unsupported
    assert {r.values[3] for r in rows} >= {0.0, 100.0}


def test_shared_words_of_the_anchors_do_not_place():
    # "Minsk Group" names the issue on both anchors: it says nothing about where
    assert place({0: "Minsk Group kept", 100: "Minsk Group dissolved"}, "The Minsk Group met.")[0] is None
