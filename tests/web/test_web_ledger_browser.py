"""The track-record page in a real headless Chromium: reached from the keyboard (g then t), today's
forecasts recorded by opening it, an outcome's hostile text shown as text, never run."""

from __future__ import annotations

import datetime as dt

from test_web_browser import browser, log_in, server  # noqa: F401  (fixtures)

from accord.ledger import Ledger, OutcomeEntry


def test_the_track_record_from_the_keyboard(app, server, browser):  # noqa: F811
    Ledger(app.state.ws.store).record_outcome(OutcomeEntry(
        case_id="tiny", issue="border", value=40, observed=dt.date(2026, 1, 1),
        note='<img src=x onerror="document.title=\'owned\'">', source="<script>document.title='owned'</script>"))
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log_in(page, server, "ann", "/cases/tiny/forecasts")
    page.keyboard.press("g")
    page.keyboard.press("t")
    page.wait_for_url(server + "/cases/tiny/ledger")
    assert page.locator("h1").inner_text() == "Track record"
    scores = page.locator("table.scores").first.locator("tbody tr")
    assert scores.count() >= 1 and "accord" in scores.first.inner_text()
    assert "<img src=x" in page.inner_text("main") and "<script>" in page.inner_text("main")
    assert page.title() != "owned" and not dialogs
    assert page.locator("table.forecasts tbody tr").count() >= 2
    page.close()
