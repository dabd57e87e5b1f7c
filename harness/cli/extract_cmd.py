"""``harness extract`` and ``harness eval``: run extraction jobs; argument parsing and printing only.

The API key of a remote endpoint is read from ``OPENAI_API_KEY`` and nowhere else, so it never
shows in a shell history, a process list or a run manifest. The extraction side (openai, instructor,
the backends) is imported when a command runs, not when the CLI is loaded, so ``harness --help``
and the commands that only score stay light.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from harness.cli.gate_output import report_gate
from harness.cli.options import (
    BaseUrlOption,
    GoldenSetsOption,
    ModelOption,
    NoCacheOption,
    PromptOption,
    SummaryOption,
    ToleranceOption,
    job_options,
    project_settings,
)
from harness.compare import gate_tolerances, load_scored
from harness.documents import iter_documents
from harness.errors import ConfigError, DocumentError
from harness.goldens import load_golden_set, resolve_sets
from harness.prompts import load_prompt
from harness.run.cost_table import article_costs_table
from harness.run.durable import write_atomically
from harness.run.results import RESULTS_FILE
from harness.scoring.tables import score_tables

if TYPE_CHECKING:
    from harness.run.jobs import JobSummary

__all__ = ["evaluate", "extract"]

console = Console(highlight=False, soft_wrap=True)

Concurrency = Annotated[int, typer.Option(min=1, help="Documents in flight at once.")]
MaxRetries = Annotated[int, typer.Option(min=0, help="Re-asks after an answer fails validation.")]


def extract(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Article files (.txt, .jsonl) or folders of them.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Run folder: results.jsonl and manifest.json.")],
    prompt: PromptOption = "extract@v1",
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    concurrency: Concurrency = 1,
    max_retries: MaxRetries = 2,
    no_cache: NoCacheOption = False,
    encoding: Annotated[str, typer.Option(help="Text encoding of the input files.")] = "utf-8",
) -> None:
    """Extract actors and diplomatic contacts from articles into a run folder.

    Running again into the same folder skips the documents already done and retries the failed ones.
    Exit codes: 0 done (documents the model failed on are recorded as failed, with the reason); 2 bad usage
    or configuration; 3 done, but an input could not be read (recorded as failed, with the reason).
    """
    from harness.backends.client import open_backend
    from harness.run.jobs import run_job

    loaded_prompt = load_prompt(prompt, project_settings(ctx).prompts_dir)
    options = job_options(concurrency, max_retries, no_cache)

    async def run() -> JobSummary:
        async with open_backend(model, base_url, None, out) as backend:  # the key: $OPENAI_API_KEY only
            return await run_job(iter_documents(paths, encoding=encoding), out, backend, loaded_prompt, **options)

    summary = asyncio.run(run())
    _print_summary(summary)
    if summary.unreadable:
        raise typer.Exit(DocumentError.exit_code)


def evaluate(
    ctx: typer.Context,
    prompt: PromptOption = "extract@v1",
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Run folder (default: <runs_dir>/eval-<prompt>-<model>).")
    ] = None,
    goldens: GoldenSetsOption = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write every figure to this JSON file.")] = None,
    concurrency: Concurrency = 1,
    max_retries: MaxRetries = 2,
    no_cache: NoCacheOption = False,
    baseline: Annotated[
        list[str] | None,
        typer.Option(
            metavar="[SET=]FILE",
            help="Gate the run against this baseline file (or run folder); with several golden sets, SET=FILE gates "
            "that set. Repeatable.",
        ),
    ] = None,
    tolerance: ToleranceOption = None,
    summary: SummaryOption = None,
) -> None:
    """Extract the articles of the golden sets in one run, score it against each set and all of them, and print
    the scores and costs.

    With --baseline, also compare with it and gate. Exit codes: 0 done (and no gated figure fell beyond its
    tolerance); 1 one did; 2 bad usage or configuration, or a baseline that cannot be compared; 3 an unreadable
    article; 4 a malformed golden or baseline run.
    """
    from harness.evaluation import evaluate_goldens

    settings = project_settings(ctx)
    loaded_prompt = load_prompt(prompt, settings.prompts_dir)
    resolved = resolve_sets(goldens or [], settings)
    golden_sets = {name: load_golden_set(folder, name) for name, folder in resolved.items()}
    baselines = _baselines(baseline or [], list(golden_sets))
    bases = {name: load_scored(path, golden_sets[name]) for name, path in baselines.items()}
    tolerances = gate_tolerances(tolerance or [], settings)
    options = job_options(concurrency, max_retries, no_cache)

    sets = list(golden_sets.values())
    evaluation = asyncio.run(
        evaluate_goldens(
            sets, loaded_prompt, model=model, base_url=base_url, runs_dir=settings.runs_dir, out=out, **options
        )
    )
    titled = len(evaluation.sets) > 1
    for name, scored in evaluation.sets.items():
        if titled:
            console.rule(f"golden set {escape(name)} ({len(scored.score.documents)} documents)")
        for table in score_tables(scored.score):
            console.print(table)
    if titled:
        console.rule(f"all golden sets ({len(evaluation.score.documents)} documents)")
        for table in score_tables(evaluation.score):
            console.print(table)
    console.print(article_costs_table(evaluation.job.records.values()))
    _print_summary(evaluation.job)
    if json_out is not None:
        write_atomically(json_out, json.dumps(evaluation.as_json(), indent=2) + "\n")
        console.print(f"figures written to {json_out}")
    if bases:
        comparisons = {
            name: evaluation.compared_with(base, base_label=str(baselines[name]), set_name=name)
            for name, base in bases.items()
        }
        report_gate(comparisons, tolerances, summary)


def _baselines(given: list[str], set_names: list[str]) -> dict[str, Path]:
    """``--baseline`` values by golden set: ``FILE`` for the only set, ``SET=FILE`` for one of several."""
    baselines: dict[str, Path] = {}
    for value in given:
        name, equals, file = value.partition("=")
        if not equals:
            if len(set_names) > 1:
                raise ConfigError(
                    f"--baseline {value!r}: with several golden sets ({', '.join(set_names)}) say which, as SET=FILE"
                )
            name, file = set_names[0], value
        if name not in set_names:
            raise ConfigError(f"--baseline {value!r}: {name!r} is not one of the golden sets ({', '.join(set_names)})")
        baselines[name] = Path(file)
    return baselines


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
