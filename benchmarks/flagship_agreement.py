"""How close does extraction from the article alone come to the hand-built flagship matrix?

`python -m benchmarks.flagship_agreement [--case examples/russia-ukraine-2025] [--as-of DATE]`

1. Build an empty case holding only the flagship's actors and issues (no statements).
2. Extract from the article (`../shared/corpus/` beside the clone; skipped with a message if
   absent) with that case.
3. Turn positioned statements (role ideal/fallback) into evidence and derive the actor × issue
   matrix with the same `derive_positions` the analysis uses.
4. Compare with the matrix derived from the hand-built case: coverage (share of hand-built cells
   the extraction fills), agreement (share of shared cells within ±15 points), mean absolute
   difference, and cells the extraction adds that the hand-built case does not have.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT.parent / "shared" / "corpus" / "khar-2025-09-peace-negotiations.txt"


def _article_text() -> str | None:
    return ARTICLE.read_text(encoding="utf-8") if ARTICLE.exists() else None


def extracted_case(flagship, text: str, doc_date: str):
    """The empty case (actors + issues) filled with positioned statements extracted from text."""
    from accord.case.models import Case, Source, Statement
    from accord.extract import Extractor

    empty = Case(meta=flagship.meta, actors=flagship.actors, issues=flagship.issues)
    items = Extractor().extract(text, doc_date=doc_date, case=empty)
    principals = {a.id for a in flagship.actors}
    issues = {i.id for i in flagship.issues}
    statements = []
    for n, it in enumerate(items):
        if it.kind != "statement" or it.position is None or it.role not in ("ideal", "fallback"):
            continue
        if it.actor not in principals or it.issue not in issues:
            continue
        statements.append(Statement(
            id=f"x{n}", date=it.date or doc_date, actor=it.actor, issue=it.issue,
            stance=it.event_type or "SUPPORT", role=it.role, position=it.position,
            source="article", locator=f"{it.start}-{it.end}", summary=text[it.start:it.end][:200],
            confidence=it.confidence or 0.5))
    src = Source(id="article", outlet="article", date=doc_date)
    return Case(meta=flagship.meta, actors=flagship.actors, issues=flagship.issues, sources=[src],
                statements=statements), items


def agreement(hand, auto, tolerance: float = 15.0) -> dict:
    h = {(p.actor, p.issue): p.ideal for p in hand}
    a = {(p.actor, p.issue): p.ideal for p in auto}
    shared = sorted(set(h) & set(a))
    close = [k for k in shared if abs(h[k] - a[k]) <= tolerance]
    return {
        "hand_cells": len(h), "extracted_cells": len(a), "shared_cells": len(shared),
        "coverage": round(len(shared) / len(h), 3) if h else 0.0,
        "agreement_within_15": round(len(close) / len(shared), 3) if shared else 0.0,
        "agreement_of_hand_cells": round(len(close) / len(h), 3) if h else 0.0,
        "mean_abs_diff": round(sum(abs(h[k] - a[k]) for k in shared) / len(shared), 1) if shared else None,
        "cells": [{"actor": k[0], "issue": k[1], "hand": h.get(k), "extracted": a.get(k)}
                  for k in sorted(set(h) | set(a))],
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Agreement of the extracted flagship matrix with the hand-built one.")
    ap.add_argument("--case", default=str(ROOT / "examples" / "russia-ukraine-2025"))
    ap.add_argument("--as-of", default="2025-09-30")
    ap.add_argument("--doc-date", default="2025-09-12", help="the article's date (September 2025; day assumed)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    text = _article_text()
    if text is None:
        print(f"the article is not at {ARTICLE} (../shared/ is absent on a clone): skipped", file=sys.stderr)
        return 0
    from accord.case.folder import read_case
    from accord.positions import derive_positions

    flagship = read_case(args.case)
    auto_case, _ = extracted_case(flagship, text, args.doc_date)
    result = agreement(derive_positions(flagship, args.as_of), derive_positions(auto_case, args.as_of))
    result["extracted_statements"] = len(auto_case.statements)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"hand-built cells {result['hand_cells']}, extracted cells {result['extracted_cells']}, "
          f"shared {result['shared_cells']} (coverage {result['coverage']:.0%})")
    print(f"agreement within ±15 on shared cells: {result['agreement_within_15']:.0%}; "
          f"of all hand-built cells: {result['agreement_of_hand_cells']:.0%}; "
          f"mean |difference| {result['mean_abs_diff']}")
    for c in result["cells"]:
        print(f"  {c['actor']:6} {c['issue']:20} hand {c['hand'] if c['hand'] is not None else '-':>5}  "
              f"extracted {c['extracted'] if c['extracted'] is not None else '-':>5}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
