"""docs/tutorial.md, run step by step: every ```sh block of the document, in order, in a temp dir.

The commands come from the document itself, so the tutorial and this test cannot drift apart. Each
block runs in bash with `set -e`; the working directory and exported variables carry over from one
block to the next, as they would in the reader's shell. A failing block names its step.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "tutorial.md"
FLAGSHIP_WORDS = ("Ukraine", "Crimea", "Kremlin", "occupied", "freeze the conflict", "Donbas")


def shell_blocks(markdown: str) -> list[tuple[str, str]]:
    """(the heading above it, the code) of every ```sh block, in order."""
    out: list[tuple[str, str]] = []
    heading, block = "(top)", None
    for line in markdown.splitlines():
        if block is not None:
            if line.startswith("```"):
                out.append((heading, "\n".join(block) + "\n"))
                block = None
            else:
                block.append(line)
        elif line.startswith("```sh"):
            block = []
        elif line.startswith("#"):
            heading = line.lstrip("# ")
    return out


def test_the_document_has_every_step():
    steps = [h for h, _ in shell_blocks(TUTORIAL.read_text(encoding="utf-8"))]
    code = "\n".join(c for _, c in shell_blocks(TUTORIAL.read_text(encoding="utf-8")))
    for command in ("accord case new", "actors.yaml", "issues.yaml", "accord ingest", "accord extract",
                    "accord review", "--auto-accept", "accord analyze", "accord report"):
        assert command in code, f"the tutorial runs no {command!r}"
    assert len(steps) >= 9


def test_the_tutorial_runs(tmp_path):
    bin_dir = str(Path(sys.executable).parent)
    state, cwd = tmp_path / "state.sh", tmp_path / "cwd"
    home = tmp_path / "home"
    home.mkdir()
    cwd.write_text(str(home))
    state.write_text("")
    env = {"PATH": f"{bin_dir}:{os.environ.get('PATH', '')}", "HOME": str(home), "ACCORD_HOME": str(ROOT),
           "LANG": "C.UTF-8", "ACCORD_REVIEWER": "tutorial-test"}
    outputs = []
    for n, (step, code) in enumerate(shell_blocks(TUTORIAL.read_text(encoding="utf-8")), 1):
        script = (f'source "{state}"\ncd "$(cat "{cwd}")"\nset -e\n{code}\n'
                  f'export -p > "{state}"\npwd > "{cwd}"\n')
        proc = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=600,
                              stdin=subprocess.DEVNULL, check=False)
        outputs.append(proc.stdout + proc.stderr)
        assert proc.returncode == 0, f"block {n} of step '{step}' failed:\n{code}\n--- output ---\n{outputs[-1]}"
        assert "Traceback" not in proc.stderr, f"block {n} of step '{step}':\n{proc.stderr}"
        # each step's own promise
        if "accord ingest" in code:
            assert "not listed in the manifest" in outputs[-1], f"step '{step}':\n{outputs[-1]}"
            assert re.search(r"\b5 extracted\b", outputs[-1]), f"step '{step}' extracted fewer than 5:\n{outputs[-1]}"
        if "--auto-accept" in code:
            assert re.search(r"accepted [1-9]\d* candidate", outputs[-1]), f"step '{step}':\n{outputs[-1]}"
    work = Path(cwd.read_text().strip())
    assert (work / "my-case" / "case.yaml").is_file()
    report = (work / "briefing" / "report.md").read_text(encoding="utf-8")
    assert "Iran nuclear talks (tutorial)" in report
    leaked = [w for w in FLAGSHIP_WORDS if w in report]
    assert not leaked, f"the tutorial's briefing carries the flagship's words: {leaked}"
    for name in ("index.html", "report.pdf", "references.json"):
        assert (work / "briefing" / name).is_file(), name
    # the manifest's provenance reached the briefing, and the analyst's notes did not
    assert "Columbus Dispatch (paraphrased for the accord tutorial)" in report
    assert "Analyst notes" not in report
    # positions came from reviewed evidence: the analysis forecasts the tutorial's issues
    analysis = next(o for (_, c), o in zip(shell_blocks(TUTORIAL.read_text(encoding="utf-8")), outputs)
                    if "accord analyze" in c)
    assert "sanctions_relief" in analysis and "inspections" in analysis, analysis
