"""``harness extract`` and ``harness eval``: run extraction jobs; argument parsing and printing only.

The API key of a remote endpoint is read from ``OPENAI_API_KEY`` and nowhere else, so it never
shows in a shell history, a process list or a run manifest. The library (the extraction side: openai,
instructor, the backends; prompts and their jinja2; scoring and its numpy) is imported when a command runs,
not when the CLI is loaded, so ``harness --help`` stays light.
"""

from __future__ import annotations

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
    ReportOption,
    SummaryOption,
    ToleranceOption,
    job_options,
    project_settings,
)
from harness.errors import ConfigError, DocumentError
from harness.project.builtin import DEFAULT_PROMPT

if TYPE_CHECKING:
    from harness.backends.prices import ModelPrice
    from harness.prompts import Prompt as Prompt_
    from harness.run.jobs import JobSummary

__all__ = ["evaluate", "extract"]

console = Console(highlight=False, soft_wrap=True)

Concurrency = Annotated[
    int | None,
    typer.Option(
        min=1, help="Documents in flight at once (default: 16 for a --base-url endpoint, 1 for the embedded model)."
    ),
]
MaxRetries = Annotated[int, typer.Option(min=0, help="Re-asks after an answer fails validation.")]
Rpm = Annotated[
    float | None,
    typer.Option(min=0, help="Requests per minute to keep to (default: \\[tool.harness.limits] rpm, else no limit)."),
]
Tpm = Annotated[
    float | None,
    typer.Option(
        min=0,
        help="Tokens per minute to keep to, prompt + max_tokens (default: \\[tool.harness.limits] tpm, else none).",
    ),
]
BudgetUsd = Annotated[
    float | None,
    typer.Option(
        "--budget",
        metavar="USD",
        min=0,
        help="Stop before spending more than this (each request's worst case is reserved first); default: no cap.",
    ),
]
Batch = Annotated[
    bool,
    typer.Option(
        "--batch",
        help="Send the job through the OpenAI Batch API (half price, answers within 24 h); resumable: a job "
        "killed while its batch runs reattaches to it.",
    ),
]
DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Estimate the job's tokens and cost without calling any model.")
]


def extract(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Article files (.txt, .jsonl) or folders of them.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Run folder: results.jsonl and manifest.json.")],
    prompt: PromptOption = DEFAULT_PROMPT,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    concurrency: Concurrency = None,
    max_retries: MaxRetries = 2,
    no_cache: NoCacheOption = False,
    encoding: Annotated[str, typer.Option(help="Text encoding of the input files.")] = "utf-8",
    shard: Annotated[
        str | None,
        typer.Option(
            metavar="I/N",
            help="Only shard I of N (by a hash of each document id): N machines with the same inputs cover every "
            "document once; score or merge their folders together.",
        ),
    ] = None,
    rpm: Rpm = None,
    tpm: Tpm = None,
    budget: BudgetUsd = None,
    dry_run: DryRun = False,
    batch: Batch = False,
) -> None:
    """Extract actors and diplomatic contacts from articles into a run folder.

    Running again into the same folder skips the documents already done and retries the failed ones.
    Exit codes: 0 done (documents the model failed on are recorded as failed, with the reason); 2 bad usage
    or configuration; 3 done, but an input could not be read (recorded as failed, with the reason); 5 stopped
    at --budget (what finished is kept; run again to continue).
    """
    import asyncio

    from harness.backends.client import open_backend
    from harness.backends.prices import price_for
    from harness.documents import Shard, iter_documents
    from harness.prompts import load_prompt
    from harness.run.budget import BudgetExhausted, project_limits, project_prices
    from harness.run.jobs import run_job

    loaded_prompt = load_prompt(prompt, project_settings(ctx).prompts_dir)
    prices = project_prices()
    if dry_run:
        _print_estimate(paths, encoding, loaded_prompt, model, base_url, prices, batch)
        return
    limits = project_limits(rpm, tpm)
    options = job_options(concurrency, max_retries, no_cache)
    documents = iter_documents(paths, encoding=encoding)
    if shard is not None:
        documents = Shard.parse(shard).select(documents)

    async def run() -> JobSummary:
        async with open_backend(model, base_url, None, out, limits) as backend:  # the key: $OPENAI_API_KEY only
            price = price_for(backend.model_id, embedded=backend.kind == "embedded", overrides=prices)
            if batch:
                if budget is not None:
                    raise ConfigError(
                        "--budget applies to live requests; a --batch job's cost is its --dry-run estimate"
                    )
                from harness.run.batch import run_batch_job

                return await run_batch_job(documents, out, backend, loaded_prompt, price=price, **options)
            return await run_job(documents, out, backend, loaded_prompt, price=price, budget_usd=budget, **options)

    summary = asyncio.run(run())
    _print_summary(summary)
    if summary.stopped:
        console.print(f"[yellow]{escape(summary.stopped)}[/]")
        raise typer.Exit(BudgetExhausted.exit_code)
    if summary.unreadable:
        raise typer.Exit(DocumentError.exit_code)


