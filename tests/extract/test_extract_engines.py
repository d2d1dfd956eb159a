"""The CLI, the scorer against the annotated set, and Ray Data giving the local engine's output."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.extract import Extractor, as_dict
from accord.training.score import article_docs, flagship_case, keyword_predict, load_split, score

DOCS = [
    "Ukrainian Foreign Minister Andrii Sybiha said on Monday that Kyiv would never recognise the annexation of Crimea.",
    "Hamas released three hostages on Sunday, and Israel freed 90 Palestinian prisoners.",
    "Президент заявил, что Россия не примет никаких условий мирного соглашения с Украиной.",
]


def test_cli_extract_jsonl(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(DOCS[0], encoding="utf-8")
    res = CliRunner().invoke(app, ["extract", str(f), "--format", "jsonl", "--date", "2025-09-10"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    text = f.read_text(encoding="utf-8")
    st = [r for r in rows if r["kind"] == "statement"]
    assert st and st[0]["actor"] == "UKR" and st[0]["issue"] == "crimea" and st[0]["date"] == "2025-09-08"
    assert text[st[0]["start"]:st[0]["end"]].startswith("Ukrainian Foreign Minister")


def test_txt_dated_by_its_first_line_and_broken_files_skipped(tmp_path):
    from typer.testing import CliRunner

    from accord.cli.main import app

    f = tmp_path / "b.txt"
    f.write_text("10 September 2025\nRussian forces attacked Kharkiv.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01binary")
    runner = CliRunner()

    def dates(*args):
        res = runner.invoke(app, ["extract", *args, "--format", "jsonl"])
        assert res.exit_code == 0, res.output
        return res, [json.loads(line)["date"] for line in res.stdout.splitlines()]

    res, found = dates(str(tmp_path / "empty.txt"), str(tmp_path / "bin.txt"), str(f))
    assert found and set(found) == {"2025-09-10"}
    assert "empty.txt: empty document" in res.stderr  # what readers do with binary bytes: tests/ingest
    undated = tmp_path / "c.txt"
    undated.write_text("Russian forces attacked Kharkiv.\n", encoding="utf-8")
    assert set(dates(str(undated), "--date", "2024-01-01")[1]) == {"2024-01-01"}


def test_scorer_beats_the_keyword_baseline_on_dev():
    docs = load_split("dev")
    ex = Extractor()
    preds = {d["id"]: p for d, p in zip(docs, ex.extract_many([d["text"] for d in docs], [d["date"] for d in docs]))}
    ours = score(docs, lambda d: preds[d["id"]])
    base = score(docs, keyword_predict)
    assert ours["actor+issue"]["f1"] > base["actor+issue"]["f1"]
    assert ours["stance"]["f1"] > base["stance"]["f1"]
    assert ours["actor"]["precision"] >= 0.7


def test_the_article_annotation_joins_its_text_and_beats_keywords(shared_dir):
    docs = article_docs(shared_dir / "corpus")
    assert len(docs) == 1, "the annotation's SHA-256 no longer matches the article"
    doc = docs[0]
    spans = doc["sentences"]
    assert all(s < e for s, e in spans) and all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:]))
    assert {(it["start"], it["end"]) for it in doc["items"]} <= {tuple(s) for s in spans}
    preds = Extractor().extract(doc["text"], doc_date=doc["date"], case=flagship_case())
    ours, base = score(docs, lambda d: preds), score(docs, keyword_predict)
    assert ours["actor+issue"]["f1"] > base["actor+issue"]["f1"]
    assert ours["actor+issue"]["precision"] > base["actor+issue"]["precision"]


def test_an_edited_article_is_not_scored_against_stale_offsets(shared_dir, tmp_path):
    src = next((shared_dir / "corpus").glob("khar-2025-09*.txt"))
    (tmp_path / src.name).write_text(src.read_text(encoding="utf-8") + "\nA line added later.\n", encoding="utf-8")
    assert article_docs(tmp_path) == []
    assert article_docs(tmp_path / "absent") == []


def test_ray_engine_matches_local():
    pytest.importorskip("ray.data")
    from accord.ingest.engines import analyse_with_ray

    dates = ["2025-09-10", "2025-01-20", None]
    local = Extractor().analyse_many(DOCS, dates)
    try:
        remote = analyse_with_ray(DOCS, dates, batch_size=2)
    finally:
        import ray

        ray.shutdown()  # leave no instance behind for the next test in this worker
    assert remote == [{**r, "items": [as_dict(i) for i in r["items"]]} for r in local]
    assert remote[2]["flagged"] and not remote[0]["flagged"]


def test_a_dateline_does_not_hide_the_sentence_s_own_date():
    text = "2024-03-01\nKenyan police fired tear gas at protesters in Nairobi on Tuesday.\n"
    items = Extractor().extract(text, doc_date="2024-03-01")
    assert items and items[0].date == "2024-02-27"
    assert text[items[0].start:items[0].end].strip().endswith("on Tuesday.")
