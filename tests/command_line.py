"""``harness ARGUMENTS`` in this process: the full command line through ``harness.cli.app`` and typer's test runner."""

from __future__ import annotations

from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from harness.cli import app

__all__ = ["invoke"]


def invoke(*arguments: str | Path) -> Result:
    """What ``harness ARGUMENTS`` printed and exited with; an exception it raised is ``Result.exception``."""
    return CliRunner().invoke(app, [str(argument) for argument in arguments])
