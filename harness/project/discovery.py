"""Where the user's project is: its root folder and the file holding its settings.

Found as pytest finds its rootdir: from the working folder upward, the first folder with a
``harness.toml`` or a ``pyproject.toml`` that has a ``[tool.harness]`` table. A ``pyproject.toml``
without the table belongs to some other tool and is passed over, so a project nested in a larger
Python repository is still found at its own folder. Where both files lie in one folder,
``harness.toml`` wins: a file of harness's own is the more specific statement.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import ConfigError

__all__ = ["HARNESS_TOML", "PYPROJECT_TOML", "ProjectFile", "find_project_file", "project_file_in"]

HARNESS_TOML = "harness.toml"
"""A project file of harness's own: its top-level keys are the settings."""
PYPROJECT_TOML = "pyproject.toml"
"""A Python project's file: the settings are its ``[tool.harness]`` table."""


@dataclass(frozen=True)
class ProjectFile:
    """The file a project's settings were read from, and its settings table."""

    path: Path
    """The absolute path of the ``harness.toml`` or ``pyproject.toml``."""
    table: dict[str, Any]
    """The settings: the whole ``harness.toml``, or ``[tool.harness]`` of a ``pyproject.toml``."""

    @property
    def root(self) -> Path:
        """The project folder: relative paths in the file are resolved against it."""
        return self.path.parent

    def where(self, *keys: str | int) -> str:
        """How a key is spelled in this file, for messages: ``tool.harness.gate.tolerance`` or ``gate.tolerance``."""
        prefix: tuple[str | int, ...] = ("tool", "harness") if self.path.name == PYPROJECT_TOML else ()
        return ".".join(str(key) for key in (*prefix, *keys)) or "the file"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the project settings: {exc}", path=path) from exc


def project_file_in(folder: Path) -> ProjectFile | None:
    """The project file of ``folder`` itself (``harness.toml``, else a ``pyproject.toml`` with ``[tool.harness]``),
    or None; ``ConfigError`` naming a candidate file that cannot be read as TOML."""
    folder = folder.resolve()
    if (folder / HARNESS_TOML).is_file():
        return ProjectFile(folder / HARNESS_TOML, _read_toml(folder / HARNESS_TOML))
    if (folder / PYPROJECT_TOML).is_file():
        tool = _read_toml(folder / PYPROJECT_TOML).get("tool", {})
        table = tool.get("harness") if isinstance(tool, dict) else None
        if table is not None:
            if not isinstance(table, dict):
                raise ConfigError("[tool.harness] must be a table", path=folder / PYPROJECT_TOML)
            return ProjectFile(folder / PYPROJECT_TOML, table)
    return None


def find_project_file(start: Path | None = None) -> ProjectFile | None:
    """The project file of ``start`` (default: the working folder) or of the nearest folder above it; None when
    no folder up to the file system's root has one."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        found = project_file_in(candidate)
        if found is not None:
            return found
    return None
