"""The live progress line of a job: documents done, failed, tokens, time left.

Drawn on stderr only when it is a terminal, so logs and CI output stay free of redraws.
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from harness.run.results import ResultRecord

__all__ = ["JobProgress"]


class JobProgress:
    """A rich progress bar over the documents of one run; a no-op when disabled or not on a terminal."""

    def __init__(self, total: int | None, enabled: bool = True) -> None:
        """``total``: the documents to do, or None when they are streamed and their number is unknown."""
        console = Console(stderr=True)
        self._failed = 0
        self._tokens = 0
        self._bar = Progress(
            TextColumn("extracting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[red]{task.fields[failed]} failed"),
            TextColumn("{task.fields[tokens]:,} tokens"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            disable=not enabled or not console.is_terminal,
        )
        self._task = self._bar.add_task("extracting", total=total, failed=0, tokens=0)

    def advance(self, record: ResultRecord) -> None:
        """Count one finished document."""
        self._failed += record.status == "failed"
        self._tokens += record.usage.prompt_tokens + record.usage.completion_tokens
        self._bar.update(self._task, advance=1, failed=self._failed, tokens=self._tokens)

    def __enter__(self) -> JobProgress:
        self._bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._bar.stop()
