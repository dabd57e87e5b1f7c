"""Find the project's ``pyproject.toml`` and read its ``[tool.harness]`` table."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from harness.errors import ConfigError

__all__ = ["find_pyproject", "harness_table"]


def find_pyproject(start: Path | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` in ``start`` (default: the working folder) or a folder above it."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / "pyproject.toml").is_file():
            return candidate / "pyproject.toml"
    return None


def harness_table(pyproject: Path | None, *keys: str) -> dict[str, Any]:
    """``[tool.harness.<keys...>]`` of ``pyproject`` (empty without a file or a table); ``ConfigError`` naming the
    file when it cannot be read or the entry is not a table."""
    if pyproject is None:
        return {}
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the project settings: {exc}", path=pyproject) from exc
    table: Any = data.get("tool", {}).get("harness", {})
    for depth, key in enumerate(keys):
        table = table.get(key, {}) if isinstance(table, dict) else None
        if not isinstance(table, dict):
            raise ConfigError(f"[{'.'.join(('tool', 'harness', *keys[: depth + 1]))}] must be a table", path=pyproject)
    return table
