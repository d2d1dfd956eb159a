"""The unseen held-out annotation (JCPOA 2013-2015) is consistent and lands on the texts in ../shared.

The annotation stores offsets only; the texts stay in ../shared/corpus/iran-nuclear-2015 (absent on a
user's clone), so the checks that need them skip with a message when the folder is missing.
"""

from __future__ import annotations

import csv
import hashlib
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


def test_all_thirty_documents_and_every_item_on_a_sentence(data):
    docs = data["documents"]
    assert len(docs) == 30 and len({d["file"] for d in docs}) == 30
    actors, issues = set(data["actors"]), set(data["issues"])
    for d in docs:
        spans = [tuple(s) for s in d["sentences"]]
        assert spans == sorted(spans) and all(a < b for a, b in spans), d["file"]
        assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:])), f"{d['file']}: overlapping sentences"
        on = set(spans)
        for it in d["items"]:
            assert set(it) == ITEM_KEYS, (d["file"], it)
            assert (it["start"], it["end"]) in on, (d["file"], it)
            assert it["actor"] is None or it["actor"] in actors, (d["file"], it)
            assert it["issue"] is None or it["issue"] in issues, (d["file"], it)
            assert it["group"] is None or it["actor"] in data["groups"][it["group"]], (d["file"], it)
            assert DATE.match(it["date"]), (d["file"], it)
            assert it["position"] is None or (0 <= it["position"] <= 100 and it["issue"] is not None), it
            assert it["kind"] in {"statement", "event"}
        for ev in d["events"]:
            assert (ev["start"], ev["end"]) in on, (d["file"], ev)
            assert ev["event"] in data["event_classes"] and DATE.match(ev["date"]), ev
            assert ev["participants"] and set(ev["participants"]) <= actors, ev


def test_a_wrong_actor_would_be_caught(data):
    # the checks above can fail: an unknown actor id is not in the case's actor list
    assert "UKR" not in data["actors"] and "P5+1" not in data["actors"]


@needs_corpus
def test_provenance_matches_the_manifest(data):
    with open(CORPUS / "MANIFEST.csv", encoding="utf-8") as fh:
        manifest = {r["file"]: r for r in csv.DictReader(fh)}
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
            assert sent.strip() == sent and sent, (d["file"], a, b, sent)
            line_start = text.rfind("\n", 0, a) + 1
            assert not text[line_start:].startswith(HEADER), f"{d['file']}: a header line annotated"
            covered[a:b] = b"\x01" * (b - a)
        # every character after the header is in a sentence, except whitespace, bullets and list numbers
        body = len("\n".join(text.split("\n")[:5]))
        left = "".join(ch for i, ch in enumerate(text) if i > body and not covered[i])
        assert re.fullmatch(r"[\s\u2022*\-\d.]*", left), (d["file"], left[:200])
