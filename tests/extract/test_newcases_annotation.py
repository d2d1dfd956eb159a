"""The new-case annotations (data/annotated/newcases/*: a case folder of actors and issues and texts
coded with its ids) are valid cases, parse, name only their own ids, and are built (texts.jsonl is
what `accord extract score --split newcases` reads)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from accord.case.folder import read_case

ROOT = Path(__file__).resolve().parents[2]
NEWCASES = sorted(p.parent for p in (ROOT / "data" / "annotated" / "newcases").glob("*/texts.txt"))
PLOVER = {"AGREE", "REQUEST", "REJECT", "SUPPORT", "DISAPPROVE", "ACCUSE", "THREATEN", "CONCEDE", "CONSULT",
          "COOPERATE", "AID", "RETREAT", "SANCTION", "MOBILIZE", "ASSAULT", "FIGHT", "PROTEST", "COERCE",
          "INVESTIGATE", "MEDIATE"}


def parse(path: Path) -> list[dict]:
    sys.path.insert(0, str(ROOT / "data" / "annotated"))
    try:
        import build
    finally:
        sys.path.pop(0)
    return build.parse(path)


def test_there_are_new_cases():
    assert len(NEWCASES) >= 2


@pytest.mark.parametrize("folder", NEWCASES, ids=lambda p: p.name)
def test_a_new_case_is_valid_and_its_texts_use_its_ids(folder):
    case = read_case(folder)
    assert not [a for a in case.actors if a.kind.value == "person" and not a.speaks_for]
    actors, issues = {a.id for a in case.actors}, {i.id for i in case.issues}
    docs = parse(folder / "texts.txt")
    items = [it for d in docs for it in d["items"]]
    assert len(docs) >= 10 and len(items) >= 150
    assert {it["actor"] for it in items} - {None} <= actors
    assert {it["issue"] for it in items} - {None} <= issues
    assert {it["event_type"] for it in items} - {None} <= PLOVER
    built = [json.loads(line) for line in (folder / "texts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert built == docs, "texts.jsonl is stale: run python data/annotated/build.py"
    assert (folder / "README.md").is_file()
