"""``harness prompts ...``: commands on the versioned prompt files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from harness.cli.options import project_settings

__all__ = ["app"]

app = typer.Typer(help="Versioned prompt files.", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)

SHORT_SHA_CHARS = 12  # enough to tell versions apart at a glance, as git's short hashes do


@app.callback()
def prompts() -> None:
    """Versioned prompt files: <prompts_dir>/<name>/v<N>.md, each identified by its sha256."""


@app.command(name="list")
def list_command(
    ctx: typer.Context,
    root: Annotated[Path | None, typer.Option(help="Folder of prompts (default: the prompts_dir setting).")] = None,
) -> None:
    """List every prompt version: name, version, short sha256 and description."""
    from harness.prompts import list_prompts  # jinja2: loaded when prompts are listed, not with the CLI

    table = Table("name", "version", "sha256", "description")
    for prompt in list_prompts(root or project_settings(ctx).prompts_dir):
        table.add_row(prompt.name, prompt.version, prompt.sha256[:SHORT_SHA_CHARS], prompt.description)
    console.print(table)
