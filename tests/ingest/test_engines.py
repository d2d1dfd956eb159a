"""The execution engines (accord/ingest/engines.py): one interface, the same results, one Ray path."""

from __future__ import annotations

import ingest_fakes
import pytest

from accord.extract.lang import detect_language
from accord.ingest import engines

DOCS = [("Kyiv said NATO membership remains its goal.", "2025-09-01"),
        ("BOOM: this document breaks the extractor.", None),
        ("Moscow would never accept neutrality talks.", "2025-09-02")]


def _results(engine) -> list:
    futs = [engine.submit(t, d) for t, d in DOCS]
    out = []
    for f in futs:
        try:
            out.append(f.result())
        except ValueError as exc:
            out.append(str(exc))
    engine.close()
    return out


def _batch(texts, dates, *, case=None):
    if any("BOOM" in t for t in texts):
        raise ValueError("a bad document in the batch")
    return [ingest_fakes.extract(t, doc_date=d, case=case) for t, d in zip(texts, dates)]


def test_local_engines_agree_and_isolate_the_bad_document():
    fn = ingest_fakes.extract
    expected = [fn(DOCS[0][0], doc_date=DOCS[0][1]), "extractor bug", fn(DOCS[2][0], doc_date=DOCS[2][1])]
    assert expected[0] and expected[2]
    kinds = {}
    for workers, batch_fn in ((1, None), (1, _batch), (2, None)):
        eng = engines.make_engine("local", fn, None, workers=workers, batch_fn=batch_fn, batch=8)
        kinds[type(eng).__name__] = _results(eng)
    assert set(kinds) == {"InProcess", "Batched", "Processes"}
    assert all(v == expected for v in kinds.values()), kinds


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown engine"):
        engines.make_engine("spark", ingest_fakes.extract, None)


def test_the_one_ray_path_honours_ray_address(monkeypatch):
    ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'accord[ray]'")
    calls = []
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", lambda **kw: calls.append(kw))
    monkeypatch.setenv("RAY_ADDRESS", "10.0.0.7:6379")
    engines.ensure_ray()
    monkeypatch.delenv("RAY_ADDRESS")
    engines.ensure_ray()
    assert calls[0]["address"] == "10.0.0.7:6379"
    assert "address" not in calls[1]
    # the ingest engine goes through the same function
    engines.Ray(ingest_fakes.extract, None)
    assert len(calls) == 3 and "address" not in calls[2]


def test_one_language_detector_with_the_declared_language_for_short_text():
    assert detect_language("Ja.", "de")[0] == "de"
    assert detect_language("Ja.")[0] == "und"
    # a name-heavy English sentence the bare character model calls something else stays English
    assert detect_language("Chinese President Xi Jinping met Brazilian President Lula in Beijing.")[0] == "en"
