"""Options several commands share, declared once so they read (and are documented) the same everywhere.

Not a command: the command modules import their shared options from here, never from each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["GoldenSetOption", "GoldenSetsOption", "ReportOption", "SummaryOption", "ToleranceOption"]

GoldenSetOption = Annotated[
    str | None,
    typer.Option(
        "--goldens",
        metavar="SET",
        help="Golden set: a name from [tool.harness.golden_sets] or a folder of <doc_id>.json goldens beside "
        "their documents (default: the first configured set, else goldens/).",
    ),
]
GoldenSetsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--goldens",
        metavar="SET",
        help="Golden set: a name from [tool.harness.golden_sets] or a folder of <doc_id>.json goldens beside "
        "their documents; repeatable (default: every configured set, else goldens/).",
    ),
]
ToleranceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--tolerance",
        metavar="METRIC=VALUE",
        help="How far a figure may fall, e.g. contacts.detection.f1=0.02 (inf: not gated); overrides the "
        "tool.harness.gate table of pyproject.toml. Repeatable.",
    ),
]
SummaryOption = Annotated[
    Path | None, typer.Option("--summary", help="Write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY).")
]
ReportOption = Annotated[
    Path | None,
    typer.Option("--report", help="Also write the HTML report of the run here (one self-contained file)."),
]
