"""The briefing's "Track record" section: each model's scores on the case from the forecast ledger,
a plain sentence with the models' record elsewhere when the case has no outcome yet, untrusted
names escaped; `accord report` records its forecasts and reads the ledger (both stores)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from accord.case.folder import read_case
from accord.cli.main import app
from accord.ledger import Ledger, OutcomeEntry, Score, TrackRecord
from accord.report import build_report
from accord.report.briefing import build_briefing

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny-case"


def _score(model, mae, n, cases, source="accord", brier=None):
    return Score(model=model, source=source, scored=n, mae=mae, brier_scored=1 if brier is not None else 0,
                 brier=brier, cases=cases)


def test_no_outcome_yet_says_so_with_the_record_elsewhere():
    elsewhere = [_score("compromise", 22.99, 351, ["deu-iii"], source="DEU III"), _score("median", 10.0, 2, ["china"])]
    b = build_briefing(read_case(TINY), None, track_record=TrackRecord(case_id="tiny", case=[], elsewhere=elsewhere))
    assert b.track_record == {"rows": [], "text": (
        "No outcome recorded yet for this case; models' track record elsewhere: compromise (published forecasts): "
        "MAE 22.99 over 351 (deu-iii); median: MAE 10.00 over 2 (china).")}
    b = build_briefing(read_case(TINY), None, track_record=TrackRecord(case_id="tiny", case=[], elsewhere=[]))
    assert b.track_record["text"].startswith("No outcome recorded yet for this case, and no model")
    assert build_briefing(read_case(TINY), None).track_record is None  # no ledger given: no section


def test_scores_of_the_case_render_escaped(tmp_path):
    hostile = "<img src=x onerror=alert(1)>*m*"
    tr = TrackRecord(case_id="tiny", case=[_score(hostile, 4.5, 3, ["tiny"], brier=0.09)], elsewhere=[])
    paths = build_report(read_case(TINY), None, tmp_path, pdf=False, track_record=tr)
    html = paths.html.read_text()
    assert 'id="track-record"' in html and 'href="#track-record"' in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;*m*</td><td>accord</td><td>3</td>" \
        "<td>4.50</td><td>0.090 (1)</td>" in html
    md = paths.markdown.read_text()
    assert "## Track record" in md and "| \\<img src=x onerror=alert(1)\\>\\*m\\* | accord | 3 | 4.50 | 0.090 (1) |" in md


def test_accord_report_records_and_scores(db_url, tmp_path):
    Ledger(db_url).record_outcome(OutcomeEntry(case_id="tiny", issue="border", value=40,
                                               observed=dt.date(2026, 1, 1), source="wire"))
    res = CliRunner().invoke(app, ["report", str(TINY), "--out", str(tmp_path / "r"), "--db", db_url,
                                   "--no-pdf", "--draws", "0"])
    assert res.exit_code == 0, res.output
    recorded = {f.model: f.value for f in Ledger(db_url).forecasts("tiny") if f.issue == "border"}
    assert recorded  # the briefing's forecasts went into the ledger first
    md = (tmp_path / "r" / "report.md").read_text()
    assert "## Track record" in md
    for model, value in recorded.items():
        if value is not None:
            assert f"| {model} | accord | 1 | {abs(value - 40):.2f} | — |" in md
