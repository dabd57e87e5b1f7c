"""The regression check of a set-up: extract a golden set, score the run against it, compare with a baseline.

This is the one flow ``harness eval`` and ``pytest --goldens`` share; both only parse options
and print. Extraction goes through ``run_job`` like any other job, so an evaluation folder
resumes and its answers come from the response cache when nothing that decides them has changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Unpack

from harness.backends.client import open_backend
from harness.compare import Comparison, ScoredRun, compare_runs
from harness.goldens import GoldenSet, combine_sets
from harness.prompts import Prompt
from harness.run.jobs import JobOptions, JobSummary, run_job
from harness.scoring import RunScore, score_run

__all__ = ["Evaluation", "default_eval_dir", "evaluate_goldens"]

_COST_FIELDS = {"doc_id", "status", "error", "warnings", "attempts", "usage", "latency_s", "cached"}


def default_eval_dir(runs_dir: Path, prompt_ref: str, model_id: str) -> Path:
    """``<runs_dir>/eval-<prompt>-<model>``, with characters that could split a path made harmless."""
    return runs_dir / f"eval-{_file_safe(prompt_ref)}-{_file_safe(model_id)}"


def _file_safe(name: str) -> str:
    return "".join(char if char.isalnum() or char in "-_.@" else "_" for char in name)


@dataclass(frozen=True)
class Evaluation:
    """An evaluation: the extraction job, and the run scored against each golden set and against all of them."""

    job: JobSummary
    sets: dict[str, ScoredRun]
    """The run scored against each set, by the set's name."""
    overall: ScoredRun
    """The run scored against every set together (the one set's score when there is one)."""

    @property
    def score(self) -> RunScore:
        return self.overall.score

    def compared_with(
        self, baseline: ScoredRun, *, base_label: str, new_label: str | None = None, set_name: str | None = None
    ) -> Comparison:
        """The comparison of one set's scores (default: all sets') with a baseline (``IncomparableRunsError`` for
        one of another schema or golden set); the run stays in its folder either way, ready to be blessed."""
        scored = self.sets[set_name] if set_name is not None else self.overall
        return compare_runs(baseline, scored, base_label=base_label, new_label=new_label or scored.source)

    def as_json(self) -> dict[str, Any]:
        """Every figure of the evaluation: the run's manifest, its scores (overall and per set), each article's cost."""
        figures: dict[str, Any] = {"manifest": self.job.manifest.model_dump(mode="json"), "score": self.score.to_json()}
        if len(self.sets) > 1:
            figures["sets"] = {name: scored.score.to_json() for name, scored in self.sets.items()}
        records = self.job.records.values()
        return figures | {"articles": [record.model_dump(mode="json", include=_COST_FIELDS) for record in records]}


async def evaluate_goldens(
    golden_sets: Sequence[GoldenSet],
    prompt: Prompt,
    *,
    model: str | None,
    base_url: str | None,
    runs_dir: Path,
    out: Path | None = None,
    **options: Unpack[JobOptions],
) -> Evaluation:
    """Extract the documents of every golden set with ``model`` (or at ``base_url``; key from ``$OPENAI_API_KEY``)
    in one job into ``out`` (default: ``<runs_dir>/eval-<prompt>-<model>``) and score the run against each set and
    all of them; a failed document scores as empty."""
    everything = combine_sets(golden_sets)
    # The embedded server logs into the run folder, or into runs_dir while the folder waits on the model's id.
    async with open_backend(model, base_url, None, out or runs_dir) as backend:
        run_dir = out or default_eval_dir(runs_dir, prompt.ref, backend.model_id)
        job = await run_job(list(everything.documents.values()), run_dir, backend, prompt, **options)

    def scored(golden_set: GoldenSet) -> ScoredRun:
        predictions = {doc_id: job.records[doc_id].article for doc_id in golden_set.goldens}
        return ScoredRun(
            source=str(job.out_dir),
            ledger=job.manifest.ledger,
            goldens_sha256=golden_set.sha256,
            score=score_run(predictions, golden_set.goldens, golden_set.texts),
        )

    sets = {golden_set.name: scored(golden_set) for golden_set in golden_sets}
    overall = next(iter(sets.values())) if len(sets) == 1 else scored(everything)
    return Evaluation(job, sets, overall)
