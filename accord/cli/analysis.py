"""Commands of the analysis stage: `accord analyze` and `accord forecast`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table as RichTable

from .common import DbOption, console, resolve_case

if TYPE_CHECKING:  # the analysis package (numpy and the models) loads only when a command runs
    from ..analysis.contracts import Analysis

out = Console()

# The DEU III finding itself is said once, in accord.analysis.forecast.DEU_FINDING.
MODEL_CHOICE = "Compromise is the default model: it beat the challenge model on 351 EU decisions (DEU III)."


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the app."""

    @app.command(help="Analyse a case as of a date: positions, ZOPA, settlement, forecasts, risk, volatility. "
                      + MODEL_CHOICE)
    def analyze(
        case: str = typer.Argument(..., help="Case folder or the id of a case in the store."),
        db: str = DbOption,
        as_of: str = typer.Option(None, "--as-of", help="Analysis date YYYY-MM-DD (default: the case's as_of)."),
        fmt: str = typer.Option("table", "--format", help="json or table."),
        scenario: Path = typer.Option(None, "--scenario", help="YAML file of changes (docs/analysis.md)."),
        draws: int = typer.Option(2000, "--draws", help="Monte Carlo draws (0 to skip)."),
        seed: int = typer.Option(0, "--seed", help="Random seed of the Monte Carlo."),
        record: bool = typer.Option(True, "--record/--no-record", help="Record the forecasts in the ledger "
                                    "of the store (--db); a scenario's are never recorded."),
    ) -> None:
        from ..analysis import InputError, Scenario, analyze_case

        if fmt not in ("json", "table"):
            console.print("[red]error:[/red] --format is json or table")
            raise typer.Exit(2)
        the_case = resolve_case(case, db)
        try:
            scen = Scenario.load(scenario) if scenario else None
            result = analyze_case(the_case, as_of, scen, draws=max(draws, 0), seed=seed)
        except InputError as exc:
            console.print(f"[red]error:[/red] {exc}", highlight=False)
            raise typer.Exit(2)
        except ValueError as exc:  # a malformed --as-of
            console.print(f"[red]error:[/red] {exc}", highlight=False)
            raise typer.Exit(2)
        if record and scen is None:  # a scenario is a what-if, not a forecast
            from ..ledger import record_quietly

            _ledger_note(record_quietly(db, result))
        if fmt == "json":
            sys.stdout.write(json.dumps(result.json_dict(), ensure_ascii=False, indent=1) + "\n")
            return
        _print_analysis(result)

    @app.command(help="Run one outcome model on a table: plain CSV (actor, capability, position, salience, "
                      "optional issue), KTAB's CSV or decide's #A/#P/#M/#D file (auto-detected). " + MODEL_CHOICE)
    def forecast(
        csv: Path = typer.Option(..., "--csv", help="Input table."),
        model: str = typer.Option("compromise", "--model",
                                  help="A registered model: compromise (default), median, nash, eum, smp "
                                       "(docs/analysis.md describes each)."),
        fmt: str = typer.Option("table", "--format", help="json or table."),
        input_format: str = typer.Option(None, "--input-format", help="plain, ktab or decide (default: detect)."),
        case_id: str = typer.Option(None, "--case", help="The case the table belongs to, as the ledger records "
                                                         "it (default: the file's name without extension)."),
        as_of: str = typer.Option(None, "--as-of", help="The date the table's data describe, YYYY-MM-DD "
                                                        "(default: today)."),
        record: bool = typer.Option(True, "--record/--no-record", help="Record the forecasts in the ledger."),
        db: str = DbOption,
    ) -> None:
        import datetime as dt

        from ..analysis import InputError, forecast_table, get_model, read_table

        try:
            note = get_model(model).note
        except InputError as exc:
            console.print(f"[red]error:[/red] {exc}", highlight=False)
            raise typer.Exit(2)
        try:
            day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
        except ValueError:
            console.print(f"[red]error:[/red] --as-of must be a date YYYY-MM-DD, not {as_of!r}", highlight=False)
            raise typer.Exit(2)
        try:
            table = read_table(csv, input_format)
            res = forecast_table(table, model)
        except InputError as exc:
            console.print(f"[red]error:[/red] {exc}", highlight=False)
            raise typer.Exit(2)
        if record:
            from ..ledger import record_forecasts_quietly

            _ledger_note(record_forecasts_quietly(db, case_id or csv.stem, day, table, {model: res}))
        result = {issue: {model: r["value"], "rounds": r["rounds"], **({"error": r["error"]} if "error" in r else {})}
                  for issue, r in res.items()}
        if fmt == "json":
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        else:
            t = RichTable(title=f"{model}: {note}")
            t.add_column("issue")
            t.add_column("forecast", justify="right")
            t.add_column("rounds", justify="right")
            for issue, r in result.items():
                v = r[model]
                t.add_row(issue, "—  " + r.get("error", "") if v is None else f"{v:.2f}", str(r["rounds"]))
            out.print(t)
            from ..analysis.forecast import DEU_FINDING

            out.print(DEU_FINDING["text"], style="dim")
        if all(r[model] is None for r in result.values()):
            raise typer.Exit(2)


