"""`accord case validate|import|export|list`: case folders in and out of the store."""

from __future__ import annotations

from pathlib import Path

import typer

from ..case.folder import CaseError, check_folder, read_case, write_case
from . import case_new
from .common import DbOption, console, fail_case, resolve_case, store_for


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Validate, import and export case folders.", no_args_is_help=True)
    app.add_typer(group, name="case")
    case_new.register(group)

    @group.command("validate")
    def validate(folder: Path = typer.Argument(..., help="The case folder.")) -> None:
        """Check a case folder; print every problem with file, line and field, and warnings."""
        try:
            checked = check_folder(folder)
        except CaseError as exc:
            fail_case(exc)
        case = checked.case
        for warning in checked.warnings:
            console.print(f"warning: {warning}", highlight=False, markup=False)
        console.print(f"{folder}: valid — {len(case.actors)} actors, {len(case.issues)} issues, "
                      f"{len(case.sources)} sources, {len(case.statements)} statements, "
                      f"{len(case.events)} events, {len(case.figures)} figures")

    @group.command("import")
    def import_(folder: Path = typer.Argument(..., help="The case folder."), db: str = DbOption) -> None:
        """Validate a case folder and load it into the store (all or nothing)."""
        try:
            case = read_case(folder)
        except CaseError as exc:
            fail_case(exc)
        store_for(db).save_case(case)
        console.print(f"imported case {case.meta.id!r}")

    @group.command("export")
    def export(case: str = typer.Argument(..., help="Case id in the store (or a folder)."),
               folder: Path = typer.Argument(..., help="Where to write the case folder."),
               db: str = DbOption) -> None:
        """Write a case from the store as a case folder."""
        write_case(resolve_case(case, db), folder)
        console.print(f"exported to {folder}")

    @group.command("list")
    def list_(db: str = DbOption) -> None:
        """List the cases in the store."""
        for case_id in store_for(db).case_ids():
            typer.echo(case_id)
