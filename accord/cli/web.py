"""Commands of the web stage: `accord serve` (accounts: accord/cli/users.py)."""

from __future__ import annotations

import os

import typer

from .common import DbOption, console


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the app."""

    @app.command("serve")
    def serve(db: str = DbOption,
              host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
              port: int = typer.Option(8000, "--port", help="Port to listen on."),
              workers: int = typer.Option(1, "--workers", help="Worker processes (they share the store)."),
              secure_cookies: bool = typer.Option(False, "--secure-cookies",
                                                  help="Mark cookies Secure (set it behind an https proxy)."),
              session_hours: float = typer.Option(12, "--session-hours", help="Sessions expire after this long.")) -> None:
        """Serve the team workspace (pages and /api/…) over the store."""
        import uvicorn

        from ..store import Store, default_url

        if workers < 1:
            console.print("[red]error:[/red] --workers is at least 1")
            raise typer.Exit(2)
        url = db or default_url()
        store = Store(url)  # migrates the schema once, before workers race to
        if not store.users.list():
            console.print("[yellow]no users yet:[/yellow] add one with `accord users add NAME --role admin`")
        os.environ["ACCORD_DATABASE_URL"] = url
        os.environ["ACCORD_SESSION_HOURS"] = str(session_hours)
        if secure_cookies:
            os.environ["ACCORD_SECURE_COOKIES"] = "1"
        console.print(f"accord workspace on http://{host}:{port}/ (store {store.engine.url.render_as_string(hide_password=True)}, "
                      f"{workers} worker{'s' if workers > 1 else ''})")
        store.engine.dispose()
        uvicorn.run("accord.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    proxy_headers=secure_cookies, log_level="warning",
                    # Longer than uvicorn's 5 s: a client reusing a connection the server has just
                    # dropped gets a disconnect, which busy readers saw under load.
                    timeout_keep_alive=30)
