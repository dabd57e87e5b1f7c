"""``harness goldens ...``: commands on the hand-written golden files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from harness.cli.options import (
    BaseUrlOption,
    GoldenSetOption,
    ModelOption,
    NoCacheOption,
    PromptOption,
    job_options,
    project_settings,
)
from harness.project.builtin import DEFAULT_PROMPT

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
    from harness.goldens import resolve_sets
    from harness.goldens.check import check_goldens

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


@app.command()
def new(
    ctx: typer.Context,
    article: Annotated[Path, typer.Argument(help="The article, a .txt file; its stem becomes the document id.")],
    goldens: GoldenSetOption = None,
    prompt: PromptOption = DEFAULT_PROMPT,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Start a golden for ARTICLE from a model's extraction: <doc_id>.json marked "draft": true, and the text.

    Correct it against the text under GUIDELINES.md, then delete the draft line: `goldens check` and every score
    refuse a draft. Exit codes: 0 written; 1 the extraction failed (nothing written); 2 a file is in the way or
    bad usage; 3 the article cannot be read.
    """
    import asyncio

    from harness.goldens import resolve_set
    from harness.goldens.draft import draft_golden
    from harness.prompts import load_prompt

    settings = project_settings(ctx)
    name, folder = resolve_set(goldens, settings)
    loaded_prompt = load_prompt(prompt, settings.prompts_dir)
    options = job_options(concurrency=1, max_retries=2, no_cache=no_cache)
    drafted = asyncio.run(draft_golden(article, folder, loaded_prompt, model=model, base_url=base_url, **options))
    for warning in drafted.warnings:
        console.print(f"[yellow]mended[/] {escape(warning)}")
    console.print(
        f"draft written to {escape(str(drafted.golden))} (golden set {escape(name)}): {drafted.actors} actor(s), "
        f"{drafted.contacts} contact(s) from {escape(loaded_prompt.ref)}; correct it against "
        f'{escape(str(drafted.text))}, then remove its "draft": true line'
    )
