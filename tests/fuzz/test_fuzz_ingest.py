"""Fuzzing ingest: damaged documents and a misbehaving extractor, on both stores.

Documents are text, Markdown, HTML or JSON lines, clean or with NULs, invalid UTF-8, UTF-16, huge
lines, truncation or nothing at all. The extractor is a stand-in (the real one is slow and has its
own tests) that returns what an extractor might: items with spans past the text, unknown actors,
inf and nan, impossible dates, strings with NULs. For every run:
* `ingest` returns a report (a broken document is a reported problem, not an exception);
* the report and the stored documents, candidates and records are the same on both stores;
* a second run over the same files changes nothing (resume);
* with auto-accept, the case still exports as a folder `case validate` accepts.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from fuzz_helpers import dump, new_case_id, verdict
from fuzz_strategies import documents
from hypothesis import given, note
from hypothesis import strategies as st
from web_helpers import TINY

from accord.case.folder import CaseError, read_case, write_case
from accord.ingest import ingest

TINY_CASE = read_case(TINY)

odd_numbers = st.sampled_from([None, 0, 0.5, 1, 50, -1, 101, 2**63, math.nan, math.inf, -math.inf, "50", "x"])


@st.composite
def extractor_items(draw) -> list[dict]:
    """What the stand-in extractor returns for a document (the text's slices are added at run time)."""
    items = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["statement", "statement", "event", "figure", "contradiction"]))
        item = {"kind": kind, "confidence": draw(st.one_of(st.floats(0, 1), odd_numbers)),
                "date": draw(st.sampled_from([None, "2025-09-01", "2025-09", "2025-02-30", "yesterday", "\x00"])),
                "span": draw(st.sampled_from(["ok", "ok", "past", "negative", "huge", "reversed", "none"]))}
        if kind in ("statement", "event"):
            item["actor"] = draw(st.sampled_from(["AAA", "Aland", "aland", "BBB", "aa-leader", "President Lind",
                                                  "RUS", "Nobody", "\x00", "x" * 300, "<slice>"]))
            item["event_type"] = draw(st.sampled_from(["REQUEST", "request", "CONCEDE", "BOGUS", None]))
        if kind == "statement":
            item["issue"] = draw(st.sampled_from(["border", "Border", None, "nowhere", "<slice>"]))
            item["position"] = draw(odd_numbers)
            item["speaker"] = draw(st.sampled_from([None, "aa-leader", "Ada Lind", "Nobody"]))
        if kind == "figure":
            item.update(quantity=draw(st.sampled_from(["occupied_share", "", None])), value=draw(odd_numbers),
                        unit=draw(st.sampled_from(["percent", None, "\x00"])))
        if kind == "contradiction":
            item["items"] = draw(st.lists(st.one_of(st.integers(-1, 5), st.just("k1")), max_size=3))
            item["why"] = draw(st.sampled_from(["two figures", "", "\x00"]))
        items.append(item)
    return items


def stand_in(plan: list[dict]):
    """An extractor returning `plan`, with spans and quotes cut from the text it is given."""
    def extract(text: str, *, doc_date=None, case=None) -> list[dict]:
        out = []
        n = len(text)
        for item in plan:
            item = dict(item)
            span = item.pop("span")
            start, end = {"ok": (0, min(n, 40)), "past": (n + 5, n + 50), "negative": (-5, 3),
                          "huge": (2**40, 2**63 + 1), "reversed": (min(n, 40), 0), "none": (None, None)}[span]
            item.update(start=start, end=end)
            if isinstance(start, int) and 0 <= start <= n and end is not None and start < end:
                item["quote"] = text[start:end]
            for k, v in item.items():
                if v == "<slice>":
                    item[k] = text[:30]
            out.append({k: v for k, v in item.items() if v is not None})
        return out
    return extract


@given(docs=st.lists(documents(), min_size=1, max_size=3), plan=extractor_items(),
       auto=st.sampled_from([None, None, 0.0, 0.5]))
def test_ingest_documents(stores, docs, plan, auto):
    cid = new_case_id("ing")
    case = TINY_CASE.model_copy(update={"meta": TINY_CASE.meta.model_copy(update={"id": cid})})
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        for i, (name, data) in enumerate(docs):
            (folder / f"{i}-{name}").write_bytes(data)
        note(f"files: {[(f'{i}-{n}', d[:200], len(d)) for i, (n, d) in enumerate(docs)]}")
        reports = {}
        for name, store in stores.items():
            store.save_case(case)
            v = verdict(lambda: ingest([folder], cid, store, extractor=stand_in(plan), auto_accept=auto).as_dict())
            assert v[0] == "ok", f"{name}: ingest refused the whole run: {v}"
            reports[name] = v[1]
            # A second run over the same files: everything is already there, nothing changes.
            before = dump(store, cid)
            again = ingest([folder], cid, store, extractor=stand_in(plan), auto_accept=auto)
            assert again.stored == 0 and again.candidates == 0, f"{name}: the rerun stored again: {again.as_dict()}"
            after = dump(store, cid)
            before.pop("audit_log"), after.pop("audit_log")
            assert after == before, f"{name}: rerunning ingest changed the store"
            with tempfile.TemporaryDirectory() as out:
                write_case(store.load_case(cid), Path(out) / "x")
                exported = verdict(lambda: read_case(Path(out) / "x"), (CaseError,))
                assert exported[0] == "ok", f"{name}: after ingest the case exports as an invalid folder: {exported[2]:.3000}"
        assert reports["sqlite"] == reports["postgresql"], \
            f"the stores report differently:\n  sqlite: {reports['sqlite']}\n  postgresql: {reports['postgresql']}"
        stores.assert_same_content(cid)
