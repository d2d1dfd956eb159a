"""Commands of the analysis stage: `accord analyze` and `accord forecast`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table as RichTable

from .common import DbOption, console, resolve_case

out = Console()

DEU_NOTE = ("Model choice: across 351 EU decisions (DEU III) the plain compromise model beat the "
            "challenge model, MAE 22.99 vs 26.83 (0–100 scale). Compromise is the default.")


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the app."""

    @app.command(help="Analyse a case as of a date: positions, ZOPA, settlement, forecasts, risk, volatility. "
                      + DEU_NOTE)
    def analyze(
        case: str = typer.Argument(..., help="Case folder or the id of a case in the store."),
        db: str = DbOption,
        as_of: str = typer.Option(None, "--as-of", help="Analysis date YYYY-MM-DD (default: the case's as_of)."),
        fmt: str = typer.Option("table", "--format", help="json or table."),
        scenario: Path = typer.Option(None, "--scenario", help="YAML file of changes (docs/analysis.md)."),
        draws: int = typer.Option(2000, "--draws", help="Monte Carlo draws (0 to skip)."),
        seed: int = typer.Option(0, "--seed", help="Random seed of the Monte Carlo."),
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
        if fmt == "json":
            sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
            return
        _print_analysis(result)

    @app.command(help="Run one outcome model on a table: plain CSV (actor, capability, position, salience, "
                      "optional issue), KTAB's CSV or decide's #A/#P/#M/#D file (auto-detected). " + DEU_NOTE)
    def forecast(
        csv: Path = typer.Option(..., "--csv", help="Input table."),
        model: str = typer.Option("compromise", "--model",
                                  help="compromise (default; DEU III MAE 22.99) | median | nash | "
                                       "eum (challenge model; DEU III MAE 26.83) | smp"),
        fmt: str = typer.Option("table", "--format", help="json or table."),
        input_format: str = typer.Option(None, "--input-format", help="plain, ktab or decide (default: detect)."),
    ) -> None:
        from ..analysis import MODELS, InputError, forecast_table, read_table
        from ..analysis.forecast import MODEL_NOTES

        if model not in MODELS:
            console.print(f"[red]error:[/red] unknown model {model!r}: choose one of {', '.join(MODELS)}")
            raise typer.Exit(2)
        try:
            table = read_table(csv, input_format)
            res = forecast_table(table, model)
        except InputError as exc:
            console.print(f"[red]error:[/red] {exc}", highlight=False)
            raise typer.Exit(2)
        result = {issue: {model: r["value"], "rounds": r["rounds"], **({"error": r["error"]} if "error" in r else {})}
                  for issue, r in res.items()}
        if fmt == "json":
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        else:
            t = RichTable(title=f"{model}: {MODEL_NOTES[model]}")
            t.add_column("issue")
            t.add_column("forecast", justify="right")
            t.add_column("rounds", justify="right")
            for issue, r in result.items():
                v = r[model]
                t.add_row(issue, "—  " + r.get("error", "") if v is None else f"{v:.2f}", str(r["rounds"]))
            out.print(t)
            out.print(DEU_NOTE, style="dim")
        if all(r[model] is None for r in result.values()):
            raise typer.Exit(2)


def _fmt(v) -> str:
    return "—" if v is None else f"{v:.1f}"


def _print_analysis(r: dict) -> None:
    out.print(f"[bold]{r['case']['title']}[/bold] — as of {r['as_of']}")
    for note in r.get("notes", []):
        out.print(f"  note: {note}", style="dim")
    fc = r.get("forecast", {})
    models = list(fc)
    t = RichTable(title="Forecasts (0–100 scale)")
    t.add_column("issue")
    for m in models:
        t.add_column(m + (" *" if m == r["default_model"] else ""), justify="right")
    mc = (r.get("montecarlo") or {}).get("models", {}).get(r["default_model"], {})
    t.add_column("p5–p95", justify="right")
    issues = list(next(iter(fc.values()), {}))
    for issue in issues:
        band = mc.get(issue)
        t.add_row(issue, *[_fmt(fc[m].get(issue)) for m in models],
                  f"{band['p5']:.0f}–{band['p95']:.0f}" if band else "—")
    out.print(t)
    out.print(f"* default model. {r['model_accuracy']['text']}", style="dim")

    if r.get("zopa"):
        z = RichTable(title="Zones of possible agreement")
        for col in ("issue", "between", "acceptable A", "acceptable B", "ZOPA", "gap"):
            z.add_column(col)
        for row in r["zopa"]:
            a, b = row["between"]
            z.add_row(row["issue"], f"{a}–{b}", "{:.0f}–{:.0f}".format(*row["acceptable"][a]),
                      "{:.0f}–{:.0f}".format(*row["acceptable"][b]),
                      "{:.0f}–{:.0f}".format(*row["zone"]) if row["exists"] else "none", f"{row['gap']:.1f}")
        out.print(z)
    s = r.get("settlement", {})
    if s.get("parties"):
        a, b = s["parties"][:2] if len(s["parties"]) > 1 else (s["parties"][0], "?")
        if s.get("feasible"):
            out.print(f"Settlement {a}–{b}: a package meets both sides' fallbacks on every shared issue.")
        elif s.get("min_concession"):
            mc_ = s["min_concession"]
            def steps(basis: str) -> str:
                return "; ".join(f"{st['actor']} {st['issue']} {st['from']:.0f}→{st['to']:.0f}"
                                 + (" (crosses a stated red line)" if st.get("crosses_red_line") else "")
                                 for st in mc_["steps"] if st.get("basis", "stated") == basis)
            out.print(f"Settlement {a}–{b}: [bold]no package[/bold] meets both fallbacks; blocked on "
                      f"{', '.join(s['blocking_issues'])}. Least total concession {mc_['total_points']:.1f} points.")
            for basis, label in (("stated", "between limits both sides have stated"),
                                 ("assumed", "where a limit is assumed (no fallback stated: ideal used)")):
                sub = mc_.get(basis) or {}
                if sub.get("total_points"):
                    out.print(f"  {sub['total_points']:.1f} points {label}: {steps(basis)}")
        pkg = s.get("package") or {}
        if pkg.get("nash"):
            out.print("  Trading across issues, the Nash package: "
                      + ", ".join(f"{k} {v:.0f}" for k, v in pkg["nash"]["package"].items()))
        elif pkg:
            out.print(f"  Even trading across issues no package reaches both reservation utilities "
                      f"(shortfall {pkg.get('shortfall', 0):.3f}).")
    if r.get("risks"):
        k = RichTable(title="Biggest risks (tornado, default model)")
        for col in ("actor", "issue", "parameter", "effect (points)"):
            k.add_column(col)
        for row in r["risks"][:8]:
            k.add_row(row["actor"], row["issue"], row["parameter"], f"{row['effect']:.2f}")
        out.print(k)
    if r.get("volatility"):
        v = RichTable(title="Most volatile positions (reversal points a month)")
        for col in ("actor", "issue", "index", "reversals"):
            v.add_column(col)
        for row in r["volatility"][:8]:
            v.add_row(row["actor"], row["issue"], f"{row['index']:.2f}", str(row["reversals"]))
        out.print(v)
    if r.get("contradictions"):
        out.print(f"{len(r['contradictions'])} contradiction(s) in the evidence (both claims kept):")
        for c in r["contradictions"]:
            out.print(f"  • {c['id']}: {c['why']}", markup=False, highlight=False)
    if r.get("scenario"):
        d = r["scenario"]["diff"]
        out.print(f"[bold]Scenario {r['scenario']['name']}[/bold] — difference from the baseline:")
        for m, issues in d["forecast"].items():
            for issue, ch in issues.items():
                out.print(f"  {m} {issue}: {_fmt(ch['baseline'])} → {_fmt(ch['scenario'])} "
                          f"({_delta(ch['delta'])})")
        for z in d["zopa"]:
            out.print(f"  ZOPA {z['issue']}: gap {z['baseline_gap']} → {z['scenario_gap']}")
        st = d["settlement"]
        out.print(f"  settlement feasible: {st['baseline_feasible']} → {st['scenario_feasible']}; "
                  f"least concession {st['baseline_min_concession']} → {st['scenario_min_concession']}")


def _delta(v) -> str:
    return "—" if v is None else f"{v:+.1f}"
