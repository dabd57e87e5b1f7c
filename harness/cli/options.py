"""Options several commands share, declared once so they read (and are documented) the same everywhere, and what
they decide: the settings a command runs under, a job's options.

Not a command: the command modules import their shared options from here, never from each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from harness.project.settings import Settings
    from harness.run.jobs import JobOptions

__all__ = [
    "BaseUrlOption",
    "GoldenSetOption",
    "GoldenSetsOption",
    "ModelOption",
    "NoCacheOption",
    "ProjectOptions",
    "PromptOption",
    "ReportOption",
    "SummaryOption",
    "ToleranceOption",
    "job_options",
    "project_settings",
]


@dataclass(frozen=True)
class ProjectOptions:
    """The options given before the command (``harness --runs-dir X eval``): they override the project's settings."""

    rootdir: Path | None = None
    """``--rootdir``: the project folder, instead of the one found from the working folder upward."""
    paths: dict[str, Path | None] = field(default_factory=dict)
    """Path setting -> the value of its ``--<key>`` option, None where it was not given."""


def project_settings(ctx: typer.Context) -> Settings:
    """The settings a command runs under: the project's, with ``HARNESS_*`` variables and the options given before
    the command applied (none when the command is run on its own, as the tests do)."""
    from harness.project.settings import load_settings  # pydantic: loaded when a command runs, not for --help

    given = ctx.find_object(ProjectOptions) or ProjectOptions()
    return load_settings(rootdir=given.rootdir, options=given.paths)


_GOLDEN_SET = (
    "Golden set: a name from the golden_sets setting or a folder of <doc_id>.json goldens beside their documents"
)
GoldenSetOption = Annotated[
    str | None, typer.Option("--goldens", metavar="SET", help=f"{_GOLDEN_SET} (default: the first configured set).")
]
GoldenSetsOption = Annotated[
    list[str] | None,
    typer.Option("--goldens", metavar="SET", help=f"{_GOLDEN_SET}; repeatable (default: every configured set)."),
]
ToleranceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--tolerance",
        metavar="METRIC=VALUE",
        help="How far a figure may fall, e.g. contacts.detection.f1=0.02 (inf: not gated); overrides the "
        "gate setting (tool.harness.gate). Repeatable.",
    ),
]
SummaryOption = Annotated[
    Path | None, typer.Option("--summary", help="Write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY).")
]
ReportOption = Annotated[
    Path | None,
    typer.Option("--report", help="Also write the HTML report of the run here (one self-contained file)."),
]
PromptOption = Annotated[str, typer.Option(help="Versioned prompt to extract with, as name@version.")]
ModelOption = Annotated[
    str | None,
    typer.Option(help="Offline model from the registry (default: the embedded one), or the model id at --base-url."),
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(help="OpenAI-compatible endpoint to use instead of the embedded model; key from $OPENAI_API_KEY."),
]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Ask the model even when a cached answer exists.")]


def job_options(concurrency: int | None, max_retries: int, no_cache: bool) -> JobOptions:
    """What the command line decides about a job; decoding stays at its defaults, part of every ledger. The
    extraction side is imported here, when a command runs, so loading the CLI stays light."""
    from harness.backends.client import DecodingParams
    from harness.run.cache import ResponseCache
    from harness.run.jobs import JobOptions

    cache = None if no_cache else ResponseCache()
    return JobOptions(decoding=DecodingParams(), concurrency=concurrency, max_retries=max_retries, cache=cache)
