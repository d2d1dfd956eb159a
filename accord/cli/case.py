"""`accord case validate|import|export|list` and `accord restore`: case folders in and out of the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..case.folder import CaseError, check_folder, read_case, write_case
from ..store import ImportResult, Refused, local_actor
from . import case_backtest, case_new
from .common import DbOption, console, fail_case, resolve_case, store_for

BACKUP_DIR = Path("accord-backups")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Validate, import and export case folders.", no_args_is_help=True)
    app.add_typer(group, name="case")
    case_new.register(group)
    case_backtest.register(group)

    @group.command("validate")
    def validate(folder: Annotated[Path, typer.Argument(help="The case folder.")]) -> None:
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
                      f"{len(case.events)} events, {len(case.figures)} figures", highlight=False, markup=False)

    @group.command("import")
    def import_(folder: Annotated[Path, typer.Argument(help="The case folder.")], db: str = DbOption,
                dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")]
                = False,
                prune: Annotated[bool, typer.Option("--prune", help=(
                    "Delete folder records the folder no longer has (after a backup). Reviewed and ingested "
                    "evidence is always kept."))] = False,
                backup_dir: Annotated[Path, typer.Option(
                    "--backup-dir", help="Where --prune writes the backup `accord restore` reads.")] = BACKUP_DIR,
                ) -> None:
        """Validate a case folder and load it into the store (all or nothing).

        Into an existing case it merges, as a new revision: changed records are updated (their
        version goes up), new ones added, none deleted unless --prune."""
        try:
            case = read_case(folder)
        except CaseError as exc:
            fail_case(exc)
        try:
            result = store_for(db).save_case(case, actor=local_actor(), prune=prune, dry_run=dry_run,
                                             backup_dir=backup_dir)
        except Refused as exc:
            _refused(exc)
        _report(result, "import")

    @group.command("export")
    def export(case: Annotated[str, typer.Argument(help="Case id in the store (or a folder).")],
               folder: Annotated[Path, typer.Argument(help="Where to write the case folder.")],
               db: str = DbOption) -> None:
        """Write a case from the store as a case folder."""
        write_case(resolve_case(case, db), folder)
        console.print(f"exported to {folder}", highlight=False, markup=False)

    @group.command("list")
    def list_(db: str = DbOption) -> None:
        """List the cases in the store."""
        for case_id in store_for(db).case_ids():
            typer.echo(case_id)

    @app.command("restore")
    def restore(file: Annotated[Path, typer.Argument(help="A backup written by `case import --prune`.")],
                db: str = DbOption) -> None:
        """Put a case back as a backup file recorded it (as a new revision; what this deletes is
        backed up beside the file first)."""
        try:
            result = store_for(db).restore(file, actor=local_actor())
        except Refused as exc:
            _refused(exc)
        _report(result, "restore")


def _refused(exc: Refused) -> None:
    console.print(f"[red]error:[/red] {escape(exc.what)}:", highlight=False)
    for field, message in exc.problems:
        console.print(f"  [{field}] {message}" if field else f"  {message}", highlight=False, markup=False)
    raise typer.Exit(2)


def _report(result: ImportResult, verb: str) -> None:
    lines = result.lines()
    if result.dry_run:
        for line in lines:
            typer.echo(line)
        console.print(f"dry run: {verb} of case {result.case_id!r} would make revision {result.revision}: "
                      f"{len(result.added)} added, {len(result.changed)} changed, {len(result.deleted)} deleted, "
                      f"{len(result.kept)} kept, {result.unchanged} unchanged; nothing written",
                      highlight=False, markup=False)
        return
    for line in lines[:50]:
        console.print(f"  {line}", highlight=False, markup=False)
    if len(lines) > 50:
        console.print(f"  … {len(lines) - 50} more (see --dry-run)", highlight=False, markup=False)
    what = "imported" if verb == "import" else "restored"
    console.print(f"{what} case {result.case_id!r}" + ("" if result.created else f" as revision {result.revision}")
                  + f": {len(result.added)} added, {len(result.changed)} changed, {len(result.deleted)} deleted, "
                  f"{len(result.kept)} kept, {result.unchanged} unchanged", highlight=False, markup=False)
    if result.backup:
        console.print(f"backup of the previous state: {result.backup} (`accord restore` reads it)",
                      highlight=False, markup=False)
