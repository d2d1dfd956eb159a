"""`accord case backtest DIR`: score each forecast model on a closed case's known outcome."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..case.backtest import DEFAULT_DATES, backtest, markdown
from ..case.folder import CaseError
from .common import fail_case


def register(group: typer.Typer) -> None:
    @group.command("backtest")
    def backtest_(folder: Path = typer.Argument(..., help="A case folder with outcomes.csv."),
                  as_of: list[str] = typer.Option(list(DEFAULT_DATES), "--as-of",
                                                  help="A date to forecast as of (repeat for several)."),
                  fmt: str = typer.Option("markdown", "--format", help="markdown or json."),
                  ) -> None:
        """Forecast each issue as of earlier dates with every model; print each model's absolute error."""
        if fmt not in ("markdown", "json"):
            raise typer.BadParameter("choose markdown or json", param_hint="--format")
        try:
            result = backtest(folder, tuple(as_of))
        except CaseError as exc:
            fail_case(exc)
        typer.echo(json.dumps(result.model_dump(), indent=2) if fmt == "json" else markdown(result), nl=False)
