"""Named golden sets: ``[tool.harness.golden_sets]`` maps a set's name to its folder.

A project can hold several sets (the seed articles it was built on, a dev set of other news), and
every command that reads goldens takes a set by name or by folder, one or several; with none given
it takes every configured set, so figures are reported per set and together.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from harness.errors import ConfigError
from harness.project.pyproject import find_pyproject, harness_table

__all__ = ["DEFAULT_GOLDENS", "configured_sets", "resolve_set", "resolve_sets"]

DEFAULT_GOLDENS = Path("goldens")
"""The one set of a project that configures none."""


def configured_sets(pyproject: Path | None) -> dict[str, Path]:
    """``[tool.harness.golden_sets]``: name -> folder, resolved against the project folder, in table order."""
    table = harness_table(pyproject, "golden_sets")
    sets: dict[str, Path] = {}
    for name, folder in table.items():
        if not isinstance(folder, str) or not folder:
            raise ConfigError(f"[tool.harness.golden_sets] {name!r} must be a folder, not {folder!r}", path=pyproject)
        sets[name] = pyproject.parent / folder if pyproject is not None else Path(folder)
    return sets


def resolve_sets(given: Sequence[str], start: Path | None = None) -> dict[str, Path]:
    """The golden sets named or given as folders (a configured folder keeps its set's name, another one is named
    after itself); with none given, every configured set, else ``goldens/``."""
    configured = configured_sets(find_pyproject(start))
    if not given:
        return configured or {DEFAULT_GOLDENS.name: DEFAULT_GOLDENS}
    by_folder = {folder.resolve(): name for name, folder in configured.items()}
    sets: dict[str, Path] = {}
    for item in given:
        if item in configured:
            sets[item] = configured[item]
            continue
        folder = Path(item)
        if not folder.is_dir():
            known = ", ".join(configured) or "none in [tool.harness.golden_sets]"
            raise ConfigError(f"no such folder of goldens, nor a golden set's name (sets: {known})", path=item)
        sets[by_folder.get(folder.resolve(), folder.name)] = folder
    return sets


def resolve_set(given: str | None, start: Path | None = None) -> tuple[str, Path]:
    """One golden set by name or folder; with none given, the first configured set, else ``goldens/``."""
    name, folder = next(iter(resolve_sets([given] if given else [], start).items()))
    return name, folder
