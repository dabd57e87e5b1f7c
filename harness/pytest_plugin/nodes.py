"""The collector and items of ``pytest --goldens``: one item per golden document, one for the run's figures.

The goldens folder is a collector whose ``setup`` extracts every golden once, before the first of
its items runs: collecting (``--collect-only``, or items deselected by ``-k``/``-m``) never calls
a model, and an extraction that cannot start (an unreachable endpoint, a baseline answered in
another schema) is one error reported on each item instead of a traceback.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from harness.errors import HarnessError
from harness.pytest_plugin.check import GoldenCheck, GoldenRun, run_check
from harness.pytest_plugin.verdicts import judge_document, judge_run, run_explanation

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr, TracebackStyle

__all__ = ["GOLDENS_MARKER", "RUN_ITEM", "GoldenDocumentItem", "GoldenRunItem", "GoldenSuite", "GoldensFellBelow"]

GOLDENS_MARKER = "goldens"
"""Every golden item carries it, so ``-m goldens`` runs only them."""
RUN_ITEM = "all_goldens"
"""The name of the item that gates the run's figures over all documents."""


class GoldensFellBelow(Exception):
    """A golden item's failure; its message is the whole report, shown without a traceback."""


class GoldenSuite(pytest.Directory):
    """The goldens folder: extracts and compares all of its documents once, before its first item runs."""

    def __init__(self, *, check: GoldenCheck, **kwargs: Any) -> None:  # kwargs: pytest's node keywords
        super().__init__(**kwargs)
        self.check = check
        self.run: GoldenRun | None = None
        """Set by ``setup``."""
        self.add_marker(GOLDENS_MARKER)  # its items inherit it

    def collect(self) -> Iterator[pytest.Item]:
        for doc_id in self.check.golden_set.goldens:
            yield GoldenDocumentItem.from_parent(self, name=doc_id)
        yield GoldenRunItem.from_parent(self, name=RUN_ITEM)

    def setup(self) -> None:
        try:
            self.run = asyncio.run(run_check(self.check))
        except HarnessError as error:
            reason = str(error)
        else:
            return
        pytest.fail(reason, pytrace=False)  # outside the except: the message alone, without the causes' chain

    def finished_run(self) -> GoldenRun:
        """The run ``setup`` made (pytest runs an item only after its collector's setup succeeded)."""
        if self.run is None:
            raise RuntimeError("the goldens were not extracted: GoldenSuite.setup did not run")
        return self.run


class _GoldenItem(pytest.Item):
    """An item of a ``GoldenSuite``; its failures are reports, not tracebacks."""

    @property
    def suite(self) -> GoldenSuite:
        assert isinstance(self.parent, GoldenSuite)
        return self.parent

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: TracebackStyle | None = None
    ) -> str | TerminalRepr:
        if isinstance(excinfo.value, GoldensFellBelow):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)


class GoldenDocumentItem(_GoldenItem):
    """One golden document: fails when its extraction failed or its figures fell below the baseline's."""

    def runtest(self) -> None:
        verdict = judge_document(self.suite.finished_run(), self.name, self.suite.check.tolerances)
        if not verdict.passed:
            raise GoldensFellBelow(verdict.explanation())

    def reportinfo(self) -> tuple[str, int | None, str]:
        return str(self.path / f"{self.name}.json"), None, self.name


class GoldenRunItem(_GoldenItem):
    """The run's figures, micro-averaged over all goldens: the gate of ``harness eval --baseline``."""

    def runtest(self) -> None:
        run = self.suite.finished_run()
        verdict = judge_run(run, self.suite.check.tolerances)
        if not verdict.passed:
            raise GoldensFellBelow(run_explanation(run, verdict))

    def reportinfo(self) -> tuple[str, int | None, str]:
        return str(self.path), None, self.name
