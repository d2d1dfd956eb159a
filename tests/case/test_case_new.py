"""`accord case new` writes a skeleton `case validate` accepts; validate names required files and
warns on issue definitions extraction cannot use (issue 9, items 1 and 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from accord.case.folder import check_folder, read_case
from accord.cli.main import app

runner = CliRunner()
ACCORD = Path(sys.executable).with_name("accord")


def new(folder: Path, *extra: str):
    return runner.invoke(app, ["case", "new", str(folder), *extra])


def test_new_writes_a_valid_commented_skeleton(tmp_path):
    folder = tmp_path / "talks"
    res = new(folder, "--id", "talks-2015", "--title", "Talks: a test", "--parties", "IRN=Iran, USA=United States",
              "--as-of", "2015-07-01")
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(["case.yaml", "actors.yaml", "issues.yaml", "contradictions.yaml", "sources.csv",
                            "statements.csv", "events.csv", "figures.csv", "salience.csv"])
    case = read_case(folder)
    assert case.meta.id == "talks-2015" and case.meta.title == "Talks: a test"
    assert case.meta.as_of == "2015-07-01" and case.meta.parties == ["IRN", "USA"]
    assert [(a.id, a.name) for a in case.actors] == [("IRN", "Iran"), ("USA", "United States")]
    for name in ("case.yaml", "actors.yaml", "issues.yaml"):
        assert "\n#" in (folder / name).read_text() or (folder / name).read_text().startswith("#"), name
    # the commented issue template is itself a valid issue once uncommented
    text = (folder / "issues.yaml").read_text()
    example = text[text.index("# - id: sanctions"):].splitlines()
    template = "\n".join(line[2:] for line in example if line.startswith("# "))
    assert yaml.safe_load(template)[0]["keywords"]
    res = runner.invoke(app, ["case", "validate", str(folder)])
    assert res.exit_code == 0, res.output
    assert "warning: issues.yaml: no issues defined yet" in res.output


def test_ids_that_yaml_would_retype_stay_text(tmp_path):
    res = new(tmp_path / "c", "--id", "2015", "--title", "yes", "--parties", "NO,ON")
    assert res.exit_code == 0, res.output
    case = read_case(tmp_path / "c")
    assert case.meta.id == "2015" and case.meta.parties == ["NO", "ON"] and case.meta.title == "yes"


def test_missing_flags_without_a_terminal_fail_clearly(tmp_path):
    proc = subprocess.run([str(ACCORD), "case", "new", str(tmp_path / "c"), "--id", "x"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert "missing --title, --parties" in proc.stderr
    assert not (tmp_path / "c").exists()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals on this platform")
def test_prompts_on_a_terminal(tmp_path):
    master, slave = os.openpty()
    try:
        proc = subprocess.Popen([str(ACCORD), "case", "new", str(tmp_path / "c")], stdin=slave,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        os.write(master, b"iran-talks\nIran talks\nIRN=Iran, USA=United States\n2015-04-02\n")
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(master)
        os.close(slave)
    assert proc.returncode == 0, out + err
    assert "Title" in out
    case = read_case(tmp_path / "c")
    assert (case.meta.id, case.meta.title, case.meta.as_of) == ("iran-talks", "Iran talks", "2015-04-02")


def test_new_never_overwrites(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    res = new(folder, "--id", "x", "--title", "t", "--parties", "A,B")
    assert res.exit_code == 2
    assert "exists and is not an empty folder" in res.output
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("args, expected", [
    (["--id", "bad id!", "--title", "t", "--parties", "A,B"], "case.yaml [id]"),
    (["--id", "x", "--title", "t", "--parties", "A,B", "--as-of", "2015-02-30"], "case.yaml [as_of]"),
    (["--id", "x", "--title", "t", "--parties", "A,A"], "a party is named twice"),
    (["--id", "x", "--title", "t", "--parties", "A b,B"], "actors.yaml [parties.A b.id]"),
])
def test_bad_values_are_named(tmp_path, args, expected):
    res = new(tmp_path / "c", *args)
    assert res.exit_code == 2
    assert expected in res.output, res.output
    assert not (tmp_path / "c").exists()


@pytest.fixture
def skeleton(tmp_path) -> Path:
    folder = tmp_path / "c"
    assert new(folder, "--id", "c", "--title", "t", "--parties", "IRN=Iran,USA").exit_code == 0
    return folder


@pytest.mark.parametrize("missing", ["actors.yaml", "issues.yaml"])
def test_validate_names_the_required_files(skeleton, missing):
    (skeleton / missing).unlink()
    res = runner.invoke(app, ["case", "validate", str(skeleton)])
    assert res.exit_code == 2
    assert f"{missing}: missing: a case needs case.yaml, actors.yaml, issues.yaml" in res.output


def test_optional_files_may_be_absent(skeleton):
    for name in ("sources.csv", "statements.csv", "events.csv", "figures.csv", "salience.csv", "contradictions.yaml"):
        (skeleton / name).unlink()
    assert read_case(skeleton).meta.id == "c"


def write_issues(folder: Path, text: str) -> list[str]:
    (folder / "issues.yaml").write_text(text)
    return [str(w) for w in check_folder(folder).warnings]


def test_warns_on_a_keyword_that_names_an_actor(skeleton):
    actors = (skeleton / "actors.yaml").read_text().replace("aliases: []", "aliases: [Tehran]", 1)
    (skeleton / "actors.yaml").write_text(actors)
    found = write_issues(skeleton, "- id: sanctions\n  name: Sanctions relief\n  keywords: [embargo, tehran]\n"
                                   "  scale: {0: all sanctions kept, 100: all sanctions lifted}\n")
    assert found == [("issues.yaml:1 [keywords]: 'tehran' is also a name of actor 'IRN': every sentence naming "
                      "the actor would count as on issue 'sanctions'. Use words for the subject of the issue, "
                      "not for who negotiates it.")]
    res = runner.invoke(app, ["case", "validate", str(skeleton)])
    assert res.exit_code == 0 and "warning: issues.yaml:1 [keywords]" in res.output


def test_warns_on_an_issue_with_no_words_beyond_its_id(skeleton):
    found = write_issues(skeleton, "- id: fordow\n  name: Fordow\n  scale: {0: a, 100: b}\n"
                                   "- id: arak\n  name: Arak reactor\n  keywords: [heavy water]\n"
                                   "  scale: {0: reactor kept as designed, 100: reactor core removed}\n")
    assert any("issues.yaml:1: issue 'fordow' has no words beyond its id" in w for w in found), found
    assert any("issues.yaml:1 [scale]: anchor label(s) 0, 100 have no words to match" in w for w in found), found
    assert not any(":4" in w for w in found), found


def test_warns_on_a_keyword_shared_by_two_issues(skeleton):
    found = write_issues(skeleton, "- id: a\n  name: Enrichment capacity\n  keywords: [centrifuges]\n"
                                   "  scale: {0: no centrifuges, 100: unlimited centrifuges}\n"
                                   "- id: b\n  name: Enrichment level\n  keywords: [Centrifuges]\n"
                                   "  scale: {0: no enrichment, 100: any level}\n")
    assert any("issues.yaml:5 [keywords]: keyword 'Centrifuges' is also a keyword of issue 'a'" in w
               for w in found), found


def test_keywords_are_optional_and_round_trip(tmp_path, skeleton):
    from accord.case.folder import write_case
    write_issues(skeleton, "- id: a\n  name: Sanctions\n  keywords: [embargo]\n  scale: {0: kept, 100: lifted}\n")
    case = read_case(skeleton)
    assert case.issues[0].keywords == ["embargo"]
    write_case(case, tmp_path / "out")
    assert read_case(tmp_path / "out") == case



def test_keywords_drive_issue_detection(skeleton):
    from accord.extract.issues import IssueMatcher
    write_issues(skeleton, "- id: arak\n  name: Arak reactor\n  keywords: [heavy water, plutonium]\n"
                           "  scale: {0: reactor kept as designed, 100: reactor core removed}\n")
    matcher = IssueMatcher(read_case(skeleton))
    assert matcher.issues("The heavy  water plant will be redesigned.") == ["arak"]
    assert matcher.issues("Less plutonium, the minister said.") == ["arak"]
    assert matcher.issues("Sanctions were discussed.") == []
