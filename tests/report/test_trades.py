"""The briefing's "Who trades what" section (the exchange model's first round) on tiny synthetic cases."""

from __future__ import annotations

from pathlib import Path

from accord.analysis import analyze_case
from accord.case.models import Actor, Case, CaseMeta, Issue, Salience, Source, Statement
from accord.report import build_briefing, build_report

HOSTILE = "<b>League</b>"


def two_sides(issues: tuple[str, ...] = ("water", "border")) -> Case:
    """North cares most about water, South about border; they stand at opposite ends of both."""
    scales = {"water": {0: "all to the north", 100: "all to the south"},
              "border": {0: "northern line", 100: "southern line"}}
    sal = {("N", "water"): 90, ("N", "border"): 30, ("S", "water"): 30, ("S", "border"): 80}
    statements = [Statement(id=f"s-{a}-{i}", date="2025-01-10", actor=a, issue=i, role="ideal",
                            position=0 if a == "N" else 100, stance="REQUEST", source="src",
                            summary=f"{a} states its position on {i}.")
                  for a in ("N", "S") for i in issues]
    return Case(
        meta=CaseMeta(id="trade-test", title="Two sides", as_of="2025-02-01", parties=["N", "S"]),
        actors=[Actor(id="N", name="North", kind="state", capability=50, capability_reason="test"),
                Actor(id="S", name="South " + HOSTILE, kind="state", capability=50, capability_reason="test")],
        issues=[Issue(id=i, name=i.capitalize(), scale=scales[i]) for i in issues],
        sources=[Source(id="src", outlet="Wire", title="Positions", date="2025-01-10", url="https://wire.example/1",
                        reliability="B", credibility=2)],
        statements=statements,
        saliences=[Salience(actor=a, issue=i, salience=v, reason="test") for (a, i), v in sal.items() if i in issues],
    )


def test_opposite_interests_on_two_issues_make_a_trade(tmp_path: Path) -> None:
    case = two_sides()
    analysis = analyze_case(case, "2025-02-01", draws=0)
    assert analysis.trades, "North and South are at opposite ends of both issues with opposite priorities"
    first = analysis.trades[0]
    moves = {s.actor: s.moves_on for s in first.sides}
    assert moves == {"N": "border", "S": "water"}  # each gives ground on the issue it cares less about
    assert first.gain > 0
    section = build_briefing(case, analysis).trades
    assert section is not None and section["none"] is None
    text = section["rows"][0]["text"]
    assert "North would move on Border from 0 (northern line)" in text
    assert "Water from 100 (all to the south)" in text
    paths = build_report(case, analysis, tmp_path, pdf=False)
    html = paths.html.read_text(encoding="utf-8")
    part = html[html.index('<section id="trades">'):]
    part = part[:part.index("</section>")]
    assert "Stokman and Van Oosten 1994" in part and "North would move on Border" in part
    assert HOSTILE not in html and "South &lt;b&gt;League&lt;/b&gt;" in part
    md = paths.markdown.read_text(encoding="utf-8")
    assert "## Who trades what" in md and "1. North would move on Border" in md
    n = len(analysis.trades)
    assert f"The {n} exchange{'s' if n != 1 else ''} in the model's first round" in md


def test_a_single_issue_leaves_nothing_to_trade(tmp_path: Path) -> None:
    case = two_sides(("water",))
    analysis = analyze_case(case, "2025-02-01", draws=0)
    assert analysis.trades == []
    section = build_briefing(case, analysis).trades
    assert section is not None and section["rows"] == []
    assert section["none"] == ("No exchange is possible: trading needs at least two issues on which actors "
                               "hold positions.")
    md = build_report(case, analysis, tmp_path, pdf=False).markdown.read_text(encoding="utf-8")
    assert section["none"] in md


def test_without_an_analysis_the_section_is_not_computed() -> None:
    assert build_briefing(two_sides(), None, as_of="2025-02-01").trades is None
