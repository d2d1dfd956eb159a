"""The workspace's caches: computed once under concurrency, keyed by the case's stamp in the store, so a
write from anywhere (another worker, the CLI) is seen on the next request."""

from __future__ import annotations

import threading
import time

from accord.web.cache import LRU


def test_a_value_is_computed_once_however_many_threads_ask():
    cache, calls, gate = LRU(4), [], threading.Event()

    def make():
        calls.append(1)
        gate.wait(5)
        return "analysis"

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_make("k", make))) for _ in range(20)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    gate.set()
    for t in threads:
        t.join(5)
    assert results == ["analysis"] * 20 and len(calls) == 1


def test_a_failed_computation_is_not_cached_and_reaches_every_caller():
    cache, calls = LRU(4), []

    def boom():
        calls.append(1)
        raise ValueError("engine failed")

    for _ in range(2):
        try:
            cache.get_or_make("k", boom)
        except ValueError:
            pass
    assert len(calls) == 2 and cache.get("k") is None


def test_the_lru_keeps_its_size():
    cache = LRU(2)
    for k in "abc":
        cache.put(k, k)
    assert cache.get("a") is None and cache.get("c") == "c"


def test_a_write_outside_the_web_is_seen_on_the_next_request(app, client_for):
    ann = client_for("ann")
    page = ann.get("/cases/tiny/matrix").text
    api = ann.get("/api/cases/tiny/matrix").json()
    assert api["cells"]["AAA|border"]["fallback"] == 70 and ann.get("/cases/tiny/matrix").text == page  # cached
    store = app.state.ws.store
    s3, version = store.get_record("tiny", "statement", "s3")
    store.update_record("tiny", "statement", s3.model_copy(update={"position": 60}), version, actor="cli:test")
    assert ann.get("/api/cases/tiny/matrix").json()["cells"]["AAA|border"]["fallback"] == 60
    assert ann.get("/cases/tiny/matrix").text != page


def test_cached_pages_are_per_session(app, client_for):
    ann, bob = client_for("ann"), client_for("bob")
    a, b = ann.get("/cases/tiny/matrix").text, bob.get("/cases/tiny/matrix").text
    assert "ann (analyst)" in a and "bob (analyst)" in b and "ann (analyst)" not in b


def test_startup_computes_the_first_case_before_serving(db_url, tiny_case):
    from fastapi.testclient import TestClient

    from accord.web import create_app
    from accord.web.views import parse_as_of

    app = create_app(db_url, secret="s" * 32, warm=True)
    ws = app.state.ws
    ws.store.save_case(tiny_case, actor="test")
    as_of = parse_as_of(None, tiny_case)
    assert ws.derived.get(ws.case_key("tiny", True) + ("analysis", as_of)) is None
    with TestClient(app):  # runs the startup
        for viewer in (True, False):
            assert ws.derived.get(ws.case_key("tiny", viewer) + ("analysis", as_of)) is not None
    ws.store.engine.dispose()
