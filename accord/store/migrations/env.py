"""Alembic environment: runs on the connection accord hands over, else on `-x url=...` or
$ACCORD_DATABASE_URL (same default as the CLI)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from accord.store import schema
from accord.store.store import default_url

config = context.config
target_metadata = schema.metadata


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or default_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def run(connection: Connection) -> None:
    # Batch mode lets later migrations ALTER tables on SQLite too (it rebuilds the table).
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
elif connection is not None:
    run(connection)
else:
    engine = create_engine(_url())
    with engine.begin() as conn:
        run(conn)
    engine.dispose()
