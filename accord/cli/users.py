"""`accord users add|list|set`: accounts of the web workspace, kept in the store.

Passwords are read from standard input (never the command line, which other users can see).
Every change is audited as the operating-system account running the command (`cli:<user>`).
"""

from __future__ import annotations

import sys

import typer
from rich.markup import escape

from ..store import AuthError, local_actor
from .common import DbOption, console, store_for


def _password(prompt: str) -> str:
    if sys.stdin.isatty():
        import getpass
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def register(app: typer.Typer) -> None:
    users = typer.Typer(help="Accounts of the web workspace.", no_args_is_help=True)
    app.add_typer(users, name="users")

    @users.command("add")
    def add(name: str = typer.Argument(..., help="The username."),
            role: str = typer.Option(..., "--role", help="viewer, analyst or admin."),
            db: str = DbOption) -> None:
        """Add a user; the password is read from standard input (first line)."""
        password = _password("password: ")
        try:
            user = store_for(db).users.add(name, password, role, actor=local_actor())
        except AuthError as exc:
            console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
            raise typer.Exit(2)
        console.print(f"added {user.role} {user.username!r}", highlight=False)

    @users.command("list")
    def list_(db: str = DbOption) -> None:
        """List the users and their roles."""
        for u in store_for(db).users.list():
            typer.echo(f"{u.username}\t{u.role}\t{'active' if u.active else 'inactive'}")

    @users.command("set")
    def set_(name: str = typer.Argument(...), role: str = typer.Option(None, "--role"),
             active: bool = typer.Option(None, "--active/--inactive"),
             password: bool = typer.Option(False, "--password", help="Read a new password from standard input."),
             db: str = DbOption) -> None:
        """Change a user's role, active flag or password (a new password or --inactive ends their sessions)."""
        new_pw = _password("new password: ") if password else None
        try:
            _, after = store_for(db).users.change(name, actor=local_actor(), role=role, active=active,
                                                  password=new_pw)
        except AuthError as exc:
            console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
            raise typer.Exit(2)
        console.print(f"{name}: {after.role}, {'active' if after.active else 'inactive'}", highlight=False)
