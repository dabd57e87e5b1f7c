"""``harness init``: a new project folder, its starting files copied from the built-in defaults.

Nothing that exists is overwritten: every file is checked before the first is written, so a refused
init leaves the folder as it found it. Folders that exist already are used as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from harness.errors import ConfigError
from harness.project.builtin import (
    BUILTIN_GOLDENS_DIR,
    BUILTIN_PROMPTS_DIR,
    DEFAULT_PROMPT,
    EXAMPLE_GOLDEN,
    GUIDELINES_FILE,
)
from harness.project.discovery import HARNESS_TOML, PYPROJECT_TOML

__all__ = ["ConfigStyle", "scaffold_project"]

ConfigStyle = Literal["pyproject", "harness-toml"]
"""Where the settings go: a ``[tool.harness]`` table in ``pyproject.toml``, or a ``harness.toml`` of their own."""

_SETTINGS = """\
# harness project settings; paths are relative to this folder. `harness config` prints the effective values.
[{table}]
prompts_dir = "prompts"          # prompts/<name>/v<N>.md
baselines_dir = "baselines"      # written by `harness baseline bless`
runs_dir = "runs"                # run folders of `harness eval`

[{table}golden_sets]
# Golden sets by name: every goldens command and `harness eval` take a name or a folder.
goldens = "goldens"

[{table}gate]
# How far a gated figure (F1, precision, recall, accuracy) may fall below its baseline; inf: not gated.
tolerance = 0.0
"""
_GITIGNORE = "# run folders of `harness eval` and `harness extract`: results, manifests, server logs\nruns/\n"
_PROMPT_NAME, _PROMPT_VERSION = DEFAULT_PROMPT.split("@")
_EXAMPLE_PROMPT = Path(_PROMPT_NAME) / f"{_PROMPT_VERSION}.md"


def _settings_file(style: ConfigStyle) -> tuple[str, str]:
    if style == "pyproject":
        return PYPROJECT_TOML, _SETTINGS.replace("[{table}]", "[tool.harness]").replace("{table}", "tool.harness.")
    return HARNESS_TOML, _SETTINGS.replace("[{table}]\n", "").replace("{table}", "")


def scaffold_project(folder: Path, style: ConfigStyle = "pyproject") -> list[Path]:
    """Write a project into ``folder`` (made if missing): the settings file, the default prompt
    (``prompts/extract/v5.md``), ``goldens/`` with the guidelines and one example golden, ``baselines/`` and a
    ``.gitignore`` for ``runs/``.
    Returns the files written; ``ConfigError`` naming the first that exists, before anything is written."""
    settings_name, settings = _settings_file(style)
    files: dict[Path, bytes] = {
        folder / settings_name: settings.encode(),
        folder / ".gitignore": _GITIGNORE.encode(),
        folder / "prompts" / _EXAMPLE_PROMPT: (BUILTIN_PROMPTS_DIR / _EXAMPLE_PROMPT).read_bytes(),
        folder / "goldens" / GUIDELINES_FILE: (BUILTIN_GOLDENS_DIR / GUIDELINES_FILE).read_bytes(),
    }
    for suffix in (".json", ".txt"):  # the text byte for byte: the golden's offsets index it
        name = f"{EXAMPLE_GOLDEN}{suffix}"
        files[folder / "goldens" / name] = (BUILTIN_GOLDENS_DIR / name).read_bytes()
    if folder.exists() and not folder.is_dir():
        raise ConfigError("not a folder", path=folder)
    for path in files:
        if path.exists() or path.is_symlink():
            hint = " (--harness-toml keeps the settings in harness.toml)" if path.name == PYPROJECT_TOML else ""
            raise ConfigError(f"exists already; harness init overwrites nothing{hint}", path=path)
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as handle:  # "x": a file that appeared since the check is still not overwritten
            handle.write(content)
    (folder / "baselines").mkdir(exist_ok=True)
    return list(files)
