"""The stage boundary: typed items, people as data, and the extract train|score commands."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from accord.cli.main import app
from accord.extract import Contradiction, Event, Figure, Statement, as_dict, extract_document, gazetteer
from accord.extract.items import to_item


def test_extract_document_returns_one_model_per_kind():
    text = ("Russian Foreign Minister Sergei Lavrov said Moscow rejected the ceasefire proposal. "
            "Russian forces attacked Kharkiv on Monday. Russia launched 805 drones; officials said 85 drones.")
    items = extract_document(text, doc_date="2025-09-10")
    kinds = {type(i) for i in items}
    assert Statement in kinds and Event in kinds and Figure in kinds, items
    for it in items:
        assert as_dict(it)["kind"] == it.kind
        assert type(it).model_validate(it.model_dump()) == it  # the candidate JSON round-trips


def test_an_unknown_field_is_an_error_not_a_silent_loss():
    base = {"kind": "statement", "start": 0, "end": 5}
    assert to_item({**base, "quantity": None}) == Statement(start=0, end=5)  # empty: not this kind's
    with pytest.raises(ValidationError):
        to_item({**base, "stance_note": "kept?"})
    with pytest.raises(ValidationError):
        to_item({"kind": "contradiction", "start": 0, "end": 1})  # a contradiction says why
    assert to_item({"kind": "contradiction", "start": 0, "end": 1, "why": "x"}) == Contradiction(start=0, end=1, why="x")


def test_named_people_come_from_the_data_file(tmp_path, monkeypatch):
    assert gazetteer.known_persons()["Trump"] == "USA"
    assert "Trump" not in gazetteer.__dict__.get("KNOWN_PERSONS", {})  # not a table in code
    bad = tmp_path / "persons.csv"
    bad.write_text("# comment\nname,actor\nPutin,RUS\nNobody\n", encoding="utf-8")
    monkeypatch.setattr(gazetteer, "PERSONS_FILE", bad)
    gazetteer.known_persons.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"persons.csv:4 \[name, actor\]"):
            gazetteer.known_persons()
    finally:
        monkeypatch.undo()
        gazetteer.known_persons.cache_clear()


def test_extract_score_command_scores_a_split():
    res = CliRunner().invoke(app, ["extract", "score", "--split", "dev", "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["dev accord"]["actor+issue"]["f1"] > report["dev keywords"]["actor+issue"]["f1"]


def test_a_file_is_not_taken_for_a_subcommand(tmp_path):
    f = tmp_path / "note.txt"
    f.write_text("Poland urged NATO to deploy more troops.", encoding="utf-8")
    res = CliRunner().invoke(app, ["extract", "--format", "jsonl", str(f)])
    assert res.exit_code == 0, res.output
    assert any(json.loads(line)["actor"] == "POL" for line in res.stdout.splitlines() if line.startswith("{"))
