"""Commands of the extract stage.

`accord extract FILE... [--case CASE] --format jsonl` (the `run` subcommand, also reachable without
its name), `accord extract train` (fit the learned layer; the `train` extra) and
`accord extract score` (figures against the annotated sets). A file literally named `train` or
`score` is given as `./train`.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from typer.core import TyperGroup

from .common import DbOption, console, resolve_case


class _RunByDefault(TyperGroup):
    """`accord extract a.txt` means `accord extract run a.txt`: files are not subcommands."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


def _needs_training_extra() -> None:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        console.print("[red]error:[/red] training needs scikit-learn: pip install 'accord[train]'")
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the app."""
    extract_app = typer.Typer(cls=_RunByDefault, no_args_is_help=True,
                              help="Find statements, events, figures and contradictions; train and score the extractor.")
    app.add_typer(extract_app, name="extract")

    @extract_app.command("run")
    def run_cmd(
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
        from ..extract.items import as_dict
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
                console.print(f"[yellow]flagged:[/yellow] {escape(str(path))}: {escape(str(result['reason']))}", highlight=False)
            for item in map(as_dict, result["items"]):
                if fmt == "jsonl":
                    print(json.dumps({"file": str(path), **item}, ensure_ascii=False))
                else:
                    print(f"{path}\t{item['kind']}\t{item.get('event_type') or ''}\t{item.get('actor') or ''}\t"
                          f"{item.get('speaker') or ''}\t{item.get('issue') or ''}\t{item.get('position') if item.get('position') is not None else ''}\t"
                          f"{item.get('date') or ''}\t{item['start']}-{item['end']}")

    @extract_app.command("train")
    def train_cmd(
        out: Path | None = typer.Option(None, "--out", help="Where to write the model (default: the shipped file)."),
        splits: str = typer.Option("dev,train", "--splits", help="Annotated splits to train on (never test or heldout)."),
        embeddings: bool = typer.Option(False, "--embeddings", help="Fit the sentence-embedding issue head instead."),
        select: bool = typer.Option(False, "--select", help="Search the settings by cross-validation and print them."),
    ) -> None:
        """Fit the learned layer (or the embedding head) on our own annotated data."""
        _needs_training_extra()
        from ..training import train

        argv = ["--splits", splits, *(["--out", str(out)] if out else []), *(["--embeddings"] if embeddings else []),
                *(["--select"] if select else [])]
        raise typer.Exit(train.main(argv))

    @extract_app.command("score")
    def score_cmd(
        split: str = typer.Option("test", "--split", help="dev, test, heldout, train, article, unseen, newcases or all."),
        as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
        as_new_case: bool = typer.Option(False, "--as-new-case",
                                         help="article: the flagship's issues under ids the extractor does not know."),
        bare: bool = typer.Option(False, "--bare", help="article, unseen, newcases: actors by name only (no aliases, no "
                                                          "persons), issues without keywords."),
    ) -> None:
        """Precision, recall and F1 per sentence against the annotated sets, beside a keyword baseline."""
        from ..training import score

        raise typer.Exit(score.main(["--split", split, *(["--json"] if as_json else []),
                                     *(["--as-new-case"] if as_new_case else []), *(["--bare"] if bare else [])]))
