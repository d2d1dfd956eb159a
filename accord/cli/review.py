"""`accord review CASE`: extracted candidates → evidence, interactively or from scripts.

Without an action option it opens the review screen (accord/cli/review_tui.py). The options are
the same decisions for scripts, plus what review accepted can be changed or taken back (audited
through the store like every write): `--revert RECORD_ID`, `--edit-record KIND:ID field=value`.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .. import review as rv
from .. import review_history as rh
from ..store import StaleWrite, Store
from .common import DbOption, console, store_for
from .ingest import _case_id, _reviewer
from .review_tui import accept_previewed, interactive, preview_table, safe


def shown(s: object) -> str:
    """Untrusted text for a markup string: control characters and markup neutralised."""
    return escape(safe(s))


def _assignments(pairs: list[str], hint: str) -> dict[str, str]:
    out = {}
    for s in pairs:
        if "=" not in s:
            raise typer.BadParameter(f"{s!r} is not field=value", param_hint=hint)
        k, v = s.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def register(app: typer.Typer) -> None:
    @app.command("review")
    def review_cmd(
        case: Annotated[str, typer.Argument(help="Case id in the store (or its case folder).")],
        assignments: Annotated[list[str] | None, typer.Argument(
            metavar="[FIELD=VALUE]...", help="The changes for --edit or --edit-record.")] = None,
        db: str = DbOption,
        list_: Annotated[bool, typer.Option(
            "--list", help="List pending candidates (with --all: every candidate).")] = False,
        all_: Annotated[bool, typer.Option("--all", help="With --list: every status, not just pending.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="With --list: one JSON object per line.")] = False,
        accept: Annotated[list[str] | None, typer.Option("--accept", help="Accept candidate ID (repeatable).")] = None,
        reject: Annotated[list[str] | None, typer.Option("--reject", help="Reject candidate ID (repeatable).")] = None,
        edit_id: Annotated[str | None, typer.Option(
            "--edit", help="Edit candidate ID: FIELD=VALUE arguments (or --set).")] = None,
        sets: Annotated[list[str] | None, typer.Option("--set", help="field=value for --edit (repeatable).")] = None,
        merge_alias: Annotated[str | None, typer.Option(
            "--merge-alias", help="An unknown name to make an alias…")] = None,
        into: Annotated[str | None, typer.Option("--into", help="…of this actor id.")] = None,
        batch: Annotated[bool, typer.Option(
            "--batch-accept", help="Accept the pending candidates at or above --min-confidence, after a preview.")
        ] = False,
        min_conf: Annotated[float, typer.Option(
            "--min-confidence", min=0, max=1, help="Threshold for --batch-accept.")] = 0.8,
        yes: Annotated[bool, typer.Option("--yes", "-y", help="With --batch-accept: no confirmation question.")] = False,
        auto_accept: Annotated[float | None, typer.Option(
            "--auto-accept", min=0, max=1,
            help="Accept every pending candidate with confidence ≥ this, recorded as automatic (no preview).")] = None,
        undo: Annotated[bool, typer.Option(
            "--undo", help="Undo your last accept, reject or edit in this case.")] = False,
        revert: Annotated[list[str] | None, typer.Option(
            "--revert", help="Take an accepted record (c-ID, or the candidate ID) out of the evidence; "
                             "its candidate is pending again.")] = None,
        edit_record: Annotated[str | None, typer.Option(
            "--edit-record", metavar="KIND:ID", help="Change fields of a record (FIELD=VALUE arguments).")] = None,
        reviewer: Annotated[str | None, typer.Option(
            "--reviewer", help="Your name (default $ACCORD_REVIEWER, else the login).")] = None,
    ) -> None:
        """Walk the queue of extracted candidates: accept, edit, reject, merge aliases, undo. Without
        an action option it is interactive (single keys: a accept, x reject, e edit, j/s next,
        k previous, u undo, b batch accept, m merge alias, q quit)."""
        store = store_for(db)
        case_id = _case_id(store, case)
        who = _reviewer(reviewer)
        pairs = list(assignments or [])
        if pairs and not (edit_id or edit_record):
            raise typer.BadParameter(f"{pairs[0]!r}: FIELD=VALUE goes with --edit ID or --edit-record KIND:ID",
                                     param_hint="FIELD=VALUE")
        if edit_id and edit_record:
            raise typer.BadParameter("--edit (a candidate) and --edit-record (a record) take one at a time",
                                     param_hint="--edit-record")
        acted = False
        try:
            if merge_alias is not None or into is not None:
                if not (merge_alias and into):
                    raise typer.BadParameter("--merge-alias NAME needs --into ACTOR", param_hint="--merge-alias")
                actor, rewritten = rv.merge_alias(store, case_id, merge_alias, into, reviewer=who)
                console.print(f"{shown(merge_alias)!r} is now an alias of {actor.id}; "
                              f"{len(rewritten)} pending candidate(s) updated", highlight=False)
                acted = True
            if edit_id is not None or sets:
                changes = _assignments(sets or [], "--set") | _assignments(pairs, "FIELD=VALUE")
                if not edit_id or not changes:
                    raise typer.BadParameter("--edit ID needs at least one FIELD=VALUE", param_hint="--edit")
                cand = rv.get_candidate(store, case_id, edit_id)
                rv.edit(store, case_id, edit_id, changes, reviewer=who, expected_version=cand.version)
                console.print(f"edited {shown(edit_id)}: {shown(', '.join(changes))}", highlight=False)
                acted = True
            for cid in accept or []:
                cand = rv.get_candidate(store, case_id, cid)
                res = rv.accept(store, case_id, cid, reviewer=who, expected_version=cand.version)
                console.print(f"accepted {shown(cid)} → " + ", ".join(f"{k} {i}" for k, i in res.records)
                              + (f" (added actors {', '.join(res.actors_added)})" if res.actors_added else ""),
                              highlight=False)
                acted = True
            for cid in reject or []:
                cand = rv.get_candidate(store, case_id, cid)
                rv.reject(store, case_id, cid, reviewer=who, expected_version=cand.version)
                console.print(f"rejected {shown(cid)}", highlight=False)
                acted = True
            if batch:
                _batch(store, case_id, who, min_conf, yes)
                acted = True
            if auto_accept is not None:
                done, left = rv.auto_accept(store, case_id, auto_accept, reviewer=who)
                console.print(f"auto-accepted {len(done)} candidate(s) with confidence ≥ {auto_accept}; "
                              f"{len(left)} left pending (need an edit or alias)", highlight=False)
                for cid, why in left[:20]:
                    console.print(f"  {shown(cid)}: {shown(why)}", highlight=False)
                acted = True
            for rid in revert or []:
                reverted = rh.revert(store, case_id, rid, reviewer=who)
                console.print(f"reverted {shown(rid)}: deleted {', '.join(reverted.records) or 'nothing'}; "
                              f"candidate {reverted.candidate.id} is pending again", highlight=False)
                acted = True
            if edit_record is not None:
                kind, sep, rid = edit_record.partition(":")
                if not sep or not rid or not pairs:
                    raise typer.BadParameter("--edit-record KIND:ID needs FIELD=VALUE arguments",
                                             param_hint="--edit-record")
                before, after, version = rh.edit_record(store, case_id, kind, rid, _assignments(pairs, "FIELD=VALUE"),
                                                        reviewer=who)
                old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
                for k in sorted(k for k in new if new[k] != old.get(k)):
                    console.print(f"  {k}: {shown(json.dumps(old.get(k), ensure_ascii=False))} → "
                                  f"{shown(json.dumps(new[k], ensure_ascii=False))}", highlight=False)
                console.print(f"edited {shown(kind)} {shown(rid)} (now version {version})", highlight=False)
                acted = True
            if undo:
                undone = rh.undo_last(store, case_id, reviewer=who)
                console.print(f"undid your {undone.action.split('.')[1]} of {undone.candidate.id}: it is "
                              f"{undone.candidate.status} again"
                              + (f"; deleted {', '.join(undone.records)}" if undone.records else ""), highlight=False)
                acted = True
        except (rv.ReviewError, LookupError, StaleWrite) as exc:
            msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            console.print(f"[red]error:[/red] {shown(str(msg))}", highlight=False)
            raise typer.Exit(1) from None
        if list_:
            _print_list(store, case_id, None if all_ else "pending", as_json)
            return
        if not acted:
            code = interactive(store, case_id, who)
            if code:
                raise typer.Exit(code)


def _batch(store: Store, case_id: str, who: str, threshold: float, yes: bool) -> None:
    preview = store.candidates(case_id, status="pending", min_confidence=threshold)
    if not preview:
        console.print(f"no pending candidate at or above confidence {threshold}", highlight=False)
        return
    Console(stderr=True, width=max(console.width, 120)).print(preview_table(store, preview))
    if not yes and not typer.confirm(f"accept these {len(preview)} candidate(s)?", default=False, err=True):
        console.print("nothing accepted", highlight=False)
        return
    done, left = accept_previewed(store, case_id, preview, who=who)
    console.print(f"accepted {len(done)} of the {len(preview)} previewed; {len(left)} left pending", highlight=False)
    for cid, why in left[:20]:
        console.print(f"  {shown(cid)}: {shown(why)}", highlight=False)


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
                      f"{c.confidence:.2f}" if c.confidence is not None else "", *(shown(str(d.get(k) or "")) for k in
                      ("actor", "speaker", "issue", "event_type", "position", "date")))
    out.print(table)
    console.print(f"{len(cands)} candidate(s)", highlight=False)
