"""``harness merge``: the run folders of several shards as one; parsing and printing only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

__all__ = ["merge"]

console = Console(highlight=False, soft_wrap=True)


def merge(
    out: Annotated[Path, typer.Argument(help="The merged run folder (new, or empty).")],
    folders: Annotated[list[Path], typer.Argument(help="Run folders of one set-up, e.g. of --shard 1/4 ... 4/4.")],
) -> None:
    """Merge the run folders of several shards into one: results.jsonl united, totals counted again.

    Refused, naming the folder: a folder that is not a run, folders made under a different model, prompt,
    schema or decoding, or one document answered differently in two folders. Exit codes: 0 merged; 2 refused;
    4 a malformed results.jsonl.
    """
    from harness.run.merge import merge_runs

    summary = merge_runs(out, folders)
    totals = summary.manifest.totals
    twice = f"; {summary.duplicates} found the same in two folders, kept once" if summary.duplicates else ""
    console.print(
        f"{totals.documents} document(s) from {len(folders)} folder(s) ({totals.ok} ok, {totals.failed} failed)"
        f"{twice}; merged into {out}",
        markup=False,
    )
