"""The flagship briefing is a fixed point: refactors of the analysis contract must not change a word of it.

tests/report/fixtures/ holds the Markdown and HTML briefing of the flagship as of 2025-09-10
(300 Monte Carlo draws, seed 0), with the closed-form models only: the iterative models (eum,
smp, and any model registered later) have their own validation tests, and a change to one of
them is not a change of the briefing's code. A deliberate change of wording updates the fixture in its own
commit (run this module with ACCORD_UPDATE_GOLDEN=1) and says why. Only the generation date is
normalised, and the inline SVG charts are compared by their text labels: their geometry depends
on the font metrics of the machine, the labels on the data.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from accord.analysis import analyze_case
from accord.case.folder import read_case
from accord.report import build_report

FIXTURES = Path(__file__).with_name("fixtures")
AS_OF = "2025-09-10"
MODELS = ("compromise", "median", "nash")


def normalise(text: str) -> str:
    text = re.sub(r"(?i)(generated) \d{4}-\d{2}-\d{2}", r"\1 DATE", text)

    def svg_labels(m: re.Match) -> str:
        labels = [" ".join(t.split()) for t in re.findall(r"<text[^>]*>(.*?)</text>", m.group(0), re.DOTALL)]
        return "<svg>" + " | ".join(x for x in labels if x) + "</svg>"

    return re.sub(r"<svg\b.*?</svg>", svg_labels, text, flags=re.DOTALL)


def render(case_dir: Path, out: Path) -> dict[str, str]:
    case = read_case(case_dir)
    paths = build_report(case, analyze_case(case, AS_OF, draws=300, seed=0, models=MODELS), out, pdf=False)
    return {"md": normalise(paths.markdown.read_text(encoding="utf-8")),
            "html": normalise(paths.html.read_text(encoding="utf-8"))}


def test_flagship_briefing_unchanged(flagship_dir, tmp_path):
    got = render(flagship_dir, tmp_path)
    for kind, text in got.items():
        fixture = FIXTURES / f"flagship-{AS_OF}.{kind}"
        if os.environ.get("ACCORD_UPDATE_GOLDEN"):
            fixture.write_text(text, encoding="utf-8")
        want = fixture.read_text(encoding="utf-8")
        assert text == want, f"the flagship {kind} briefing changed; diff it against {fixture}"
