"""``harness extract`` and ``harness eval``: run extraction jobs; argument parsing and printing only.

The API key of a remote endpoint is read from ``OPENAI_API_KEY`` and nowhere else, so it never
shows in a shell history, a process list or a run manifest.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from harness.backends import open_backend
from harness.cache import ResponseCache
from harness.documents import iter_documents
from harness.evaluation import EvalReport, article_costs_table, default_eval_dir, load_golden_set, run_eval
from harness.extract import DecodingParams
from harness.jobs import JobSummary, run_job
from harness.models import DEFAULT_MODEL
from harness.prompts import load_prompt
from harness.results import RESULTS_FILE
from harness.scoring.tables import score_tables

__all__ = ["evaluate", "extract"]

API_KEY_ENV = "OPENAI_API_KEY"
console = Console(highlight=False, soft_wrap=True)

Prompt = Annotated[str, typer.Option(help="Versioned prompt to extract with, as name@version.")]
Model = Annotated[
    str | None,
    typer.Option(help="Offline model from the registry (default: the embedded one), or the model id at --base-url."),
]
BaseUrl = Annotated[
    str | None,
    typer.Option(help=f"OpenAI-compatible endpoint to use instead of the embedded model; key from ${API_KEY_ENV}."),
]
Concurrency = Annotated[int, typer.Option(min=1, help="Documents in flight at once.")]
MaxRetries = Annotated[int, typer.Option(min=0, help="Re-asks after an answer fails validation.")]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Ask the model even when a cached answer exists.")]


def extract(
    paths: Annotated[list[Path], typer.Argument(help="Article files (.txt, .jsonl) or folders of them.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Run folder: results.jsonl and manifest.json.")],
    prompt: Prompt = "extract@v1",
    model: Model = None,
    base_url: BaseUrl = None,
    concurrency: Concurrency = 1,
    max_retries: MaxRetries = 2,
    no_cache: NoCache = False,
    encoding: Annotated[str, typer.Option(help="Text encoding of the input files.")] = "utf-8",
) -> None:
    """Extract actors and diplomatic contacts from articles into a run folder.

    Running again into the same folder skips the documents already done and retries the failed ones.
    """
    loaded_prompt = load_prompt(prompt)
    cache = None if no_cache else ResponseCache()

    async def run() -> JobSummary:
        async with open_backend(model, base_url, os.environ.get(API_KEY_ENV), out) as backend:
            return await run_job(
                iter_documents(paths, encoding=encoding),
                out,
                backend,
                loaded_prompt,
                decoding=DecodingParams(),
                concurrency=concurrency,
                max_retries=max_retries,
                cache=cache,
            )

    _print_summary(asyncio.run(run()))


def evaluate(
    prompt: Prompt = "extract@v1",
    model: Model = None,
    base_url: BaseUrl = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Run folder (default: runs/eval-<prompt>-<model>).")
    ] = None,
    goldens: Annotated[Path, typer.Option(help="Folder of <doc_id>.json goldens beside their .txt.")] = Path("goldens"),
    json_out: Annotated[Path | None, typer.Option("--json", help="Write every figure to this JSON file.")] = None,
    concurrency: Concurrency = 1,
    max_retries: MaxRetries = 2,
    no_cache: NoCache = False,
) -> None:
    """Extract the golden articles, score them against their goldens, and print the scores and costs."""
    loaded_prompt = load_prompt(prompt)
    golden_set = load_golden_set(goldens)
    out = out or default_eval_dir(prompt, model or DEFAULT_MODEL)
    cache = None if no_cache else ResponseCache()

    async def run() -> EvalReport:
        async with open_backend(model, base_url, os.environ.get(API_KEY_ENV), out) as backend:
            return await run_eval(
                golden_set,
                out,
                backend,
                loaded_prompt,
                decoding=DecodingParams(),
                concurrency=concurrency,
                max_retries=max_retries,
                cache=cache,
            )

    report = asyncio.run(run())
    for table in score_tables(report.score):
        console.print(table)
    console.print(article_costs_table(report.job.records.values()))
    _print_summary(report.job)
    if json_out is not None:
        json_out.write_text(json.dumps(report.as_json(), indent=2) + "\n", encoding="utf-8")
        console.print(f"figures written to {json_out}")


def _print_summary(summary: JobSummary) -> None:
    totals = summary.manifest.totals
    for record in summary.records.values():
        if record.status == "failed":
            console.print(f"[red]failed[/] {escape(record.doc_id)}: {escape(record.error or '')}")
    console.print(
        f"{totals.ok} ok, {totals.failed} failed, {totals.cached} from cache, of {totals.documents} document(s)"
        f" ({summary.skipped} already done); {totals.prompt_tokens:,} prompt + {totals.completion_tokens:,}"
        f" completion tokens; results in {summary.out_dir / RESULTS_FILE}"
    )
