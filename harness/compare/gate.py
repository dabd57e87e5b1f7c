"""The gate: does a new run fall below its base by more than the tolerances allow?

Every rate figure (F1, precision, recall, accuracy, grounding rate) is gated; counts are not,
since more true positives is no regression. Tolerances are a project setting (``Tolerances`` in
``harness.project.settings``), read from the project file::

    [tool.harness.gate]
    tolerance = 0.0                      # the default: any fall fails
    [tool.harness.gate.metrics]
    "contacts.detection.f1" = 0.02       # this figure may fall by up to 0.02
    "evidence.grounding.rate" = inf      # never gated

and ``--tolerance METRIC=VALUE`` on the command line overrides them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict, computed_field

from harness.compare.comparison import MetricDelta
from harness.errors import ConfigError
from harness.project.settings import Settings, Tolerances, load_settings

__all__ = [
    "GATED_SUFFIXES",
    "GateVerdict",
    "MetricCheck",
    "check_gate",
    "gate_tolerances",
    "gated_metrics",
    "parse_tolerance_overrides",
    "refuse_unknown_tolerances",
]

GATED_SUFFIXES = (".f1", ".precision", ".recall", ".accuracy", ".rate")
"""The flat figures that are rates, where higher is better."""
_ROUNDING = 1e-9  # figures are ratios of small counts; a fall smaller than this is float rounding, not a regression


def gated_metrics(figures: Iterable[str]) -> list[str]:
    """The figures the gate checks, in their order."""
    return [name for name in figures if name.endswith(GATED_SUFFIXES)]


def parse_tolerance_overrides(values: Iterable[str]) -> dict[str, float]:
    """``METRIC=VALUE`` options as ``{metric: value}`` (``inf`` leaves a figure ungated)."""
    overrides = {}
    for value in values:
        metric, equals, number = value.partition("=")
        try:
            overrides[metric.strip()] = float(number)
        except ValueError:
            equals = ""
        if not equals or not metric.strip():
            raise ConfigError(f"--tolerance {value!r} is not METRIC=VALUE, e.g. contacts.detection.f1=0.02")
    for metric, number in overrides.items():
        if math.isnan(number) or number < 0:
            raise ConfigError(f"--tolerance: the tolerance of {metric!r} must be 0 or more, not {number}")
    return overrides


class MetricCheck(MetricDelta):
    """One gated figure of both runs, and how far it may fall."""

    tolerance: float

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failed(self) -> bool:
        """It fell by more than its tolerance."""
        return self.base - self.new > self.tolerance + _ROUNDING


class GateVerdict(BaseModel):
    """Every gated figure's check; the gate passes when none failed."""

    model_config = ConfigDict(frozen=True)

    checks: list[MetricCheck]

    @property
    def failures(self) -> list[MetricCheck]:
        return [check for check in self.checks if check.failed]

    @property
    def passed(self) -> bool:
        return not self.failures

    def reasons(self) -> list[str]:
        """One line per failed figure, saying by how much it fell and what was allowed."""
        return [
            f"{check.metric} fell from {check.base:.3f} to {check.new:.3f} ({check.delta:+.3f}; "
            f"tolerance {check.tolerance:g})"
            for check in self.failures
        ]


def refuse_unknown_tolerances(tolerances: Tolerances, figures: Iterable[str]) -> None:
    """``ConfigError`` for a tolerance of a figure the gate does not check among ``figures`` (a typo would
    otherwise leave the figure it meant gated at the default)."""
    unknown = sorted(set(tolerances.per_metric) - set(gated_metrics(figures)))
    if unknown:
        raise ConfigError(
            f"tolerances for figures the gate does not check: {', '.join(unknown)}; "
            f"gated figures end in {', '.join(GATED_SUFFIXES)}, e.g. contacts.detection.f1"
        )


def gate_tolerances(overrides: Iterable[str], settings: Settings | None = None) -> Tolerances:
    """The project's gate tolerances (``settings`` default: the working folder's project), with ``METRIC=VALUE``
    overrides applied."""
    return (settings or load_settings()).gate.overridden(parse_tolerance_overrides(overrides))


def check_gate(base: Mapping[str, float], new: Mapping[str, float], tolerances: Tolerances) -> GateVerdict:
    """Check every gated figure of ``base`` against ``new``; a tolerance for an unknown figure is an error."""
    refuse_unknown_tolerances(tolerances, base)
    metrics = gated_metrics(base)
    return GateVerdict(
        checks=[
            MetricCheck(metric=metric, base=base[metric], new=new[metric], tolerance=tolerances.of(metric))
            for metric in metrics
        ]
    )
