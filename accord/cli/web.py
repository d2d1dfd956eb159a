"""Commands of the web stage: `accord serve` and `accord users add|list|set`."""

from __future__ import annotations

import os
import sys

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

        from ..store import default_url
        from ..web import auth
        from ..web.app import Workspace

        url = db or default_url()
        ws = Workspace(url)  # creates the schema once, before workers race to
        if not auth.list_users(ws.engine):
            console.print("[yellow]no users yet:[/yellow] add one with `accord users add NAME --role admin`")
        os.environ["ACCORD_DATABASE_URL"] = url
        os.environ["ACCORD_SESSION_HOURS"] = str(session_hours)
        if secure_cookies:
            os.environ["ACCORD_SECURE_COOKIES"] = "1"
        console.print(f"accord workspace on http://{host}:{port}/ (store {ws.store.engine.url.render_as_string(hide_password=True)})")
        uvicorn.run("accord.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    proxy_headers=secure_cookies, log_level="warning")

    users = typer.Typer(help="Accounts of the web workspace.", no_args_is_help=True)
    app.add_typer(users, name="users")

    @users.command("add")
    def add(name: str = typer.Argument(..., help="The username."),
            role: str = typer.Option(..., "--role", help="viewer, analyst or admin."),
            db: str = DbOption) -> None:
        """Add a user; the password is read from standard input (first line)."""
        from ..web import audit, auth
        from ..web.app import Workspace

        if sys.stdin.isatty():
            import getpass
            password = getpass.getpass("password: ")
        else:
            password = sys.stdin.readline().rstrip("\r\n")
        ws = Workspace(db)
        try:
            user = auth.add_user(ws.engine, name, password, role)
        except auth.AuthError as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2)
        audit.record(ws.engine, f"cli:{os.environ.get('USER', 'unknown')}", "user.add", kind="user",
                     record_id=name, after={"username": user.username, "role": user.role, "active": True})
        console.print(f"added {user.role} {user.username!r}")

    @users.command("list")
    def list_(db: str = DbOption) -> None:
        """List the users and their roles."""
        from ..web import auth
        from ..web.app import Workspace

        for u in auth.list_users(Workspace(db).engine):
            typer.echo(f"{u.username}\t{u.role}\t{'active' if u.active else 'inactive'}")

    @users.command("set")
    def set_(name: str = typer.Argument(...), role: str = typer.Option(None, "--role"),
             active: bool = typer.Option(None, "--active/--inactive"),
             password: bool = typer.Option(False, "--password", help="Read a new password from standard input."),
             db: str = DbOption) -> None:
        """Change a user's role, active flag or password."""
        from ..web import audit, auth
        from ..web.app import Workspace

        ws = Workspace(db)
        new_pw = sys.stdin.readline().rstrip("\r\n") if password else None
        try:
            before, after = auth.set_user(ws.engine, name, role=role, active=active, password=new_pw)
        except auth.AuthError as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2)
        show = lambda u: {"username": u.username, "role": u.role, "active": u.active}
        audit.record(ws.engine, f"cli:{os.environ.get('USER', 'unknown')}", "user.change", kind="user",
                     record_id=name, before=show(before), after=show(after))
        console.print(f"{name}: {after.role}, {'active' if after.active else 'inactive'}")
