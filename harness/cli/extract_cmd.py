"""``harness extract`` and ``harness eval``: run extraction jobs; argument parsing and printing only.

The API key of a remote endpoint is read from ``OPENAI_API_KEY`` and nowhere else, so it never
shows in a shell history, a process list or a run manifest.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from harness.backends import API_KEY_ENV, DecodingParams, open_backend
from harness.cache import ResponseCache
from harness.cli.compare_cmd import SummaryOption, ToleranceOption, gate_tolerances, report_gate
from harness.cli.report_cmd import ReportOption
from harness.compare import ScoredRun, compare_runs, goldens_sha256, load_scored
from harness.documents import iter_documents
from harness.errors import DocumentError
from harness.evaluation import (
    EVAL_RUNS_DIR,
    EvalReport,
    article_costs_table,
    default_eval_dir,
    load_golden_set,
    run_eval,
)
from harness.jobs import JobOptions, JobSummary, run_job
from harness.prompts import load_prompt
from harness.report import build_report, write_report
from harness.results import RESULTS_FILE
from harness.scoring.tables import score_tables

__all__ = ["evaluate", "extract"]

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
    Exit codes: 0 done (documents the model failed on are recorded as failed, with the reason); 2 bad usage
    or configuration; 3 done, but an input could not be read (recorded as failed, with the reason).
    """
    loaded_prompt = load_prompt(prompt)
    options = _job_options(concurrency, max_retries, no_cache)

    async def run() -> JobSummary:
        async with open_backend(model, base_url, None, out) as backend:  # the key: $OPENAI_API_KEY only
            return await run_job(iter_documents(paths, encoding=encoding), out, backend, loaded_prompt, **options)

    summary = asyncio.run(run())
    _print_summary(summary)
    if summary.unreadable:
        raise typer.Exit(DocumentError.exit_code)


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
    baseline: Annotated[
        Path | None, typer.Option(help="Gate the run against this baseline file (or run folder).")
    ] = None,
    tolerance: ToleranceOption = None,
    summary: SummaryOption = None,
    report_out: ReportOption = None,
) -> None:
    """Extract the golden articles, score them against their goldens, and print the scores and costs.

    With --baseline, also compare with it and gate. Exit codes: 0 done (and no gated figure fell beyond its
    tolerance); 1 one did; 2 bad usage or configuration, or a baseline that cannot be compared; 3 an unreadable
    article; 4 a malformed golden or baseline run.
    """
    loaded_prompt = load_prompt(prompt)
    golden_set = load_golden_set(goldens)
    base = load_scored(baseline, goldens) if baseline is not None else None
    tolerances = gate_tolerances(tolerance)
    options = _job_options(concurrency, max_retries, no_cache)

    async def run() -> EvalReport:
        # The embedded server logs into --out, or into runs/ when the folder is named after the model it serves.
        async with open_backend(model, base_url, None, out or EVAL_RUNS_DIR) as backend:
            run_dir = out or default_eval_dir(loaded_prompt.ref, backend.model_id)
            return await run_eval(golden_set, run_dir, backend, loaded_prompt, **options)

    report = asyncio.run(run())
    for table in score_tables(report.score):
        console.print(table)
    console.print(article_costs_table(report.job.records.values()))
    _print_summary(report.job)
    if json_out is not None:
        json_out.write_text(json.dumps(report.as_json(), indent=2) + "\n", encoding="utf-8")
        console.print(f"figures written to {json_out}")
    if report_out is not None:  # before the gate, which may exit
        write_report(report_out, build_report(report.job.out_dir, goldens, baseline=baseline, tolerances=tolerances))
        console.print(f"report written to {report_out}")
    if base is not None:
        ledger = report.job.manifest.ledger
        run_dir = str(report.job.out_dir)  # --out may be None: the folder is then named after the model
        new = ScoredRun(source=run_dir, ledger=ledger, goldens_sha256=goldens_sha256(goldens), score=report.score)
        report_gate(compare_runs(base, new, base_label=str(baseline), new_label=run_dir), tolerances, summary)


def _job_options(concurrency: int, max_retries: int, no_cache: bool) -> JobOptions:
    """What the command line decides about a job; decoding stays at its defaults, part of every ledger."""
    cache = None if no_cache else ResponseCache()
    return JobOptions(decoding=DecodingParams(), concurrency=concurrency, max_retries=max_retries, cache=cache)


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
