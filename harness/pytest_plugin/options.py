"""The ``--goldens*`` command-line options, and ``GoldenOptions``, what they say.

Defaults lie in pytest's rootdir (the project folder), so ``pytest --goldens`` works from any
folder of the project; paths given on the command line are taken as the shell gives them,
relative to the working folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = ["ENABLE_OPTION", "GoldenOptions", "add_options", "goldens_enabled", "options_from_config"]

ENABLE_OPTION = "--goldens"
_DEFAULT_GOLDENS = Path("goldens")
# Where `harness baseline bless RUN_DIR --name extract` writes. Spelled out rather than imported from
# harness.compare, because this module is loaded by every pytest run and must stay light.
_DEFAULT_BASELINE = Path("baselines") / "extract.json"


@dataclass(frozen=True)
class GoldenOptions:
    """The ``--goldens-*`` options, with their defaults resolved against the project folder."""

    root: Path
    """The project folder (pytest's rootdir): the defaults lie in it, and its pyproject.toml holds the tolerances."""
    goldens_dir: Path
    baseline: Path
    prompt_ref: str | None
    """None: the prompt the baseline was blessed from."""
    model: str | None
    """None: the embedded default model, or the one model the endpoint serves."""
    base_url: str | None
    """None: ``$OPENAI_BASE_URL``, else the embedded model."""
    run_dir: Path | None
    """None: ``runs/eval-<prompt>-<model>`` in ``root``, the folder ``harness eval`` writes."""
    tolerance_overrides: tuple[str, ...] = ()
    """``METRIC=VALUE`` overrides of ``[tool.harness.gate]``."""

    def shown(self, path: Path) -> str:
        """``path`` relative to the project folder where it lies in it, for short messages."""
        return str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)


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
        help=f"Folder of <doc_id>.json goldens beside their .txt (default: {_DEFAULT_GOLDENS}/ in the rootdir).",
    )
    group.addoption(
        "--goldens-baseline",
        metavar="FILE",
        help=f"Baseline written by `harness baseline bless` (default: {_DEFAULT_BASELINE} in the rootdir).",
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
        help="Run folder (default: runs/eval-<prompt>-<model> in the rootdir, the one `harness eval` writes, "
        "so a repeated run resumes it and makes no model call).",
    )
    group.addoption(
        "--goldens-tolerance",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        help="How far a figure may fall, e.g. contacts.detection.f1=0.02 (inf: not gated); overrides the "
        "[tool.harness.gate] table of pyproject.toml. Repeatable.",
    )


def goldens_enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("goldens"))


def _path(config: pytest.Config, name: str, default: Path) -> Path:
    given = config.getoption(name)
    return Path(given) if given else config.rootpath / default


def options_from_config(config: pytest.Config) -> GoldenOptions:
    """The options given, with each default resolved against the rootdir."""
    run_dir = config.getoption("goldens_run_dir")
    return GoldenOptions(
        root=config.rootpath,
        goldens_dir=_path(config, "goldens_dir", _DEFAULT_GOLDENS),
        baseline=_path(config, "goldens_baseline", _DEFAULT_BASELINE),
        prompt_ref=config.getoption("goldens_prompt"),
        model=config.getoption("goldens_model"),
        base_url=config.getoption("goldens_base_url"),
        run_dir=Path(run_dir) if run_dir else None,
        tolerance_overrides=tuple(config.getoption("goldens_tolerance")),
    )
