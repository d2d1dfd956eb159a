"""Commands of the forecast ledger: `accord outcome add`, `accord ledger` (docs/analysis.md, "Forecast ledger")."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table as RichTable

from .common import DbOption, console, resolve_case

out = Console()
ANCHORS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "anchors"
JCPOA = Path(__file__).resolve().parents[2] / "examples" / "iran-nuclear-2015"  # in the repository, with outcomes


def _date(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        console.print(f"[red]error:[/red] {what} must be a date YYYY-MM-DD, not {text!r}", highlight=False)
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    """Add the ledger's commands to the app."""
    outcome = typer.Typer(help="Outcomes that forecasts are scored against.", no_args_is_help=True)
    app.add_typer(outcome, name="outcome")

    @outcome.command("add", help="Record what happened on an issue: a position on its scale, or --event 1/0 "
                                 "for a yes/no question (scored with the Brier score).")
    def add(
        case: str = typer.Argument(..., help="Case id (as in the store or the case folder's case.yaml)."),
        issue: str = typer.Argument(..., help="Issue id."),
        value: float = typer.Argument(..., help="The outcome on the issue's scale (with --event: 1 happened, 0 not)."),
        observed: str = typer.Option(..., "--observed", help="When it was observed, YYYY-MM-DD."),
        source: str = typer.Option(..., "--source", help="Where the outcome is documented."),
        note: str = typer.Option("", "--note"),
        event: bool = typer.Option(False, "--event", help="A yes/no question rather than a position."),
        db: str = DbOption,
    ) -> None:
        from pydantic import ValidationError

        from ..ledger import Ledger, OutcomeEntry

        try:
            entry = OutcomeEntry(case_id=case, issue=issue, kind="event" if event else "position", value=value,
                                 observed=_date(observed, "--observed"), note=note, source=source)
        except ValidationError as exc:
            console.print(f"[red]error:[/red] {exc.errors()[0]['msg']}", highlight=False)
            raise typer.Exit(2)
        new = Ledger(db).record_outcome(entry)
        out.print("recorded" if new else "already recorded", highlight=False)

    @app.command(help="The forecast ledger: each model's track record (mean absolute error on the issues' "
                      "scales; Brier score for yes/no questions). --record CASE records a case's forecasts "
                      "first; --seed records the real outcomes in ../shared/data/anchors (China SOE, DEU III) and the "
                      "JCPOA case's backtest (examples/iran-nuclear-2015); --seed-case DIR any closed case's.")
    def ledger(
        case: str = typer.Option(None, "--case", help="Only this case's forecasts."),
        record: str = typer.Option(None, "--record", help="Analyse this case (folder or store id) and record "
                                                           "every model's forecasts before scoring."),
        as_of: str = typer.Option(None, "--as-of", help="With --record: the analysis date YYYY-MM-DD."),
        seed: bool = typer.Option(False, "--seed", help="Record the anchors' outcomes and the forecasts they score."),
        anchors: Path = typer.Option(ANCHORS, "--anchors", help="The shared anchors folder (for --seed)."),
        seed_case: list[Path] = typer.Option([], "--seed-case", help="A case folder with outcomes.csv: record "
                                             "every model's forecasts as of the backtest's dates and its outcomes."),
        fmt: str = typer.Option("table", "--format", help="json, table, or markdown (model × case, as in the README)."),
        db: str = DbOption,
    ) -> None:
        from ..analysis import InputError, analyze_case
        from ..case.folder import CaseError
        from ..ledger import Ledger, markdown_table, record_analysis, seed_from_anchors, seed_from_case
        from .common import fail_case

        if fmt not in ("json", "table", "markdown"):
            console.print("[red]error:[/red] --format is json, table or markdown")
            raise typer.Exit(2)
        book = Ledger(db)
        if seed:
            try:
                counts = seed_from_anchors(book, anchors)
                console.print(f"seeded: {counts['outcomes']} new outcomes, {counts['forecasts']} new forecasts")
            except FileNotFoundError as exc:  # a user's clone has no ../shared: the JCPOA case still seeds
                console.print(f"[yellow]skipped the anchors:[/yellow] {exc}", highlight=False)
            if JCPOA.is_dir() and JCPOA not in seed_case:
                seed_case = [JCPOA, *seed_case]
        for folder in seed_case:
            try:
                counts = seed_from_case(book, folder)
            except CaseError as exc:
                fail_case(exc)
            console.print(f"seeded {folder.name}: {counts['outcomes']} new outcomes, "
                          f"{counts['forecasts']} new forecasts", highlight=False)
        if record:
            try:
                analysis = analyze_case(resolve_case(record, db), as_of, draws=1000)
            except InputError as exc:
                console.print(f"[red]error:[/red] {exc}", highlight=False)
                raise typer.Exit(2)
            console.print(f"recorded {record_analysis(book, analysis)} new forecasts of {analysis.case.id} "
                          f"as of {analysis.as_of}")
        if fmt == "markdown":
            sys.stdout.write(markdown_table(book))
            return
        scores = book.scores(case)
        if fmt == "json":
            out.print_json(json.dumps([s.model_dump() for s in scores]))
            return
        if not scores:
            out.print("No scored forecasts yet: record outcomes with `accord outcome add`.")
            return
        t = RichTable(title="Track record per model")
        for col in ("model", "source", "cases", "scored", "MAE", "Brier (n)"):
            t.add_column(col)
        for s in scores:
            t.add_row(s.model, s.source, ", ".join(s.cases), str(s.scored),
                      "—" if s.mae is None else f"{s.mae:.2f}",
                      "—" if s.brier is None else f"{s.brier:.3f} ({s.brier_scored})")
        out.print(t)
