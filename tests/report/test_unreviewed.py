"""A position the extractor placed and no reviewer confirmed is never shown as fact (issue 9 item 5),
and quotes are the speaker's words (item 6)."""

from __future__ import annotations

import pytest

from accord.case.folder import read_case
from accord.report.briefing import build_briefing, quoted_words

MARK = "extracted, not yet reviewed"


@pytest.fixture
def case(flagship_dir):
    return read_case(flagship_dir)


def _unconfirm(case, statement_id):
    case.statements = [s.model_copy(update={"reviewed": False}) if s.id == statement_id else s
                       for s in case.statements]
    return case


def test_an_auto_accepted_position_is_marked_and_a_reviewed_one_is_not(case):
    b = build_briefing(case, None, as_of="2025-09-10")
    cells = [c for r in b.matrix["rows"] for c in r["cells"] if c]
    assert cells and not any(c["unreviewed"] for c in cells)
    sid = "st-ukr-terr-ideal-dz"
    b = build_briefing(_unconfirm(case, sid), None, as_of="2025-09-10")
    terr = next(r for r in b.matrix["rows"] if r["issue"] == "territory")
    marked = {c["actor"] for c in terr["cells"] if c and c["unreviewed"]}
    assert marked == {"UKR"}
    ukr = next(p for p in b.parties_detail if p["id"] == "UKR")
    assert next(r for r in ukr["rows"] if r["issue"] == "territory")["unreviewed"]
    assert not next(r for r in ukr["rows"] if r["issue"] == "crimea")["unreviewed"]
    wants = next(a for a in b.answers if a.key == "wants")
    assert any(MARK in s.text for s in wants.sentences)


def test_the_rendered_briefing_carries_the_mark(case, flagship_dir, tmp_path):
    case_dir = flagship_dir
    from accord.report import build_report
    paths = build_report(_unconfirm(case, "st-ukr-terr-ideal-dz"), None, tmp_path, pdf=False, as_of="2025-09-10")
    assert MARK in paths.markdown.read_text(encoding="utf-8")
    assert MARK in paths.html.read_text(encoding="utf-8")
    clean = build_report(read_case(case_dir), None, tmp_path / "c", pdf=False, as_of="2025-09-10")
    assert MARK not in clean.markdown.read_text(encoding="utf-8")


@pytest.mark.parametrize(("text", "want"), [
    ("not give away even a piece of our land", "not give away even a piece of our land"),
    ("KYIV, Sept 3 (Reuters) - Zelensky said Ukraine would fight on", None),
    ("One. Two sentences here. And a third one.", None),
])
def test_a_quote_is_the_speakers_words_unless_it_is_a_reporters_text(text, want):
    assert quoted_words(text) == want
