"""``harness baseline ...``: bless a run as the baseline later runs are held to; parsing and printing only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from harness.cli.options import GoldenSetOption, project_settings

__all__ = ["app"]

app = typer.Typer(help="Baselines: blessed runs that later runs are compared with.", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)


@app.callback()
def baseline() -> None:
    """Baselines: a blessed run's figures, per-record outcomes and ledger, in <baselines_dir>/<name>.json."""


@app.command()
def bless(
    ctx: typer.Context,
    run: Annotated[Path, typer.Argument(help="A run folder, a results.jsonl, or a folder of <doc_id>.json Articles.")],
    name: Annotated[str, typer.Option(help="The baseline's name; it is written to <dir>/<name>.json.")] = "extract",
    goldens: GoldenSetOption = None,
    baselines_dir: Annotated[
        Path | None, typer.Option("--dir", help="Folder of baseline files (default: the baselines_dir setting).")
    ] = None,
) -> None:
    """Score RUN against the goldens and write it, with its ledger and every record's outcome, as a baseline."""
    from harness.compare import baseline as baselines
    from harness.goldens import load_golden_set, resolve_set

    settings = project_settings(ctx)
    set_name, folder = resolve_set(goldens, settings)
    baselines_dir = baselines_dir or settings.baselines_dir
    path = baselines.bless(run, load_golden_set(folder, set_name), name=name, baselines_dir=baselines_dir)
    written = baselines.read_baseline(path)
    ledger = written.ledger
    made_by = f"prompt {ledger.prompt_ref}, model {ledger.model_id}" if ledger else "no manifest: ledger unknown"
    figures = written.summary
    console.print(
        f"baseline [bold]{name}[/] written to {path} ({made_by}): "
        f"contacts detection F1 {figures['contacts.detection.f1']:.3f}, strict F1 {figures['contacts.strict.f1']:.3f}, "
        f"actors F1 {figures['actors.all.f1']:.3f}"
    )
