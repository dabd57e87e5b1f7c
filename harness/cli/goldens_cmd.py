"""``harness goldens ...``: commands on the hand-written golden files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from harness.goldens.check import check_goldens

__all__ = ["app"]

app = typer.Typer(help="Hand-written golden annotations.", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)


@app.callback()
def goldens() -> None:
    """Hand-written golden annotations: one <doc_id>.json beside each <doc_id>.txt."""


@app.command()
def check(
    folder: Annotated[Path, typer.Argument(help="Folder holding <doc_id>.json goldens beside their .txt.")] = Path(
        "goldens"
    ),
) -> None:
    """Check every golden against its text: schema, quotes and offsets, aliases, dates. Exit 1 on any error."""
    results = check_goldens(folder)
    failing = {file: issues for file, issues in results.items() if issues}
    for issues in failing.values():
        for issue in issues:
            console.print(str(issue), markup=False)
    errors = sum(len(issues) for issues in failing.values())
    if errors:
        console.print(f"[bold red]{errors} error(s)[/] in {len(failing)} of {len(results)} golden file(s)")
        raise typer.Exit(1)
    console.print(f"[bold green]ok[/]: {len(results)} golden file(s), no errors")
