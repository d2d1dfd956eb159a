"""`accord case validate|import|export` on the real CLI and the real store, good and bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.case.folder import read_case
from accord.cli.main import app
from accord.store import Store

TINY = Path(__file__).parents[1] / "data" / "tiny-case"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def tiny(tmp_path) -> Path:
    dst = tmp_path / "case"
    shutil.copytree(TINY, dst)
    return dst


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_validate_ok(tiny):
    res = run("case", "validate", str(tiny))
    assert res.exit_code == 0, res.output
    assert "6 statements" in res.output


def test_import_export_import_is_lossless(tiny, tmp_path, db_url):
    assert run("case", "import", str(tiny), "--db", db_url).exit_code == 0
    out = tmp_path / "exported"
    res = run("case", "export", "tiny", str(out), "--db", db_url)
    assert res.exit_code == 0, res.output
    first = read_case(tiny)
    second = read_case(out)
    assert second == first
    # and once more through the store
    Store(db_url).save_case(second)
    assert Store(db_url).load_case("tiny") == first


def test_flagship_round_trips(flagship_dir, tmp_path, db_url):
    assert run("case", "import", str(flagship_dir), "--db", db_url).exit_code == 0
    out = tmp_path / "exported"
    assert run("case", "export", "russia-ukraine-2025", str(out), "--db", db_url).exit_code == 0
    assert read_case(out) == read_case(flagship_dir)


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        # unknown actor id in a statement
        ("statements.csv", "s4,2025-05-10,BBB", "s4,2025-05-10,ZZZ", "statements.csv:5 [actor]: unknown actor 'ZZZ'"),
        # unknown issue id
        ("statements.csv", "BBB,,,border,REJECT", "BBB,,,borderr,REJECT", "statements.csv:5 [issue]: unknown issue 'borderr'"),
        # position outside 0–100
        ("statements.csv", "ideal,80,false", "ideal,180,false", "statements.csv:3 [position]"),
        # a date that does not parse
        ("statements.csv", "s5,2025-09-02", "s5,2025-13-02", "statements.csv:6 [date]"),
        # duplicate id
        ("statements.csv", "s5,2025-09-02", "s4,2025-09-02", "statements.csv:6 [id]: duplicate id 's4'"),
        # a statement without a source
        ("statements.csv", "CONCEDE,fallback,50,false,wire-2", "CONCEDE,fallback,50,false,", "statements.csv:6 [source]"),
        # a source that does not exist
        ("statements.csv", "CONCEDE,fallback,50,false,wire-2", "CONCEDE,fallback,50,false,wire-9", "unknown source 'wire-9'"),
        # YAML: bad field in an actor, reported at its line
        ("actors.yaml", "  capability: 40\n", "  capabilty: 40\n", "actors.yaml:11 [capabilty]"),
        # YAML syntax error
        ("issues.yaml", "- id: sanctions", "- id: [sanctions", "issues.yaml:"),
        # a person who speaks for nobody
        ("actors.yaml", "  speaks_for: AAA\n", "", "actors.yaml:13"),
        # a scale anchor outside 0–100
        ("issues.yaml", "50: kept", "150: kept", "issues.yaml:6 [scale]"),
        # contradiction pointing at nothing
        ("contradictions.yaml", "[f1, f2]", "[f1, f9]", "contradictions.yaml:1 [items]: unknown evidence id 'f9'"),
        # unknown CSV column
        ("figures.csv", ",note,", ",notes,", "figures.csv:1 [notes]: unknown column"),
    ],
)
def test_bad_input_names_file_line_field(tiny, db_url, file, old, new, expected):
    edit(tiny / file, old, new)
    res = run("case", "validate", str(tiny))
    assert res.exit_code == 2
    assert expected in res.output, res.output
    # nothing is half-imported
    res = run("case", "import", str(tiny), "--db", db_url)
    assert res.exit_code == 2
    assert Store(db_url).case_ids() == []


def test_every_problem_is_reported_at_once(tiny):
    edit(tiny / "statements.csv", "s4,2025-05-10,BBB", "s4,2025-05-10,ZZZ")
    edit(tiny / "statements.csv", "ideal,80,false", "ideal,180,false")
    res = run("case", "validate", str(tiny))
    assert "2 problem(s)" in res.output
    assert "Positions, salience and capability are on a 0–100 scale" in res.output


def test_missing_folder_is_explained(tmp_path):
    res = run("case", "validate", str(tmp_path))
    assert res.exit_code == 2
    assert "no case.yaml here" in res.output


def test_a_folder_of_actors_and_issues_only_is_a_case_named_after_it(tiny, tmp_path):
    new = tmp_path / "armenia azerbaijan"
    new.mkdir()
    for f in ("actors.yaml", "issues.yaml"):
        shutil.copy(tiny / f, new / f)
    res = run("case", "validate", str(new))
    assert res.exit_code == 0, res.output
    assert "the case is 'armenia-azerbaijan', titled after its folder" in res.output
    assert read_case(new).meta.title == "armenia azerbaijan"


def test_installed_entry_point(tiny):
    exe = Path(sys.executable).with_name("accord")
    proc = subprocess.run([str(exe), "case", "validate", str(tiny)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "valid" in proc.stderr
