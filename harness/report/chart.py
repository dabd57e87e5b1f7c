"""Geometry of the inline SVG chart: the headline figures across runs, oldest first, on a 0-1 scale.

All figures charted are rates, so one fixed 0-1 axis serves them all and runs stay comparable
from one report to the next. The template draws the lines; this module only places the points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from harness.scoring.metrics import Flat

__all__ = ["LABEL_CHARS", "Chart", "ChartPoint", "ChartSeries", "RunTick", "chart"]

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 210, 16, 64  # room for the y labels, the legend, and two lines of run labels
LABEL_CHARS = 36  # a run label is cut here under its tick; its full text is in the point's tooltip
_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    value: float
    run: str


@dataclass(frozen=True)
class ChartSeries:
    """One figure across the runs: a polyline with a marker per run."""

    label: str
    css_class: str
    points: list[ChartPoint]

    @property
    def path(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)


@dataclass(frozen=True)
class RunTick:
    """A run's label under its place on the x axis; the outer labels run inwards so they stay on the canvas."""

    x: float
    label: str
    anchor: str
    """SVG ``text-anchor``: ``start``, ``middle`` or ``end``."""


@dataclass(frozen=True)
class Chart:
    """Geometry of the inline SVG chart of the headline figures across runs (oldest first)."""

    width: int
    height: int
    runs: list[RunTick]
    gridlines: list[tuple[float, str]]
    """y position and label of each horizontal gridline."""
    series: list[ChartSeries]
    plot_left: float
    plot_right: float
    plot_bottom: float


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _anchor(position: int, runs: int) -> str:
    if runs == 1:
        return "middle"
    return "start" if position == 0 else "end" if position == runs - 1 else "middle"


def chart(runs: Sequence[tuple[str, Flat]], figures: Mapping[str, str]) -> Chart:
    """Place ``figures`` (flat key -> label) of each run (label, its flat figures), oldest first."""
    plot_right = WIDTH - RIGHT
    plot_bottom = HEIGHT - BOTTOM
    span = plot_right - LEFT

    def x_of(position: int) -> float:
        return LEFT + span / 2 if len(runs) == 1 else LEFT + span * position / (len(runs) - 1)

    def y_of(value: float) -> float:
        return plot_bottom - (plot_bottom - TOP) * min(max(value, 0.0), 1.0)

    series = [
        ChartSeries(
            label=label,
            css_class=f"s{number}",
            points=[
                ChartPoint(x_of(position), y_of(values[metric]), values[metric], run)
                for position, (run, values) in enumerate(runs)
                if metric in values
            ],
        )
        for number, (metric, label) in enumerate(figures.items())
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        runs=[RunTick(x_of(n), _short(run), _anchor(n, len(runs))) for n, (run, _) in enumerate(runs)],
        gridlines=[(y_of(value), f"{value:.2f}") for value in _GRID],
        series=series,
        plot_left=LEFT,
        plot_right=plot_right,
        plot_bottom=plot_bottom,
    )
