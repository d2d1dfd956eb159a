"""The forecast ledger in the workspace: analyses recorded once per case version, never at the cost
of the page; the track-record page and its /api twin (both stores)."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import func, select

from accord.ledger import Ledger, OutcomeEntry
from accord.store.ledger import ledger_forecasts


def _rows(app) -> int:
    with app.state.ws.store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(ledger_forecasts)).scalar_one()


def test_an_analysis_is_recorded_once_however_often_it_is_shown(app, client_for):
    ann = client_for("ann")
    assert _rows(app) == 0
    forecast = ann.get("/api/cases/tiny/forecasts").json()
    n = _rows(app)
    expected = sum(1 for issues in forecast["forecast"].values() for _ in issues)
    assert n == expected > 0
    for _ in range(3):  # reloads, the page and its twin: the cached analysis is not recorded again
        assert ann.get("/cases/tiny/forecasts").status_code == 200
        assert ann.get("/api/cases/tiny/forecasts").status_code == 200
    assert _rows(app) == n
    app.state.ws.derived.data.clear()  # recomputed (a new worker, an evicted entry): same inputs, no new rows
    app.state.ws.responses.data.clear()
    ann.get("/api/cases/tiny/forecasts")
    assert _rows(app) == n
    ann.get("/api/cases/tiny/forecasts", params={"as_of": "2025-09-08"})  # another date is another forecast
    assert _rows(app) > n
    recorded = Ledger(app.state.ws.store).forecasts("tiny")
    assert {f.as_of for f in recorded} == {dt.date(2025, 9, 8), dt.date.fromisoformat(forecast["as_of"])}
    first = [f for f in recorded if f.as_of == dt.date.fromisoformat(forecast["as_of"])]
    assert {(f.model, f.issue): f.value for f in first} == {
        (m, i): v for m, issues in forecast["forecast"].items() for i, v in issues.items()}


def test_a_viewers_analysis_is_shown_but_not_recorded(app, client_for):
    vic = client_for("vic")
    assert vic.get("/api/cases/tiny/forecasts").json()["forecast"]
    assert _rows(app) == 0


def test_a_failed_ledger_write_does_not_break_the_analysis(app, client_for, monkeypatch, caplog):
    def broken(self, entries):
        raise RuntimeError("read-only store")
    monkeypatch.setattr(Ledger, "record_forecasts", broken)
    ann = client_for("ann")
    with caplog.at_level(logging.WARNING, logger="accord.ledger"):
        r = ann.get("/api/cases/tiny/forecasts")
    assert r.status_code == 200 and r.json()["forecast"]
    assert "could not record tiny" in caplog.text
    assert _rows(app) == 0


def test_the_track_record_page_scores_each_model_escaped(app, client_for):
    ann = client_for("ann")
    page = ann.get("/cases/tiny/ledger")  # opening it records today's forecasts first
    assert page.status_code == 200
    assert "No outcome recorded yet for this case" in page.text
    Ledger(app.state.ws.store).record_outcome(OutcomeEntry(
        case_id="tiny", issue="border", value=40, observed=dt.date(2026, 1, 1),
        note="<script>alert(1)</script>", source="<b>wire</b>"))
    data = ann.get("/api/cases/tiny/ledger").json()
    models = {s["model"] for s in data["scores"]}
    assert models and all(s["scored"] == 1 and s["mae"] is not None for s in data["scores"])
    border = {f["model"]: f for f in data["forecasts"] if f["issue"] == "border" and f["value"] is not None}
    assert set(border) == models
    for s in data["scores"]:
        assert abs(s["mae"] - abs(border[s["model"]]["value"] - 40)) < 1e-9
    html = ann.get("/cases/tiny/ledger").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;wire&lt;/b&gt;" in html
    assert 'aria-current="page">Track record' in html


def test_viewers_cannot_open_the_track_record(client_for):
    vic = client_for("vic")
    assert vic.get("/api/cases/tiny/ledger").status_code == 403
    assert "Track record" not in vic.get("/cases/tiny/forecasts").text
