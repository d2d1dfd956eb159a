"""`accord ingest`: documents → candidates (`accord review`, in review.py, turns them into evidence)."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from ..case.folder import CaseError, read_case
from ..case.models import Case, CaseMeta
from ..store import Store
from .common import DbOption, console, fail_case, store_for


def _case_id(store: Store, case_arg: str, *, new: bool = False) -> str:
    """CASE is a case id in the store or a case folder (imported first if its id is not stored yet)."""
    path = Path(case_arg)
    if path.is_dir():
        try:
            case = read_case(path)
        except CaseError as exc:
            fail_case(exc)
        if not store.has_case(case.meta.id):
            store.save_case(case)
            console.print(f"imported case {case.meta.id!r} from {path}")
        return case.meta.id
    if store.has_case(case_arg):
        return case_arg
    if new:
        store.save_case(Case(meta=CaseMeta(id=case_arg, title=case_arg)))
        console.print(f"created empty case {case_arg!r}")
        return case_arg
    console.print(f"[red]error:[/red] no case {escape(case_arg)!r} in the store. Import one with "
                  "`accord case import DIR`, pass a case folder, or add --new to create an empty case.")
    raise typer.Exit(2)


def _reviewer(name: str | None) -> str:
    return name or os.environ.get("ACCORD_REVIEWER") or getpass.getuser()


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest_cmd(
        paths: list[Path] = typer.Argument(..., help="Files or folders (.txt .md .html .pdf .jsonl), folders recursively."),
        case: str = typer.Option(..., "--case", help="Case id in the store, or a case folder (imported if new)."),
        db: str = DbOption,
        auto_accept: Optional[float] = typer.Option(None, "--auto-accept", min=0, max=1,
                                                    help="Accept candidates with confidence ≥ this (recorded as automatic)."),
        engine: str = typer.Option("local", "--engine", help="local (in-process or --workers processes) or ray."),
        workers: int = typer.Option(1, "--workers", min=1, help="Extraction processes for --engine local."),
        date: Optional[str] = typer.Option(None, "--date", help="Date of undated documents (a .txt's own first-line date is overridden)."),
        outlet: Optional[str] = typer.Option(None, "--outlet", help="Outlet of documents that name none (else: unknown)."),
        url: Optional[str] = typer.Option(None, "--url", help="URL of documents that give none (http/https)."),
        title: Optional[str] = typer.Option(None, "--title", help="Title of documents that give none."),
        reliability: str = typer.Option("F", "--reliability", help="Source reliability A–F (F: cannot be judged)."),
        credibility: int = typer.Option(6, "--credibility", min=1, max=6, help="Information credibility 1–6 (6: cannot be judged)."),
        types: Optional[str] = typer.Option(None, "--types", help="File types to read, e.g. txt,html,pdf (default: txt,md,html,pdf,jsonl)."),
        manifest: Optional[Path] = typer.Option(None, "--manifest", help="Manifest CSV (default: manifest.csv in a folder given)."),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Name every skipped file and why."),
        new: bool = typer.Option(False, "--new", help="Create CASE as an empty case if it is not in the store."),
        extractor: str = typer.Option("accord.extract:extract_document", "--extractor",
                                      help="The extraction function, module:function (same signature as accord's)."),
        progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar (default: when stderr is a terminal)."),
        as_json: bool = typer.Option(False, "--json", help="Print the run's counts as JSON on stdout."),
    ) -> None:
        """Read documents, skip duplicates, flag non-English ones and store extracted candidates for review."""
        from ..case.models import check_partial_date
        from ..ingest import ManifestError, ingest, load_extractor, parse_types
        from ..ingest.metadata import web_url

        if reliability.upper() not in "ABCDEF" or len(reliability) != 1:
            raise typer.BadParameter("reliability is one letter A–F", param_hint="--reliability")
        if url is not None and not web_url(url):
            raise typer.BadParameter("a URL starts with http:// or https://", param_hint="--url")
        try:
            suffixes = parse_types(types)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--types")
        if date:
            try:
                check_partial_date(date)
            except ValueError as exc:
                raise typer.BadParameter(str(exc), param_hint="--date")
        store = store_for(db)
        case_id = _case_id(store, case, new=new)
        try:
            fn = load_extractor(extractor)
        except (ImportError, AttributeError) as exc:
            console.print(f"[red]error:[/red] cannot load the extractor {escape(extractor)}: {escape(str(exc))}")
            raise typer.Exit(2)

        def on_problem(p) -> None:
            console.print(f"[yellow]skipped[/yellow] {escape(p.where)}: {escape(p.reason)}", highlight=False)

        def on_skip(s) -> None:
            if verbose:
                console.print(f"[dim]not read[/dim] {escape(s.path)}: {escape(s.reason)}", highlight=False)

        show = console.is_terminal if progress is None else progress
        bar = task = None
        if show:
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            bar = Progress(SpinnerColumn(), TextColumn("ingesting"), BarColumn(bar_width=None),
                           TextColumn("{task.completed} docs · {task.fields[rate]} docs/s · {task.fields[cands]} candidates"),
                           TimeElapsedColumn(), console=console, transient=False)
            task = bar.add_task("ingest", total=None, rate="–", cands=0)
        import time
        t0 = time.perf_counter()

        def on_document(r) -> None:
            if bar is not None:
                n = r.stored + r.already + r.exact_duplicates + r.near_duplicates + r.failed
                el = time.perf_counter() - t0
                bar.update(task, completed=n, rate=f"{n / el:.1f}" if el > 0 else "–", cands=r.candidates)

        try:
            if bar is not None:
                bar.start()
            report = ingest([str(p) for p in paths], case_id, store, extractor=fn, auto_accept=auto_accept,
                            engine=engine, workers=workers, date=date, outlet=outlet, url=url, title=title,
                            reliability=reliability.upper(), credibility=credibility, types=suffixes,
                            manifest=manifest, on_problem=on_problem, on_skip=on_skip, on_document=on_document)
        except ManifestError as exc:
            console.print(f"[red]error:[/red] {escape(str(exc))} (nothing was ingested)", highlight=False)
            raise typer.Exit(2)
        except RuntimeError as exc:
            console.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(2)
        finally:
            if bar is not None:
                bar.stop()
        el = time.perf_counter() - t0
        console.print(
            f"case {case_id!r}: {report.extracted} extracted, {report.flagged} flagged for review (not English), "
            f"{report.already} already ingested, {report.exact_duplicates} exact and {report.near_duplicates} near "
            f"duplicates skipped, {report.failed} failed; {report.candidates} candidates"
            + (f" ({report.auto_accepted} auto-accepted)" if auto_accept is not None else "")
            + f" in {el:.1f}s", highlight=False)
        if report.skipped:
            why = {"unsupported": "of an unsupported type", "not-asked-for": "of a type not asked for (--types)",
                   "not-in-manifest": "not listed in the manifest", "manifest": "the manifest itself"}
            console.print(f"not read: {report.skipped} file(s): " + ", ".join(
                f"{n} {why.get(k, k)}" for k, n in sorted(report.skipped_by_kind().items()))
                + ("" if verbose or as_json else " (--verbose names them)"), highlight=False)
        if as_json:
            typer.echo(json.dumps({"case": case_id, **report.as_dict(), "seconds": round(el, 3)}))
