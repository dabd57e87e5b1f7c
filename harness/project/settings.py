"""The project's settings: the one typed object every default path and the gate read.

Each setting comes from the first source that gives it: a command-line option, a ``HARNESS_*``
environment variable, the project file (see ``harness.project.discovery``), the default. A path
in the project file is resolved against the project root, so every command means the same folders
from any subfolder; a path from an option or the environment is taken as the shell gives it,
relative to the working folder. Without a project the defaults are the built-in prompts and seed
goldens (``harness.project.builtin``), so an installed harness works from an empty folder.

The keys of ``[tool.harness]`` (or of a ``harness.toml``)::

    prompts_dir = "prompts"            # prompts/<name>/v<N>.md; HARNESS_PROMPTS_DIR, --prompts-dir
    baselines_dir = "baselines"        # blessed baselines; HARNESS_BASELINES_DIR, --baselines-dir
    runs_dir = "runs"                  # where `harness eval` writes its run folders; HARNESS_RUNS_DIR, --runs-dir
    [tool.harness.golden_sets]         # golden sets by name (every command takes a name or a folder)
    goldens = "goldens"
    [tool.harness.gate]                # how far a gated figure may fall (see harness.compare.gate)
    tolerance = 0.0
    [tool.harness.gate.metrics]
    "contacts.detection.f1" = 0.02
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.errors import ConfigError
from harness.project.builtin import BUILTIN_GOLDEN_SET, BUILTIN_GOLDENS_DIR, BUILTIN_PROMPTS_DIR
from harness.project.discovery import ProjectFile, find_project_file, project_file_in
from harness.project.overrides import PATH_SETTINGS, env_variable, option_name

__all__ = ["SETTINGS", "Origin", "Settings", "Tolerances", "load_settings"]

SETTINGS = ("prompts_dir", "golden_sets", "baselines_dir", "runs_dir", "gate")
"""Every key a project file may hold, in the order ``harness config`` shows them."""

_PROJECT_DEFAULTS = {"prompts_dir": "prompts", "baselines_dir": "baselines", "runs_dir": "runs"}
_PROJECT_GOLDEN_SET = "goldens"
"""The one golden set of a project that names none: its ``goldens/`` folder."""


class Origin(BaseModel):
    """Where a setting's value came from, as ``harness config`` shows it."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["default", "file", "env", "option"]
    detail: str = ""
    """The file, environment variable or option that gave the value; for a default, ``built-in`` or empty."""

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind


class Tolerances(BaseModel):
    """How far each gated figure may fall below its baseline: one default, and per-figure exceptions
    (``[tool.harness.gate]``; ``inf`` leaves a figure ungated)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    default: float = Field(default=0.0, ge=0, alias="tolerance")
    """``[tool.harness.gate] tolerance``: any fall beyond it fails (default 0: any fall fails)."""
    per_metric: dict[str, Annotated[float, Field(ge=0)]] = Field(default_factory=dict, alias="metrics")
    """``[tool.harness.gate.metrics]``: figure -> tolerance."""

    def of(self, metric: str) -> float:
        return self.per_metric.get(metric, self.default)

    def overridden(self, overrides: Mapping[str, float]) -> Tolerances:
        """These tolerances with some figures' replaced (``--tolerance``)."""
        return Tolerances(tolerance=self.default, metrics={**self.per_metric, **overrides})


class Settings(BaseModel):
    """The effective settings of one command: every default path, resolved, and the gate's tolerances."""

    model_config = ConfigDict(frozen=True)

    root: Path
    """The project folder; without a project, the working folder (where runs and baselines then go)."""
    project_file: Path | None
    """The ``harness.toml`` or ``pyproject.toml`` read; None without a project (built-in defaults)."""
    prompts_dir: Path
    """``<prompts_dir>/<name>/v<N>.md``; by default the project's ``prompts/``, else the built-in prompts."""
    golden_sets: dict[str, Path]
    """Golden set name -> folder, in the file's order; the first is the default of one-set commands."""
    baselines_dir: Path
    """Where ``harness baseline bless`` writes and ``pytest --goldens`` looks."""
    runs_dir: Path
    """Where ``harness eval`` and ``pytest --goldens`` put ``eval-<prompt>-<model>`` run folders."""
    gate: Tolerances
    """How far each gated figure may fall (``--tolerance`` overrides it per command)."""
    origins: dict[str, Origin]
    """Setting -> where its value came from."""


