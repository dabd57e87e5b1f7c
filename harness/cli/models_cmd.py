"""``harness models``: the offline model registry; listing and one-time assembly only.

The registry lives with the backends, imported when a command runs: loading the CLI loads no backend.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["app"]

app = typer.Typer(help="Offline models: list them, or assemble one ahead of a run.", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)


@app.command(name="list")
def list_models() -> None:
    """List the offline models, whether their packages are installed, and whether they are assembled."""
    from harness.backends.models import DEFAULT_MODEL_ID, REGISTRY, assembled_path, missing_packages, models_dir

    table = Table(title=f"Offline models (assembled into {models_dir()})")
    table.add_column("id", no_wrap=True)
    for column in ("size", "installed", "assembled", "license", "description"):
        table.add_column(column)
    for spec in REGISTRY.values():
        missing = missing_packages(spec)
        installed = "yes" if not missing else f"no: {len(missing)} of {len(spec.packages)} package(s) missing"
        marker = " (default)" if spec.id == DEFAULT_MODEL_ID else ""
        table.add_row(
            spec.id + marker,
            f"{spec.size / 1e6:,.0f} MB",
            installed,
            "yes" if assembled_path(spec) is not None else "no",
            spec.license,
            spec.description,
        )
    console.print(table)


@app.command()
def prepare(
    model: Annotated[str | None, typer.Argument(help="Registry id of the model (default: the embedded one).")] = None,
) -> None:
    """Assemble and verify a model now, so the first run does not; prints its path."""
    from harness.backends.models import DEFAULT_MODEL_ID, resolve_model

    typer.echo(resolve_model(model or DEFAULT_MODEL_ID).path)
