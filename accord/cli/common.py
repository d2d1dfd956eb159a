"""What every command shares: the `--db` option, resolving CASE, printing errors."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from ..case.folder import CaseError, read_case
from ..case.models import Case
from ..store import Store, default_url
from ..store.store import CaseNotFound

console = Console(stderr=True, soft_wrap=True)

DbOption = typer.Option(None, "--db", help="Store URL (default: $ACCORD_DATABASE_URL, else sqlite:///accord.db).")


def store_for(db: str | None) -> Store:
    return Store(db or default_url())


def resolve_case(case_arg: str, db: str | None) -> Case:
    """CASE is a case folder (read directly, not imported) or the id of a case in the store."""
    path = Path(case_arg)
    try:
        if path.is_dir():
            return read_case(path)
        return store_for(db).load_case(case_arg)
    except CaseError as exc:
        fail_case(exc)
    except CaseNotFound as exc:
        console.print(f"[red]error:[/red] {exc}. Import it with `accord case import DIR` or pass a case folder.")
        raise typer.Exit(2)


def fail_case(exc: CaseError) -> None:
    console.print(f"[red]error:[/red] the case has {len(exc.problems)} problem(s):", highlight=False)
    for p in exc.problems:
        console.print(f"  {p}", highlight=False, markup=False)
    raise typer.Exit(2)
