"""``harness init`` and ``harness config``: start a project, and show the settings a command would run under."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from harness.cli.options import project_settings

if TYPE_CHECKING:
    from harness.project.settings import Origin, Settings

__all__ = ["config", "init"]

console = Console(highlight=False, soft_wrap=True)


def init(
    folder: Annotated[Path, typer.Argument(metavar="[DIR]", help="The project folder (made if missing).")] = Path(),
    harness_toml: Annotated[
        bool, typer.Option("--harness-toml", help="Keep the settings in harness.toml instead of pyproject.toml.")
    ] = False,
) -> None:
    """Start a project in DIR: settings, the default prompt (prompts/extract/v5.md), goldens/ (guidelines and one
    example golden), baselines/ and a .gitignore for runs/. Overwrites nothing: exit 2 naming the first file that
    exists."""
    from harness.project.scaffold import scaffold_project

    written = scaffold_project(folder, "harness-toml" if harness_toml else "pyproject")
    for path in written:
        console.print(f"wrote {path}")
    console.print(
        f"project ready in {folder.resolve()}: `harness goldens check`, `harness eval`; "
        "`harness goldens new ARTICLE.txt` starts a golden from a model's extraction"
    )


def _rows(settings: Settings) -> list[tuple[str, str, Origin]]:
    """(setting, value, origin) in the order of ``SETTINGS``: a row per path, golden set and tolerance."""
    from harness.project.settings import SETTINGS

    rows = []
    for key in SETTINGS:
        origin = settings.origins[key]
        if key == "golden_sets":
            rows += [(f"golden_sets.{name}", str(folder), origin) for name, folder in settings.golden_sets.items()]
        elif key == "gate":
            rows.append(("gate.tolerance", f"{settings.gate.default:g}", origin))
            metrics = settings.gate.per_metric.items()
            rows += [(f'gate.metrics."{metric}"', f"{value:g}", origin) for metric, value in metrics]
        else:
            rows.append((key, str(getattr(settings, key)), origin))
    return rows


def config(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print the settings and their origins as JSON.")] = False,
) -> None:
    """Print the effective settings and where each came from: default, file, env (HARNESS_*) or option."""
    settings = project_settings(ctx)
    if json_out:
        typer.echo(json.dumps(settings.model_dump(mode="json"), indent=2))
        return
    found = str(settings.project_file) if settings.project_file else "none found: the built-in defaults"
    typer.echo(f"project file: {found}\nroot: {settings.root}")
    rows = _rows(settings)
    width = max(len(name) for name, _, _ in rows)
    for name, value, origin in rows:
        # The file is named once above; an env variable or option is named on its row.
        source = origin.kind if origin.kind == "file" else str(origin)
        typer.echo(f"{name:<{width}}  {value}  ({source})")
