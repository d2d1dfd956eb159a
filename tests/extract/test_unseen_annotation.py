"""The unseen held-out annotation (JCPOA 2013-2015) is consistent and lands on the texts in ../shared.

The annotation stores offsets only; the texts stay in ../shared/corpus/iran-nuclear-2015 (absent on a
user's clone), so the checks that need them skip with a message when the folder is missing.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import itertools
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "annotated" / "unseen" / "jcpoa-2013-2015.json"
CORPUS = ROOT.parent / "shared" / "corpus" / "iran-nuclear-2015"
HEADER = ("URL:", "Outlet:", "Title:", "Date:", "Retrieved:")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ITEM_KEYS = {"kind", "event_type", "actor", "speaker", "issue", "date", "reported_by", "position", "group",
             "start", "end"}

needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"texts of the unseen split not present ({CORPUS}); offsets not checked")


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def problems(data: dict) -> list[str]:
    """Everything wrong with the annotation's own structure (no text needed)."""
    out: list[str] = []
    actors, issues, groups = set(data["actors"]), set(data["issues"]), data["groups"]
    for d in data["documents"]:
        f = d["file"]
        spans = [tuple(s) for s in d["sentences"]]
        if spans != sorted(spans) or any(a >= b for a, b in spans):
            out.append(f"{f}: sentences not ordered or empty")
        if any(b1 > a2 for (_, b1), (a2, _) in itertools.pairwise(spans)):
            out.append(f"{f}: overlapping sentences")
        on = set(spans)
        for it in d["items"]:
            where = f"{f}:{it.get('start')}"
            if set(it) != ITEM_KEYS:
                out.append(f"{where}: keys {sorted(set(it) ^ ITEM_KEYS)}")
                continue
            if (it["start"], it["end"]) not in on:
                out.append(f"{where}: item not on a sentence")
            if it["actor"] is not None and it["actor"] not in actors:
                out.append(f"{where}: unknown actor {it['actor']}")
            if it["issue"] is not None and it["issue"] not in issues:
                out.append(f"{where}: unknown issue {it['issue']}")
            if it["group"] is not None and it["actor"] not in groups.get(it["group"], []):
                out.append(f"{where}: {it['actor']} not in group {it['group']}")
            if not DATE.match(it["date"] or ""):
                out.append(f"{where}: bad date {it['date']}")
            if it["position"] is not None and not (0 <= it["position"] <= 100 and it["issue"] is not None):
                out.append(f"{where}: position without issue or off the 0-100 scale")
        for ev in d["events"]:
            where = f"{f}:{ev['start']} event"
            if (ev["start"], ev["end"]) not in on:
                out.append(f"{where}: not on a sentence")
            if ev["event"] not in data["event_classes"] or not DATE.match(ev["date"]):
                out.append(f"{where}: class or date")
            if not ev["participants"] or not set(ev["participants"]) <= actors:
                out.append(f"{where}: participants {ev['participants']}")
    return out


def test_thirty_documents_and_a_consistent_annotation(data):
    assert len(data["documents"]) == 30 and len({d["file"] for d in data["documents"]}) == 30
    assert problems(data) == []


def test_the_checks_catch_a_broken_annotation(data):
    broken = copy.deepcopy(data)
    doc = broken["documents"][0]
    doc["items"][0]["actor"] = "UKR"
    doc["items"][1]["start"] += 1
    doc["items"][2]["position"] = 140
    found = problems(broken)
    assert len(found) == 3 and "unknown actor UKR" in found[0]


@needs_corpus
def test_provenance_matches_the_manifest(data):
    with open(CORPUS / "MANIFEST.csv", encoding="utf-8") as fh:
        manifest = {r["file"]: r for r in csv.DictReader(fh)}
    assert {d["file"] for d in data["documents"]} == set(manifest)
    for d in data["documents"]:
        row = manifest[d["file"]]
        for key in ("url", "outlet", "title", "date", "kind"):
            assert d[key] == row[key], (d["file"], key)


@needs_corpus
def test_sha256_and_offsets_land_on_the_sentences(data):
    for d in data["documents"]:
        raw = (CORPUS / d["file"]).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == d["sha256"], f"{d['file']} changed since it was annotated"
        text = raw.decode("utf-8")
        covered = bytearray(len(text))
        for a, b in d["sentences"]:
            sent = text[a:b]
            assert sent and sent.strip() == sent, (d["file"], a, b, sent)
            line_start = text.rfind("\n", 0, a) + 1
            assert not text[line_start:].startswith(HEADER), f"{d['file']}: a header line annotated"
            covered[a:b] = b"\x01" * (b - a)
        # every character after the header is in a sentence, except whitespace, bullets and list numbers
        body = len("\n".join(text.split("\n")[:5]))
        left = "".join(ch for i, ch in enumerate(text) if i > body and not covered[i])
        assert re.fullmatch(r"[\s\u2022*\-\d.]*", left), (d["file"], left[:200])
