"""Long documents: split at paragraphs before spaCy, offsets kept on the whole text."""

from __future__ import annotations

import itertools
import re

import ingest_fakes
import pytest
from test_ingest import small_case

from accord.ingest import ingest
from accord.ingest.chunking import as_dicts, chunked, chunked_batch, spans
from accord.store import Store

PARA = ("Kyiv rejected neutrality and said NATO membership remains its goal. Russian forces occupy about "
        "19 percent of Ukraine. Moscow said it would never accept NATO troops in Ukraine.")


def long_text(paragraphs: int) -> str:
    return "2025-09-01\n" + "\n\n".join(f"{PARA} Round {i} ended." for i in range(paragraphs)) + "\n"


def test_spans_cover_the_text_and_cut_between_paragraphs():
    text = long_text(300)
    cuts = spans(text, 5_000)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(cuts))
    assert all(e - s <= 5_000 for s, e in cuts) and len(cuts) > 5
    assert all(text[:s].endswith("\n\n") for s, _ in cuts[1:])
    # no paragraph break at all: cut after a sentence, never inside a word
    flat = " ".join([PARA] * 200)
    assert all(flat[s - 2:s] == ". " for s, _ in spans(flat, 3_000)[1:])


def test_chunked_items_sit_on_the_whole_text():
    text = long_text(200)
    whole = ingest_fakes.extract(text, doc_date=None)
    parts = chunked(ingest_fakes.extract, 4_000)(text, doc_date=None)
    batch = chunked_batch(lambda ts, ds, case=None: [ingest_fakes.extract(t, doc_date=d) for t, d in zip(ts, ds)],
                          4_000)([text, PARA], [None, None])
    assert batch[0] == parts and batch[1] == ingest_fakes.extract(PARA, doc_date=None)
    key = lambda items: sorted((i["kind"], i["start"], i["end"]) for i in items if i["kind"] != "contradiction")
    assert key(parts) == key(whole) and len(parts) > 500
    for i in parts:
        assert text[i["start"]:i["end"]].strip()[-1] in ".!?"


def test_a_text_past_spacy_s_limit_is_ingested(db_url, tmp_path):
    """Issue 10 item 6 / issue 11 item 10: 1.2 million characters, through a real spaCy tokenizer
    that refuses more than its max_length (1,000,000), stored whole with spans on its text."""
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")

    def extract(text, *, doc_date=None, case=None):
        doc = nlp(text)  # E088 past nlp.max_length, as accord's pipeline would
        return [{"kind": "figure", "start": t.idx, "end": t.idx + len(t), "quantity": "share", "value": float(t.text),
                 "unit": "percent", "date": doc_date} for t in doc if t.like_num and t.text.isdigit()]

    text = long_text(7_000)
    assert len(text) > nlp.max_length
    with pytest.raises(ValueError, match="E088"):
        extract(text)
    s = Store(db_url)
    s.save_case(small_case())
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    rep = ingest([tmp_path / "long.txt"], "talks", s, extractor=extract)
    assert (rep.extracted, rep.failed) == (1, 0)
    cands = s.candidates("talks")
    doc = s.document("talks", cands[0].document_id)
    assert len(doc.text) == len(text)
    assert len(cands) == len(re.findall(r"\b\d+\b", text))
    assert all(doc.text[c.start:c.end].isdigit() for c in cands)
    s.engine.dispose()


def test_accord_s_extractor_finds_the_same_spans_chunk_by_chunk():
    """With the real extractor, cutting between paragraphs changes only what a chunk cannot
    see of its neighbours: nearly every span is the one the whole text gives."""
    from accord.extract import extract_document
    from benchmarks.bench_ingest import synthetic_article

    text = "\n\n".join(synthetic_article(i).split("\n", 1)[1] for i in range(60))
    whole = {(i["start"], i["end"], i["kind"]) for i in as_dicts(extract_document(text))}
    parts = {(i["start"], i["end"], i["kind"]) for i in chunked(extract_document, 6_000)(text)}
    assert len(spans(text, 6_000)) >= 4 and len(whole) > 100
    assert len(whole & parts) >= 0.9 * max(len(whole), len(parts))
