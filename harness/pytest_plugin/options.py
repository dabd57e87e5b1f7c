"""The ``--goldens*`` command-line options, and ``GoldenOptions``, what they say.

Defaults are the project's settings, found as the ``harness`` command finds them (from the folder
pytest was started in upward, see ``harness.project``), so ``pytest --goldens`` works from any
folder of the project and checks what ``harness eval`` would; paths given on the command line are
taken as the shell gives them, relative to the working folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # this module is loaded by every pytest run: the settings (pydantic) only when --goldens is given
    from harness.project.settings import Settings

__all__ = ["ENABLE_OPTION", "GoldenOptions", "add_options", "goldens_enabled", "options_from_config"]

ENABLE_OPTION = "--goldens"
_BASELINE_FILE = "extract.json"
"""The baseline in the baselines folder: what `harness baseline bless RUN_DIR --name extract` writes."""


@dataclass(frozen=True)
class GoldenOptions:
    """The ``--goldens-*`` options, with their defaults taken from the project's settings."""

    settings: Settings
    """The project's settings: its root, folders and gate tolerances."""
    goldens_dir: Path
    baseline: Path
    prompt_ref: str | None
    """None: the prompt the baseline was blessed from."""
    model: str | None
    """None: the embedded default model, or the one model the endpoint serves."""
    base_url: str | None
    """None: ``$OPENAI_BASE_URL``, else the embedded model."""
    run_dir: Path | None
    """None: ``<runs_dir>/eval-<prompt>-<model>``, the folder ``harness eval`` writes."""
    tolerance_overrides: tuple[str, ...] = ()
    """``METRIC=VALUE`` overrides of the gate setting."""

    def shown(self, path: Path) -> str:
        """``path`` relative to the project folder where it lies in it, for short messages."""
        root = self.settings.root
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def add_options(parser: pytest.Parser) -> None:
    """The options of the ``harness`` group."""
    group = parser.getgroup("harness", "harness: extraction regression tests against the goldens")
    group.addoption(
        ENABLE_OPTION,
        action="store_true",
        default=False,
        help="Extract every golden document (resumed and cached, like `harness eval`) and fail each one whose "
        "figures fall below the baseline beyond the [tool.harness.gate] tolerances. Without it no model is called.",
    )
    group.addoption(
        "--goldens-dir",
        metavar="DIR",
        help="Folder of <doc_id>.json goldens beside their .txt (default: the project's first golden set).",
    )
    group.addoption(
        "--goldens-baseline",
        metavar="FILE",
        help=f"Baseline written by `harness baseline bless` (default: {_BASELINE_FILE} in the baselines_dir "
        "setting's folder).",
    )
    group.addoption(
        "--goldens-prompt",
        metavar="NAME@VERSION",
        help="Prompt to extract with (default: the prompt the baseline was blessed from).",
    )
    group.addoption(
        "--goldens-model",
        metavar="MODEL",
        help="Offline model from the registry (default: the embedded one), or the model id at --goldens-base-url.",
    )
    group.addoption(
        "--goldens-base-url",
        metavar="URL",
        help="OpenAI-compatible endpoint instead of the embedded model (default: $OPENAI_BASE_URL); "
        "the key is read from $OPENAI_API_KEY.",
    )
    group.addoption(
        "--goldens-run-dir",
        metavar="DIR",
        help="Run folder (default: <runs_dir>/eval-<prompt>-<model>, the one `harness eval` writes, "
        "so a repeated run resumes it and makes no model call).",
    )
    group.addoption(
        "--goldens-tolerance",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        help="How far a figure may fall, e.g. contacts.detection.f1=0.02 (inf: not gated); overrides the "
        "project's gate setting ([tool.harness.gate]). Repeatable.",
    )


def goldens_enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("goldens"))


def _path(config: pytest.Config, name: str, default: Path) -> Path:
    given = config.getoption(name)
    return Path(given) if given else default


def options_from_config(config: pytest.Config) -> GoldenOptions:
    """The options given, with each default taken from the settings of the project pytest was started in."""
    from harness.project.settings import load_settings

    settings = load_settings(config.invocation_params.dir)
    run_dir = config.getoption("goldens_run_dir")
    return GoldenOptions(
        settings=settings,
        goldens_dir=_path(config, "goldens_dir", next(iter(settings.golden_sets.values()))),
        baseline=_path(config, "goldens_baseline", settings.baselines_dir / _BASELINE_FILE),
        prompt_ref=config.getoption("goldens_prompt"),
        model=config.getoption("goldens_model"),
        base_url=config.getoption("goldens_base_url"),
        run_dir=Path(run_dir) if run_dir else None,
        tolerance_overrides=tuple(config.getoption("goldens_tolerance")),
    )
