"""Schema migrations of the store (Alembic). `upgrade(engine)` brings any store to the latest
revision; `Store.ensure_schema` calls it, so every command and the web app migrate on open."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

HERE = Path(__file__).resolve().parent
# Serialises concurrent upgrades on PostgreSQL (several workers or commands opening one store).
_PG_LOCK = 4242002


def config() -> Config:
    cfg = Config(str(HERE / "alembic.ini"))
    cfg.set_main_option("script_location", str(HERE))
    return cfg


@lru_cache(maxsize=1)
def head() -> str:
    head = ScriptDirectory.from_config(config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Run pending migrations (a cheap version check when there are none)."""
    if current(engine) == head():
        return
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"SELECT pg_advisory_xact_lock({_PG_LOCK})"))
        cfg = config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