def _ledger_note(new: int | None) -> None:
    if new is None:
        console.print("[yellow]warning:[/yellow] the forecast ledger could not record these forecasts "
                      "(the analysis stands; see the log)")
    elif new:
        console.print(f"ledger: {new} new forecasts recorded", style="dim")


def _fmt(v) -> str:
    return "—" if v is None else f"{v:.1f}"


def _print_analysis(r: Analysis) -> None:
    out.print(f"[bold]{r.case.title}[/bold] — as of {r.as_of.isoformat()}")
    for note in r.notes:
        out.print(f"  note: {note}", style="dim")
    fc = r.forecast
    models = list(fc)
    t = RichTable(title="Forecasts (0–100 scale)")
    t.add_column("issue")
    for m in models:
        t.add_column(m + (" *" if m == r.default_model else ""), justify="right")
    mc = r.montecarlo.models.get(r.default_model, {}) if r.montecarlo else {}
    t.add_column("p5–p95", justify="right")
    issues = list(next(iter(fc.values()), {}))
    for issue in issues:
        band = mc.get(issue)
        t.add_row(issue, *[_fmt(fc[m].get(issue)) for m in models],
                  f"{band.p5:.0f}–{band.p95:.0f}" if band else "—")
    out.print(t)
    for issue, why in r.not_forecast.items():
        out.print(f"  not forecast: {issue}: {why}", style="dim", markup=False, highlight=False)
    out.print(f"* default model. {r.model_accuracy.text}", style="dim")

    if r.zopa:
        z = RichTable(title="Zones of possible agreement")
        for col in ("issue", "between", "acceptable A", "acceptable B", "ZOPA", "gap"):
            z.add_column(col)
        for row in r.zopa:
            a, b = row.between
            z.add_row(row.issue, f"{a}–{b}", "{:.0f}–{:.0f}".format(*row.acceptable[a]),
                      "{:.0f}–{:.0f}".format(*row.acceptable[b]),
                      "{:.0f}–{:.0f}".format(*row.zone) if row.zone else "none", f"{row.gap:.1f}")
        out.print(z)
    s = r.settlement
    if s is not None and s.parties:
        a, b = s.parties[:2] if len(s.parties) > 1 else (s.parties[0], "?")
        if s.feasible:
            out.print(f"Settlement {a}–{b}: a package meets both sides' fallbacks on every shared issue.")
        elif s.min_concession:
            mc_ = s.min_concession

            def steps(basis: str) -> str:
                return "; ".join(f"{st.actor} {st.issue} {st.from_:.0f}→{st.to:.0f}"
                                 + (" (crosses a stated red line)" if st.crosses_red_line else "")
                                 for st in mc_.steps if st.basis == basis)
            out.print(f"Settlement {a}–{b}: [bold]no package[/bold] meets both fallbacks; blocked on "
                      f"{', '.join(s.blocking_issues)}. Least total concession {mc_.total_points:.1f} points.")
            for basis, label in (("stated", "between limits both sides have stated"),
                                 ("assumed", "where a limit is assumed (no fallback stated: ideal used)")):
                sub = mc_.stated if basis == "stated" else mc_.assumed
                if sub.total_points:
                    out.print(f"  {sub.total_points:.1f} points {label}: {steps(basis)}")
        pkg = s.package
        if pkg is not None and pkg.nash is not None:
            out.print("  Trading across issues, the Nash package: "
                      + ", ".join(f"{k} {v:.0f}" for k, v in pkg.nash.package.items()))
        elif pkg is not None:
            out.print(f"  Even trading across issues no package reaches both reservation utilities "
                      f"(shortfall {pkg.shortfall:.3f}).")
    if r.risks:
        k = RichTable(title="Biggest risks (tornado, default model)")
        for col in ("actor", "issue", "parameter", "effect (points)"):
            k.add_column(col)
        for risk in r.risks[:8]:
            k.add_row(risk.actor, risk.issue, risk.parameter, f"{risk.effect:.2f}")
        out.print(k)
    if r.volatility:
        v = RichTable(title="Most volatile positions (reversal points a month)")
        for col in ("actor", "issue", "index", "reversals"):
            v.add_column(col)
        for vol in r.volatility[:8]:
            v.add_row(vol.actor, vol.issue, f"{vol.index:.2f}", str(vol.reversals))
        out.print(v)
    if r.contradictions:
        out.print(f"{len(r.contradictions)} contradiction(s) in the evidence (both claims kept):")
        for c in r.contradictions:
            out.print(f"  • {c.id}: {c.why}", markup=False, highlight=False)
    if r.scenario:
        d = r.scenario.diff
        out.print(f"[bold]Scenario {r.scenario.name}[/bold] — difference from the baseline:")
        for m, changes in d.forecast.items():
            for issue, ch in changes.items():
                out.print(f"  {m} {issue}: {_fmt(ch.baseline)} → {_fmt(ch.scenario)} ({_delta(ch.delta)})")
        for zc in d.zopa:
            out.print(f"  ZOPA {zc.issue}: gap {zc.baseline_gap} → {zc.scenario_gap}")
        st = d.settlement
        out.print(f"  settlement feasible: {st.baseline_feasible} → {st.scenario_feasible}; "
                  f"least concession {st.baseline_min_concession} → {st.scenario_min_concession}")


def _delta(v) -> str:
    return "—" if v is None else f"{v:+.1f}"
