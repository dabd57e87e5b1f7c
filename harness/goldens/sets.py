"""Named golden sets: the ``golden_sets`` setting maps a set's name to its folder.

A project can hold several sets (the seed articles it was built on, a dev set of other news), and
every command that reads goldens takes a set by name or by folder, one or several; with none given
it takes every configured set, so figures are reported per set and together. A project that names
no set has one, ``goldens/``; outside any project the set is the built-in seed goldens.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from harness.errors import ConfigError
from harness.project.settings import Settings, load_settings

__all__ = ["resolve_set", "resolve_sets"]


def resolve_sets(given: Sequence[str], settings: Settings | None = None) -> dict[str, Path]:
    """The golden sets named or given as folders (a configured folder keeps its set's name, another one is named
    after itself); with none given, every configured set. ``settings`` default: the working folder's project."""
    configured = (settings or load_settings()).golden_sets
    if not given:
        return dict(configured)
    by_folder = {folder.resolve(): name for name, folder in configured.items()}
    sets: dict[str, Path] = {}
    for item in given:
        if item in configured:
            sets[item] = configured[item]
            continue
        folder = Path(item)
        if not folder.is_dir():
            known = ", ".join(configured)
            raise ConfigError(f"no such folder of goldens, nor a golden set's name (sets: {known})", path=item)
        sets[by_folder.get(folder.resolve(), folder.name)] = folder
    return sets


def resolve_set(given: str | None, settings: Settings | None = None) -> tuple[str, Path]:
    """One golden set by name or folder; with none given, the first configured set."""
    name, folder = next(iter(resolve_sets([given] if given else [], settings).items()))
    return name, folder
