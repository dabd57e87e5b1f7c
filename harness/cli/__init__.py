"""The ``harness`` command: a thin typer layer over the library; no logic of its own.

Loading it loads typer, rich and the command modules only: each command imports the library it calls when it runs,
so ``harness --help`` (and a command that needs little) does not pay for numpy, scipy, jinja2 or the openai SDK.

Exit codes: 0 success; 1 a gate or check failed (goldens check errors, a score below baseline);
2 bad usage or configuration; 3 an unreadable input document; 4 a malformed golden or prediction.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from harness.cli import (
    baseline_cmd,
    bench_cmd,
    compare_cmd,
    extract_cmd,
    goldens_cmd,
    merge_cmd,
    models_cmd,
    project_cmd,
    prompts_cmd,
    report_cmd,
    score_cmd,
)
from harness.cli.options import ProjectOptions
from harness.errors import HarnessError
from harness.project.overrides import env_variable, option_name

app = typer.Typer(
    name="harness",
    help="Extract diplomatic contacts from news articles with an LLM, and score them against goldens.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)


def _path_option(key: str) -> Any:
    """``--<key>``, named and documented after its setting, so the option, the variable and the key agree."""
    return typer.Option(option_name(key), help=f"Overrides the {key} setting (and ${env_variable(key)}).")


@app.callback()
def project_options(
    ctx: typer.Context,
    rootdir: Annotated[
        Path | None,
        typer.Option(
            help="The project folder, instead of the nearest one above the working folder with a "
            "harness.toml or a pyproject.toml with a tool.harness table."
        ),
    ] = None,
    prompts_dir: Annotated[Path | None, _path_option("prompts_dir")] = None,
    baselines_dir: Annotated[Path | None, _path_option("baselines_dir")] = None,
    runs_dir: Annotated[Path | None, _path_option("runs_dir")] = None,
) -> None:
    """Options before the command override the project's settings for it (`harness config` shows them)."""
    ctx.obj = ProjectOptions(
        rootdir, {"prompts_dir": prompts_dir, "baselines_dir": baselines_dir, "runs_dir": runs_dir}
    )


@app.command()
def schema() -> None:
    """Print the JSON Schema of an Article."""
    from schemas import article_json_schema

    typer.echo(json.dumps(article_json_schema(), indent=2))


app.command(name="init")(project_cmd.init)
app.command(name="config")(project_cmd.config)
app.command(name="extract")(extract_cmd.extract)
app.command(name="eval")(extract_cmd.evaluate)
app.add_typer(goldens_cmd.app, name="goldens")
app.add_typer(prompts_cmd.app, name="prompts")
app.add_typer(models_cmd.app, name="models")
app.add_typer(baseline_cmd.app, name="baseline")
app.command(name="compare")(compare_cmd.compare)
app.command(name="score")(score_cmd.score)
app.command(name="report")(report_cmd.report)
app.command(name="merge")(merge_cmd.merge)
app.command(name="bench", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(bench_cmd.bench)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    """A plain ``kill`` unwinds like Ctrl-C, so every context manager (the embedded server, the folder lock,
    open files) is left in order and the embedded model server is stopped too.

    Inside a job the exit is raised from the event loop between two steps, never in the middle of one: raised
    at an arbitrary point it can land in a pydantic validator, which reports it as a validation error, records
    a bogus failure and lets the job run on. A job still starting its embedded server stops once it answers.
    """
    code = 128 + signum
    asyncio = sys.modules.get("asyncio")  # not loaded: no job can be running, and loading it here would be slow
    try:
        loop = asyncio.get_running_loop() if asyncio is not None else None
    except RuntimeError:
        loop = None
    if loop is None:  # no job running: unwind from here
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
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except typer.TyperException as error:
        # A usage error: typer raises its own copy of click's exceptions, each of which prints itself (the usage
        # line, the hint, the message) and carries click's exit code.
        if hasattr(error, "show"):
            error.show()
        else:
            err_console.print(f"error: {error.format_message()}")
        sys.exit(error.exit_code)
