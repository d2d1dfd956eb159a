"""Commands of the extract stage: `accord extract FILE... [--case CASE] --format jsonl`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape

from .common import DbOption, console, resolve_case


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the app."""

    @app.command("extract")
    def extract_cmd(
        files: list[Path] = typer.Argument(..., exists=True, dir_okay=False, help="Files to read (.txt, .md, .html, .pdf, .jsonl)."),
        case: str | None = typer.Option(None, "--case", help="Case folder or id: its actors and issues guide extraction."),
        fmt: str = typer.Option("jsonl", "--format", help="jsonl (one item per line) or table."),
        date: str | None = typer.Option(None, "--date", help="Document date (YYYY[-MM[-DD]]) for relative dates."),
        engine: str = typer.Option("local", "--engine", help="local (this process) or ray (Ray Data map_batches)."),
        embeddings: bool = typer.Option(False, "--embeddings",
                                        help="Use the sentence-embedding issue head (the `embeddings` extra)."),
        db: str | None = DbOption,
    ) -> None:
        """Find attributed statements, events, figures and contradictions in documents."""
        from ..ingest.readers import Problem, iter_documents

        case_obj = resolve_case(case, db) if case else None
        # The ingest readers: same formats, same dating, and a broken file is reported and skipped.
        docs = []
        for doc in iter_documents(files, date=date):
            if isinstance(doc, Problem):
                console.print(f"[yellow]skipped:[/yellow] {escape(str(doc))}", highlight=False)
            else:
                docs.append(doc)
        texts = [d.text for d in docs]
        dates = [d.date for d in docs]
        if engine == "ray":
            from ..ingest.engines import analyse_with_ray

            results = analyse_with_ray(texts, dates, case=case_obj)
        elif engine == "local":
            from ..extract import Extractor

            results = Extractor(embeddings=embeddings or None).analyse_many(texts, dates, case=case_obj)
        else:
            console.print(f"[red]error:[/red] unknown engine {engine!r}: use local or ray")
            raise typer.Exit(2)
        for path, result in ((d.where, r) for d, r in zip(docs, results)):
            if result["flagged"]:
                console.print(f"[yellow]flagged:[/yellow] {path}: {result['reason']}", highlight=False)
            for item in result["items"]:
                if fmt == "jsonl":
                    print(json.dumps({"file": str(path), **item}, ensure_ascii=False))
                else:
                    print(f"{path}\t{item['kind']}\t{item.get('event_type') or ''}\t{item.get('actor') or ''}\t"
                          f"{item.get('speaker') or ''}\t{item.get('issue') or ''}\t{item.get('position') if item.get('position') is not None else ''}\t"
                          f"{item.get('date') or ''}\t{item['start']}-{item['end']}")
