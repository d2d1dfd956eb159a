"""`accord case new DIR`: start a case from a commented skeleton (docs/tutorial.md, step 1)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..case.folder import CaseError
from ..case.skeleton import new_case, parse_parties
from .common import console, fail_case


def register(group: typer.Typer) -> None:
    @group.command("new")
    def new(folder: Path = typer.Argument(..., help="The folder to create (must not exist or be empty)."),
            case_id: str = typer.Option(None, "--id", help="The case id, e.g. iran-nuclear-2015."),
            title: str = typer.Option(None, "--title", help="The case title."),
            parties: str = typer.Option(None, "--parties",
                                        help="The two main parties: 'IRN=Iran, USA=United States' (or ids only)."),
            as_of: str = typer.Option(None, "--as-of", help="The default analysis date, YYYY-MM-DD."),
            ) -> None:
        """Write a valid, commented case skeleton; prompts for what is missing on a terminal."""
        values = {"--id": case_id, "--title": title, "--parties": parties}
        missing = [flag for flag, v in values.items() if not v]
        if missing:
            if not sys.stdin.isatty():
                console.print(f"[red]error:[/red] missing {', '.join(missing)}: pass them as options "
                              "(no terminal to ask on).", highlight=False)
                raise typer.Exit(2)
            case_id = case_id or typer.prompt("Case id (letters, digits, - _ .)", default=folder.name)
            title = title or typer.prompt("Title")
            parties = parties or typer.prompt("The two main parties (e.g. IRN=Iran, USA=United States)")
            as_of = as_of or typer.prompt("Default analysis date YYYY-MM-DD (empty: none)", default="",
                                          show_default=False) or None
        try:
            written = new_case(folder, case_id=case_id, title=title, parties=parse_parties(parties), as_of=as_of)
        except CaseError as exc:
            fail_case(exc)
        console.print(f"wrote {len(written)} files to {folder}: edit actors.yaml and issues.yaml next "
                      "(docs/case-format.md, docs/tutorial.md)", highlight=False)
