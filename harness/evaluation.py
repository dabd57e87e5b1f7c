"""The regression check of a set-up: extract the golden documents, then score the run against their goldens.

Extraction goes through ``run_job`` like any other job, so an evaluation folder resumes and its
answers come from the response cache when nothing that decides them has changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Unpack

from rich.markup import escape
from rich.table import Table

from harness.backends import Backend
from harness.documents import Document, load_text_file
from harness.jobs import JobOptions, JobSummary, run_job
from harness.prompts import Prompt
from harness.results import ResultRecord, totals_of
from harness.scoring import RunScore, score_run
from harness.scoring.loading import GoldenCorpus, load_goldens

__all__ = [
    "EVAL_RUNS_DIR",
    "EvalReport",
    "GoldenSet",
    "article_costs_table",
    "default_eval_dir",
    "load_golden_set",
    "run_eval",
]


@dataclass(frozen=True)
class GoldenSet:
    """The goldens with their texts, and the same texts as documents to extract."""

    corpus: GoldenCorpus
    documents: list[Document]


@dataclass(frozen=True)
class EvalReport:
    """An evaluation: the extraction job and its score."""

    job: JobSummary
    score: RunScore

    def as_json(self) -> dict[str, Any]:
        """Every figure of the evaluation: the run's manifest, its scores, and each article's cost."""
        return {
            "manifest": self.job.manifest.model_dump(mode="json"),
            "score": self.score.to_json(),
            "articles": [record.model_dump(mode="json", include=_COST_FIELDS) for record in self.job.records.values()],
        }


_COST_FIELDS = {"doc_id", "status", "error", "attempts", "usage", "latency_s", "cached"}


EVAL_RUNS_DIR = Path("runs")
"""Where evaluation folders go unless ``--out`` says otherwise (relative to the working directory)."""


def default_eval_dir(prompt_ref: str, model_id: str) -> Path:
    """``runs/eval-<prompt>-<model>``, with characters that could split a path made harmless."""
    return EVAL_RUNS_DIR / f"eval-{_file_safe(prompt_ref)}-{_file_safe(model_id)}"


def _file_safe(name: str) -> str:
    return "".join(char if char.isalnum() or char in "-_.@" else "_" for char in name)


def load_golden_set(folder: Path) -> GoldenSet:
    """Every ``<doc_id>.json`` golden of ``folder``, and its ``<doc_id>.txt`` as a document to extract."""
    corpus = load_goldens(folder)
    return GoldenSet(corpus, [load_text_file(folder / f"{doc_id}.txt") for doc_id in corpus.goldens])


async def run_eval(
    golden_set: GoldenSet, out_dir: Path, backend: Backend, prompt: Prompt, **options: Unpack[JobOptions]
) -> EvalReport:
    """Extract the golden documents into ``out_dir`` (``run_job``'s options) and score the results.

    A failed document scores as empty.
    """
    job = await run_job(golden_set.documents, out_dir, backend, prompt, **options)
    predictions = {doc_id: job.records[doc_id].article for doc_id in golden_set.corpus.goldens}
    return EvalReport(job, score_run(predictions, golden_set.corpus.goldens, golden_set.corpus.texts))


def article_costs_table(records: Iterable[ResultRecord]) -> Table:
    """Seconds, tokens and attempts per article, with their totals."""
    records = list(records)
    table = Table(title="Cost per article")
    table.add_column("document")
    table.add_column("status")
    for header in ("seconds", "prompt tokens", "completion tokens", "attempts"):
        table.add_column(header, justify="right")
    for record in records:
        status = "cached" if record.cached else record.status
        table.add_row(
            escape(record.doc_id),
            f"[red]{status}[/]" if record.status == "failed" else status,
            f"{record.latency_s:.1f}",
            f"{record.usage.prompt_tokens:,}",
            f"{record.usage.completion_tokens:,}",
            str(record.attempts),
        )
    totals = totals_of(records)
    table.add_section()
    table.add_row(
        "total",
        f"{totals.ok} ok, {totals.failed} failed",
        f"{totals.seconds:.1f}",
        f"{totals.prompt_tokens:,}",
        f"{totals.completion_tokens:,}",
        "",
    )
    return table