def _print_estimate(
    paths: list[Path],
    encoding: str,
    prompt: Prompt_,
    model: str | None,
    base_url: str | None,
    prices: dict[str, ModelPrice],
    batch: bool,
) -> None:
    """``--dry-run``: tokens and cost of one request per readable document, without calling any model."""
    import os

    from harness.backends.client import BASE_URL_ENV, DecodingParams
    from harness.backends.prices import price_for
    from harness.documents import iter_documents
    from harness.run.budget import estimate_job

    remote = bool(base_url or os.environ.get(BASE_URL_ENV))
    model_id = model or ("(the endpoint's model)" if remote else "the embedded model")
    price = price_for(model or "", embedded=not remote, overrides=prices)
    documents = [item for item in iter_documents(paths, encoding=encoding) if not isinstance(item, DocumentError)]
    estimate = estimate_job(documents, prompt, DecodingParams(), price, batch=batch)
    console.print(
        f"{estimate.documents} document(s) for {escape(model_id)}: about {estimate.prompt_tokens:,} prompt tokens, "
        f"about {estimate.expected_completion_tokens:,} completion tokens (at most {estimate.max_completion_tokens:,})"
    )
    if estimate.expected_usd is None:
        console.print(f'cost unknown: no price for {escape(model_id)}; add it in [tool.harness.prices."{model_id}"]')
    else:
        console.print(
            f"estimated cost ${estimate.expected_usd:.4f} (at most ${estimate.worst_usd:.4f} without re-asks); "
            "no model was called"
        )


def evaluate(
    ctx: typer.Context,
    prompt: PromptOption = DEFAULT_PROMPT,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Run folder (default: <runs_dir>/eval-<prompt>-<model>).")
    ] = None,
    goldens: GoldenSetsOption = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write every figure to this JSON file.")] = None,
    concurrency: Concurrency = None,
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
    report_out: ReportOption = None,
) -> None:
    """Extract the articles of the golden sets in one run, score it against each set and all of them, and print
    the scores and costs.

    With --baseline, also compare with it and gate. Exit codes: 0 done (and no gated figure fell beyond its
    tolerance); 1 one did; 2 bad usage or configuration, or a baseline that cannot be compared; 3 an unreadable
    article; 4 a malformed golden or baseline run.
    """
    import asyncio

    from harness.compare import gate_tolerances, load_scored
    from harness.evaluation import evaluate_goldens
    from harness.goldens import combine_sets, load_golden_set, resolve_sets
    from harness.prompts import load_prompt
    from harness.run.cost_table import article_costs_table
    from harness.run.durable import write_atomically
    from harness.scoring.tables import score_tables

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
    if report_out is not None:  # before the gate, which may exit
        from harness.report import build_report, write_report

        only_baseline = next(iter(baselines.values())) if len(golden_sets) == 1 and baselines else None
        everything = combine_sets(sets) if len(sets) > 1 else sets[0]
        built = build_report(evaluation.job.out_dir, everything, baseline=only_baseline, tolerances=tolerances)
        write_report(report_out, built)
        console.print(f"report written to {report_out}")
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
    from harness.run.results import RESULTS_FILE

    totals = summary.manifest.totals
    for doc_id, error in summary.failures.items():
        console.print(f"[red]failed[/] {escape(doc_id)}: {escape(error)}")
    console.print(
        f"{totals.ok} ok, {totals.failed} failed, {totals.cached} from cache, of {totals.documents} document(s)"
        f" ({summary.skipped} already done); {totals.prompt_tokens:,} prompt + {totals.completion_tokens:,}"
        f" completion tokens; results in {summary.out_dir / RESULTS_FILE}"
    )
    if summary.manifest.spent_usd or totals.cost_usd or totals.saved_usd:
        console.print(
            f"cost: ${summary.manifest.spent_usd:.4f} this run, ${totals.cost_usd:.4f} for the folder; "
            f"${totals.saved_usd:.4f} saved by the cache"
        )
