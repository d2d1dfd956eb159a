"""Commands of the extract stage."""

import typer


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the app."""
