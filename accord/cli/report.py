"""`accord report CASE --out DIR`: the briefing as HTML, PDF, Markdown and CSL-JSON references."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from .common import DbOption, console, resolve_case


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the app."""

    @app.command("report")
    def report(
        case: str = typer.Argument(..., help="A case folder or the id of a case in the store."),
        out: Path = typer.Option(..., "--out", help="Folder to write index.html, report.pdf, report.md, references.json."),
        as_of: str = typer.Option(None, "--as-of", help="Analysis date YYYY-MM-DD (default: the case's as_of)."),
        db: str = DbOption,
        model: str = typer.Option("compromise", "--model", help="The forecast model the briefing leads with."),
        audience: str = typer.Option("public", "--audience",
                                     help="public (confidential sources by description only) or internal."),
        pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Also render report.pdf (WeasyPrint)."),
        draws: int = typer.Option(2000, "--draws", help="Monte Carlo draws (0 skips the Monte Carlo run)."),
    ) -> None:
        """Write the briefing: key answers, who-wants-what matrix, positions, chronology, settlement,
        forecasts, risks; every claim linked to its evidence."""
        from ..analysis import analyze_case, model_names
        from ..report import build_report

        if audience not in ("public", "internal"):
            console.print(f"[red]error:[/red] --audience must be public or internal, not {audience!r}")
            raise typer.Exit(2)
        if model not in model_names():
            console.print(f"[red]error:[/red] --model must be one of {', '.join(model_names())}, not {model!r}")
            raise typer.Exit(2)
        if as_of is not None:
            try:
                dt.date.fromisoformat(as_of)
            except ValueError:
                console.print(f"[red]error:[/red] --as-of {as_of!r} is not a date YYYY-MM-DD")
                raise typer.Exit(2)
        the_case = resolve_case(case, db)
        analysis = analyze_case(the_case, as_of, draws=draws)
        paths = build_report(the_case, analysis, out, audience=audience, default_model=model, pdf=pdf,
                             track_record=_track_record(db, analysis))
        written = [paths.html, paths.pdf, paths.markdown, paths.references]
        console.print(f"{audience} briefing as of {analysis.as_of.isoformat()} written: "
                      + ", ".join(str(p) for p in written if p), highlight=False)


def _track_record(db: str | None, analysis):
    """Record the briefing's forecasts, then read each model's track record; None (no section, a
    warning) if the ledger cannot be read: the briefing does not depend on it."""
    from rich.markup import escape
    from sqlalchemy.exc import SQLAlchemyError

    from ..ledger import Ledger, record_quietly, track_record

    record_quietly(db, analysis)
    try:
        return track_record(Ledger(db), analysis.case.id)
    except (SQLAlchemyError, OSError) as exc:
        console.print(f"[yellow]warning:[/yellow] no track record in the briefing: the ledger cannot be read "
                      f"({escape(str(exc))})", highlight=False)
        return None
