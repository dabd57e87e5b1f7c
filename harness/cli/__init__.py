"""The ``harness`` command: a thin typer layer over the library; no logic of its own.

Exit codes: 0 success; 1 a gate or check failed (goldens check errors, a score below baseline);
2 bad usage or configuration; 3 an unreadable input document; 4 a malformed golden or prediction.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys

import typer
from rich.console import Console

from harness.cli import (
    baseline_cmd,
    compare_cmd,
    extract_cmd,
    goldens_cmd,
    models_cmd,
    prompts_cmd,
    report_cmd,
    score_cmd,
)
from harness.errors import HarnessError

app = typer.Typer(
    name="harness",
    help="Extract diplomatic contacts from news articles with an LLM, and score them against goldens.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)


@app.command()
def schema() -> None:
    """Print the JSON Schema of an Article."""
    from schemas import article_json_schema

    typer.echo(json.dumps(article_json_schema(), indent=2))


app.command(name="extract")(extract_cmd.extract)
app.command(name="eval")(extract_cmd.evaluate)
app.add_typer(goldens_cmd.app, name="goldens")
app.add_typer(prompts_cmd.app, name="prompts")
app.add_typer(models_cmd.app, name="models")
app.add_typer(baseline_cmd.app, name="baseline")
app.command(name="compare")(compare_cmd.compare)
app.command(name="score")(score_cmd.score)
app.command(name="report")(report_cmd.report)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    """A plain ``kill`` unwinds like Ctrl-C, so every context manager (the embedded server, the folder lock,
    open files) is left in order and the embedded model server is stopped too.

    Inside a job the exit is raised from the event loop between two steps, never in the middle of one: raised
    at an arbitrary point it can land in a pydantic validator, which reports it as a validation error, records
    a bogus failure and lets the job run on. A job still starting its embedded server stops once it answers.
    """
    code = 128 + signum
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no job running: unwind from here
        sys.exit(code)
    loop.call_soon_threadsafe(sys.exit, code)


def main() -> None:
    """Entry point: user errors become one line on stderr and their exit code."""
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    # instructor logs each failed call at ERROR; harness reports every failure itself, once, naming its file.
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    try:
        sys.exit(app(standalone_mode=False) or 0)  # click returns (not raises) the code of typer.Exit here
    except HarnessError as error:
        err_console.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
        sys.exit(error.exit_code)
    except typer.Exit as exit_:
        sys.exit(exit_.exit_code)
    except Exception as error:  # click usage errors carry their own exit code
        import click

        if isinstance(error, click.ClickException):
            error.show()
            sys.exit(error.exit_code)
        if isinstance(error, click.exceptions.Abort):
            err_console.print("aborted")
            sys.exit(130)
        raise
