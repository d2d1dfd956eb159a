"""Accounts in the store, on SQLite and PostgreSQL (issue 11, items 4, 5 and 7): simultaneous
wrong passwords are checked at most 5 times, logging out ends the session server-side, and the
CLI manages users without the web package, audited."""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher

from accord.store import Store
from accord.store import users as store_users
from accord.web import auth

PASSWORD = "a long password"


@pytest.fixture(autouse=True)
def _cheap_argon2():
    store_users.set_hasher(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    s.users.add("ann", PASSWORD, "analyst", actor="test")
    yield s
    s.engine.dispose()


@pytest.mark.parametrize("guesses", [30, 100])
def test_simultaneous_wrong_passwords_are_checked_at_most_five_times(store, guesses):
    checked = []
    lock = threading.Lock()
    verify = store.users.verify

    def counting_verify(username, password):
        with lock:
            checked.append(password)
        return verify(username, password)

    store.users.verify = counting_verify
    barrier = threading.Barrier(guesses)

    def guess(i: int) -> auth.LoginResult:
        barrier.wait()
        return auth.login(store, "ann", f"wrong guess {i}", "10.0.0.1")

    with ThreadPoolExecutor(guesses) as pool:
        results = list(pool.map(guess, range(guesses)))
    assert len(checked) == auth.FREE_FAILURES
    assert all(r.user is None for r in results)
    assert sum(r.wait > 0 for r in results) == guesses - auth.FREE_FAILURES
    # The right password is throttled too now, and another address is not.
    assert auth.login(store, "ann", PASSWORD, "10.0.0.1").wait > 0
    assert auth.login(store, "ann", PASSWORD, "10.0.0.2").user.username == "ann"


def test_a_right_password_clears_the_count(store):
    for _ in range(auth.FREE_FAILURES - 1):
        assert auth.login(store, "ann", "nope-nope", "ip").user is None
    assert auth.login(store, "ann", PASSWORD, "ip").user is not None
    for _ in range(auth.FREE_FAILURES):
        assert auth.login(store, "ann", "nope-nope", "ip").wait == 0
    assert auth.login(store, "ann", "nope-nope", "ip").wait > 0


def test_logout_ends_the_session_for_every_copy_of_the_cookie(store):
    sessions = auth.Sessions("s" * 40, 3600, store.users)
    ann = store.users.by_name("ann")
    cookie = sessions.issue(ann)
    copied = str(cookie)
    user, nonce, problem = sessions.resolve(cookie)
    assert user == ann and nonce and problem is None
    sessions.end(cookie)
    assert sessions.resolve(copied) == (None, None, "ended")
    # Other sessions of the same user go on; a new password or deactivation ends them all.
    second, third = sessions.issue(ann), sessions.issue(ann)
    assert sessions.resolve(second)[0] == ann
    store.users.change("ann", actor="ada", password="another long password")
    assert sessions.resolve(second)[2] == "ended" and sessions.resolve(third)[2] == "ended"
    fourth = sessions.issue(store.users.by_name("ann"))
    store.users.change("ann", actor="ada", active=False)
    assert sessions.resolve(fourth)[2] == "ended"
    assert sessions.resolve(sessions.issue(ann)[:-4] + "abcd")[2] == "invalid"
    actions = [e.action for e in store.audit.entries()[0]]
    assert actions.count("user.login") == 5 and actions.count("user.logout") == 1


def test_users_cli_does_not_load_the_web_package_and_is_audited(db_url):
    code = ("import sys; from typer.testing import CliRunner; from accord.cli.main import app; "
            f"r = CliRunner().invoke(app, ['users', 'add', 'carol', '--role', 'viewer', '--db', {db_url!r}], "
            "input='a long password\\n'); print(r.exit_code, 'accord.web' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert out.stdout.split() == ["0", "False"], out.stderr
    store = Store(db_url)
    [entry] = store.audit.entries(action="user.add")[0]
    assert entry.username.startswith("cli:") and entry.after == {"username": "carol", "role": "viewer", "active": True}
    store.engine.dispose()
