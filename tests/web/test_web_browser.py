"""The workspace in a real headless Chromium (Debian's, driven by Playwright): log in, review a
suggestion, see the matrix change, run a scenario, and a viewer blocked from a confidential source."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest
from web_helpers import PASSWORD, add_candidate

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI=true but /usr/bin/chromium is missing: run `make system-deps`")
        pytest.skip("browser tests skipped: /usr/bin/chromium is absent (install Debian's chromium: make system-deps)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def server(app):
    """The app on a free loopback port, in a thread."""
    import uvicorn
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.time() + 20
    while not srv.started:
        assert time.time() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    t.join(10)


def log_in(page, base: str, username: str, then: str):
    page.goto(base + then)
    assert "/login" in page.url  # unauthenticated: sent to the login form
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + then)


def cell(page, key: str) -> str:
    return page.locator(f'a[data-cell="{key}"]').inner_text().split()[0]


def test_analyst_reviews_sees_the_matrix_change_and_runs_a_scenario(app, server, browser):
    text = "Wire, 20 August. Aland's president said Aland would now settle for the current line of contact."
    add_candidate(app.state.ws, "tiny", text, text.index("Aland would"), len(text) - 1,
                  {"actor": "AAA", "speaker": "President Lind", "issue": "border", "stance": "CONCEDE",
                   "role": "ideal", "position": 50, "date": "2025-08-20", "confidence": 1.0,
                   "summary": "Aland would settle for the current line"})
    page = browser.new_page()
    log_in(page, server, "ann", "/cases/tiny/matrix")
    assert cell(page, "AAA|border") == "80"

    # Keyboard: g then q opens the review queue.
    page.keyboard.press("g")
    page.keyboard.press("q")
    page.wait_for_url(server + "/cases/tiny/review")
    card = page.locator("article[data-cand=k1]")
    assert "settle for the current line" in card.locator(".sentence").inner_text()
    card.locator("button[data-act=accept]").click()
    page.wait_for_url("**/cases/tiny/review?done=*")
    assert "accepted k1" in page.locator("p.ok").inner_text()
    assert page.locator("article[data-cand=k1]").count() == 0

    page.goto(server + "/cases/tiny/matrix")
    assert cell(page, "AAA|border") == "65"  # 80 and the new 50 within one window
    page.click('a[data-cell="AAA|border"]')
    assert page.locator("#ev-c-k1 mark").inner_text().startswith("Aland would now settle")

    page.goto(server + "/cases/tiny/scenario")
    page.fill("#scenario", "name: Aland gives way\nchanges:\n  - set_position: {actor: AAA, issue: border, value: 10}\n")
    page.click("form button[type=submit] >> text=Run scenario")
    result = page.locator("#result")
    result.wait_for()
    assert "forecast value(s) changed" in result.inner_text()
    rows = result.locator("table.diff tbody tr")
    assert rows.count() >= 1 and "Border" in rows.first.inner_text()
    assert "down" in rows.first.locator("td").nth(4).get_attribute("class")

    # The as-of control moves the page in time.
    page.goto(server + "/cases/tiny/matrix")
    page.fill("#as_of", "2025-06-01")
    page.click("form.asof button")
    page.wait_for_url("**as_of=2025-06-01")
    assert cell(page, "AAA|border") == "100"
    page.close()


def test_viewer_cannot_reach_a_confidential_source_by_url(server, browser):
    page = browser.new_page()
    log_in(page, server, "vic", "/cases/tiny/matrix/AAA/border")
    body = page.content()
    assert "a diplomatic source in the capital" in body and "Embassy" not in body
    resp = page.goto(server + "/cases/tiny/sources/secret")
    assert resp.status == 404
    assert "There is no source" in page.inner_text("main") and "Embassy" not in page.content()
    resp = page.goto(server + "/api/cases/tiny/sources/secret")
    assert resp.status == 404 and "Embassy" not in page.content()
    assert page.goto(server + "/cases/tiny/review").status == 403
    page.close()


def test_review_from_the_keyboard(app, server, browser):
    """Single keys on the review page: edit and save, undo, reject, undo, then a batch accept after its
    preview and its undo."""
    ws = app.state.ws
    text = "Wire, 20 August. Talks resumed.\n\nAland's president said Aland would now settle for the current line."
    add_candidate(ws, "tiny", text, text.index("Aland would"), len(text) - 1,
                  {"actor": "AAA", "issue": "border", "stance": "CONCEDE", "role": "ideal", "position": 50,
                   "date": "2025-08-20", "summary": "Aland would settle"}, cand_id="k1")
    other = "Borduria said it may accept the line."
    add_candidate(ws, "tiny", other, 0, len(other) - 1,
                  {"actor": "BBB", "issue": "border", "stance": "CONCEDE", "role": "ideal", "position": 40,
                   "date": "2025-08-21", "summary": "Borduria may accept"}, cand_id="k2")
    page = browser.new_page()
    log_in(page, server, "ann", "/cases/tiny/review")
    assert "a accept" in page.inner_text("#keys") and "u undo" in page.inner_text("#keys")
    card = page.locator("article[data-cand=k1]")
    assert "Aland's president said" in card.locator(".sentence").inner_text()
    assert page.evaluate("document.activeElement.dataset.cand") == "k1"  # ready for a single key

    def data(cid):
        return next(i for i in page.request.get(server + "/api/cases/tiny/review").json()["items"] if i["id"] == cid)["data"]

    page.keyboard.press("e")  # the first field (actor), selected: typing replaces it
    page.keyboard.type("BBB")
    page.keyboard.press("Enter")  # saves the edit (it never accepts)
    page.wait_for_url("**done=edited*")
    assert data("k1")["actor"] == "BBB" and data("k1")["position"] == 50
    page.keyboard.press("u")
    page.wait_for_url("**done=undid*")
    assert "undid your edit of k1" in page.locator("p.ok").inner_text() and data("k1")["actor"] == "AAA"
    page.keyboard.press("x")
    page.wait_for_url("**done=rejected*")
    assert page.locator("article[data-cand=k1]").count() == 0
    page.keyboard.press("u")  # u takes back any decision: the reject too
    page.wait_for_url("**done=undid*")
    assert "undid your reject of k1: it is pending again" in page.locator("p.ok").inner_text()
    assert page.evaluate("document.activeElement.dataset.cand") == "k1"
    page.keyboard.press("x")
    page.wait_for_url("**done=rejected*")

    page.keyboard.press("b")
    page.keyboard.type("0.5")
    page.keyboard.press("Enter")
    page.wait_for_url("**/review/batch?min_confidence=0.5*")
    assert page.locator("tr[data-cand=k2]").count() == 1
    page.keyboard.press("y")
    page.wait_for_url("**done=accepted*")
    assert "accepted 1" in page.locator("p.ok").inner_text()
    assert page.locator("article.cand").count() == 0
    page.keyboard.press("u")  # and a batch accept, newest candidate first
    page.wait_for_url("**done=undid*")
    assert "undid your accept of k2: it is pending again (statement:c-k2 taken out of the evidence)" in \
        page.locator("p.ok").inner_text()
    assert page.locator("article.cand").count() == 1 and data("k2")["actor"] == "BBB"
    page.close()