_Folder = Annotated[str, Field(min_length=1)]


class _ProjectTable(BaseModel):
    """What a project file may say; an unknown key is refused, so a misspelt setting is not silently ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    prompts_dir: _Folder | None = None
    golden_sets: Annotated[dict[str, _Folder], Field(min_length=1)] | None = None
    baselines_dir: _Folder | None = None
    runs_dir: _Folder | None = None
    gate: Tolerances | None = None
    prices: dict[str, Any] | None = None
    """``[tool.harness.prices."MODEL"]``: read by ``harness.run.budget``."""
    limits: dict[str, Any] | None = None
    """``[tool.harness.limits]`` rpm and tpm: read by ``harness.run.budget``."""


def _read_table(project: ProjectFile) -> _ProjectTable:
    try:
        return _ProjectTable.model_validate(project.table)
    except ValidationError as exc:
        detail = exc.errors(include_url=False)[0]
        loc = detail["loc"]
        message = detail["msg"]
        if detail["type"] == "extra_forbidden" and len(loc) == 1:
            message = f"unknown setting; the settings are {', '.join(SETTINGS)}"
        raise ConfigError(f"{project.where(*loc)}: {message}", path=project.path) from exc


def _defaults(root: Path, in_project: bool) -> tuple[dict[str, Any], dict[str, Origin]]:
    """A project's own folders; without one, the built-in prompts and goldens (runs and baselines in ``root``)."""
    builtin = Origin(kind="default", detail="built-in")
    values: dict[str, Any] = {key: root / folder for key, folder in _PROJECT_DEFAULTS.items()}
    origins = {key: Origin(kind="default") for key in SETTINGS}
    values["gate"] = Tolerances()
    if in_project:
        values["golden_sets"] = {_PROJECT_GOLDEN_SET: root / _PROJECT_GOLDEN_SET}
    else:
        values["golden_sets"] = {BUILTIN_GOLDEN_SET: BUILTIN_GOLDENS_DIR}
        origins["golden_sets"] = builtin
    if not (in_project and values["prompts_dir"].is_dir()):  # a project may keep no prompts of its own
        values["prompts_dir"] = BUILTIN_PROMPTS_DIR
        origins["prompts_dir"] = builtin
    return values, origins


def load_settings(
    start: Path | None = None, *, rootdir: Path | None = None, options: Mapping[str, Path | None] | None = None
) -> Settings:
    """The settings of the project found from ``start`` (default: the working folder) upward, or of ``rootdir``
    (``--rootdir``: that folder is the project, found or not), with ``HARNESS_*`` variables and ``options``
    (path setting -> value given on the command line, None where none was) applied over them."""
    if rootdir is not None and not rootdir.is_dir():
        raise ConfigError("--rootdir: no such folder", path=rootdir)
    project = project_file_in(rootdir) if rootdir is not None else find_project_file(start)
    root = project.root if project is not None else (rootdir or start or Path.cwd()).resolve()
    values, origins = _defaults(root, in_project=project is not None or rootdir is not None)
    if project is not None:
        table = _read_table(project)
        from_file = Origin(kind="file", detail=str(project.path))
        for key in PATH_SETTINGS:
            folder = getattr(table, key)
            if folder is not None:
                values[key], origins[key] = root / folder, from_file
        if table.golden_sets is not None:
            values["golden_sets"] = {name: root / folder for name, folder in table.golden_sets.items()}
            origins["golden_sets"] = from_file
        if table.gate is not None:
            values["gate"], origins["gate"] = table.gate, from_file
    for key in PATH_SETTINGS:
        if value := os.environ.get(env_variable(key)):
            values[key], origins[key] = Path(value), Origin(kind="env", detail=env_variable(key))
        if (given := (options or {}).get(key)) is not None:
            values[key], origins[key] = given, Origin(kind="option", detail=option_name(key))
    return Settings(root=root, project_file=project.path if project else None, origins=origins, **values)
