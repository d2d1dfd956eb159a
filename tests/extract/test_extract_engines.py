"""The CLI, the scorer against the annotated set, and Ray Data giving the local engine's output."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.extract import Extractor
from accord.extract.score import keyword_predict, load_split, score

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


def test_txt_dated_by_its_first_line(tmp_path):
    from accord.cli.extract import read_document

    f = tmp_path / "b.txt"
    f.write_text("10 September 2025\nText.", encoding="utf-8")
    assert read_document(f, None)[1] == "2025-09-10"
    assert read_document(f, "2024-01-01")[1] == "2024-01-01"


def test_scorer_beats_the_keyword_baseline_on_dev():
    docs = load_split("dev")
    ex = Extractor()
    preds = {d["id"]: p for d, p in zip(docs, ex.extract_many([d["text"] for d in docs], [d["date"] for d in docs]))}
    ours = score(docs, lambda d: preds[d["id"]])
    base = score(docs, keyword_predict)
    assert ours["actor+issue"]["f1"] > base["actor+issue"]["f1"]
    assert ours["stance"]["f1"] > base["stance"]["f1"]
    assert ours["actor"]["precision"] >= 0.7


def test_ray_engine_matches_local():
    pytest.importorskip("ray.data")
    from accord.extract.ray_engine import analyse_with_ray

    dates = ["2025-09-10", "2025-01-20", None]
    local = Extractor().analyse_many(DOCS, dates)
    remote = analyse_with_ray(DOCS, dates, batch_size=2)
    assert remote == local
    assert remote[2]["flagged"] and not remote[0]["flagged"]
