"""The flagship through the real CLI and store: `accord analyze` as of two dates (docs/design.md §4)."""

import json

from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()


def analyze(db_url: str, as_of: str) -> dict:
    res = runner.invoke(app, ["analyze", "russia-ukraine-2025", "--db", db_url, "--as-of", as_of,
                              "--format", "json", "--draws", "200"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def cell(result: dict, actor: str, issue: str) -> dict:
    return next(p for p in result["positions"] if p["actor"] == actor and p["issue"] == issue)


def test_positions_move_between_istanbul_and_alaska(flagship_dir, db_url):
    assert runner.invoke(app, ["case", "import", str(flagship_dir), "--db", db_url]).exit_code == 0
    june, sept = analyze(db_url, "2025-06-30"), analyze(db_url, "2025-09-10")
    for key in ("positions", "zopa", "settlement", "forecast", "contradictions", "volatility", "risks"):
        assert key in sept
    # Russia's territorial demand: all four oblasts in Istanbul, the rest of Donbas after Alaska.
    assert cell(june, "RUS", "territory")["ideal"] == 100
    assert cell(sept, "RUS", "territory")["ideal"] == 70
    # The US line on sanctions: lift them in April, threaten them in September.
    assert cell(june, "USA", "sanctions")["ideal"] > 50 > cell(sept, "USA", "sanctions")["ideal"]
    # Every position carries the evidence behind it, and that evidence exists in the case.
    ids = {p["actor"] for p in sept["positions"]}
    assert {"UKR", "RUS", "USA"} <= ids
    assert all(p["evidence"] for p in sept["positions"])
    # Ukraine's freeze on the current line and Russia's Donbas-for-the-south do not meet.
    terr = next(z for z in sept["zopa"] if z["issue"] == "territory")
    assert terr["exists"] is False and terr["gap"] == 20
    assert sept["settlement"]["feasible"] is False
    # The biggest risk and the most erratic actor are the United States, as the brief argues.
    assert sept["risks"][0]["actor"] == "USA"
    assert sept["volatility"][0]["actor"] == "USA"
