"""The fuzzing suite's profiles and its two stores (SQLite and PostgreSQL), shared by every example.

Profiles (select with HYPOTHESIS_PROFILE): `default` keeps the whole suite inside `make test`'s
budget (about a minute and a half on 2 cores); `long` is `make fuzz` (thousands of examples).
Under CI the default profile is derandomized, so a red run is the same run on every machine.

One store per backend lives for the whole session (an Alembic upgrade per example would cost more
than the example); examples stay apart by using a fresh case id each, and the PostgreSQL store
is a database of its own, so the other tests' schema resets never touch it.
"""

from __future__ import annotations

import os
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))

from fuzz_helpers import Stores  # noqa: E402
from web_helpers import PASSWORD, login  # noqa: E402

# Examples touch two databases and the file system: timing varies with the machine's load, and a
# deadline must only catch a hang or a blow-up (a YAML bomb), never a busy machine (the suite was
# written on 2 cores at a load average of 30).
_COMMON = dict(
    deadline=timedelta(seconds=60),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
    print_blob=True,
)
# No shrinking in `make test`: a failure is reported at once with its reproduce blob, and shrinking
# (which can take minutes) is left to `make fuzz` or HYPOTHESIS_PROFILE=dev.
settings.register_profile("default", max_examples=12, derandomize=bool(os.environ.get("CI")), database=None,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate], **_COMMON)
settings.register_profile("dev", max_examples=50, database=None, **_COMMON)
# The long run keeps the failures it found outside the work tree, so the next run replays them first.
settings.register_profile("long", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "1000")),
                          database=DirectoryBasedExampleDatabase(Path.home() / ".cache" / "accord-fuzz"), **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def _fuzz_postgres_url() -> str | None:
    admin = os.environ.get("ACCORD_TEST_POSTGRES_URL")
    reason = "PostgreSQL fuzzing skipped: set ACCORD_TEST_POSTGRES_URL to a reachable server"
    if not admin:
        if os.environ.get("CI"):
            pytest.fail("CI=true but ACCORD_TEST_POSTGRES_URL is not set")
        pytest.skip(reason)
    return admin.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="session")
def fuzz_postgres_url():
    """A database of the fuzz suite's own for this session (worker), dropped afterwards."""
    admin = _fuzz_postgres_url()
    name = f"accord_fuzz_{uuid.uuid4().hex[:10]}"
    try:
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: skip locally, fail in CI
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {admin} is not reachable under CI: {exc}")
        pytest.skip(f"PostgreSQL fuzzing skipped ({exc.__class__.__name__})")
    yield admin.rsplit("/", 1)[0] + "/" + name
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def stores(fuzz_postgres_url, tmp_path_factory) -> Stores:
    """The same store API on SQLite (a temp file) and on PostgreSQL."""
    from accord.store import Store

    sqlite = Store(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}")
    pg = Store(fuzz_postgres_url)
    yield Stores({"sqlite": sqlite, "postgresql": pg})
    sqlite.engine.dispose()
    pg.engine.dispose()


@pytest.fixture(scope="session")
def web(stores):
    from fastapi.testclient import TestClient

    from accord.web import create_app

    """Per store: the web app on it, with logged-in clients of an analyst and an admin (both stores, same users)."""
    out = {}
    for name, store in stores.items():
        app = create_app(store.url, secret="fuzz-secret-" + "x" * 20)
        ws = app.state.ws
        clients = {}
        for user, role in (("fz-ann", "analyst"), ("fz-ada", "admin")):
            if ws.store.users.by_name(user) is None:
                ws.store.users.add(user, PASSWORD, role, actor="fuzz")
            c = TestClient(app)
            assert login(c, user).status_code == 303
            clients[role] = c
        out[name] = (app, clients)
    yield out
    for app, clients in out.values():
        for c in clients.values():
            c.close()
        app.state.ws.store.engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _cheap_argon2():
    # Still argon2id, with test-sized cost: the web fuzz logs in on both stores.
    from argon2 import PasswordHasher

    from accord.web import auth
    auth.set_hasher(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
