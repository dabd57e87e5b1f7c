"""``harness goldens ...``: commands on the hand-written golden files."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from harness.cli.options import project_settings
from harness.goldens import resolve_sets
from harness.goldens.check import check_goldens

__all__ = ["app"]

app = typer.Typer(help="Hand-written golden annotations.", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)


@app.callback()
def goldens() -> None:
    """Hand-written golden annotations: one <doc_id>.json beside each document (<doc_id>.txt or a .jsonl line)."""


@app.command()
def check(
    ctx: typer.Context,
    sets: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[SET]...",
            help="Golden sets: names from the golden_sets setting or folders (default: every configured set).",
        ),
    ] = None,
) -> None:
    """Check every golden against its text: schema, quotes and offsets, aliases, dates. Exit 1 on any error."""
    resolved = resolve_sets(sets or [], project_settings(ctx))
    errors = 0
    for name, folder in resolved.items():
        results = check_goldens(folder)
        failing = {file: issues for file, issues in results.items() if issues}
        for issues in failing.values():
            for issue in issues:
                console.print(str(issue), markup=False)
        found = sum(len(issues) for issues in failing.values())
        errors += found
        where = f"golden set {escape(name)}: " if len(resolved) > 1 else ""
        if found:
            console.print(f"{where}[bold red]{found} error(s)[/] in {len(failing)} of {len(results)} golden file(s)")
        else:
            console.print(f"{where}[bold green]ok[/]: {len(results)} golden file(s), no errors")
    if errors:
        raise typer.Exit(1)
