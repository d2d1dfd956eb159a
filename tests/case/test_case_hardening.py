"""Malformed case folders get a file:line [field] message, never a traceback or a hang (issue 11, 8–9).

Each case here crashed, hung or passed validation wrongly before the hardening of accord/case/.
The CLI is run in a subprocess with a timeout so a hang fails the test instead of blocking the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.case import limits
from accord.case.folder import CaseError, read_case
from accord.case.models import Actor, Figure, Salience, Statement
from accord.cli.main import app

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny-case"
ACCORD = Path(sys.executable).with_name("accord")


@pytest.fixture
def tiny(tmp_path) -> Path:
    dst = tmp_path / "case"
    shutil.copytree(TINY, dst)
    return dst


def problems(folder: Path) -> list[str]:
    with pytest.raises(CaseError) as info:
        read_case(folder)
    return [str(p) for p in info.value.problems]


def assert_refused(folder: Path, expected: str) -> None:
    found = problems(folder)
    assert any(expected in p for p in found), found
    res = CliRunner().invoke(app, ["case", "validate", str(folder)])
    assert isinstance(res.exception, SystemExit) and res.exit_code == 2, res.output
    assert expected in res.output


def assert_refused_in_a_subprocess(folder: Path, expected: str) -> None:
    """For what could hang: the real CLI with a timeout, so a hang fails instead of blocking."""
    proc = subprocess.run([str(ACCORD), "case", "validate", str(folder)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2 and expected in proc.stderr, proc.stderr


def test_binary_yaml(tiny):
    (tiny / "issues.yaml").write_bytes(b"- id: x\x00\xff\xfe\x01binary")
    assert_refused(tiny, "issues.yaml:1: binary data")


def test_utf16_yaml(tiny):
    text = (tiny / "actors.yaml").read_text()
    (tiny / "actors.yaml").write_bytes(text.encode("utf-16"))
    assert_refused(tiny, "actors.yaml:1: UTF-16 text")


def test_invalid_utf8_is_located(tiny):
    (tiny / "sources.csv").write_bytes((tiny / "sources.csv").read_bytes() + b"w3,Outlet \xe9,,,2025,,en,F,6,,,,\n")
    assert_refused(tiny, "sources.csv:5: not UTF-8 text")


def test_unquoted_impossible_date_in_yaml(tiny):
    path = tiny / "case.yaml"
    path.write_text(path.read_text().replace("as_of: 2025-09-10", "as_of: 2025-02-30"))
    assert_refused(tiny, "case.yaml:3 [as_of]")


def test_huge_csv_cell(tiny):
    with open(tiny / "statements.csv", "a") as fh:
        fh.write('s7,2025-06-01,AAA,,,sanctions,REQUEST,claim,,false,wire-1,,,"' + "x" * 200_000 + '",1,accepted\n')
    assert_refused(tiny, "statements.csv:8: a cell is longer than")


def test_directory_where_a_file_belongs(tiny):
    (tiny / "events.csv").unlink()
    (tiny / "events.csv").mkdir()
    assert_refused(tiny, "events.csv: is a directory")


def test_case_yaml_is_a_directory(tiny):
    (tiny / "case.yaml").unlink()
    (tiny / "case.yaml").mkdir()
    assert_refused(tiny, "case.yaml: is a directory")


def test_deeply_nested_brackets(tiny):
    (tiny / "contradictions.yaml").write_text("[" * 20_000 + "]" * 20_000 + "\n")
    assert_refused(tiny, "contradictions.yaml:1: nested more than")


def test_deeply_nested_case_yaml(tiny):
    (tiny / "case.yaml").write_text("id: " + "[" * 20_000 + "]" * 20_000 + "\n")
    assert_refused(tiny, "case.yaml:1: nested more than")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_does_not_hang(tiny):
    (tiny / "figures.csv").unlink()
    os.mkfifo(tiny / "figures.csv")
    assert_refused_in_a_subprocess(tiny, "figures.csv: not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_case_yaml_does_not_hang(tiny):
    (tiny / "case.yaml").unlink()
    os.mkfifo(tiny / "case.yaml")
    assert_refused_in_a_subprocess(tiny, "case.yaml: not a regular file")


def test_symlink_loop(tiny):
    (tiny / "events.csv").unlink()
    (tiny / "events.csv").symlink_to(tiny / "events.csv")
    assert_refused(tiny, "events.csv: cannot be read")


def test_old_mac_line_ends_in_csv(tiny):
    path = tiny / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    assert [e.id for e in read_case(tiny).events] == ["e1"]


def test_yaml_aliases_are_refused(tiny):
    (tiny / "issues.yaml").write_text(
        "- &a {id: border, name: Border, scale: {0: a, 100: b}}\n- *a\n")
    assert_refused(tiny, "issues.yaml:2: YAML anchors and aliases")


def test_duplicate_salience_rows(tiny):
    with open(tiny / "salience.csv", "a") as fh:
        fh.write("AAA,border,50,said twice\n")
    assert_refused(tiny, "salience.csv:4 [issue]: a second salience of 'border' for 'AAA'")


def test_nul_in_a_csv_cell(tiny):
    path = tiny / "statements.csv"
    path.write_text(path.read_text().replace("Aland wants sanctions lifted", "Aland wants\x00 sanctions"))
    assert_refused(tiny, "statements.csv:7: binary data: a NUL character")


def test_nul_escape_in_yaml(tiny):
    path = tiny / "actors.yaml"
    path.write_text(path.read_text().replace("name: Borduria", 'name: "Bor\\0duria"'))
    assert_refused(tiny, "actors.yaml:8 [name]: contains a NUL character")


def test_id_longer_than_the_store_column(tiny):
    long_id = "s" * 5000
    path = tiny / "statements.csv"
    path.write_text(path.read_text().replace("s6,2025-06-01", f"{long_id},2025-06-01"))
    assert_refused(tiny, "statements.csv:7 [id]: String should have at most 200 characters")


def test_salience_key_longer_than_the_store_column(tiny):
    # The store keys a salience by "actor:issue" in a 200-character column.
    with pytest.raises(ValueError, match="together"):
        Salience(actor="A" * 150, issue="b" * 60, salience=5, reason="r")


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e400"])
def test_non_finite_numbers_in_csv(tiny, value):
    # A figure's value has no 0–100 bound to catch it: only the finiteness rule does.
    path = tiny / "figures.csv"
    path.write_text(path.read_text().replace("occupied_share,15,", f"occupied_share,{value},"))
    assert_refused(tiny, "figures.csv:3 [value]")


def test_non_finite_number_in_yaml(tiny):
    path = tiny / "issues.yaml"
    path.write_text(path.read_text().replace("name: Sanctions", "name: Sanctions\n  description: .nan"))
    # a YAML .nan is a float where text belongs; what matters is a located refusal, not a crash
    assert_refused(tiny, "issues.yaml:6 [description]")


def test_figure_value_must_be_finite():
    with pytest.raises(ValueError, match="finite"):
        Figure(id="f", date="2025", quantity="q", value=float("inf"), unit="u", source="s")


def test_validators_are_reusable_at_the_store_boundary():
    """The same rules as a function the store can call on any record (or any plain value)."""
    ok = Actor(id="AAA", name="Aland", kind="state")
    assert limits.record_problems(ok) == []
    # model_construct skips validation: what an unchecked caller could hand the store.
    bad = Statement.model_construct(id="x" * 201, date="2025", actor="AAA", stance="REQUEST",
                                    source="s", summary="a\x00b", confidence=float("nan"))
    found = limits.record_problems(bad)
    assert {f for f, _ in found} == {"id", "summary", "confidence"}, found
    assert limits.value_problems({"k": ["ok", "bad\x00"]}) == [("k.1", "contains a NUL character")]
    with pytest.raises(ValueError, match="NUL"):
        limits.check_text("a\x00")
    with pytest.raises(ValueError, match="finite"):
        limits.check_finite(float("-inf"))
    with pytest.raises(ValueError, match="200"):
        limits.check_id("x" * 201)


def test_the_flagship_still_reads(flagship_dir):
    assert read_case(flagship_dir).meta.id == "russia-ukraine-2025"


def test_lone_surrogates_are_refused():
    """Neither store can encode U+D800–U+DFFF as UTF-8 (fuzz finding F4)."""
    with pytest.raises(ValueError, match="unicode"):  # pydantic's own str check
        Actor(id="AAA", name="Al\ud800and", kind="state")
    bad = Figure.model_construct(id="f", date="2025", quantity="q", value=1.0, unit="u", source="s", note="\udfff")
    assert limits.record_problems(bad) == [("note", "contains a lone surrogate (U+DFFF)")]
    with pytest.raises(ValueError, match=r"U\+D800"):
        limits.check_text("x\ud800")


def test_a_blank_required_text_is_refused_with_its_line(tiny):
    """An empty cell reads back as 'missing', so a blank required text cannot be valid (fuzz finding F5)."""
    path = tiny / "statements.csv"
    path.write_text(path.read_text().replace("Aland demands all the disputed land", '"  "'))
    assert_refused(tiny, "statements.csv:2 [summary]: is empty")


def test_blank_optional_text_means_not_given_and_round_trips(tmp_path):
    from accord.case.folder import write_case
    case = read_case(TINY)
    s = case.statements[0]
    edited = Statement.model_validate({**s.model_dump(), "quote": " ", "locator": ""})
    assert edited.quote is None and edited.locator is None
    actor = Actor.model_validate({"id": "CCC", "name": "C", "kind": "state", "aliases": ["", "Cland", " "]})
    assert actor.aliases == ["Cland"]
    case.statements[0] = edited
    write_case(case, tmp_path / "out")
    assert read_case(tmp_path / "out") == case
