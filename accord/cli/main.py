"""Entry point of the `accord` command: assembles the commands of every stage."""

from __future__ import annotations

import typer

from . import analysis, case, extract, ingest, ledger, report, review, sources, users, web

app = typer.Typer(help="accord: analyse multi-party peace negotiations from evidence.",
                  no_args_is_help=True, pretty_exceptions_enable=False)

for module in (case, ingest, review, sources, extract, analysis, report, web, users, ledger):
    module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
