"""`accord sources list|edit|withdraw|restore CASE …`: a case's sources from the command line.

Edits and withdrawals go through the store (accord/store/documents.py), so each is one
transaction with its audit row, attributed to this OS account (or `--actor`).
"""

from __future__ import annotations

import json
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..store import Refused, StaleWrite, local_actor
from ..store import documents as sd
from .common import DbOption, console, store_for

ActorOption = typer.Option(None, "--actor", help="Who the audit log names (default: cli:<your login>).")


def _fail(exc: Exception) -> NoReturn:
    msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
    console.print(f"[red]error:[/red] {escape(str(msg))}", highlight=False)
    raise typer.Exit(1)


def _parse_set(pairs: list[str]) -> dict[str, object]:
    """field=value pairs; reliability=B2 also sets credibility; confidential takes yes/no."""
    out: dict[str, object] = {}
    for pair in pairs:
        if "=" not in pair:
            raise typer.BadParameter(f"{pair!r} is not field=value", param_hint="--set")
        k, v = (x.strip() for x in pair.split("=", 1))
        if k == "reliability" and len(v) == 2 and v[1].isdigit():
            out["reliability"], out["credibility"] = v[0].upper(), int(v[1])
        elif k == "reliability":
            out[k] = v.upper()
        elif k == "credibility":
            if not v.isdigit():
                raise typer.BadParameter("credibility is a number 1–6", param_hint="--set")
            out[k] = int(v)
        elif k == "confidential":
            if v.lower() not in ("yes", "no", "true", "false"):
                raise typer.BadParameter("confidential is yes or no", param_hint="--set")
            out[k] = v.lower() in ("yes", "true")
        else:
            out[k] = v
    return out


def register(app: typer.Typer) -> None:
    sources = typer.Typer(help="List, edit, withdraw and restore a case's sources.", no_args_is_help=True)
    app.add_typer(sources, name="sources")

    @sources.command("list")
    def list_cmd(case: str = typer.Argument(..., help="Case id in the store."), db: str = DbOption,
                 as_json: bool = typer.Option(False, "--json", help="One JSON object per source.")) -> None:
        """Every source with its grade, documents, status and candidates."""
        try:
            entries = sd.list_sources(store_for(db), case)
        except KeyError as exc:
            _fail(exc)
        if as_json:
            for e in entries:
                typer.echo(json.dumps(e.model_dump(mode="json"), ensure_ascii=False))
            return
        out = Console()
        if not out.is_terminal:
            out = Console(width=200)  # piped: never cut ids to fit an imagined 80 columns
        table = Table(box=None)
        table.add_column("id", no_wrap=True)
        for col in ("outlet", "title", "date", "grade", "url", "status", "document", "candidates"):
            table.add_column(col, overflow="fold")
        for e in entries:
            s = e.source
            doc = e.documents[0] if e.documents else None
            counts = ", ".join(f"{n} {k}" for k, n in sorted(doc.candidates.items())) if doc else ""
            status = "withdrawn" if e.withdrawn else (doc.status if doc else "case folder")
            table.add_row(escape(s.id), escape(s.outlet), escape(s.title or ""), s.date or "",
                          f"{s.reliability}{s.credibility}", escape(s.url or ""), status,
                          escape((doc.path or doc.id[:16]) if doc else ""), counts)
        out.print(table)
        console.print(f"{len(entries)} source(s), {sum(e.withdrawn for e in entries)} withdrawn", highlight=False)

    @sources.command("edit")
    def edit_cmd(case: str = typer.Argument(..., help="Case id in the store."),
                 ref: str = typer.Argument(..., help="Source id, document id (8+ characters) or document path."),
                 sets: list[str] = typer.Option(..., "--set", help="field=value (repeatable); an empty value clears."),
                 db: str = DbOption, actor: str | None = ActorOption) -> None:
        """Change a source's outlet, title, author, date, URL, language, grade or confidentiality."""
        store = store_for(db)
        changes = _parse_set(sets)
        try:
            source_id, _ = sd.find(store, case, ref)
            if source_id is None:
                raise KeyError(f"{ref!r} is a near duplicate stored without a source: nothing to edit")
            try:
                _, version = store.get_record(case, "source", source_id)
            except KeyError:
                raise KeyError(f"source {source_id!r} is not in the analysis: its document was withdrawn; "
                               "`accord sources restore` it before editing") from None
            new = sd.edit_source(store, case, source_id, changes, actor=actor or local_actor(),
                                 expected_version=version)
        except (KeyError, ValueError, Refused, StaleWrite) as exc:
            _fail(exc)
        console.print(f"edited {new.id}: " + ", ".join(f"{k}={getattr(new, k)!r}" for k in changes),
                      highlight=False, markup=False)

    @sources.command("withdraw")
    def withdraw_cmd(case: str = typer.Argument(..., help="Case id in the store."),
                     ref: str = typer.Argument(..., help="Source id, document id (8+ characters) or document path."),
                     reason: str | None = typer.Option(None, "--reason", help="Why (kept in the audit log)."),
                     db: str = DbOption, actor: str | None = ActorOption) -> None:
        """Take a document, its source and the evidence drawn from it out of the analysis (kept in
        the store and the audit log; `restore` brings them back)."""
        store = store_for(db)
        try:
            _, doc = sd.find(store, case, ref)
            if doc is None:
                raise KeyError(f"{ref!r} is a source of the case folder, not an ingested document: "
                               "remove it from the folder instead")
            res = sd.withdraw(store, case, doc, actor=actor or local_actor(), reason=reason)
        except (KeyError, ValueError, Refused) as exc:
            _fail(exc)
        console.print(f"withdrew document {doc[:16]}: {len(res.records)} record(s) out of the analysis"
                      + (f" ({', '.join(res.records)})" if res.records else "")
                      + f", {len(res.candidates)} pending candidate(s) out of the review queue",
                      highlight=False, markup=False)

    @sources.command("restore")
    def restore_cmd(case: str = typer.Argument(..., help="Case id in the store."),
                    ref: str = typer.Argument(..., help="Source id, document id (8+ characters) or document path."),
                    db: str = DbOption, actor: str | None = ActorOption) -> None:
        """Bring a withdrawn document and its evidence back into the analysis."""
        store = store_for(db)
        try:
            _, doc = sd.find(store, case, ref)
            if doc is None:
                raise KeyError(f"{ref!r} is not an ingested document")
            res = sd.restore(store, case, doc, actor=actor or local_actor())
        except (KeyError, ValueError, Refused) as exc:
            _fail(exc)
        console.print(f"restored document {doc[:16]}: {len(res.records)} record(s) back in the analysis, "
                      f"{len(res.candidates)} candidate(s) back in the review queue", highlight=False, markup=False)
