"""The second example case, the JCPOA talks (issue 9, item 7): valid, cited, in its own words, and a backtest."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.case.backtest import backtest, markdown
from accord.case.folder import CaseError, check_folder
from accord.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
IRAN = ROOT / "examples" / "iran-nuclear-2015"
CORPUS = ROOT.parent / "shared" / "corpus" / "iran-nuclear-2015"
ACTOR_IDS = {"IRN", "USA", "EU", "GBR", "FRA", "DEU", "RUS", "CHN", "ISR", "SAU", "IAEA", "UNSC", "US_CONGRESS"}
ISSUE_IDS = ["enrichment_capacity", "enrichment_level", "fordow", "arak", "duration", "sanctions_relief",
             "arms_embargo", "inspections", "pmd", "snapback"]
PRIMARY = {"jpoa-2013", "lausanne-2015", "jcpoa-2015", "unscr-2231"}


@pytest.fixture(scope="module")
def checked():
    return check_folder(IRAN)


@pytest.fixture(scope="module")
def corpus() -> Path:
    if not (CORPUS / "MANIFEST.csv").is_file():
        pytest.skip("../shared/corpus/iran-nuclear-2015 is absent (a user's clone has none): corpus checks skipped")
    return CORPUS


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text)


def test_valid_without_warnings(checked):
    assert checked.warnings == [], [str(w) for w in checked.warnings]
    case = checked.case
    assert case.meta.parties == ["IRN", "USA"]
    assert {a.id for a in case.principals()} == ACTOR_IDS
    assert [i.id for i in case.issues] == ISSUE_IDS


def test_issue_definitions_are_complete(checked):
    for issue in checked.case.issues:
        assert issue.description and issue.keywords, issue.id
        assert len(issue.scale) >= 3 and {0, 100} <= set(issue.scale), issue.id


def test_positions_are_cited_and_assumptions_explained(checked):
    case = checked.case
    for s in case.statements:
        assert s.locator, s.id
        if s.position is not None:
            assert s.issue in ISSUE_IDS, s.id
    for a in case.principals():
        assert a.capability is not None and a.capability_reason.startswith("Assumption"), a.id
    for s in case.saliences:
        assert s.reason.startswith("Assumption"), (s.actor, s.issue)
    # every actor-issue pair with a position has a salience: nothing silently assumed
    rated = {(s.actor, s.issue) for s in case.saliences}
    positioned = {(case.principal(s.actor), s.issue) for s in case.statements if s.position is not None and not s.red_line}
    assert positioned <= rated, positioned - rated


def test_primary_documents_are_cited_and_marked(checked):
    sources = {s.id: s for s in checked.case.sources}
    assert PRIMARY <= set(sources)
    for sid in PRIMARY:
        assert sources[sid].url is None, f"{sid}: no URL at hand, none may be invented"
        assert "unverified" in sources[sid].note.lower(), sid
    assert sources["unscr-2231"].credibility == 6 and "UNVERIFIED" in sources["unscr-2231"].note


def test_every_outcome_is_cited(checked):
    assert sorted(o.issue for o in checked.outcomes) == sorted(ISSUE_IDS)
    assert all(o.date == "2015-07-14" and o.locator for o in checked.outcomes)


def test_sources_match_the_manifest(checked, corpus):
    with open(corpus / "MANIFEST.csv", encoding="utf-8") as fh:
        manifest = {r["url"]: r for r in csv.DictReader(fh)}
    cited = [s for s in checked.case.sources if s.id not in PRIMARY]
    assert len(cited) == len(manifest)
    for s in cited:
        row = manifest.get(s.url)
        assert row, f"{s.id}: URL {s.url!r} is not in the manifest"
        assert (s.outlet, s.title, s.date) == (row["outlet"], row["title"], row["date"]), s.id


def test_quotes_are_verbatim_and_summaries_are_own_words(checked, corpus):
    with open(corpus / "MANIFEST.csv", encoding="utf-8") as fh:
        manifest = {r["url"]: r["file"] for r in csv.DictReader(fh)}
    urls = {s.id: s.url for s in checked.case.sources}
    texts = {f: _norm((corpus / f).read_text(encoding="utf-8")) for f in manifest.values()}
    for s in checked.case.statements:
        if s.quote:
            assert _norm(s.quote) in texts[manifest[urls[s.source]]], f"{s.id}: quote not in its source"
    # own words: no run of 12 words of any excerpt in a summary or a note
    grams = set()
    for text in texts.values():
        words = re.findall(r"[\w'%.,-]+", text.lower())
        grams.update(" ".join(words[i:i + 12]) for i in range(len(words) - 11))
    prose = [s.summary for s in checked.case.statements] + [e.summary for e in checked.case.events] + \
            [o.note or "" for o in checked.outcomes]
    for text in prose:
        words = re.findall(r"[\w'%.,-]+", _norm(text).lower())
        copied = [" ".join(words[i:i + 12]) for i in range(len(words) - 11) if " ".join(words[i:i + 12]) in grams]
        assert not copied, copied[0]


def test_no_corpus_file_is_copied():
    assert sorted(p.name for p in IRAN.iterdir()) == sorted([
        "case.yaml", "actors.yaml", "issues.yaml", "sources.csv", "statements.csv", "events.csv", "figures.csv",
        "salience.csv", "contradictions.yaml", "outcomes.csv"])


def test_backtest_scores_every_model_before_the_deal():
    result = backtest(IRAN)
    assert result.outcome_date == "2015-07-14"
    assert [d.as_of for d in result.dates] == ["2014-07-01", "2014-11-24", "2015-04-01", "2015-07-01", "2015-07-13"]
    assert {"compromise", "median", "nash", "eum", "smp", "midpoint"} <= set(result.models)
    last = result.dates[-1]
    for issue in last.issues:
        for model, value in issue.forecast.items():
            if value is not None:
                assert issue.error[model] == pytest.approx(abs(value - issue.outcome), abs=0.11)
    # evidence accumulates: no fewer issues forecast on a later date
    counts = [d.forecast_count["compromise"] for d in result.dates]
    assert counts == sorted(counts)


def test_backtest_refuses_dates_after_the_outcome_and_non_dates():
    with pytest.raises(CaseError, match="on or after the outcome"):
        backtest(IRAN, ("2015-07-20",))
    with pytest.raises(CaseError, match="'2015-13-01' is not a date"):
        backtest(IRAN, ("2015-13-01",))


def test_backtest_needs_outcomes(tmp_path):
    res = CliRunner().invoke(app, ["case", "backtest", str(ROOT / "tests" / "data" / "tiny-case"), "--as-of", "2025-01-01"])
    assert res.exit_code == 2 and "no outcomes" in res.output


def test_readme_shows_the_backtest_as_computed():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## JCPOA backtest" in readme
    assert "knew the outcome" in readme
    table = markdown(backtest(IRAN))
    assert table in readme, ("README's JCPOA backtest table differs from the computed one; regenerate it with "
                             "`accord case backtest examples/iran-nuclear-2015`")


def test_round_trips_through_both_stores(db_url, tmp_path):
    from accord.case.folder import read_case, write_case
    from accord.store import Store
    case = read_case(IRAN)
    Store(db_url).save_case(case)
    write_case(Store(db_url).load_case("iran-nuclear-2015"), tmp_path / "out")
    assert read_case(tmp_path / "out") == case
