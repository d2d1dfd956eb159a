"""`accord ingest` (documents → candidates) and `accord review` (candidates → evidence)."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.prompt import Prompt
from rich.table import Table

from .. import review as rv
from ..case.folder import CaseError, read_case
from ..case.models import Case, CaseMeta
from ..store import Store, StaleWrite
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
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
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

    @app.command("review")
    def review_cmd(
        case: str = typer.Argument(..., help="Case id in the store (or its case folder)."),
        db: str = DbOption,
        list_: bool = typer.Option(False, "--list", help="List pending candidates (with --all: every candidate)."),
        all_: bool = typer.Option(False, "--all", help="With --list: every status, not just pending."),
        as_json: bool = typer.Option(False, "--json", help="With --list: one JSON object per line."),
        accept: list[str] = typer.Option([], "--accept", help="Accept candidate ID (repeatable)."),
        reject: list[str] = typer.Option([], "--reject", help="Reject candidate ID (repeatable)."),
        edit_id: Optional[str] = typer.Option(None, "--edit", help="Edit candidate ID with --set."),
        sets: list[str] = typer.Option([], "--set", help="field=value for --edit (repeatable)."),
        merge_alias: Optional[str] = typer.Option(None, "--merge-alias", help="An unknown name to make an alias…"),
        into: Optional[str] = typer.Option(None, "--into", help="…of this actor id."),
        auto_accept: Optional[float] = typer.Option(None, "--auto-accept", min=0, max=1,
                                                    help="Accept every pending candidate with confidence ≥ this (recorded as automatic)."),
        reviewer: Optional[str] = typer.Option(None, "--reviewer", help="Your name (default $ACCORD_REVIEWER, else the login)."),
    ) -> None:
        """Walk the queue of extracted candidates: accept, edit, reject, merge aliases. Without an
        action option it is interactive."""
        store = store_for(db)
        case_id = _case_id(store, case)
        who = _reviewer(reviewer)
        acted = False
        code = 0
        try:
            if merge_alias is not None or into is not None:
                if not (merge_alias and into):
                    raise typer.BadParameter("--merge-alias NAME needs --into ACTOR", param_hint="--merge-alias")
                actor, rewritten = rv.merge_alias(store, case_id, merge_alias, into, reviewer=who)
                console.print(f"{merge_alias!r} is now an alias of {actor.id}; {len(rewritten)} pending candidate(s) updated",
                              highlight=False)
                acted = True
            if edit_id is not None or sets:
                if not edit_id or not sets:
                    raise typer.BadParameter("--edit ID needs at least one --set field=value", param_hint="--edit")
                changes = {}
                for s in sets:
                    if "=" not in s:
                        raise typer.BadParameter(f"{s!r} is not field=value", param_hint="--set")
                    k, v = s.split("=", 1)
                    changes[k.strip()] = v.strip()
                cand = rv.get_candidate(store, case_id, edit_id)
                rv.edit(store, case_id, edit_id, changes, reviewer=who, expected_version=cand.version)
                console.print(f"edited {edit_id}", highlight=False)
                acted = True
            for cid in accept:
                cand = rv.get_candidate(store, case_id, cid)
                res = rv.accept(store, case_id, cid, reviewer=who, expected_version=cand.version)
                console.print(f"accepted {cid} → " + ", ".join(f"{k} {i}" for k, i in res.records)
                              + (f" (added actors {', '.join(res.actors_added)})" if res.actors_added else ""),
                              highlight=False)
                acted = True
            for cid in reject:
                cand = rv.get_candidate(store, case_id, cid)
                rv.reject(store, case_id, cid, reviewer=who, expected_version=cand.version)
                console.print(f"rejected {cid}", highlight=False)
                acted = True
            if auto_accept is not None:
                done, left = rv.auto_accept(store, case_id, auto_accept, reviewer=who)
                console.print(f"auto-accepted {len(done)} candidate(s) with confidence ≥ {auto_accept}; "
                              f"{len(left)} left pending (need an edit or alias)", highlight=False)
                for cid, why in left[:20]:
                    console.print(f"  {cid}: {escape(why)}", highlight=False)
                acted = True
        except (rv.ReviewError, KeyError, StaleWrite) as exc:
            msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            console.print(f"[red]error:[/red] {escape(str(msg))}", highlight=False)
            code = 1
        if code:
            raise typer.Exit(code)
        if list_:
            _print_list(store, case_id, None if all_ else "pending", as_json)
            return
        if not acted:
            _interactive(store, case_id, who)


def _print_list(store: Store, case_id: str, status: str | None, as_json: bool) -> None:
    cands = rv.list_candidates(store, case_id, status=status)
    if as_json:
        for c in cands:
            typer.echo(json.dumps({"id": c.id, "kind": c.kind, "status": c.status, "auto_accepted": c.auto_accepted,
                                   "confidence": c.confidence, "version": c.version, "document": c.document_id,
                                   "start": c.start, "end": c.end, **{k: v for k, v in c.data.items() if k != "kind"}},
                                  ensure_ascii=False))
        return
    out = Console()  # stdout: the list is the output
    if not out.is_terminal:
        out = Console(width=200)  # piped: never cut ids to fit an imagined 80 columns
    table = Table(box=None)
    table.add_column("id", no_wrap=True)
    for col in ("kind", "status", "conf", "actor", "speaker", "issue", "type", "pos", "date"):
        table.add_column(col, overflow="fold")
    for c in cands:
        d = c.data
        table.add_row(c.id, c.kind, c.status + (" (auto)" if c.auto_accepted else ""),
                      f"{c.confidence:.2f}" if c.confidence is not None else "", *(escape(str(d.get(k) or "")) for k in
                      ("actor", "speaker", "issue", "event_type", "position", "date")))
    out.print(table)
    console.print(f"{len(cands)} candidate(s)", highlight=False)


_FIELDS = {
    "statement": ("actor", "speaker", "issue", "event_type", "role", "position", "date", "red_line"),
    "event": ("event_type", "actors", "actor", "date", "summary"),
    "figure": ("quantity", "value", "unit", "date"),
    "contradiction": ("why", "date"),
}


def _show(store: Store, cand: rv.Candidate, n: int, total: int) -> None:
    ctx = rv.candidate_context(store, cand)
    head = f"{n}/{total} · {cand.id} · {cand.kind}" + (f" · confidence {cand.confidence:.2f}" if cand.confidence is not None else "")
    where = ctx.title or ctx.path or ctx.document_id[:16]
    body = (f"[dim]{escape(where)}{' · ' + escape(ctx.date) if ctx.date else ''}[/dim]\n\n"
            f"{escape(ctx.before)}[bold reverse]{escape(ctx.span)}[/bold reverse]{escape(ctx.after)}")
    console.print(Panel(body, title=escape(head), title_align="left"))
    table = Table(box=None, show_header=False)
    for f in _FIELDS.get(cand.kind, ()):
        v = cand.data.get(f)
        if v not in (None, "", []) or f in ("actor", "issue", "position", "date"):
            table.add_row(f"[bold]{f}[/bold]", escape("; ".join(v) if isinstance(v, list) else str(v if v is not None else "—")))
    console.print(table)


def _interactive(store: Store, case_id: str, who: str) -> None:
    queue = rv.list_candidates(store, case_id)
    if not queue:
        console.print("nothing pending in the review queue")
        return
    i = 0
    while i < len(queue):
        cand = rv.get_candidate(store, case_id, queue[i].id)
        if cand.status != "pending":  # someone else reviewed it meanwhile
            i += 1
            continue
        _show(store, cand, i + 1, len(queue))
        key = Prompt.ask("[a]ccept [e]dit [r]eject [m]erge alias [s]kip [q]uit", console=console,
                         choices=["a", "e", "r", "m", "s", "q"], default="s", show_choices=False)
        try:
            if key == "q":
                break
            if key == "s":
                i += 1
            elif key == "a":
                res = rv.accept(store, case_id, cand.id, reviewer=who, expected_version=cand.version)
                console.print(f"[green]accepted[/green] → {', '.join(i for _, i in res.records)}")
                i += 1
            elif key == "r":
                rv.reject(store, case_id, cand.id, reviewer=who, expected_version=cand.version)
                console.print("[red]rejected[/red]")
                i += 1
            elif key == "e":
                changes = {}
                for f in _FIELDS.get(cand.kind, ()):
                    cur = cand.data.get(f)
                    cur_s = "; ".join(cur) if isinstance(cur, list) else ("" if cur is None else str(cur))
                    new = Prompt.ask(f"  {f}", console=console, default=cur_s, show_default=True)
                    if new != cur_s:
                        changes[f] = new
                if changes:
                    rv.edit(store, case_id, cand.id, changes, reviewer=who, expected_version=cand.version)
                    console.print(f"edited {', '.join(changes)}")
            elif key == "m":
                name = Prompt.ask("  name to merge", console=console,
                                  default=str(cand.data.get("speaker") or cand.data.get("actor") or ""))
                actor = Prompt.ask("  into actor id", console=console)
                a, rewritten = rv.merge_alias(store, case_id, name, actor, reviewer=who)
                console.print(f"{escape(name)!r} is now an alias of {a.id} ({len(rewritten)} candidate(s) updated)")
        except (rv.ReviewError, KeyError, StaleWrite) as exc:
            msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            console.print(f"[red]error:[/red] {escape(str(msg))}")
    left = rv.count_candidates(store, case_id).get("pending", 0)
    console.print(f"{left} candidate(s) still pending")
