"""pytest plugin: ``pytest --goldens`` holds every golden document to the blessed baseline.

Registered under the ``pytest11`` entry point, so any pytest run where harness is installed loads
it; without ``--goldens`` it only adds its options and the ``goldens`` marker: no golden item, no
model call, and none of the extraction side imported. With it, the goldens folder becomes a test
collector holding one item per golden document plus ``all_goldens`` (the run's figures over all
documents, as ``harness eval --baseline`` gates them). The goldens are extracted once, before the
first of these items runs (see ``nodes``); each item fails with the figures that fell and the
field-level diff of its records. Setup mistakes (no baseline, a stale one, an unknown prompt) stop
the session at collection as a usage error, before any model is started.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from harness.errors import HarnessError
from harness.pytest_plugin.options import add_options, goldens_enabled, options_from_config

if TYPE_CHECKING:
    from harness.pytest_plugin.nodes import GoldenSuite

__all__ = [
    "pytest_addoption",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_report_header",
    "pytest_terminal_summary",
]

_SUITE: pytest.StashKey[GoldenSuite] = pytest.StashKey()
"""The session's goldens collector, for the summary at the end."""


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "goldens: a golden document held to its baseline (added by --goldens)")


def pytest_report_header(config: pytest.Config) -> list[str]:
    if not goldens_enabled(config):
        return []
    options = options_from_config(config)
    prompt = options.prompt_ref or "the baseline's"
    model = options.model or "default"
    where = f" at {options.base_url}" if options.base_url else ""
    held = f"{options.shown(options.goldens_dir)} held to {options.shown(options.baseline)}"
    return [f"goldens: {held}; prompt {prompt}, model {model}{where}"]


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect, so they select golden items too
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not goldens_enabled(config):
        return
    from harness.pytest_plugin.check import prepare_check
    from harness.pytest_plugin.nodes import GoldenSuite

    options = options_from_config(config)
    try:
        check = prepare_check(options)
    except HarnessError as error:
        raise pytest.UsageError(f"--goldens: {error}") from None
    suite = GoldenSuite.from_parent(session, path=options.goldens_dir.resolve(), check=check)
    config.stash[_SUITE] = suite
    items.extend(session.genitems(suite))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    suite = config.stash.get(_SUITE, None)
    if suite is not None and suite.run is not None:
        terminalreporter.write_sep("-", "goldens")
        terminalreporter.write_line(suite.run.summary_line())
