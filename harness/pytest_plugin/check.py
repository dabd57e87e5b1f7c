"""What ``pytest --goldens`` checks: its settings, what is verified before any model call, and the one extraction.

Mistakes that need no model are refused before extraction starts (no baseline, a baseline
blessed against other goldens, an unknown prompt, a tolerance for a figure the gate does not
know), so they cost a second, not a run over the goldens. The extraction and the comparison are
``harness.evaluation``'s, the flow ``harness eval`` runs, into the folder it uses, so both resume
each other's runs and share the response cache.

Every document of the goldens folder is in the baseline, since the baseline keeps the hash of
the whole folder: a golden added, removed or edited after blessing makes the baseline stale, and
it is refused as a whole rather than trusted for the documents that look unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.backends.client import DecodingParams
from harness.compare import Baseline, Comparison, IncomparableRunsError, read_baseline
from harness.compare.gate import gate_tolerances, refuse_unknown_tolerances
from harness.errors import ConfigError
from harness.evaluation import evaluate_goldens
from harness.goldens import GoldenSet, load_golden_set
from harness.project.settings import Tolerances
from harness.prompts import Prompt, load_prompt
from harness.pytest_plugin.options import GoldenOptions
from harness.run.cache import ResponseCache
from harness.run.jobs import JobSummary
from harness.run.results import RESULTS_FILE

__all__ = ["GoldenCheck", "GoldenRun", "prepare_check", "run_check"]


@dataclass(frozen=True)
class GoldenCheck:
    """Everything settled before extraction: the prompt, the goldens, the baseline and the tolerances."""

    options: GoldenOptions
    prompt: Prompt
    golden_set: GoldenSet
    baseline: Baseline
    tolerances: Tolerances


@dataclass(frozen=True)
class GoldenRun:
    """The extraction of the goldens and its comparison with the baseline."""

    job: JobSummary
    comparison: Comparison

    def summary_line(self) -> str:
        """What the run cost and where it is, for the end of pytest's report."""
        totals = self.job.manifest.totals
        return (
            f"{totals.ok} ok, {totals.failed} failed, {totals.cached} from cache, of {totals.documents} document(s) "
            f"({self.job.skipped} already done); results in {self.job.out_dir / RESULTS_FILE}; "
            f"compared with {self.comparison.base_label}"
        )


def _missing_baseline(options: GoldenOptions) -> ConfigError:
    bless = f"harness baseline bless RUN_DIR --name {options.baseline.stem}"
    if options.baseline.parent.resolve() != options.settings.baselines_dir.resolve():
        bless += f" --dir {options.baseline.parent}"
    return ConfigError(
        f"no baseline to hold the goldens to; run them once (`harness eval`) and bless that run with `{bless}`, "
        "or point --goldens-baseline at a baseline file",
        path=options.shown(options.baseline),
    )


def prepare_check(options: GoldenOptions) -> GoldenCheck:
    """Read and check the baseline, goldens, prompt and tolerances; ``HarnessError`` for any that is unusable."""
    if not options.baseline.is_file():
        raise _missing_baseline(options)
    baseline = read_baseline(options.baseline)
    golden_set = load_golden_set(options.goldens_dir)
    if baseline.goldens_sha256 != golden_set.sha256:
        raise IncomparableRunsError(
            f"was blessed against other goldens than those in {options.shown(options.goldens_dir)} (one was added, "
            "removed or edited since); bless a run scored against the current goldens again",
            path=options.shown(options.baseline),
        )
    prompt_ref = options.prompt_ref or (baseline.ledger.prompt_ref if baseline.ledger else None)
    if prompt_ref is None:
        raise ConfigError(
            "the baseline does not say which prompt made it (it was blessed from Article files); "
            "pass --goldens-prompt NAME@VERSION",
            path=options.shown(options.baseline),
        )
    tolerances = gate_tolerances(options.tolerance_overrides, options.settings)
    refuse_unknown_tolerances(tolerances, baseline.summary)
    prompt = load_prompt(prompt_ref, options.settings.prompts_dir)
    return GoldenCheck(options, prompt, golden_set, baseline, tolerances)


async def run_check(check: GoldenCheck) -> GoldenRun:
    """Extract the goldens (resuming the run folder, answers from the cache) and compare them with the baseline."""
    options = check.options
    evaluation = await evaluate_goldens(
        [check.golden_set],
        check.prompt,
        model=options.model,
        base_url=options.base_url,
        runs_dir=options.settings.runs_dir,
        out=options.run_dir,
        decoding=DecodingParams(),
        cache=ResponseCache(),
        progress=False,
    )
    comparison = evaluation.compared_with(
        check.baseline, base_label=options.shown(options.baseline), new_label=options.shown(evaluation.job.out_dir)
    )
    return GoldenRun(evaluation.job, comparison)
